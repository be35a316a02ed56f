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
from generator.workbook.filekind import SAVE_AS, NotAWorkbook, workbook_kind

MAX_WORKBOOK_BYTES = 64 * 1024 * 1024     # a unit's 公开表 workbook is ~100 KB
MAX_ROWS, MAX_COLUMNS = 65536, 256         # the .xls format's own limits
MAX_CELLS = 500_000                        # non-empty cells of a workbook (the seed's: ~2,000)

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
        found = self.covered.get((row, col))
        if found is None:
            found = next(((r0, c0) for r0, c0, r1, c1 in self.wide if r0 <= row <= r1 and c0 <= col <= c1), (row, col))
        return found

    @cached_property
    def covered(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Every position inside a merged range of a table's size -> the range's first cell."""
        return {(r, c): (r0, c0) for r0, c0, r1, c1 in self.merges if area((r0, c0, r1, c1)) <= WIDE_MERGE
                for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}

    @cached_property
    def wide(self) -> tuple[Merge, ...]:
        """The merged ranges too large to list cell by cell (A1:IV65536), looked through instead."""
        return tuple(m for m in self.merges if area(m) > WIDE_MERGE)

    @property
    def rows(self) -> int:
        return max((r for r, _ in self.cells), default=-1) + 1

    @property
    def columns(self) -> int:
        return max([c for _, c in self.cells] + [m[3] for m in self.merges], default=-1) + 1


WIDE_MERGE = 10_000                          # cells; a table's widest title merge is ~30


def area(merge: Merge) -> int:
    return (merge[2] - merge[0] + 1) * (merge[3] - merge[1] + 1)


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
    """Every sheet of the workbook, in its order; UsageError when it cannot be read. The kind of file
    is told from its bytes (filekind), so that an HTML page or an encrypted file named .xls is said to
    be one, and what a reader library cannot read is worded once here."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xls"):
        raise UsageError(f"{path} 不是 Excel 工作簿（应为 .xlsx 或 .xls）")
    if not path.exists():
        raise UsageError(f"找不到工作簿：{path}")
    try:
        data = read_regular_file(path, MAX_WORKBOOK_BYTES)
        kind = workbook_kind(data)
    except (FileRefused, NotAWorkbook) as exc:
        raise UsageError(f"工作簿 {path} {exc}") from None
    try:
        grids = read_xls(data) if kind == "xls" else read_xlsx(data)
    except UsageError:
        raise
    except Exception:  # noqa: BLE001 — the reader library's own failure on a damaged file
        raise UsageError(f"无法读取工作簿 {path}：文件已损坏，或不是 Excel、WPS 保存的{'.xls' if kind == 'xls' else '.xlsx'}"
                         f"工作簿；{SAVE_AS}") from None
    for grid in grids:
        check_extent(grid, path)
    return grids


def check_extent(grid: Grid, path: Path) -> None:
    """A 公开表 fits in the .xls format's 65,536 rows and 256 columns; a cell or merged range beyond
    them (a stray mark at XFD1048576) would make every scan of the sheet endless, and is refused at it."""
    far = [(r, c) for r, c in grid.cells if r >= MAX_ROWS or c >= MAX_COLUMNS]
    far += [(m[2], m[3]) for m in grid.merges if m[2] >= MAX_ROWS or m[3] >= MAX_COLUMNS]
    if far:
        r, c = min(far)
        raise UsageError(f"工作簿 {path} 的 {grid.name}!{cell_name(r, c)} 超出了公开表的范围（最多 {MAX_ROWS} 行、"
                         f"{MAX_COLUMNS} 列）；请删去该处的内容或合并单元格后再导入")


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
    """The sheets' cells as their XML holds them: only the cells written (openpyxl's own iteration pads
    every row to the sheet's declared dimension, which a damaged file may make XFD1048576), and each
    formula's cached value from a second pass of the same sheet."""
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    grids, count = [], 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for sheet in book.worksheets:
                cells: dict[tuple[int, int], Value] = {}
                written = list(sheet_cells(book, sheet, data_only=False))
                count += len(written)
                if count > MAX_CELLS:
                    raise UsageError(f"工作簿的非空单元格超过 {MAX_CELLS} 个（到工作表“{sheet.title}”为止），"
                                     "远多于一份公开表；请检查是否选错了文件")
                cached = ({(r, c): v for r, c, v, _ in sheet_cells(book, sheet, data_only=True)}
                          if any(kind == "f" for *_, kind in written) else {})
                for r, c, value, kind in written:
                    if kind == "f":
                        found = plain(cached.get((r, c))) if cached.get((r, c)) is not None else Uncached(str(value))
                    elif kind == "e":
                        found = CellError(str(value))
                    else:
                        found = plain(value)
                    if found is not None:
                        cells[(r, c)] = found
                grids.append(Grid(sheet.title, cells, xlsx_merges(archive, sheet._worksheet_path)))
    finally:
        book.close()
    return grids


def sheet_cells(book, sheet, data_only: bool):
    """(row, column from 0, value, openpyxl's data type) of each cell the sheet's XML writes, stopping
    at the first beyond MAX_ROWS × MAX_COLUMNS (check_extent then reports it)."""
    from openpyxl.worksheet._reader import WorkSheetParser
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for _, row in parser.parse():
            for cell in row:
                r, c = cell["row"] - 1, cell["column"] - 1
                if cell["value"] is not None:
                    yield r, c, cell["value"], cell["data_type"]
                if r >= MAX_ROWS or c >= MAX_COLUMNS:
                    return


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
