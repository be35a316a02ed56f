"""A table of the pack as a worksheet, laid out cell by cell (DESIGN.md §10.6) — data only, no Excel.

The blocks come from the same assembly as the document's (pack.assemble.table_blocks: the table's
label, title, 单位名称/单位 line, header, body and notes), so every number is the one the document
shows, exact: a figure's cell holds its exact amount in the sheet's unit (元, or 元/10000 for 万元 —
a shift of the decimal point, nothing rounded), and the number format shows it as the pack does.

    row 0        the table's label (预算公开表3), when the pack prints one
    next         the title, across every column
    next         单位名称：… on the left, 单位：万元 on the right
    next         the header rows (merged as declared), repeated on every printed page, frozen
    then         the body rows, then the notes (注：…)
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from generator.core.money import UNIT_SHIFT, MoneyFormat
from generator.docmodel import Cell, Paragraph, Table, TableMeta

Style = Literal["label", "title", "meta_left", "meta_right", "header", "text", "text_center", "text_bold",
                "text_bold_center", "number", "number_bold", "note"]
SHEET_NAME_LIMIT = 31                     # Excel's limit on a sheet's name


@dataclass(frozen=True)
class SheetCell:
    row: int
    col: int
    value: str | Decimal | None          # text, an exact number in the sheet's unit, or an empty (styled) cell
    style: Style
    rows: int = 1                         # merged over this many rows and columns
    cols: int = 1


@dataclass(frozen=True)
class Sheet:
    name: str
    cells: tuple[SheetCell, ...]
    widths_mm: tuple[float, ...]
    header: tuple[int, int]               # first and last row of the header (repeated when printed, frozen)
    number_format: str                    # Excel's format of the figures: 0.00;-0.00; or #,##0.00;-#,##0.00;
    landscape: bool
    font_size: float


def number_format(money: MoneyFormat) -> str:
    """The Excel format that prints a number as the pack's table money does; a zero prints `zero`
    (the third section: empty for a blank cell)."""
    digits = ("#,##0" if money.separators else "0") + ("." + "0" * money.places if money.places else "")
    zero = '"' + money.zero.replace('"', "") + '"' if money.zero else ""
    return f"{digits};-{digits};{zero}"


def in_sheet_unit(amount: Decimal, money: MoneyFormat) -> Decimal:
    """An exact amount in 元 in the table's unit: 元 as it is, 万元 as 元/10000 (exact)."""
    return amount.scaleb(UNIT_SHIFT[money.unit])


def sheet_of(name: str, blocks: list, money: MoneyFormat) -> Sheet:
    """The worksheet of one table from its document blocks (label, title, meta, table, notes)."""
    table = next(b for b in blocks if isinstance(b, Table))
    width = len(table.widths_mm)
    cells: list[SheetCell] = []
    row = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            style: Style = {"table_label": "label", "table_title": "title"}.get(block.style, "note")  # type: ignore[assignment]
            cells.append(SheetCell(row, 0, block.text, style, cols=width))
            row += 1
        elif isinstance(block, TableMeta):
            cells += meta_cells(row, block, width)
            row += 1
        elif isinstance(block, Table):
            first = row
            cells += grid_cells(row, table.header, header=True, money=money)
            row += len(table.header)
            header = (first, row - 1)
            cells += grid_cells(row, table.body, header=False, money=money)
            row += len(table.body)
    return Sheet(name, tuple(cells), table.widths_mm, header, number_format(money), table.landscape, table.font_size_pt)


def meta_cells(row: int, meta: TableMeta, width: int) -> list[SheetCell]:
    """单位名称：… over the left columns, 单位：万元 over the last one or two."""
    right = 1 if width < 4 else 2
    return [SheetCell(row, 0, meta.left, "meta_left", cols=width - right),
            SheetCell(row, width - right, meta.right, "meta_right", cols=right)]


def grid_cells(top: int, rows: tuple[tuple[Cell, ...], ...], header: bool, money: MoneyFormat) -> list[SheetCell]:
    """The cells of header or body rows in the HTML model (a spanned position is absent from the rows
    it reaches into), placed on the sheet's grid."""
    taken: set[tuple[int, int]] = set()
    cells: list[SheetCell] = []
    for r, cells_of_row in enumerate(rows):
        col = 0
        for cell in cells_of_row:
            while (r, col) in taken:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            cells.append(SheetCell(top + r, col, cell_value(cell, money), cell_style(cell, header),
                                   rows=cell.rowspan, cols=cell.colspan))
            col += cell.colspan
    return cells


def cell_value(cell: Cell, money: MoneyFormat) -> str | Decimal | None:
    if cell.amount is not None:
        return in_sheet_unit(cell.amount, money)
    return cell.text or None


def cell_style(cell: Cell, header: bool) -> Style:
    if header:
        return "header"
    if cell.amount is not None or cell.align == "right":
        return "number_bold" if cell.bold else "number"
    if cell.bold:
        return "text_bold_center" if cell.align == "center" else "text_bold"
    return "text_center" if cell.align == "center" else "text"


def sheet_name(number: int) -> str:
    """表3: short, unique, and what a message or a comment names (表3!D12)."""
    return f"表{number}"[:SHEET_NAME_LIMIT]
