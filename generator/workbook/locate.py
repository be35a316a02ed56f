"""Find the pack's tables in a workbook: which sheet is which table, where its header is, which sheet
column is which declared column, and the sheet's money unit — the table declarations read in reverse.

    sheet      by the title inside it ("2026年预算支出总表", any year), else by its name: a table number
               after a prefix (表3, 预算公开表3, 部门公开表9, 表三) or a title after a section number
               (2.15 预算支出总表); spaces around the name are tolerated and reported
    header     the first rows that carry the declared header's words; merged cells cover their range
    columns    in declared order; a code in one column or split in 类/款/项 either way; a figure column
               by its header words (a variant is accepted and reported, another header is an error)
    unit       元 or 万元 from the "单位：" line above the header (else the pack's, reported)
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from generator.core.problems import Problem
from generator.pack.loading import TableDecl
from generator.pack.tables import Column
from generator.workbook.grid import Grid
from generator.workbook.problems import at_cell, at_sheet, in_book

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
NAME_PREFIX = re.compile(r"^(?:预算公开表|部门公开表|单位公开表|公开表|附表|表)")
SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)+[、.]?")
UNIT_LINE = re.compile(r"单位[:：]\s*(万元|元)")
SPLIT = ("类", "款", "项")
TITLE_ROWS = 8                       # the title, label and unit lines stand in the first rows


def norm(text: str) -> str:
    """Text as compared: full-width forms folded (NFKC), no blanks at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def title_pattern(decl: TableDecl) -> re.Pattern:
    parts = norm(decl.title).split("{year}")
    return re.compile("^" + r"(\d{4})".join(re.escape(p) for p in parts) + "$")


def bare_title(decl: TableDecl) -> str:
    """The title without its year, as compared (folded) — `shown_title` as a message writes it."""
    return norm(shown_title(decl))


def shown_title(decl: TableDecl) -> str:
    return decl.title.replace("{year}年", "").replace("{year}", "").strip()


def cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text and all(ch in CN_DIGITS for ch in text):
        if len(text) == 1:
            return CN_DIGITS[text]
        if text[0] == "十":
            return 10 + (CN_DIGITS[text[1]] if len(text) > 1 else 0)
        if len(text) == 2 and text[1] == "十":
            return CN_DIGITS[text[0]] * 10
        if len(text) == 3 and text[1] == "十":
            return CN_DIGITS[text[0]] * 10 + CN_DIGITS[text[2]]
    return None


@dataclass(frozen=True)
class Found:
    """A table's sheet and what the sheet itself says around the table."""
    decl: TableDecl
    grid: Grid
    year: int | None
    title_at: tuple[int, int] | None


def sheet_title(grid: Grid, decls: tuple[TableDecl, ...]) -> tuple[TableDecl, int, tuple[int, int]] | None:
    """The table whose title stands in the sheet's first rows, the year it names, and where."""
    patterns = [(decl, title_pattern(decl)) for decl in decls]
    for (r, c), value in sorted(grid.cells.items()):
        if r >= TITLE_ROWS or not isinstance(value, str):
            continue
        text = norm(value)
        for decl, pattern in patterns:
            match = pattern.match(text)
            if match:
                return decl, int(match.group(1)) if match.groups() else 0, (r, c)
    return None


def by_sheet_name(name: str, decls: tuple[TableDecl, ...]) -> TableDecl | None:
    rest = SECTION_NUMBER.sub("", NAME_PREFIX.sub("", norm(name)))
    number = cn_number(rest)
    if number is not None:
        return next((d for d in decls if d.number == number), None)
    rest = re.sub(r"^\d{4}年", "", rest)
    titles = sorted(decls, key=lambda d: -len(bare_title(d)))
    return next((d for d in titles if rest and (rest == bare_title(d) or (len(rest) >= 6 and bare_title(d).startswith(rest)))), None)


def find_tables(grids: list[Grid], decls: tuple[TableDecl, ...], book: str) -> tuple[list[Found], list[Problem]]:
    """The sheet of each declared table (by title, else by name) and the problems: a missing table,
    two sheets for one table, a sheet name with blanks around it, a sheet that is no table."""
    found: dict[str, Found] = {}
    problems: list[Problem] = []
    for grid in grids:
        titled = sheet_title(grid, decls)
        decl = titled[0] if titled else by_sheet_name(grid.name, decls)
        if grid.name != grid.name.strip():
            problems.append(at_sheet(book, grid.name, f"工作表名“{grid.name}”前后有空格，已按“{grid.name.strip()}”读取", "warning"))
        if decl is None:
            if grid.cells:
                problems.append(at_sheet(book, grid.name, f"工作表“{grid.name.strip()}”不是模板包的报表（按表号和标题都对不上），未读取",
                                         "info"))
            continue
        if decl.id in found:
            problems.append(at_sheet(book, grid.name, f"工作表“{grid.name.strip()}”与“{found[decl.id].grid.name.strip()}”"
                                     f"都是表{decl.number}“{shown_title(decl)}”；只能有一张"))
            continue
        found[decl.id] = Found(decl, grid, titled[1] if titled else None, titled[2] if titled else None)
    for decl in decls:
        if decl.id not in found:
            problems.append(in_book(book, f"工作簿中没有表{decl.number}“{shown_title(decl)}”：按表号（如“表{decl.number}”"
                                          f"“预算公开表{decl.number}”）和表内标题都没有找到这张表"))
    return [found[d.id] for d in decls if d.id in found], problems


# the header -------------------------------------------------------------------------------------

def declared_paths(header: tuple, width: int, year: int) -> list[list[str]]:
    """For each declared grid column, the header texts above it, top to bottom."""
    paths: list[list[str]] = [[] for _ in range(width)]
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(header):
        col = 0
        for item in row:
            while (r, col) in taken:
                col += 1
            text, span, down = ((item, 1, 1) if isinstance(item, str)
                                else (str(item["text"]), int(item.get("colspan", 1)), int(item.get("rowspan", 1))))
            for dr in range(down):
                for dc in range(span):
                    taken.add((r + dr, col + dc))
            for dc in range(span):
                if col + dc < width:
                    paths[col + dc].append(norm(text.format(year=year)))
            col += span
    return paths


def sheet_paths(grid: Grid, first: int, last: int, columns: range) -> dict[int, list[str]]:
    paths: dict[int, list[str]] = {}
    for c in columns:
        seen: list[str] = []
        for r in range(first, last + 1):
            text = norm(grid.text(r, c))
            if text and (not seen or seen[-1] != text):
                seen.append(text)
        paths[c] = seen
    return paths


def similar(a: str, b: str) -> bool:
    """A header variant: one holds the other (政府性基金 / 政府性基金预算), or they are mostly the same."""
    if not a or not b:
        return False
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= 0.6


def header_start(grid: Grid, paths: list[list[str]], after: int) -> int | None:
    """The first row below the title that holds at least half of the declared top header words."""
    words = {p[0] for p in paths if p}
    for r in range(after, min(grid.rows, after + 15)):
        texts = [norm(grid.text(r, c)) for c in range(grid.columns) if grid.origin(r, c) == (r, c)]
        hits = sum(1 for w in words if any(t == w for t in texts))
        fuzzy = sum(1 for w in words if any(similar(t, w) for t in texts if t))
        if hits and fuzzy * 2 >= len(words):
            return r
    return None


def header_end(grid: Grid, first: int, rows: int, split_declared: bool) -> int:
    """The last header row: the declared number of rows, one more when the sheet splits a code the
    pack prints whole (a 类/款/项 row), one fewer the other way, and at least the merged cells' reach."""
    split_rows = [r for r in range(first, first + rows + 1)
                  if sum(1 for c in range(grid.columns) if norm(grid.text(r, c)) in SPLIT and grid.origin(r, c) == (r, c)) >= 2]
    last = first + rows - 1 + (1 if split_rows and not split_declared else 0) - (1 if split_declared and not split_rows else 0)
    reach = [m[2] for m in grid.merges if first <= m[0] <= last]
    return max([last] + reach)


@dataclass(frozen=True)
class Mapped:
    """Where a declared column stands in the sheet: one column, or three (a code split in 类/款/项)."""
    column: Column
    side: int
    cols: tuple[int, ...]
    header: str                       # the sheet's header words over it (for messages)


@dataclass(frozen=True)
class Layout:
    found: Found
    header: tuple[int, int]
    columns: tuple[Mapped, ...]
    unit: str                         # 元 or 万元
    unit_name: str


def map_columns(grid: Grid, decl: TableDecl, first: int, last: int, year: int, book: str) -> tuple[list[Mapped], list[Problem]]:
    """Declared columns to sheet columns, in order; problems for headers that differ."""
    width = len(decl.widths)
    declared = declared_paths(decl.header, width, year)
    start = min((c for c in range(grid.columns) if any(norm(grid.text(r, c)) for r in range(first, last + 1))), default=0)
    found = sheet_paths(grid, first, last, range(start, grid.columns))
    columns = [(i, column) for i, side in enumerate(decl.sides) for column in side.columns]
    mapped: list[Mapped] = []
    problems: list[Problem] = []
    j, k = start, 0
    while k < len(columns):
        side, column = columns[k]
        leaf = lambda c: (found.get(c) or [""])[-1]            # noqa: E731 — the sheet's lowest header word over column c
        if column.key in ("code", "code.类"):
            split = leaf(j) == "类" and leaf(j + 1) == "款"
            cols = (j, j + 1, j + 2) if split and leaf(j + 2) == "项" else (j, j + 1) if split else (j,)
            keys = [column]
            if column.key == "code.类":                          # the declared split: 款 (and 项) follow
                keys += [c for _, c in columns[k + 1:k + 3] if c.key in ("code.款", "code.项")][:2]
            for n, key in enumerate(keys):
                mine = (cols[n],) if column.key == "code.类" and split and n < len(cols) else cols
                mapped.append(Mapped(key, side, mine if key.key != "code" else cols, "/".join(found.get(cols[0], []))))
            k += len(keys)
            j += len(cols)
            continue
        have, want = found.get(j, []), declared[len(mapped)] if len(mapped) < width else []
        problems += header_problems(grid, book, last, j, have, want)
        mapped.append(Mapped(column, side, (j,), "/".join(have)))
        k += 1
        j += 1
    return mapped, problems


def header_problems(grid: Grid, book: str, last: int, col: int, have: list[str], want: list[str]) -> list[Problem]:
    """A column's header against the declared one: the same words, a variant (reported), or another header."""
    if not want or have[-1:] == want[-1:] or (have and want and have[-1] in want):
        return []
    leaf_have, leaf_want = (have or [""])[-1], want[-1]
    where = (last, col)
    if similar(leaf_have, leaf_want):
        return [at_cell(book, grid, *where, f"表头“{leaf_have}”按模板包的“{leaf_want}”读取", "warning")]
    return [at_cell(book, grid, *where, f"表头应为“{'/'.join(want)}”，却是“{'/'.join(have) or '（空）'}”；"
                                        "请按模板包的表样核对这一列")]


def unit_line(grid: Grid, before: int, decl: TableDecl, label: str) -> tuple[str | None, str, tuple[int, int] | None]:
    """The money unit of the "单位：" line and the unit's name after 单位名称：/编制单位： above the header
    (the name as the sheet writes it: only the comparison folds full-width forms)."""
    unit, name, where = None, "", None
    prefixes = tuple(dict.fromkeys((label.rstrip("：:"), "单位名称", "编制单位", "编制部门")))
    named = re.compile(r"^\s*(?:" + "|".join(re.escape(p) for p in prefixes) + r")\s*[:：]\s*(.+?)\s*$", re.S)
    for (r, c), value in sorted(grid.cells.items()):
        if r >= before or not isinstance(value, str):
            continue
        found = named.match(value)
        if found:
            name = found.group(1)
            tail = UNIT_LINE.search(name)
            if tail:                              # 单位名称：… 单位：万元 in one cell
                unit, where, name = tail.group(1), (r, c), name[:tail.start()].strip()
            continue
        match = UNIT_LINE.search(norm(value))
        if match:
            unit, where = match.group(1), (r, c)
    return unit, name, where


def layout_of(found: Found, year: int, unit_name_label: str, book: str) -> tuple[Layout | None, list[Problem]]:
    decl, grid = found.decl, found.grid
    width = len(decl.widths)
    paths = declared_paths(decl.header, width, year)
    after = found.title_at[0] + 1 if found.title_at else 0
    first = header_start(grid, paths, after)
    if first is None:
        return None, [at_sheet(book, grid.name, f"表{decl.number}“{shown_title(decl)}”：找不到表头（应有“"
                                                f"{'”“'.join(dict.fromkeys(p[0] for p in paths if p))}”等字样）")]
    split_declared = any(c.key == "code.类" for side in decl.sides for c in side.columns)
    last = header_end(grid, first, len(decl.header), split_declared)
    columns, problems = map_columns(grid, decl, first, last, year, book)
    unit, name, _ = unit_line(grid, first, decl, unit_name_label)
    if unit is None:
        unit = decl.money.unit
        problems.append(at_sheet(book, grid.name, f"表头上方没有“单位：元”或“单位：万元”，按模板包的{unit}读取", "warning"))
    return Layout(found, (first, last), tuple(columns), unit, name), problems
