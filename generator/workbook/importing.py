"""Read a budget system's workbook back into a unit's leaves (DESIGN.md §10.6), through the pack.

    read_workbook → find_tables (which sheet is which table) → layout_of (header, columns, unit)
    → read_table (each figure cell an observation: the declared filter and the amount in 元)
    → solve (which leaf each cell sets; every 合计 checked) → unit_parts (the unit file's parts,
    each value with its cells)

Nothing is guessed silently: a value the tables give only as part of a sum is marked 待填写, a
formula without its value is an error, a 万元 sheet's rounding tails are said to be tails.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.core.catalogue import load_catalogue
from generator.core.money import MoneyFormat, format_yuan
from generator.core.places import pack_names
from generator.core.problems import Problem, UsageError
from generator.pack.loading import Pack, load_pack
from generator.workbook.grid import Grid, read_workbook
from generator.workbook.leaves import Parts, slots_of, source_classes, unit_parts
from generator.workbook.locate import Layout, find_tables, layout_of, sheet_title
from generator.workbook.observe import Observation, Reading, exact_wan, read_table
from generator.workbook.problems import at_ref, in_book
from generator.workbook.solve import Solution, solve


@dataclass
class Imported:
    """What a workbook gave: the unit's table parts with their comments, and every problem."""
    book: str
    pack: Pack
    year: int | None
    unit_name: str
    data: dict = field(default_factory=dict)
    parts: Parts = field(default_factory=Parts)
    problems: list[Problem] = field(default_factory=list)
    rounded: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)      # the workbook's sheet names, in its order
    kind: str = ""                        # the unit's kind when 表十一 tells it (事业单位)
    kind_note: str = ""


def header_years(grid: Grid) -> list[int]:
    """Years written in a sheet's first rows (“2026年预算数”): the budget year when no title names it."""
    return [int(y) for (r, _), v in grid.cells.items() if r < 12 and isinstance(v, str) for y in re.findall(r"(20\d\d)年", v)]


def choose_pack(grids: list[Grid], name: str | None) -> Pack:
    """The pack named, or the one whose table titles the workbook's sheets carry most."""
    if name:
        return load_pack(name)
    scores = []
    for candidate in pack_names():
        try:
            pack = load_pack(candidate)
        except Exception:  # noqa: BLE001 — a pack that does not load is not a candidate
            continue
        found = {t[0].id for g in grids if (t := sheet_title(g, pack.tables))}
        scores.append((len(found) / max(len(pack.tables), 1), len(found), candidate))
    scores.sort(reverse=True)
    if not scores or scores[0][1] == 0:
        raise UsageError("无法判断工作簿属于哪个模板包（工作表中没有找到任何模板包的报表标题）；请用 --pack 指定，"
                         f"可用：{'、'.join(pack_names())}")
    if len(scores) > 1 and scores[1][:2] == scores[0][:2]:
        raise UsageError(f"工作簿的报表标题与模板包 {scores[0][2]} 和 {scores[1][2]} 同样相符；请用 --pack 指定")
    return load_pack(scores[0][2])


def import_workbook(path: Path, pack_name: str | None = None, book: str | None = None) -> Imported:
    book = book or path.name
    grids = read_workbook(path)
    pack = choose_pack(grids, pack_name)
    found, problems = find_tables(grids, pack.tables, book)
    years = [f.year for f in found if f.year] or [y for f in found for y in header_years(f.grid)]
    year = max(sorted(set(years)), key=years.count) if years else None
    layouts: list[Layout] = []
    unit_name = ""
    for f in found:
        layout, found_problems = layout_of(f, year or 0, pack.settings["unit_name_label"], book)
        problems += found_problems
        if layout is not None:
            layouts.append(layout)
            unit_name = unit_name or layout.unit_name
    result = Imported(book, pack, year, unit_name, problems=problems, sheets=[g.name.strip() for g in grids])
    if year is None:
        result.problems.append(in_book(book, "没有从报表标题中读出预算年度（如“2026年预算收支总表”）"))
    reading = Reading([], {}, {}, [], [], exact=exact_wan(layouts))
    catalogue = load_catalogue()
    for layout in layouts:
        read_table(layout, year or 0, catalogue, unit_name, book, reading)
    reading.finish()
    result.problems += reading.problems
    result.rounded = reading.rounded
    classes = source_classes(pack, layouts)
    sources = list(dict.fromkeys(classes.values()))
    kept: list[Observation] = []
    kind_obs: list[Observation] = []
    for ob in reading.observations:
        (kind_obs if any(k == "unit_kind" for k, _ in ob.flt) else kept).append(with_sources(ob, classes))
    solution = solve(kept, slots_of(reading, pack, sources))
    result.problems += solution_problems(solution, book)
    result.data, result.parts = unit_parts(solution, reading, pack, sources)
    result.problems += economic_gaps(solution, kept, book, result.parts)
    result.kind, result.kind_note = unit_kind(solution, kind_obs, book, result.problems)
    return result


def workbook_order(imported: Imported) -> list[Problem]:
    """The problems in the workbook's order: the book's own, then by sheet, row and column."""
    def key(problem: Problem) -> tuple:
        place = problem.pos.file[len(imported.book) + 1:] if problem.pos.file.startswith(imported.book + ":") else ""
        sheet, _, cell = place.partition("!")
        sheet = sheet.split("（")[0]
        index = imported.sheets.index(sheet) if sheet in imported.sheets else (-1 if not sheet else len(imported.sheets))
        letters = "".join(ch for ch in cell if ch.isalpha())
        digits = "".join(ch for ch in cell if ch.isdigit())
        return (index, int(digits or 0), len(letters), letters)
    return sorted(imported.problems, key=key)


def with_sources(ob: Observation, classes: dict[str, str]) -> Observation:
    """The observation's sources as the tables tell them apart (a class read as its representative)."""
    flt = tuple((k, tuple(dict.fromkeys(classes.get(v, v) for v in values)) if k == "source" else values) for k, values in ob.flt)
    return Observation(flt, ob.amount, ob.ref, ob.what, ob.slack, ob.shown, ob.unit)


def shown(amount: Decimal, unit: str) -> str:
    money = MoneyFormat(unit, 2 if unit == "元" else 6, True, "0")
    text = money.format(amount)
    if unit == "万元":
        text = text.rstrip("0").rstrip(".") if "." in text else text
        whole, _, fraction = text.partition(".")
        text = whole + "." + fraction.ljust(2, "0")
    return text + unit


def solution_problems(solution: Solution, book: str) -> list[Problem]:
    problems = []
    for ob, derived, sources in solution.conflicts:
        origin = (f"由{'、'.join(sources)}" if len(sources) <= 3 else f"由各表明细（{len(sources)}个单元格）"
                  ) if sources else "按其他各表"
        problems.append(at_ref(book, ob.ref, f"{ob.what}：表中为 {shown(ob.amount, ob.unit)}，{origin}推算应为 "
                                             f"{shown(derived, ob.unit)}（相差 {shown(ob.amount - derived, ob.unit)}）"))
    for ob in solution.unplaced:
        problems.append(at_ref(book, ob.ref, f"{ob.what}：{shown(ob.amount, ob.unit)} 对应不到任何末级数据（其他各表没有这个科目或项目）"))
    by_sheet: dict[str, list[tuple[Observation, Decimal]]] = {}
    for ob, derived in solution.tails:
        by_sheet.setdefault(ob.ref.split("!")[0], []).append((ob, derived))
    for sheet, tails in by_sheet.items():
        listed = "；".join(f"{ob.ref.split('!')[1]} {ob.what} 表中 {shown(ob.amount, ob.unit)}，各行合计 {shown(d, ob.unit)}"
                          for ob, d in tails[:3])
        problems.append(at_ref(book, tails[0][0].ref, f"{sheet} 的金额为万元两位小数，合计与各行之和有四舍五入的尾差（{listed}"
                                                      f"{'等' if len(tails) > 3 else ''}），不作为错误；这样的表不含百元以下的尾数",
                               "info"))
    return problems


def economic_gaps(solution: Solution, observations: list[Observation], book: str, parts: Parts) -> list[Problem]:
    """基本支出 by function and by economic 款 must agree for each fund source. Where the tables show
    the source's economic rows (表六), a difference is the workbook's error, at the economic table's
    合计; where they do not (表六 lists 一般公共预算 only), the economic rows are for the unit to fill in."""
    problems = []
    for source in sorted({s[2] for s in solution.leaves if s.axis == "function" and s[3] == "基本" and s[5] == "本年"}):
        by_function = sum((v.amount for s, v in solution.leaves.items()
                           if s.axis == "function" and s[3] == "基本" and s[5] == "本年" and s[2] == source), Decimal(0))
        by_economic = sum((v.amount for s, v in solution.leaves.items() if s.axis == "economic" and s[2] == source), Decimal(0))
        if by_function == by_economic:
            continue
        shown_here = [ob for ob in observations if dict(ob.flt).get("axis") == ("economic",) and source in dict(ob.flt).get("source", ())
                      and "code" not in dict(ob.flt)]
        leaves = sum(1 for s in solution.leaves if s[2] == source and (s.axis == "economic" or s[3] == "基本"))
        if shown_here and abs(by_function - by_economic) <= shown_here[0].slack * leaves:
            continue                          # a rounding tail of 万元 sheets: the written file's check says so
        if shown_here:
            ob = shown_here[0]
            problems.append(at_ref(book, ob.ref, f"{ob.what}：经济分类的基本支出（{source}）合计 {shown(by_economic, ob.unit)}，"
                                                 f"而按功能分类为 {shown(by_function, ob.unit)}；二者应相等"))
        else:
            note = (f"待填写：{source}安排的基本支出 {format_yuan(by_function - by_economic)} 元在报表的经济分类中没有"
                    f"（报表只列出其他资金来源的经济科目），请按部门经济科目补上")
            parts.notes[("basic", "by_economic")] = "；".join(filter(None, [parts.notes.get(("basic", "by_economic")), note]))
    return problems


def unit_kind(solution: Solution, kind_obs: list[Observation], book: str, problems: list[Problem]) -> tuple[str, str]:
    """What 表十一 (机关运行经费, which only 行政 and 参公 units report) says of the unit's kind."""
    from generator.workbook.solve import matches
    said = ""
    for ob in kind_obs:
        flt = tuple((k, v) for k, v in ob.flt if k != "unit_kind")
        derived = sum((leaf.amount for s, leaf in solution.leaves.items() if matches(s, flt)), Decimal(0))
        if ob.amount == 0 and derived:
            said = said or "事业单位"
        elif ob.amount and abs(ob.amount - derived) > ob.slack * 2:
            problems.append(at_ref(book, ob.ref, f"{ob.what}：表中为 {shown(ob.amount, ob.unit)}，由各表公用经费推算应为 "
                                                 f"{shown(derived, ob.unit)}"))
        elif ob.amount:
            said = said or "office"
    if said == "事业单位":
        return "事业单位", f"{kind_obs[0].ref.split('!')[0]} 没有机关运行经费而有公用经费：事业单位"
    if said == "office":
        return "", "待填写：单位性质（行政单位或参照公务员法管理事业单位：报表有机关运行经费）"
    return "", "待填写：单位性质（行政单位、参照公务员法管理事业单位或事业单位，报表中没有）"
