"""Tables: fixed layout, HTML-model merges (colspan → gridSpan, rowspan → vMerge), repeated headers.

The grid is laid out first — every row's slots, origins and vertical continuations — and only then
are cells written, so merges are built once and text goes into the origin cell only.

Tables are most of a document, so they are written as XML text: each cell is the cached text of the
template of its shape (width, spans, merge, alignment, weight) around its escaped text. A template is
built with lxml once and serialized, so the text is what lxml would have written for the elements.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from docx.oxml.ns import qn
from lxml import etree

from generator.docmodel import Cell, Table
from generator.docx.fit import fitted_figure_size
from generator.docx.ooxml import (
    TWIPS_PER_MM,
    Font,
    el,
    escape_text,
    font_elements,
    fragment_xml,
    mm_to_twips,
    paragraph_properties,
    run_properties,
    text_run,
)
from generator.docx.styles import StyleSpec

BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
CELL_MARGIN_TWIPS = 57                  # left and right inside each cell (1 mm)
RUN_FONTS = qn("w:rFonts")


class Slot(NamedTuple):
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
    slots, column, taken = [], 0, 0
    while column < columns:
        above = pending.pop((index, column), None) if pending else None
        if above is not None:
            slots.append(Slot(above, column, True))
            column += above.colspan
            continue
        if taken == len(row):
            raise ValueError(f"表格第{index + 1}行只填满{column}列，应为{columns}列")
        cell = row[taken]
        taken += 1
        slots.append(Slot(cell, column, False))
        for below in range(1, cell.rowspan):
            pending[(index + below, column)] = cell
        column += cell.colspan
    if taken != len(row) or column != columns:
        raise ValueError(f"表格第{index + 1}行的单元格超出{columns}列")
    return slots


def table_xml(table: Table, style: StyleSpec) -> str:
    """Return the ``w:tbl`` for `table` as XML text (the part's serialized form, without namespace
    declarations): the table's opening text, then each row: its opening, each cell's template text
    around its escaped text, its closing. Cells are in `style` (the look's table_text), at the
    table's size, or smaller where a figure would not fit its cell."""
    if not table.header + table.body:
        raise ValueError("表格没有任何行：至少需要表头")
    widths = [mm_to_twips(width) for width in table.widths_mm]
    edges = list(itertools.accumulate(widths, initial=0))    # twips from the left to each column
    rows = layout_rows(table.header + table.body, len(widths))
    font = style.font._replace(size_pt=fitted_figure_size(table.font_size_pt, figures(rows, edges)), bold=False)
    parts = [table_start(tuple(widths))]
    for index, slots in enumerate(rows):
        parts.append(row_start(header=index < len(table.header)))
        for cell, column, continued in slots:
            text = "" if continued else cell.text
            kind = EMPTY if not text else RICH if "\n" in text or "\t" in text else PLAIN
            merge = ("continue" if continued else "restart") if cell.rowspan > 1 else None
            width = edges[column + cell.colspan] - edges[column]
            before, after = cell_pieces(font, CellShape(width, cell.colspan, merge, cell.bold, cell.align, kind), style)
            parts += (before, slot_xml(text, kind, font, cell.bold), after)
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def figures(rows: list[list[Slot]], edges: list[int]) -> Iterator[tuple[str, float]]:
    """Each figure's text and the width its cell leaves it, in mm."""
    for slots in rows:
        for cell, column, continued in slots:
            if cell.amount is not None and not continued:
                inside = edges[column + cell.colspan] - edges[column] - 2 * CELL_MARGIN_TWIPS
                yield cell.text, inside / TWIPS_PER_MM


def slot_xml(text: str, kind: str, font: Font, bold: bool) -> str:
    """What goes into a cell's slot: a plain text as a ``w:t``, one with line breaks or tabs as a run."""
    if kind == PLAIN:
        return f'<w:t xml:space="preserve">{escape_text(text)}</w:t>'
    if kind == RICH:
        return fragment_xml(text_run(text, cell_font(font, bold)))
    return ""


@lru_cache(maxsize=256)
def table_start(widths: tuple[int, ...]) -> str:
    """Return the text of a ``w:tbl`` of columns `widths` up to its first row."""
    grid = el("w:tblGrid", None, *[el("w:gridCol", {"w:w": width}) for width in widths])
    text = fragment_xml(el("w:tbl", None, table_properties(sum(widths)), grid))
    return text.removesuffix("</w:tbl>")


def table_properties(total_width: int) -> etree._Element:
    """Return ``w:tblPr``: centred, fixed layout, single 0.5 pt borders, small cell margins."""
    borders = [el(f"w:{side}", {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "000000"})
               for side in BORDER_SIDES]
    margins = [el(f"w:{side}", {"w:w": width, "w:type": "dxa"})
               for side, width in (("top", 0), ("left", CELL_MARGIN_TWIPS), ("bottom", 0), ("right", CELL_MARGIN_TWIPS))]
    return el("w:tblPr", None,
              el("w:tblW", {"w:w": total_width, "w:type": "dxa"}),
              el("w:jc", {"w:val": "center"}),
              el("w:tblBorders", None, *borders),
              el("w:tblLayout", {"w:type": "fixed"}),
              el("w:tblCellMar", None, *margins),
              el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0,
                               "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 1,
                               "w:noVBand": 1}))


PLAIN, RICH, EMPTY = "plain", "rich", "empty"      # what a cell's slot holds
SLOT = "<!--slot-->"                                # where a cell template takes its text


class CellShape(NamedTuple):
    """Everything about a written cell but its text."""
    width: int                      # twips
    colspan: int
    merge: str | None               # ``w:vMerge`` value: restart, continue or none
    bold: bool
    align: str
    kind: str                       # PLAIN: one ``w:t``; RICH: line breaks or tabs; EMPTY: no run


def cell_font(font: Font, bold: bool) -> Font:
    return font._replace(bold=bold)


@lru_cache(maxsize=2)
def row_start(header: bool) -> str:
    """The opening of a ``w:tr``: never split across pages; header rows repeat on every page."""
    properties = el("w:trPr", None, el("w:cantSplit"), el("w:tblHeader") if header else None)
    return fragment_xml(el("w:tr", None, properties)).removesuffix("</w:tr>")


@lru_cache(maxsize=1024)
def cell_pieces(font: Font, shape: CellShape, style: StyleSpec) -> tuple[str, str]:
    """The text of the ``w:tc`` of `shape`, before and after the slot of its text."""
    before, _, after = fragment_xml(cell_template(font, shape, style)).partition(SLOT)
    return before, after


def cell_template(font: Font, shape: CellShape, style: StyleSpec) -> etree._Element:
    """Return the ``w:tc`` of `shape`: vertically centred, its paragraph in the table style, and a
    slot for its text (inside the run of a plain text, in the paragraph for a rich one)."""
    properties = el("w:tcPr", None,
                    el("w:tcW", {"w:w": shape.width, "w:type": "dxa"}),
                    el("w:gridSpan", {"w:val": shape.colspan}) if shape.colspan > 1 else None,
                    el("w:vMerge", {"w:val": shape.merge}) if shape.merge else None,
                    el("w:vAlign", {"w:val": "center"}))
    font = cell_font(font, shape.bold)
    paragraph_props = paragraph_properties(style.style_id, align=shape.align)
    mark = mark_properties(font, style.font)
    if mark is not None:
        paragraph_props.append(mark)            # w:rPr is the last child of w:pPr that is written
    paragraph = el("w:p", None, paragraph_props)
    if shape.kind == PLAIN:
        paragraph.append(el("w:r", None, run_properties(font), etree.Comment("slot")))
    elif shape.kind == RICH:
        paragraph.append(etree.Comment("slot"))
    return el("w:tc", None, properties, paragraph)


def mark_properties(font: Font, style: Font) -> object | None:
    """Return the ``w:rPr`` of a cell paragraph's mark: what differs from the TableText style's `style`.

    The mark sets an empty cell's height, so its size must be the table's. Its faces are the
    style's (宋体, Times New Roman), so the thousands of cells of a document do not repeat them.
    """
    if (font.east_asia, font.latin) != (style.east_asia, style.latin):
        return run_properties(font)
    if not font.bold and font.size_pt == style.size_pt:
        return None
    return el("w:rPr", None, *(child for child in font_elements(font) if child.tag != RUN_FONTS))
