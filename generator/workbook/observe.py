"""A located table's rows, read back through its declaration: each figure cell becomes an observation —
the filter the document's cell would have summed (side × column × row, as pack/tables.py combines
them) and the amount the sheet holds, in 元, with its place.

Which declared row a sheet row is: a fixed row by its label (合计, 本年收入合计, 部门合计, the unit's
name); a function, economic or income row by its code (one column or 类/款/项), an economic row of a
table without codes (表六) by its name in the catalogue, under the 类 above it; a 类 by its name
(一、一般公共服务支出); a fund source by its label; any other label in a side that lists projects is a
project. A row set with `where` leaves out the rows without an amount, so a code the workbook names
elsewhere but not here is an observation too: zero.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from generator.analysis.cube import Filter, combine, make_filter
from generator.core.catalogue import Catalogue
from generator.core.problems import Problem
from generator.pack.tables import RowSpec, Side, cn_ordinal
from generator.source.scalars import short
from generator.source.schema import MAX_AMOUNT
from generator.workbook.grid import CellError, Grid, Uncached
from generator.workbook.locate import Layout, Mapped, norm
from generator.workbook.problems import at_cell, ref

CENT = Decimal("0.01")
NOISE = Decimal("0.000001")              # what a spreadsheet's binary arithmetic leaves behind a cent
ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+|\d+|[①-⑳])[、.．)）]?")
CODED = {"functions": ("function", (3, 5, 7)), "economic": ("economic", (3, 5)),
         "income": ("", ())}


@dataclass(frozen=True)
class Observation:
    flt: Filter
    amount: Decimal                       # 元
    ref: str                              # 表3!D12
    what: str                             # 2010301 行政运行 · 基本支出 (for messages)
    slack: Decimal                        # how far a rounded cell may be from the exact amount (元)
    shown: str                            # the figure as the sheet shows it, with its unit
    unit: str = "元"                      # the sheet's money unit


@dataclass(frozen=True)
class RowRead:
    """One sheet row of one side: what it is, its texts."""
    spec: RowSpec | None
    flt: Filter | None
    code: str
    name: str
    label: str


@dataclass
class Reading:
    """What the tables of a workbook say."""
    observations: list[Observation]
    names: dict[tuple[str, str], str]     # (axis, code) -> the name the workbook gives
    codes: dict[str, list[str]]           # axis -> codes in the order met; "project" -> project names
    problems: list[Problem]
    rounded: list[str]                    # sheets in 万元 whose figures have no more than two decimals
    pending: list = field(default_factory=list)     # tables whose left-out rows are read once all codes are known
    exact: bool = False                   # the workbook's 万元 figures are exact (some have more than two decimals)

    def finish(self) -> None:
        """Every table read: the rows their `where` left out become observations of zero."""
        for sides, seen, layout in self.pending:
            add_missing_rows(sides, seen, layout, self)
        self.pending = []


def parse_amount(value, unit: str) -> tuple[Decimal | None, str]:
    """(amount in 元, '') or (None, why not): numbers, numbers as text with separators, (1,234.00)
    as a negative, a dash as zero."""
    if value is None:
        return Decimal(0), ""
    if isinstance(value, Uncached):
        return None, (f"公式“={value.formula.lstrip('=')}”没有保存计算结果：工作簿是由不计算公式的程序写出的；"
                      "请在 Excel 或 WPS 中打开、保存后再导入（本程序不代为计算）")
    if isinstance(value, CellError):
        return None, f"单元格是错误值“{value.text}”，应为金额"
    if isinstance(value, Decimal):
        number = value
    else:
        text = norm(str(value)).replace(",", "").replace("，", "").removesuffix("万元").removesuffix("元")
        negative = re.fullmatch(r"[(（](.*)[)）]", text)
        if negative:
            text = "-" + negative.group(1)
        if text in ("-", "—", "－", "--", ""):
            return Decimal(0), ""
        try:
            number = Decimal(text.replace("−", "-"))
        except InvalidOperation:
            return None, f"应为金额，却是文字“{value}”"
        if not number.is_finite():
            return None, f"应为金额，却是文字“{value}”"
    yuan = number.scaleb(4) if unit == "万元" else number
    if abs(yuan) >= MAX_AMOUNT:                    # nor could it be rounded to the cent: 1e308 has 309 digits
        return None, f"金额 {short(str(value))} {unit} 大得不合理（应小于1万亿元），请检查单元格"
    cents = yuan.quantize(CENT)
    if abs(yuan - cents) > NOISE:
        return None, f"金额 {value} {unit} 不是整分（元的金额最多两位小数）"
    if cents < 0:
        return None, f"金额 {value} 是负数；预算金额不能为负"
    return cents + 0, ""


def code_of(grid: Grid, row: int, mapped: list[Mapped]) -> str:
    """The row's code from its code column, or from its 类/款/项 columns."""
    whole = next((m for m in mapped if m.column.key == "code"), None)
    parts = {m.column.key: m for m in mapped if m.column.key in ("code.类", "code.款", "code.项")}
    if whole is not None and len(whole.cols) == 1:
        return digits(grid.text(row, whole.cols[0]))
    if whole is not None:
        return "".join(digits(grid.text(row, c), 3 if n == 0 else 2) for n, c in enumerate(whole.cols))
    if parts and len({m.cols for m in parts.values()}) == 1:
        return digits(grid.text(row, parts["code.类"].cols[0]))
    return "".join(digits(grid.text(row, parts[k].cols[0]), 3 if k == "code.类" else 2) for k in ("code.类", "code.款", "code.项")
                   if k in parts)


def digits(text: str, width: int = 0) -> str:
    text = norm(text).removesuffix(".0")
    if not text.isdigit():
        return ""
    return text.zfill(width) if width and len(text) < width else text


class RowMatcher:
    """Which declared row a sheet row is, for one side of a table. Rows come in the declared order
    (head, rows, foot), so a label that two row sets share (一、一般公共预算 for 本年 and again for
    上年结转) is the one at or after the row set matched last."""

    def __init__(self, side: Side, catalogue: Catalogue, unit: str, year: int):
        self.side, self.catalogue, self.unit, self.year = side, catalogue, unit, year
        self.specs = side.head + side.rows + side.foot
        self.at = 0
        self.economic_class = ""

    def fixed_label(self, spec: RowSpec) -> str:
        return norm(str(spec.options[spec.kind]).format(unit=self.unit, year=self.year))

    def match(self, code: str, name: str, label: str) -> RowRead | None:
        text = norm(label)
        order = list(range(self.at, len(self.specs))) + list(range(0, self.at))
        fixed = [i for i in order if self.specs[i].kind in ("label", "total")]
        sets = [i for i in order if self.specs[i].kind not in ("label", "total", "blank", "projects")]
        catch_all = [i for i in order if self.specs[i].kind == "projects"]
        for i in fixed:
            spec = self.specs[i]
            if self.fixed_label(spec) == text and (text or not code):
                self.at = i
                return RowRead(spec, spec.filter if spec.options.get("figures", True) else None, "", "", label)
        for i in sets + catch_all:
            found = self.match_set(self.specs[i], code, name, label)
            if found is not None:
                self.at = i
                return found
        return None

    def match_set(self, spec: RowSpec, code: str, name: str, label: str) -> RowRead | None:
        kind = spec.kind
        if kind in ("functions", "economic", "income"):
            axis = spec.options["income"] if kind == "income" else CODED[kind][0]
            code = code or (self.economic_code(name or label) if kind == "economic" else "")
            if not code or (kind != "income" and len(code) not in CODED[kind][1]):
                return None
            if kind == "economic" and len(code) == 3:
                self.economic_class = code
            return RowRead(spec, with_filter(spec, {"axis": axis, "code": code}), code, name or label, label)
        if kind == "classes":
            bare = ORDINAL.sub("", norm(label))
            c = next((c for c in self.catalogue.function_classes if norm(c.name) == bare), None)
            return RowRead(spec, with_filter(spec, {"axis": "function", "code": c.code}), c.code, c.name, label) if c else None
        if kind == "sources":
            labels = spec.options.get("labels") or [None] * len(spec.options["sources"])
            for n, (source, own) in enumerate(zip(spec.options["sources"], labels), 1):
                expected = own if own is not None else str(spec.options.get("label", "{source}")).format(
                    source=source, n=n, cn=cn_ordinal(n))
                if norm(expected) == norm(label):
                    return RowRead(spec, with_filter(spec, {"source": source}), "", source, label)
            return None
        if kind == "units" and norm(label) == norm(self.unit):
            return RowRead(spec, spec.filter, "", label, label)
        if kind == "projects" and label:
            return RowRead(spec, with_filter(spec, {"project": label}), "", label, label)
        return None

    def economic_code(self, name: str) -> str:
        """A 部门经济科目 by its name: a 类, or a 款 under the 类 above it (表六 prints no codes)."""
        wanted = norm(name)
        found = [code for code, n in self.catalogue.economic_names.items() if norm(n) == wanted]
        under = [c for c in found if len(c) == 5 and c.startswith(self.economic_class)] if self.economic_class else []
        classes = [c for c in found if len(c) == 3]
        return (under or classes or found or [""])[0]


def with_filter(spec: RowSpec, coordinates: dict) -> Filter | None:
    own = make_filter(coordinates)
    return combine(spec.filter, own) if spec.filter else own


def exact_wan(layouts: list[Layout]) -> bool:
    """An export of exact amounts: some 万元 figure has more than two decimals (元/10000). A budget
    system's own export rounds every figure to 0.01万元: then each cell may be 50 元 off."""
    return any(isinstance(v, Decimal) and v.as_tuple().exponent < -2 for layout in layouts if layout.unit == "万元"  # type: ignore[operator]
               for (r, _), v in layout.found.grid.cells.items() if r > layout.header[1])


def read_table(layout: Layout, year: int, catalogue: Catalogue, unit: str, book: str, reading: Reading) -> None:
    """Every figure of one table as observations; names and codes met; problems of its cells."""
    decl, grid = layout.found.decl, layout.found.grid
    matchers = [RowMatcher(side, catalogue, unit, year) for side in decl.sides]
    by_side = [[m for m in layout.columns if m.side == i] for i in range(len(decl.sides))]
    exact = reading.exact or layout.unit == "元"
    if not exact:
        reading.rounded.append(grid.name.strip())
    slack = Decimal(0) if exact else Decimal(50)
    seen_rows: list[list[RowRead]] = [[] for _ in decl.sides]
    for row in range(layout.header[1] + 1, grid.rows):
        first_text = next((grid.text(row, c) for c in range(grid.columns) if grid.text(row, c)), "")
        if norm(first_text).startswith(("注:", "注：")):
            break
        for i, side in enumerate(decl.sides):
            mapped = by_side[i]
            read = row_of(grid, row, mapped, matchers[i])
            if read is None:
                continue
            if read.spec is None:
                reading.problems.append(at_cell(book, grid, row, mapped[0].cols[0],
                                                f"这一行“{read.label}”对不上表{decl.number}的任何一行（应为模板包中的行，如科目、"
                                                "资金来源、合计）；未读取"))
                continue
            seen_rows[i].append(read)
            remember(read, reading)
            if read.flt is None:
                continue
            for m in mapped:
                if m.column.key:
                    continue
                observe(grid, row, m, read, side, layout, slack, book, reading)
    reading.pending.append((decl.sides, seen_rows, layout))


def row_of(grid: Grid, row: int, mapped: list[Mapped], matcher: RowMatcher) -> RowRead | None:
    """The declared row of one side of a sheet row; None for an empty row, a RowRead without spec for
    a row that is none of the declared ones."""
    texts = [m for m in mapped if m.column.key]
    figures = [m for m in mapped if not m.column.key]
    if not texts:                                   # a table of figures only (上海 表9): its one row
        if any(grid.value(row, m.cols[0]) is not None for m in figures) and matcher.specs:
            return RowRead(matcher.specs[0], matcher.specs[0].filter, "", "", "")
        return None
    code = code_of(grid, row, texts)
    name = next((grid.text(row, m.cols[0]) for m in texts if m.column.key == "name"), "")
    label = grid.text(row, texts[0].cols[0])
    if code and texts[0].column.key.startswith("code"):
        label = name
    if not (code or name or label):
        return None
    return matcher.match(code, name, label) or RowRead(None, None, code, name, label or name or code)


def remember(read: RowRead, reading: Reading) -> None:
    if read.spec is None or read.spec.kind not in ("functions", "economic", "income", "projects"):
        return
    for key, values in read.flt or ():
        if key == "axis" and read.code:
            axis = values[0]
            reading.codes.setdefault(axis, []).append(read.code)
            if read.name:
                reading.names.setdefault((axis, read.code), read.name)
        if key == "project" and read.spec is not None and read.spec.kind == "projects":
            reading.codes.setdefault("project", []).append(values[0])


def observe(grid: Grid, row: int, m: Mapped, read: RowRead, side: Side, layout: Layout, slack: Decimal, book: str,
            reading: Reading) -> None:
    col = m.cols[0]
    value = grid.value(*grid.origin(row, col))
    amount, why = parse_amount(value, layout.unit)
    what = f"{(read.code + ' ') if read.code else ''}{read.name or read.label}·{m.header.split('/')[-1]}"
    if amount is None:
        reading.problems.append(at_cell(book, grid, row, col, f"{what}：{why}"))
        return
    flt = combine(side.filter, m.column.measure or (), read.flt or ())
    if flt is None:
        return
    shown = f"{grid.text(row, col) or '0'}{layout.unit}"
    reading.observations.append(Observation(flt, amount, ref(grid, row, col), what, slack, shown, layout.unit))


def add_missing_rows(sides: tuple[Side, ...], seen: list[list[RowRead]], layout: Layout, reading: Reading) -> None:
    """Rows a `where` left out: the codes (or projects) met elsewhere that this side does not list have
    no amount under its filter — an observation of zero."""
    grid = layout.found.grid
    for side, rows in zip(sides, seen):
        for spec in side.rows:
            if spec.where is None or spec.kind not in ("functions", "projects"):
                continue
            present = {r.code or r.label for r in rows if r.spec is spec}
            if spec.kind == "projects":
                keys = [("project", p) for p in dict.fromkeys(reading.codes.get("project", ()))]
            else:
                levels = spec.options["functions"].get("levels", [1, 2, 3]) if isinstance(spec.options["functions"], dict) else [1, 2, 3]
                widths = {(3, 5, 7)[lv - 1] for lv in levels}
                keys = [("code", c) for c in dict.fromkeys(reading.codes.get("function", ())) if len(c) in widths]
            for key, value in keys:
                if value in present:
                    continue
                coordinates = {"project": value} if key == "project" else {"axis": "function", "code": value}
                flt = combine(side.filter, spec.where, spec.filter, make_filter(coordinates))
                if flt is not None:
                    reading.observations.append(Observation(flt, Decimal(0), f"{grid.name.strip()}（没有“{value}”一行）",
                                                            f"{value}（表中无此行，即无金额）", Decimal(0), "（无此行）", layout.unit))
