"""Write laid-out sheets (workbook/layout.py) as an .xlsx with XlsxWriter — byte-reproducible.

It writes what it is given: it never computes a number. Figures are written as numbers (the exact
decimal text of the amount goes into the file, so that a reader gets back the very amount), in the
pack's number format; A4, the header rows repeated on every printed page and frozen on screen.
Same sheets and date ⇒ the same bytes: fixed document properties, XlsxWriter's fixed zip dates.
"""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import xlsxwriter

from generator.workbook.layout import Sheet, SheetCell

FONT = "宋体"
PX_PER_MM = 96 / 25.4                    # a column's width in screen pixels (96 dpi)
ROW_HEIGHT_PT = 20
A4 = 9
BASE = {"font_name": FONT, "valign": "vcenter"}
BORDERED = {**BASE, "border": 1}
STYLES: dict[str, dict] = {
    "label": {**BASE, "bold": True},
    "title": {**BASE, "bold": True, "align": "center", "font_size": 16},
    "meta_left": {**BASE, "align": "left"},
    "meta_right": {**BASE, "align": "right"},
    "header": {**BORDERED, "bold": True, "align": "center", "text_wrap": True},
    "text": {**BORDERED, "align": "left", "text_wrap": True},
    "text_center": {**BORDERED, "align": "center", "text_wrap": True},
    "text_bold": {**BORDERED, "align": "left", "bold": True, "text_wrap": True},
    "text_bold_center": {**BORDERED, "align": "center", "bold": True, "text_wrap": True},
    "number": {**BORDERED, "align": "right"},
    "number_bold": {**BORDERED, "align": "right", "bold": True},
    "note": {**BASE, "align": "left"},
}
TABLE_STYLES = {"header", "text", "text_center", "text_bold", "text_bold_center", "number", "number_bold"}


def xlsx_bytes(sheets: list[Sheet], title: str, author: str, created: dt.datetime) -> bytes:
    """The workbook of `sheets`; the same sheets and `created` always give the same bytes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": title, "author": author, "company": "", "created": created,
                             "comments": "budgetdoc"})
    formats: dict[tuple, object] = {}
    for sheet in sheets:
        write_sheet(workbook, sheet, formats)
    workbook.close()
    return buffer.getvalue()


def cell_format(workbook, formats: dict, style: str, sheet: Sheet):
    number = sheet.number_format if style.startswith("number") else None
    size = sheet.font_size if style in TABLE_STYLES else 11 if style != "title" else 16
    key = (style, number, size)
    if key not in formats:
        spec = {**STYLES[style], "font_size": size}
        if number:
            spec["num_format"] = number
        formats[key] = workbook.add_format(spec)
    return formats[key]


def write_sheet(workbook, sheet: Sheet, formats: dict) -> None:
    ws = workbook.add_worksheet(sheet.name)
    for col, mm in enumerate(sheet.widths_mm):
        ws.set_column_pixels(col, col, round(mm * PX_PER_MM))
    ws.set_default_row(ROW_HEIGHT_PT)
    for cell in sheet.cells:
        write_cell(ws, cell, cell_format(workbook, formats, cell.style, sheet))
    first, last = sheet.header
    ws.freeze_panes(last + 1, 0)
    ws.repeat_rows(first, last)
    ws.set_paper(A4)
    if sheet.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.7, right=0.7, top=0.75, bottom=0.75)
    ws.hide_gridlines(2)


def write_cell(ws, cell: SheetCell, fmt) -> None:
    if cell.rows > 1 or cell.cols > 1:
        ws.merge_range(cell.row, cell.col, cell.row + cell.rows - 1, cell.col + cell.cols - 1, "", fmt)
    if isinstance(cell.value, Decimal):
        ws.write_number(cell.row, cell.col, cell.value, fmt)
    elif cell.value:
        ws.write_string(cell.row, cell.col, cell.value, fmt)
    elif cell.rows == 1 and cell.cols == 1:
        ws.write_blank(cell.row, cell.col, None, fmt)
