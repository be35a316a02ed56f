"""Read a workbook (.xlsx through openpyxl, .xls through xlrd) into plain grids of cell values.

A grid is one sheet: its name as the workbook spells it, its non-empty cells by (row, column) from
0, and its merged ranges. A value is text, a number (Decimal from the number's shortest decimal
text, so that 13.994 stays 13.994), a formula without a cached value (`Uncached`: never guessed),
or an error value (`CellError`, #REF!). Everything after this module works on grids only.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from generator.core.files import FileRefused, read_regular_file
from generator.core.problems import UsageError

MAX_WORKBOOK_BYTES = 64 * 1024 * 1024     # a unit's 公开表 workbook is ~100 KB

Merge = tuple[int, int, int, int]           # first row, first column, last row, last column (inclusive)


@dataclass(frozen=True)
class Uncached:
    """A formula cell saved without its value (written by a program that does not calculate)."""
    formula: str


@dataclass(frozen=True)
class CellError:
    text: str                                # #REF!, #DIV/0! …


Value = str | Decimal | Uncached | CellError


@dataclass(frozen=True)
class Grid:
    name: str
    cells: dict[tuple[int, int], Value]
    merges: tuple[Merge, ...]

    def value(self, row: int, col: int) -> Value | None:
        return self.cells.get((row, col))

    def text(self, row: int, col: int) -> str:
        """The cell as text ('' when empty); a merged range's value is its first cell's."""
        value = self.cells.get(self.origin(row, col))
        if isinstance(value, Decimal):
            return format(value, "f")
        return value.strip() if isinstance(value, str) else ""

    def origin(self, row: int, col: int) -> tuple[int, int]:
        return self.covered.get((row, col), (row, col))

    @cached_property
    def covered(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Every position inside a merged range -> the range's first cell."""
        return {(r, c): (r0, c0) for r0, c0, r1, c1 in self.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}

    def merge_at(self, row: int, col: int) -> Merge | None:
        return next((m for m in self.merges if m[0] == row and m[1] == col), None)

    @property
    def rows(self) -> int:
        return max((r for r, _ in self.cells), default=-1) + 1

    @property
    def columns(self) -> int:
        return max([c for _, c in self.cells] + [m[3] for m in self.merges], default=-1) + 1


def cell_name(row: int, col: int) -> str:
    """(11, 3) → D12."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def number(value: float | int) -> Decimal:
    """A stored number as the decimal it was written as: the shortest text that reads back as it."""
    if isinstance(value, bool):
        return Decimal(int(value))
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def plain(value) -> Value | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path) -> list[Grid]:
    """Every sheet of the workbook, in its order; UsageError when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xls"):
        raise UsageError(f"{path} 不是 Excel 工作簿（应为 .xlsx 或 .xls）")
    if not path.exists():
        raise UsageError(f"找不到工作簿：{path}")
    try:
        data = read_regular_file(path, MAX_WORKBOOK_BYTES)
    except FileRefused as exc:
        raise UsageError(f"工作簿 {path} {exc}") from None
    try:
        return read_xls(data) if suffix == ".xls" else read_xlsx(data)
    except UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 — a damaged or mislabelled file: say so, with the reader's words
        raise UsageError(f"无法读取工作簿 {path}：{type(exc).__name__}: {exc}") from None


MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def column_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx_merges(archive: zipfile.ZipFile, part: str) -> tuple[Merge, ...]:
    """The merged ranges of a sheet, read from its XML (openpyxl's read-only mode does not keep them)."""
    xml = archive.read(part.lstrip("/"))
    return tuple(sorted((int(r0) - 1, column_index(c0), int(r1) - 1, column_index(c1))
                        for c0, r0, c1, r1 in MERGE_CELL.findall(xml)))


def read_xlsx(data: bytes) -> list[Grid]:
    import openpyxl
    formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    values = None
    grids = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for sheet in formulas.worksheets:
            cells: dict[tuple[int, int], Value] = {}
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    if cell.data_type == "f":
                        if values is None:
                            values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
                        cached = values[sheet.title].cell(cell.row, cell.column).value
                        found = plain(cached) if cached is not None else Uncached(str(cell.value))
                    elif cell.data_type == "e":
                        found = CellError(str(cell.value))
                    else:
                        found = plain(cell.value)
                    if found is not None:
                        cells[(cell.row - 1, cell.column - 1)] = found
            grids.append(Grid(sheet.title, cells, xlsx_merges(archive, sheet._worksheet_path)))
    formulas.close()
    if values is not None:
        values.close()
    return grids


def read_xls(data: bytes) -> list[Grid]:
    import xlrd
    book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    grids = []
    for sheet in book.sheets():
        cells: dict[tuple[int, int], Value] = {}
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                kind, value = sheet.cell_type(r, c), sheet.cell_value(r, c)
                if kind == xlrd.XL_CELL_ERROR:
                    cells[(r, c)] = CellError(xlrd.error_text_from_code.get(value, "#错误"))
                elif kind in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_TEXT, xlrd.XL_CELL_BOOLEAN):
                    found = plain(value)
                    if found is not None:
                        cells[(r, c)] = found
        merges = tuple(sorted((r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells))
        grids.append(Grid(sheet.name, cells, merges))
    return grids
