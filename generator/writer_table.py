"""Tables: fixed layout, HTML-model merges (colspan → gridSpan, rowspan → vMerge), repeated headers.

The grid is laid out first — every row's slots, origins and vertical continuations — and only then
are cells written, so merges are built once and text goes into the origin cell only.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.docmodel import Cell, Table
from generator.writer_styles import HELPER_STYLES, SONGTI
from generator.writer_xml import Font, el, mm_to_twips, paragraph_properties, text_run

BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


@dataclass(frozen=True)
class Slot:
    """One cell as written: `cell` at grid column `column`, or a vertical continuation of it."""
    cell: Cell
    column: int
    continued: bool = False


def layout_rows(rows: tuple[tuple[Cell, ...], ...], columns: int) -> list[list[Slot]]:
    """Place the cells of `rows` on the grid; raise ValueError if a row does not fill it."""
    pending: dict[tuple[int, int], Cell] = {}       # (row, column) → cell spanning down into it
    laid_out = [place_row(row, index, columns, pending) for index, row in enumerate(rows)]
    if pending:
        raise ValueError("表格的合并单元格（rowspan）超出了表格的最后一行")
    return laid_out


def place_row(row: tuple[Cell, ...], index: int, columns: int,
              pending: dict[tuple[int, int], Cell]) -> list[Slot]:
    """Return the slots of row `index`: its own cells around the continuations from above."""
    cells, slots, column = list(row), [], 0
    while column < columns:
        if (index, column) in pending:
            slots.append(Slot(pending.pop((index, column)), column, continued=True))
        elif cells:
            cell = cells.pop(0)
            slots.append(Slot(cell, column))
            for below in range(1, cell.rowspan):
                pending[(index + below, column)] = cell
        else:
            raise ValueError(f"表格第{index + 1}行只填满{column}列，应为{columns}列")
        column += slots[-1].cell.colspan
    if cells or column != columns:
        raise ValueError(f"表格第{index + 1}行的单元格超出{columns}列")
    return slots


def build_table(table: Table) -> object:
    """Return the ``w:tbl`` for `table`."""
    if not table.header + table.body:
        raise ValueError("表格没有任何行：至少需要表头")
    widths = [mm_to_twips(width) for width in table.widths_mm]
    font = Font(SONGTI, table.font_size_pt)
    rows = layout_rows(table.header + table.body, len(widths))
    header_count = len(table.header)
    grid = el("w:tblGrid", None, *[el("w:gridCol", {"w:w": width}) for width in widths])
    built = [build_row(slots, widths, font, header=index < header_count)
             for index, slots in enumerate(rows)]
    return el("w:tbl", None, table_properties(sum(widths)), grid, *built)


def table_properties(total_width: int) -> object:
    """Return ``w:tblPr``: centred, fixed layout, single 0.5 pt borders, small cell margins."""
    borders = [el(f"w:{side}", {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "000000"})
               for side in BORDER_SIDES]
    margins = [el(f"w:{side}", {"w:w": width, "w:type": "dxa"})
               for side, width in (("top", 0), ("left", 57), ("bottom", 0), ("right", 57))]
    return el("w:tblPr", None,
              el("w:tblW", {"w:w": total_width, "w:type": "dxa"}),
              el("w:jc", {"w:val": "center"}),
              el("w:tblBorders", None, *borders),
              el("w:tblLayout", {"w:type": "fixed"}),
              el("w:tblCellMar", None, *margins),
              el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0,
                               "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 1,
                               "w:noVBand": 1}))


def build_row(slots: list[Slot], widths: list[int], font: Font, header: bool) -> object:
    """Return a ``w:tr``: never split across pages; header rows repeat on every page."""
    row_properties = el("w:trPr", None, el("w:cantSplit"), el("w:tblHeader") if header else None)
    cells = [build_cell(slot, widths, font) for slot in slots]
    return el("w:tr", None, row_properties, *cells)


def build_cell(slot: Slot, widths: list[int], font: Font) -> object:
    """Return a ``w:tc`` with its width, merge marks, vertical centring and its text."""
    cell = slot.cell
    width = sum(widths[slot.column:slot.column + cell.colspan])
    merge = None
    if cell.rowspan > 1:
        merge = el("w:vMerge", {"w:val": "continue"} if slot.continued else {"w:val": "restart"})
    properties = el("w:tcPr", None,
                    el("w:tcW", {"w:w": width, "w:type": "dxa"}),
                    el("w:gridSpan", {"w:val": cell.colspan}) if cell.colspan > 1 else None,
                    merge, el("w:vAlign", {"w:val": "center"}))
    return el("w:tc", None, properties, cell_paragraph(cell, font, slot.continued))


def cell_paragraph(cell: Cell, font: Font, continued: bool) -> object:
    """Return the cell's paragraph; a vertical continuation stays empty."""
    cell_font = Font(font.east_asia, font.size_pt, cell.bold)
    paragraph = el("w:p", None, paragraph_properties(
        HELPER_STYLES["table_text"].style_id, align=cell.align, mark_font=cell_font))
    if cell.text and not continued:
        paragraph.append(text_run(cell.text, cell_font))
    return paragraph
