"""Stage 6b — one 项目支出绩效目标表 per project, laid out as the seed's (8 grid columns).

Column use: 0 row labels · 1 一级指标 · 2–4 实施期 二级/三级/指标值 · 5–7 年度 二级/三级/指标值.
The pack gives the title and the 二级指标 every table shows under each 一级 (empty ones get a blank
row); the indicators themselves come from the YAML, each cell with its full text.
"""
from __future__ import annotations

from pypinyin import Style, lazy_pinyin

from .docmodel import Cell, Paragraph, Table
from .model import Budget, Performance, Project
from .money import format_yuan

WIDTHS = (22, 16, 19, 24, 19, 18, 22, 16)
FUNDING_LINES = (("其中:中央财政资金", "central"), ("省级财政资金", "provincial"),
                 ("市县(区)财政资金", "local"), ("单位自筹", "self_raised"), ("其他资金", "other"))
TEXT_LINES = (("项目概况", "overview"), ("立项依据", "basis"), ("项目设立必要性", "necessity"),
              ("保证项目实施的制度、措施", "safeguards"), ("项目实施计划", "plan"))


def c(text: str = "", colspan: int = 1, rowspan: int = 1, align: str = "center") -> Cell:
    return Cell(text, align=align, colspan=colspan, rowspan=rowspan)


def yuan(value) -> str:
    return "" if value is None else format_yuan(value)


def ordered_projects(projects, order: str) -> list:
    """Projects with a 绩效目标表, in the pack's order ("pinyin" of the name, or "budget" as listed)."""
    published = [p for p in projects if p.performance]
    if order == "pinyin":
        return sorted(published, key=lambda p: [s.lower() for s in lazy_pinyin(p.performance.name, style=Style.NORMAL)])
    return published


def performance_blocks(budget: Budget, pack: dict) -> list:
    """Title, subtitle and table for every published project."""
    settings = pack["performance"]
    blocks: list = []
    for project in ordered_projects(budget.projects, pack.get("performance_order", "budget")):
        blocks.append(Paragraph(settings["title"], "form_title", keep_with_next=True))
        blocks.append(Paragraph(settings["subtitle"].format(year=budget.year), "form_subtitle", keep_with_next=True))
        blocks.append(performance_table(budget, project, settings["level2"]))
    return blocks


def performance_table(budget: Budget, project: Project, level2: dict) -> Table:
    perf = project.performance
    rows = head_rows(budget, perf) + funding_rows(perf) + text_rows(perf) + goal_rows(perf)
    rows += indicator_rows(perf, level2) + (contact_row(perf),)
    return Table(widths_mm=WIDTHS, header=(), body=tuple(rows), font_size_pt=9)


def head_rows(budget: Budget, perf: Performance) -> tuple:
    unit = budget.unit
    return (
        (c("项目名称", 2), c(perf.name, 6, align="left")),
        (c("主管部门及代码", 2), c(f"{unit.department_code}-{unit.department_name}", 2, align="left"),
         c("实施单位"), c(unit.name, 3, align="left")),
        (c("项目属性", 2), c(perf.attribute, 2, align="left"), c("项目期"), c(perf.period, 3, align="left")),
    )


def funding_rows(perf: Performance) -> tuple:
    first = (c("项目资金\n（元）", rowspan=6), c("实施期资金总额:", 2), c(yuan(perf.period_total), align="right"),
             c("年度资金总额:", 2), c(yuan(perf.annual_total), 2, align="right"))
    rest = tuple((c(label, 2), c(yuan(getattr(perf.period_funding, key)), align="right"),
                  c(label, 2), c(yuan(getattr(perf.annual_funding, key)), 2, align="right"))
                 for label, key in FUNDING_LINES)
    return (first,) + rest


def text_rows(perf: Performance) -> tuple:
    return tuple((c(label, 2), c(perf.texts[key], 6, align="left")) for label, key in TEXT_LINES)


def goal_rows(perf: Performance) -> tuple:
    return (
        (c("总体目标", rowspan=2), c("实施期目标", 4), c("年度目标", 3)),
        (c(perf.texts["goal_period"], 4, align="left"), c(perf.texts["goal_annual"], 3, align="left")),
    )


def indicator_groups(perf: Performance, level2: dict) -> list:
    """[(一级, [(二级, [indicators])])] — the pack's 二级 in its order, then any others the YAML names."""
    groups = []
    for first, seconds in level2.items():
        own = [i for i in perf.indicators if i.level1 == first]
        names = list(seconds) + [i.level2 for i in own if i.level2 not in seconds]
        groups.append((first, [(n, [i for i in own if i.level2 == n]) for n in dict.fromkeys(names)]))
    return groups


def indicator_rows(perf: Performance, level2: dict) -> tuple:
    groups = indicator_groups(perf, level2)
    height = sum(max(len(items), 1) for _, seconds in groups for _, items in seconds)
    rows = [(c("绩效指标", rowspan=height + 1), c("一级指标"), c("二级指标"), c("三级指标"), c("指标值"),
             c("二级指标"), c("三级指标"), c("指标值"))]
    for first, seconds in groups:
        first_cell = c(first, rowspan=sum(max(len(items), 1) for _, items in seconds))
        for n, (second, items) in enumerate(seconds):
            rows += second_rows(second, items, first_cell if n == 0 else None)
    return tuple(rows)


def second_rows(second: str, items: list, first_cell: Cell | None) -> list:
    span = max(len(items), 1)
    rows = []
    for k in range(span):
        ind = items[k] if items else None
        cells = [first_cell] if (k == 0 and first_cell) else []
        cells += [c(second, rowspan=span)] if k == 0 else []
        cells += [c(ind.name if ind else "", align="left"), c(ind.value if ind else "")]
        cells += [c(second, rowspan=span)] if k == 0 else []
        cells += [c(ind.annual_name if ind else "", align="left"), c(ind.annual_value if ind else "")]
        rows.append(tuple(cells))
    return rows


def contact_row(perf: Performance) -> tuple:
    k = perf.contact
    return (c("负责人:"), c(k["head"]), c("经办人:"), c(k["clerk"]), c("联系电话:"), c(k["phone"]),
            c("填报日期:"), c(k["date"]))
