"""Problems of a workbook: placed at book.xlsx:表3!D12 (the sheet and cell), or at a sheet, or the book.

They are ordinary Problems whose place is written sheet!cell instead of line:col; `order` keeps
them in the workbook's order (sheet, row, column) rather than the text's.
"""
from __future__ import annotations

from generator.core.problems import Pos, Problem, Severity
from generator.workbook.grid import Grid, cell_name


def ref(grid: Grid, row: int, col: int) -> str:
    """表3!D12 — the sheet's name without blanks around it."""
    return f"{grid.name.strip()}!{cell_name(row, col)}"


def at_cell(book: str, grid: Grid, row: int, col: int, message: str, severity: Severity = "error") -> Problem:
    return Problem(Pos(f"{book}:{ref(grid, row, col)}"), message, severity)


def at_ref(book: str, where: str, message: str, severity: Severity = "error") -> Problem:
    return Problem(Pos(f"{book}:{where}"), message, severity)


def at_sheet(book: str, sheet: str, message: str, severity: Severity = "error") -> Problem:
    return Problem(Pos(f"{book}:{sheet.strip()}"), message, severity)


def in_book(book: str, message: str, severity: Severity = "error") -> Problem:
    return Problem(Pos(book), message, severity)
