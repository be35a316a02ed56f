"""The unit's derived figures that hand-written texts are compared with (L10, L11).

``derived_figures`` is the one place the text lints read the derivation: every amount the document
can print (each 类/款/项 row, income by source, 基本/项目, 人员/公用, 三公, 机关运行经费, projects
and their 绩效目标表 funding, 政府采购, income tables, last year's figures), every change from last
year and every share — exact, in 元 or in percent. They are lookups of the facts
(analysis/figures.py): the figures of every row a table could show, of each named measure, of
last year, of projects.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.analysis.figures import FigureError, Figures
from generator.core.model import FISCAL_SOURCES, SOURCES, THREE_PUBLIC_PARTS, Budget
from generator.core.money import Change, percent

ITEM_LABELS = {"total": "收支总计", "general": "一般公共预算当年支出", "fiscal": "财政拨款", "three_public": "“三公”经费",
               "outbound": "因公出国（境）费", "reception": "公务接待费", "vehicle": "公务用车购置及运行费",
               "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费",
               "office_operation": "机关运行经费"}
ITEM_MEASURES = {"total": "total", "general": "general_budget", "fiscal": "fiscal", "three_public": "three_public",
                 "office_operation": "office_operation",
                 **{p: f"three_public.{p}" for p in ("outbound", "reception", "vehicle", "vehicle_purchase", "vehicle_operation")}}
MEASURE_LABELS = (
    ("收支总计", "total"), ("本年收入", "current"), ("上年结转", "carry"), ("基本支出", "basic"), ("项目支出", "project"),
    ("财政拨款", "fiscal"), ("财政拨款当年安排", "fiscal_current"), ("财政拨款上年结转", "fiscal_carry"),
    ("一般公共预算当年支出", "general_budget"), ("一般公共预算基本支出", "general_basic"),
    ("人员经费", "general_personnel"), ("公用经费", "general_public"), ("政府采购预算", "procurement"),
    ("“三公”经费", "three_public"), ("公务用车购置及运行费", "three_public.vehicle"), ("机关运行经费", "office_operation"),
    ("政府采购货物", "procurement.goods"), ("政府采购工程", "procurement.works"), ("政府采购服务", "procurement.services"),
    ("政府性基金预算收入", "fund_income"), ("国有资本经营预算收入", "state_capital_income"),
)
EXECUTED = "@executed"     # the item of a change from last year's 执行数 (prior_year.executed): fiscal@executed
PERIODS = (("budget", ""), ("executed", EXECUTED))


@dataclass(frozen=True)
class Figure:
    label: str            # what it is: 机关运行经费, 项目“Z专家评审费”, 基本支出占收支总计的比重
    value: Decimal        # exact: 元 (amount, change) or percent (percent, change-percent)
    kind: str             # amount | change | percent | change-percent
    item: str = ""        # a change's item (an ITEM_LABELS key); a project's figure: its path, projects.3
    direction: str = ""   # a change's direction: up | down | same


def derived_figures(budget: Budget, figures: Figures) -> list[Figure]:
    """Every figure of the unit a text may quote, exact; amounts in 元, shares and changes in percent."""
    found = shares(figures) + targets_share(budget, figures)
    return amounts(budget, figures) + changes(figures) + [Figure(label, pct, "percent") for label, pct in found if pct is not None]


def amounts(budget: Budget, f: Figures) -> list[Figure]:
    found = [(label, f.amount(measure)) for label, measure in MEASURE_LABELS]
    found += [(f"{s}收入", f.amount("current", source=s)) for s in SOURCES.top]
    for code in sorted({c[:n] for c in f.facts.codes.get("function", ()) for n in (3, 5, 7)}):
        label = f"{code} {f.facts.name('function', code)}"
        found += [(label, f.amount("total", code=code)), (label + "基本支出", f.amount("basic", code=code)),
                  (label + "项目支出", f.amount("project", code=code)),
                  (label + "（一般公共预算）", f.amount("general_budget", code=code)),
                  (label + "（财政拨款）", f.amount("fiscal", code=code)), (label + "上年结转", f.amount("carry", code=code))]
    for code in sorted({c[:n] for c in f.facts.codes.get("economic", ()) for n in (3, 5)}):
        label = f"经济科目 {code} {f.facts.name('economic', code)}"
        found += [(label, f.amount({"axis": "economic", "code": code})),
                  (label + "人员经费", f.amount("general_personnel", code=code)),
                  (label + "公用经费", f.amount("general_public", code=code))]
    found += [(ITEM_LABELS[p], f.amount(f"three_public.{p}")) for p in THREE_PUBLIC_PARTS]
    for axis, what in (("fund_income", "政府性基金预算收入"), ("state_capital_income", "国有资本经营预算收入")):
        found += [(f"{what} {c} {f.facts.name(axis, c)}", f.amount({"axis": axis, "code": c})) for c in f.facts.codes.get(axis, ())]
    for period, given in budget.prior_year.items():
        word = "上年" if period == "budget" else "上年执行数"
        found += [(f"{word}{measure}", value) for measure, value in given.items()]
        found += [(f"{word}{label}", given[m]) for label, m in MEASURE_LABELS if m in given]
    for item, measure in ITEM_MEASURES.items():
        try:
            found.append(("上年" + ITEM_LABELS[item], f.prior(measure)))
        except FigureError:
            continue
    found += [(f"{k.kind}项目", k.amount) for k in f.project_kinds()]
    if budget.overall_performance is not None:
        found.append(("整体绩效目标资金", budget.overall_performance))
    if budget.performance_targets is not None:
        found.append(("编报绩效目标的项目资金", budget.performance_targets[1]))
    return [Figure(label, value, "amount") for label, value in found] + project_amounts(budget)


def project_amounts(budget: Budget) -> list[Figure]:
    """Each project's amount, by fund source, carried over, and its 绩效目标表 funding."""
    figures = []
    for i, p in enumerate(budget.projects):
        label = f"项目“{p.name}”"
        found = [(label, p.funds.total), (label + "上年结转", p.carryover.total)]
        found += [(f"{label}（{s}）", p.funds.get(s)) for s in SOURCES.top]
        perf = p.performance
        if perf is not None:
            found += [(label + "实施期资金总额", perf.period_total), (label + "年度资金总额", perf.annual_total)]
            for column, word in ((perf.period_funding, "实施期"), (perf.annual_funding, "年度")):
                found += [(f"{label}{word}资金", v) for v in vars(column).values() if v is not None]
        figures += [Figure(what, value, "amount", f"projects.{i}") for what, value in found]
    return figures


def item_label(item: str) -> str:
    """收支总计; fiscal@executed: 财政拨款."""
    return ITEM_LABELS[item.removesuffix(EXECUTED)]


def item_changes(f: Figures) -> list[tuple[str, Change]]:
    """Each item's change from last year's budget, and from last year's 执行数 where the unit gives it
    (上海 compares its income so: 比2024年预算执行数增加24,558.18万元), as item@executed."""
    found = []
    for period, suffix in PERIODS:
        for item, measure in ITEM_MEASURES.items():
            try:
                found.append((item + suffix, f.change(measure, period)))
            except FigureError:
                continue
    return found


def changes(f: Figures) -> list[Figure]:
    found = []
    for item, change in item_changes(f):
        found.append(Figure(item_label(item), change.size, "change", item, change.direction))
        if change.pct is not None:
            found.append(Figure(item_label(item), change.pct, "change-percent", item, change.direction))
    return found


def shares(f: Figures) -> list[tuple[str, Decimal | None]]:
    found = [(f"{s}占收入总计的比重", f.share("current", source=s).pct) for s in SOURCES.top]
    found.append(("上年结转占收入总计的比重", f.share("carry").pct))
    found += [(f"{label}占支出总计的比重", f.share(m).pct) for label, m in (("基本支出", "basic"), ("项目支出", "project"))]
    found += [(f"{s}占财政拨款的比重", f.share("fiscal", of="fiscal", source=s).pct)
              for s in FISCAL_SOURCES]
    found += [("人员经费占基本支出的比重", percent(f.amount("general_personnel"), f.amount("general_basic"))),
              ("公用经费占基本支出的比重", percent(f.amount("general_public"), f.amount("general_basic")))]
    found += [(f"{s.key}占财政拨款的比重", s.pct) for s in f.classes("fiscal")]
    found += [(f"{s.key}占一般公共预算当年支出的比重", s.pct) for s in f.classes("general_budget")]
    found += [(f"{s.key}占支出总计的比重", s.pct) for s in f.classes("total", of="total")]
    found.append(("公开绩效目标的项目占项目支出的比重", f.published_share()))
    return found


def targets_share(budget: Budget, f: Figures) -> list[tuple[str, Decimal | None]]:
    """The share of 项目支出 of the projects with 绩效目标, where the unit gives their amount whole
    (performance_targets: 涉及项目预算资金11381.60万元，占项目支出的32.36%)."""
    if budget.performance_targets is None:
        return []
    return [("编报绩效目标的项目资金占项目支出的比重", percent(budget.performance_targets[1], f.amount("project")))]
