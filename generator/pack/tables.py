"""Tables are views declared in the pack (DESIGN.md §10.3): tables.yaml says which rows and columns a
table has; this module turns a declaration and a unit's facts into the table's cells.

A table has one side (`columns`, `head`, `rows`, `foot`) or two (`sides`, e.g. 收入 | 支出); each row
and each column is a filter over the facts, and a cell is the sum of the facts both match (and the
table's and the side's own `filter`), shown in the table's money format. Row sets:

    functions   the 类/款/项 rows the unit uses (levels, where)       economic   the economic 类/款 rows
    classes     the 类 of the catalogue: all of them or those in use   sources    one row per fund source
    projects    one row per project (where)                            income     the rows of an income axis
    units       one row per unit of a department                       label      a fixed row with its own filter
    total       a row over everything the columns show                 blank      empty rows

`where` keeps only the rows with an amount under a measure; `if_any` shows a fixed row only when
the side's other rows are not all missing. Nothing here is specific to one table or one region.
"""
from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.analysis.cube import FactSet, Filter, combine, make_filter
from generator.core.catalogue import Catalogue
from generator.core.money import MoneyFormat
from generator.docmodel import Align, Cell

ROW_SETS = ("functions", "economic", "classes", "sources", "projects", "income", "units", "label", "total", "blank")
TEXT_COLUMNS = ("label", "code", "code.类", "code.款", "code.项", "name", "gov_name")


@dataclass(frozen=True)
class Column:
    key: str                        # a TEXT_COLUMNS key, or "" for a figure
    measure: Filter | None = None   # a figure's filter


@dataclass(frozen=True)
class RowSpec:
    kind: str                       # one of ROW_SETS
    options: Mapping[str, Any] = field(default_factory=dict)
    where: Filter | None = None     # keep the rows with an amount under this filter
    filter: Filter = ()             # a fixed row's own filter


@dataclass(frozen=True)
class Side:
    columns: tuple[Column, ...]
    head: tuple[RowSpec, ...]
    rows: tuple[RowSpec, ...]
    foot: tuple[RowSpec, ...]
    filter: Filter = ()


@dataclass(frozen=True)
class Row:
    """A row before it is laid out: its texts by column key, its filter, how its label is set."""
    texts: Mapping[str, str]
    filter: Filter | None           # None: no figures (a blank row, 年终结转)
    align: Align = "left"
    bold: bool = False
    span: bool = False              # the label spans every text column


BLANK = Row({}, None)


@dataclass(frozen=True)
class Context:
    """What a table body is made from: the facts, the unit, the catalogue, the display settings."""
    facts: FactSet
    unit_name: str
    year: int
    catalogue: Catalogue
    units: tuple[tuple[str, str], ...] = ()        # (slug, name) of a department's units


class DeclarationError(ValueError):
    """A table declaration the facts cannot answer; `path` is where it stands in the table's YAML."""

    def __init__(self, message: str, path: tuple = ()):
        super().__init__(message)
        self.path = path


def at_path(path: tuple, make, *args):
    """`make(*args)`, its errors placed at `path` (the innermost place wins)."""
    try:
        return make(*args)
    except DeclarationError as exc:
        raise DeclarationError(str(exc), path + exc.path) from None
    except (ValueError, KeyError) as exc:
        message = f"引用了未知的指标“{exc.args[0]}”" if isinstance(exc, KeyError) else str(exc)
        raise DeclarationError(message, path) from None


def column_of(spec: Any, measures: Mapping[str, Filter]) -> Column:
    """A column from its declaration: a text key, or a figure ({measure: name, <coordinate>: …})."""
    if isinstance(spec, str):
        return Column(spec)
    return Column("", measure_of(spec, measures))


def measure_of(spec: Mapping[str, Any], measures: Mapping[str, Filter]) -> Filter:
    """{measure: name, source: …} → the named measure narrowed by the other coordinates."""
    narrow = {k: v for k, v in spec.items() if k != "measure"}
    if "measure" in spec and not isinstance(spec["measure"], str):
        raise ValueError(f"measure 只写一个指标的名字，这里写的是 {spec['measure']}；几个指标之和请在 pack.yaml 的 measures 中定义")
    base = measures[spec["measure"]] if "measure" in spec else ()
    combined = combine(base, make_filter(narrow))
    if combined is None:
        raise ValueError(f"{spec} 的坐标互相矛盾，没有数据能同时满足")
    return combined


# The fields each kind of row offers its label (labelled; a label or total row: its own text).
ROW_FIELDS = {"functions": ("code", "name", "n", "cn"), "economic": ("code", "name", "n", "cn"),
              "classes": ("code", "name", "order", "n", "cn"), "sources": ("source", "n", "cn"),
              "projects": ("name", "n", "cn"), "income": ("code", "name", "n", "cn"), "units": ("name", "slug", "n", "cn"),
              "label": ("unit", "year"), "total": ("unit", "year"), "blank": ()}


def row_spec_of(spec: Mapping[str, Any], measures: Mapping[str, Filter]) -> RowSpec:
    kind = next(k for k in ROW_SETS if k in spec)
    text_key = kind if kind in ("label", "total") else "label"
    if isinstance(spec.get(text_key), str):
        wrong = bad_fields(spec[text_key], list(ROW_FIELDS[kind]))
        if wrong:
            raise DeclarationError(f"{kind} 行的文字“{spec[text_key]}”中{wrong}；这种行可用的字段："
                                   f"{'、'.join('{' + f + '}' for f in ROW_FIELDS[kind]) or '无'}", (text_key,))
    if kind == "sources" and "labels" in spec and len(spec["labels"]) != len(spec["sources"]):
        raise ValueError(f"资金来源行有 {len(spec['sources'])} 个（{'、'.join(spec['sources'])}），"
                         f"labels 却有 {len(spec['labels'])} 个；二者应一一对应")
    if kind == "sources":
        make_filter({"source": spec["sources"]})    # an unknown source: ValueError, at this row
    where = measure_of(spec["where"], measures) if "where" in spec else None
    flt = measure_of(spec["filter"], measures) if "filter" in spec else ()
    return RowSpec(kind, spec, where, flt)


def side_of(spec: Mapping[str, Any], measures: Mapping[str, Filter]) -> Side:
    def rows(key: str) -> tuple[RowSpec, ...]:
        return tuple(at_path((key, i), row_spec_of, r, measures) for i, r in enumerate(spec.get(key, ())))
    columns = tuple(at_path(("columns", i), column_of, c, measures) for i, c in enumerate(spec["columns"]))
    return Side(columns, rows("head"), rows("rows"), rows("foot"), at_path(("filter",), measure_of, spec.get("filter", {}), measures))


ONE_SIDE_KEYS = ("columns", "head", "rows", "foot")     # what a one-sided table declares itself, a two-sided one in each side


def sides_of(spec: Mapping[str, Any], measures: Mapping[str, Filter]) -> tuple[Side, ...]:
    """The sides of a table declaration (a one-sided table declares its columns and rows itself);
    DeclarationError with the place of what is wrong."""
    if "sides" not in spec and "columns" not in spec:
        raise DeclarationError("既没有 columns（列），也没有 sides（两侧）：一侧的表写 columns 和 rows，收支两侧并列的表写 sides")
    unused = [key for key in ONE_SIDE_KEYS if key in spec] if "sides" in spec else []
    if unused:
        raise DeclarationError(f"有 sides（两侧）的表，{unused[0]} 写在每一侧中；这里的 {unused[0]} 不会用到", (unused[0],))
    table_filter = at_path(("filter",), measure_of, spec.get("filter", {}), measures)
    sides = ([at_path(("sides", i), side_of, s, measures) for i, s in enumerate(spec["sides"])] if "sides" in spec
             else [side_of(spec, measures)])
    if "sides" not in spec:
        return tuple(sides)
    return tuple(Side(s.columns, s.head, s.rows, s.foot, combine(table_filter, s.filter) or ()) for s in sides)


# the rows of a row set -------------------------------------------------------------------------

def cn_ordinal(n: int) -> str:
    from generator.pack.wording import cn_num
    return cn_num(n)


def labelled(spec: RowSpec, fields: Mapping[str, Any], default: str) -> str:
    """The row's label: its pack's text (or `default`) with the fields its kind offers (ROW_FIELDS, which
    row_spec_of checks the text against), each of which `fields` has."""
    return str(spec.options.get("label", default)).format(**{name: fields[name] for name in ROW_FIELDS[spec.kind]})


def code_texts(code: str, name: str) -> dict[str, str]:
    return {"code": code, "name": name, "code.类": code[:3], "code.款": code[3:5], "code.项": code[5:7]}


def rows_of(spec: RowSpec, side: Side, ctx: Context) -> list[Row]:
    """The rows one row set gives for a unit."""
    found = [row if row.filter is None or not spec.filter else Row(row.texts, combine(spec.filter, row.filter), row.align,
                                                                   row.bold, row.span)
             for row in ROW_MAKERS[spec.kind](spec, side, ctx)]
    if spec.where is not None:
        found = [r for r in found if r.filter is not None
                 and ctx.facts.total(combine(side.filter, spec.where, r.filter) or ()) != 0]
    return found


def style(spec: RowSpec, level: int = 0) -> dict[str, Any]:
    bold = spec.options.get("bold", False)
    return {"align": spec.options.get("align", "left"),
            "bold": bool(bold is True or (isinstance(bold, list) and level in bold)),
            "span": bool(spec.options.get("span", False))}


def coded_rows(axis: str, widths: tuple[int, ...]):
    def make(spec: RowSpec, side: Side, ctx: Context) -> list[Row]:
        levels = spec.options[spec.kind].get("levels", list(range(1, len(widths) + 1))) if isinstance(
            spec.options[spec.kind], Mapping) else list(range(1, len(widths) + 1))
        codes = sorted({c[:widths[lv - 1]] for c in ctx.facts.codes.get(axis, ()) for lv in levels
                        if len(c) >= widths[lv - 1]})
        rows = []
        for n, code in enumerate(codes, 1):
            name = ctx.facts.name(axis, code)
            level = widths.index(len(code)) + 1
            texts = code_texts(code, name)
            texts["label"] = labelled(spec, {"code": code, "name": name, "n": n, "cn": cn_ordinal(n)}, "{name}")
            texts["gov_name"] = ctx.facts.name(f"{axis}_gov", code)
            rows.append(Row(texts, make_filter({"axis": axis, "code": code}), **style(spec, level)))
        return rows
    return make


def class_rows(spec: RowSpec, side: Side, ctx: Context) -> list[Row]:
    used = {c[:3] for c in ctx.facts.codes.get("function", ())}
    classes = [c for c in ctx.catalogue.function_classes if spec.options["classes"] == "all" or c.code in used]
    rows = []
    for n, c in enumerate(classes, 1):
        texts = code_texts(c.code, c.name)
        texts["label"] = labelled(spec, {"code": c.code, "name": c.name, "order": c.order_cn, "n": n,
                                         "cn": cn_ordinal(n)}, "{name}")
        rows.append(Row(texts, make_filter({"axis": "function", "code": c.code}), **style(spec)))
    return rows


def source_rows(spec: RowSpec, side: Side, ctx: Context) -> list[Row]:
    labels = spec.options.get("labels") or [None] * len(spec.options["sources"])
    return [Row({"label": own if own is not None else labelled(spec, {"source": s, "n": n, "cn": cn_ordinal(n)}, "{source}")},
                make_filter({"source": s}), **style(spec))
            for n, (s, own) in enumerate(zip(spec.options["sources"], labels), 1)]


def project_rows(spec: RowSpec, side: Side, ctx: Context) -> list[Row]:
    names = dict.fromkeys(f.project for f in ctx.facts.facts if f.project)
    names.update(dict.fromkeys(ctx.facts.codes.get("project", ())))
    ordered = [p for p in ctx.facts.codes.get("project", ())] or list(names)
    return [Row({"label": labelled(spec, {"name": p, "n": n, "cn": cn_ordinal(n)}, "{name}"), "name": p},
                make_filter({"project": p}), **style(spec))
            for n, p in enumerate(ordered, 1)]


def income_rows(spec: RowSpec, side: Side, ctx: Context) -> list[Row]:
    axis = spec.options["income"]
    rows = []
    for n, code in enumerate(ctx.facts.codes.get(axis, ()), 1):
        name = ctx.facts.name(axis, code)
        texts = {**code_texts(code, name), "label": labelled(spec, {"code": code, "name": name, "n": n,
                                                                    "cn": cn_ordinal(n)}, "{name}")}
        rows.append(Row(texts, make_filter({"axis": axis, "code": code}), **style(spec)))
    return rows


def unit_rows(spec: RowSpec, side: Side, ctx: Context) -> list[Row]:
    return [Row({"label": labelled(spec, {"name": name, "slug": slug, "n": n, "cn": cn_ordinal(n)}, "{name}"),
                 "name": name}, make_filter({"unit": slug}), **style(spec))
            for n, (slug, name) in enumerate(ctx.units, 1)]


def fixed_row(spec: RowSpec, side: Side, ctx: Context) -> list[Row]:
    label = str(spec.options.get(spec.kind, "")).format(**{name: {"unit": ctx.unit_name, "year": ctx.year}[name]
                                                           for name in ROW_FIELDS[spec.kind]})
    figures = spec.options.get("figures", True)
    return [Row({"label": label}, () if figures else None, **style(spec))]


def blank_rows(spec: RowSpec, side: Side, ctx: Context) -> list[Row]:
    return [BLANK] * int(spec.options["blank"])


ROW_MAKERS = {
    "functions": coded_rows("function", (3, 5, 7)), "economic": coded_rows("economic", (3, 5)),
    "classes": class_rows, "sources": source_rows, "projects": project_rows, "income": income_rows,
    "units": unit_rows, "label": fixed_row, "total": fixed_row, "blank": blank_rows,
}


# laying the rows out ---------------------------------------------------------------------------

def side_rows(side: Side, ctx: Context) -> tuple[list[Row], list[Row], list[Row]]:
    body = [row for spec in side.rows for row in rows_of(spec, side, ctx)]
    def fixed(specs: tuple[RowSpec, ...]) -> list[Row]:
        return [row for spec in specs if body or not spec.options.get("if_any") for row in rows_of(spec, side, ctx)]
    return fixed(side.head), body, fixed(side.foot)


def cells_of(row: Row, side: Side, ctx: Context, money: MoneyFormat) -> list[Cell]:
    text_keys = [c.key for c in side.columns if c.key]
    cells: list[Cell] = []
    for column in side.columns:
        if column.key:
            first = column.key == text_keys[0]      # the label's cell: it takes the row's alignment and weight
            text = row.texts.get(column.key, row.texts.get("label", "") if first else "")
            if row.span and not first:
                continue
            colspan = len(text_keys) if row.span and first else 1
            cells.append(Cell(text, align=row.align, bold=row.bold, colspan=colspan) if first else Cell(text))
        else:
            flt = combine(side.filter, column.measure or (), row.filter) if row.filter is not None else None
            amount = ctx.facts.total(flt) if flt is not None else None
            cells.append(Cell(money.format(amount) if amount is not None else "", align="right", amount=amount))
    return cells


def pad(rows: list[Row], length: int) -> list[Row]:
    return rows + [BLANK] * (length - len(rows))


def table_body(sides: tuple[Side, ...], ctx: Context, money: MoneyFormat, min_rows: int = 0) -> tuple[tuple[Cell, ...], ...]:
    """Every body row of the table, its sides side by side."""
    parts = [side_rows(side, ctx) for side in sides]
    body: list[tuple[Cell, ...]] = []
    for section in range(3):
        length = max([len(p[section]) for p in parts] + ([min_rows] if section == 1 else []))
        if section == 1 and not any(p[1] for p in parts) and length == 0:
            continue
        columns = [pad(p[section], length) for p in parts]
        for n in range(length):
            body.append(tuple(cell for side, rows in zip(sides, columns) for cell in cells_of(rows[n], side, ctx, money)))
    return tuple(body)


def has_figures(body: tuple[tuple[Cell, ...], ...]) -> bool:
    return any(cell.text for row in body for cell in row if cell.align == "right")


def bad_fields(text: str, allowed: list[str]) -> str:
    """What is wrong with a format string ("" when nothing is)."""
    try:
        parsed = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        return f"花括号不成对（{exc}）"
    unknown = [name for name, _, _ in parsed if name not in allowed]
    if unknown:
        return f"的字段 {{{unknown[0]}}} 不可用"
    dressed = [(name, spec, conv) for name, spec, conv in parsed if spec or conv]
    if dressed:
        name, spec, conv = dressed[0]
        return f"的字段 {{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}} 带了转换或格式；字段只写名字，如 {{{name}}}"
    return ""
