"""What a pack's tables can tell apart, and the leaves found written as a unit file's parts.

    source_classes  the fund sources the tables can tell apart: sources that every declared filter
                    names together are one (Shanxi shows 单位资金 whole, so its parts are 单位资金;
                    Shanghai's “其他收入” column holds four sources: they are read as 其他收入, the
                    source its header names)
    slots_of        every leaf the workbook could hold: the codes, projects and income rows it names
                    × the sources the tables tell apart × what the model allows on each axis
    unit_parts      the leaves as the unit file's basic / projects / three_public / income, each
                    value with the cells it came from (the comments of the file)
"""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from generator.analysis.cube import CATEGORIES, PERIODS, Filter, combine
from generator.core.model import FUND_SOURCES, SOURCES, THREE_PUBLIC_PARTS
from generator.pack.loading import Pack
from generator.workbook.locate import Layout, norm
from generator.workbook.observe import Reading
from generator.workbook.solve import Leaf, Slot, Solution, slot


def declared_filters(pack: Pack) -> Iterator[Filter]:
    for decl in pack.tables:
        for side in decl.sides:
            yield side.filter
            for column in side.columns:
                yield column.measure or ()
            for spec in side.head + side.rows + side.foot:
                yield spec.filter
                if spec.where is not None:
                    yield spec.where


def source_classes(pack: Pack, layouts: list[Layout]) -> dict[str, str]:
    """Each fund source -> the source it is read as (its class's representative)."""
    named = [tuple(values) for flt in declared_filters(pack) for key, values in flt if key == "source"]
    classes: dict[tuple[bool, ...], list[str]] = {}
    for source in FUND_SOURCES:
        classes.setdefault(tuple(source in group for group in named), []).append(source)
    headers = {norm(m.header.split("/")[-1]) for layout in layouts for m in layout.columns if not m.column.key}
    chosen = {}
    for members in classes.values():
        group = next((g for g, leaves in SOURCES.groups.items() if set(leaves) == set(members) and g in FUND_SOURCES), None)
        by_header = next((m for m in members if norm(m) in headers), None)
        representative = group or by_header or members[0]
        chosen.update(dict.fromkeys(members, representative))
    return chosen


def splits_categories(pack: Pack) -> bool:
    """Whether the pack's tables show function rows by 人员经费/公用经费 (上海 表1): then each 项's
    基本支出 is written as personnel and public."""
    for decl in pack.tables:
        for side in decl.sides:
            for column in side.columns:
                keys = dict(combine(side.filter, column.measure or ()) or ())
                if "category" in keys and keys.get("axis", ("function",)) != ("economic",):
                    return True
    return False


def project_codes(reading: Reading, functions: list[str]) -> list[str]:
    """The 项 a project may be in: those whose 项目支出 a table shows as not zero (a 项 whose 项目支出
    cell is blank everywhere has no project), or every 项 when no table shows 项目支出 by 项."""
    shown: dict[str, bool] = {}
    for ob in reading.observations:
        flt = dict(ob.flt)
        codes = flt.get("code", ())
        if flt.get("nature") == ("项目",) and "project" not in flt and len(codes) == 1 and len(codes[0]) == 7:
            shown[codes[0]] = shown.get(codes[0], False) or bool(ob.amount)
    return [c for c in functions if shown.get(c, True)] if shown else functions


def slots_of(reading: Reading, pack: Pack, sources: list[str]) -> list[Slot]:
    codes = {axis: list(dict.fromkeys(c for c in reading.codes.get(axis, ()))) for axis in reading.codes}
    functions = [c for c in codes.get("function", []) if len(c) == 7]
    projects = list(dict.fromkeys(codes.get("project", [])))
    in_projects = set(project_codes(reading, functions))
    categories = CATEGORIES if splits_categories(pack) else ("",)
    has_project_rows = any(spec.kind == "projects" for d in pack.tables for side in d.sides for spec in side.rows)
    found: list[Slot] = []
    for code in functions:
        for source in sources:
            for period in PERIODS:
                found += [slot("function", code, source, "基本", c, period) for c in categories]
                if has_project_rows:
                    found += [slot("function", code, source, "项目", "", period, p) for p in projects if code in in_projects]
                else:
                    found.append(slot("function", code, source, "项目", "", period))
    for code in (c for c in codes.get("economic", []) if len(c) == 5):
        found += [slot("economic", code, source, "基本", c) for source in sources for c in CATEGORIES]
    for part in THREE_PUBLIC_PARTS:
        found += [slot("three_public", part, source) for source in sources]
    found += [slot("fund_income", c, "政府性基金预算") for c in codes.get("fund_income", [])]
    found += [slot("state_capital_income", c, "国有资本经营预算") for c in codes.get("state_capital_income", [])]
    found += [slot("procurement", k) for k in ("goods", "works", "services")]
    return found


# the unit file's parts ---------------------------------------------------------------------------

class Parts:
    """The data of the tables' leaves and the comment of each value (its cells)."""

    def __init__(self) -> None:
        self.notes: dict[tuple, str] = {}

    def note(self, path: tuple, leaves: list[Leaf], extra: str = "") -> None:
        refs = "、".join(dict.fromkeys(r for leaf in leaves for r in leaf.refs))
        unsettled = [leaf for leaf in leaves if not leaf.settled]
        text = refs
        if unsettled:
            text = f"待填写：{extra or '报表只给出合计，此处的分列由导入时按顺序推定'}，请核对（{refs}）"
        if text:
            self.notes[path] = text


def funds_of(leaves: dict[tuple, Leaf], keys: list[tuple]) -> tuple[dict[str, Decimal], list[Leaf]]:
    """{source: amount} of the leaves at `keys` (each key ends with the source)."""
    amounts, used = {}, []
    for key in keys:
        leaf = leaves.get(key)
        if leaf is not None:
            amounts[key[2]] = leaf.amount
            used.append(leaf)
    return amounts, used


def in_order(sources: list[str]) -> list[str]:
    return [s for s in FUND_SOURCES if s in sources]


def unit_parts(solution: Solution, reading: Reading, pack: Pack, sources: list[str]) -> tuple[dict, Parts]:
    """basic, projects / project_by_function, three_public, government_fund_income, state_capital."""
    leaves = solution.leaves
    parts = Parts()
    sources = in_order(sources)
    index: dict[tuple, Leaf] = {}
    for s, leaf in leaves.items():
        index[s] = leaf
    data: dict = {"basic": {"by_function": basic_by_function(index, reading, pack, sources, parts),
                            "by_economic": basic_by_economic(index, reading, sources, parts)}}
    if any(s.project for s in leaves):
        data["projects"] = projects(index, reading, solution, sources, parts)
    else:
        data["projects"] = []
        by_function = project_by_function(index, reading, sources, parts)
        if by_function:
            data["project_by_function"] = by_function
    data["three_public"] = three_public(index, sources, parts)
    data["government_fund_income"] = income(index, reading, "fund_income", ("government_fund_income",), parts)
    data["state_capital"] = {"income": income(index, reading, "state_capital_income", ("state_capital", "income"), parts)}
    return data, parts


def put_carryover(item: dict, path: tuple, found: tuple[dict, list[Leaf]], parts: Parts) -> None:
    """A row's 上年结转 (`found`: the amounts by source and the leaves read), when it has one, with where
    it was read."""
    carry, used = found
    if carry:
        item["carryover"] = carry
        parts.note(path + ("carryover",), used)


def function_codes(leaves: dict, nature: str) -> list[str]:
    return sorted({s.code for s in leaves if s.axis == "function" and s[3] == nature})


def basic_by_function(leaves: dict, reading: Reading, pack: Pack, sources: list[str], parts: Parts) -> list[dict]:
    rows: list[dict] = []
    split = splits_categories(pack)
    for code in function_codes(leaves, "基本"):
        path = ("basic", "by_function", len(rows))
        item: dict = {"code": code, "name": reading.names.get(("function", code), "")}
        if split:
            for key, category in (("personnel", "人员经费"), ("public", "公用经费")):
                amounts, used = funds_of(leaves, [slot("function", code, s, "基本", category) for s in sources])
                if amounts:
                    item[key] = amounts
                    parts.note(path + (key,), used, "报表只有按类的人员经费、公用经费合计，各项的分列由导入时按顺序推定")
        else:
            amounts, used = funds_of(leaves, [slot("function", code, s, "基本") for s in sources])
            item["funds"] = amounts
            parts.note(path + ("funds",), used)
        put_carryover(item, path, funds_of(leaves, [slot("function", code, s, "基本", "", "上年结转") for s in sources]), parts)
        rows.append(item)
    return rows


def basic_by_economic(leaves: dict, reading: Reading, sources: list[str], parts: Parts) -> list[dict]:
    rows: list[dict] = []
    for code in sorted({s.code for s in leaves if s.axis == "economic"}):
        for category in CATEGORIES:
            amounts, used = funds_of(leaves, [slot("economic", code, s, "基本", category) for s in sources])
            if amounts:
                parts.note(("basic", "by_economic", len(rows), "funds"), used)
                rows.append({"code": code, "name": reading.names.get(("economic", code), ""), "category": category,
                             "funds": amounts})
    return rows


def projects(leaves: dict, reading: Reading, solution: Solution, sources: list[str], parts: Parts) -> list[dict]:
    rows: list[dict] = []
    for name in dict.fromkeys(reading.codes.get("project", [])):
        mine = [s for s in leaves if s.project == name]
        codes = sorted({s.code for s in mine})
        path = ("projects", len(rows))
        item: dict = {"name": name, "function": codes[0] if codes else "", "kind": "其他运转类"}
        parts.notes[path + ("kind",)] = "待填写：项目类别（其他运转类或特定目标类，报表中没有）"
        if name in solution.ambiguous:
            parts.notes[path + ("function",)] = (f"待填写：报表没有列出项目的功能科目，按各表合计可能为"
                                                 f"{'或'.join(solution.ambiguous[name])}，请核对")
        elif codes:
            parts.notes[path + ("function",)] = "由各表项目支出按功能科目的合计推定（报表没有列出项目的功能科目）"
        if len(codes) > 1:
            parts.notes[path + ("function",)] = f"待填写：按报表推得此项目分在{'、'.join(codes)}，一个项目只能有一个功能科目，请核对"
        code = codes[0] if codes else ""
        amounts, used = funds_of(leaves, [slot("function", code, s, "项目", "", "本年", name) for s in sources])
        item["funds"] = amounts
        parts.note(path + ("funds",), used)
        put_carryover(item, path, funds_of(leaves, [slot("function", code, s, "项目", "", "上年结转", name) for s in sources]), parts)
        rows.append(item)
    return rows


def project_by_function(leaves: dict, reading: Reading, sources: list[str], parts: Parts) -> list[dict]:
    rows: list[dict] = []
    for code in function_codes(leaves, "项目"):
        path = ("project_by_function", len(rows))
        amounts, used = funds_of(leaves, [slot("function", code, s, "项目") for s in sources])
        item: dict = {"code": code, "name": reading.names.get(("function", code), ""), "funds": amounts}
        parts.note(path + ("funds",), used)
        put_carryover(item, path, funds_of(leaves, [slot("function", code, s, "项目", "", "上年结转") for s in sources]), parts)
        rows.append(item)
    return rows


def three_public(leaves: dict, sources: list[str], parts: Parts) -> dict:
    data = {}
    for part in THREE_PUBLIC_PARTS:
        amounts, used = funds_of(leaves, [slot("three_public", part, s) for s in sources])
        data[part] = amounts
        parts.note(("three_public", part), used)
    return data


def income(leaves: dict, reading: Reading, axis: str, path: tuple, parts: Parts) -> list[dict]:
    rows: list[dict] = []
    for code in dict.fromkeys(reading.codes.get(axis, [])):
        leaf = next((leaf for s, leaf in leaves.items() if s.axis == axis and s.code == code), None)
        if leaf is None:
            continue
        parts.note(path + (len(rows), "amount"), [leaf])
        rows.append({"code": code, "name": reading.names.get((axis, code), ""), "amount": leaf.amount})
    return rows
