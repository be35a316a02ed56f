"""The unit's derived figures that hand-written texts are compared with (L10, L11).

``derived_figures`` is the one place the text lints read the derivation: every amount the document
can print (each 类/款/项 row, income by source, 基本/项目, 人员/公用, 三公, 机关运行经费, projects
and their 绩效目标表 funding, 政府采购, income tables, last year's figures), every change from last
year and every share — exact, in 元 or in percent. When the derivation becomes facts with
coordinates (DESIGN.md §10.1), only this function changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.analysis.derive import Tables
from generator.analysis.facts import Facts
from generator.core.model import FUND_SOURCES, GENERAL, THREE_PUBLIC_PARTS, Budget
from generator.core.money import Change, percent

ITEM_LABELS = {"total": "收支总计", "general": "一般公共预算当年支出", "three_public": "“三公”经费",
               "outbound": "因公出国（境）费", "reception": "公务接待费", "vehicle": "公务用车购置及运行费",
               "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费",
               "office_operation": "机关运行经费"}


@dataclass(frozen=True)
class Figure:
    label: str            # what it is: 机关运行经费, 项目“Z专家评审费”, 基本支出占收支总计的比重
    value: Decimal        # exact: 元 (amount, change) or percent (percent, change-percent)
    kind: str             # amount | change | percent | change-percent
    item: str = ""        # a change's item (an ITEM_LABELS key); a project's figure: its path, projects.3
    direction: str = ""   # a change's direction: up | down | same


def derived_figures(budget: Budget, tables: Tables, facts: Facts) -> list[Figure]:
    """Every figure of the unit a text may quote, exact; amounts in 元, shares and changes in percent."""
    return (amounts(budget, tables, facts) + changes(facts)
            + [Figure(label, pct, "percent") for label, pct in shares(tables, facts) if pct is not None])


def amounts(budget: Budget, tables: Tables, facts: Facts) -> list[Figure]:
    grand = tables.grand
    found = [("收支总计", grand.total), ("本年收入", facts.income_current), ("上年结转", facts.income_carry),
             ("基本支出", grand.basic_total), ("项目支出", grand.project_total), ("财政拨款", facts.fiscal_total),
             ("财政拨款当年安排", facts.fiscal_current), ("财政拨款上年结转", facts.fiscal_carry),
             ("一般公共预算当年支出", facts.general_current), ("一般公共预算基本支出", facts.general_basic),
             ("人员经费", facts.personnel), ("公用经费", facts.public), ("政府采购预算", facts.procurement_total)]
    found += [(f"{s}收入", grand.current.get(s)) for s in FUND_SOURCES]
    for row in tables.function_rows:
        label = f"{row.code} {row.name}"
        found += [(label, row.total), (label + "基本支出", row.basic_total), (label + "项目支出", row.project_total),
                  (label + "（一般公共预算）", row.current.get(GENERAL)), (label + "（财政拨款）", row.all_funds.fiscal),
                  (label + "上年结转", row.carry.total)]
    for erow in tables.economic_rows:
        found += [(f"经济科目 {erow.code} {erow.name}", erow.total), (f"经济科目 {erow.code} {erow.name}人员经费", erow.personnel),
                  (f"经济科目 {erow.code} {erow.name}公用经费", erow.public)]
    found += [(ITEM_LABELS[p], tables.three_public[p].fiscal) for p in THREE_PUBLIC_PARTS]
    found += [("“三公”经费", tables.three_public_total.fiscal), ("公务用车购置及运行费", tables.vehicle_total.fiscal),
              ("机关运行经费", tables.office_operation.fiscal)]
    prior = budget.prior_year
    found += [("上年收支总计", prior.total), ("上年一般公共预算当年支出", prior.general_budget),
              ("上年机关运行经费", prior.office_operation), ("上年“三公”经费", sum(prior.three_public.values(), Decimal(0)))]
    found += [("上年" + ITEM_LABELS[p], prior.three_public[p]) for p in THREE_PUBLIC_PARTS]
    found += [(f"{k.kind}项目", k.amount) for k in facts.projects]
    found += [(f"政府采购{word}", budget.procurement[k]) for k, word in (("goods", "货物"), ("works", "工程"), ("services", "服务"))]
    for what, rows, whole in (("政府性基金预算收入", tables.government_fund_income, tables.government_fund_income_total),
                              ("国有资本经营预算收入", tables.state_capital_income, tables.state_capital_income_total)):
        found += [(what, whole)] + [(f"{what} {r.code} {r.name}", r.amount) for r in rows]
    if budget.overall_performance is not None:
        found.append(("整体绩效目标资金", budget.overall_performance))
    return [Figure(label, value, "amount") for label, value in found] + project_amounts(budget)


def project_amounts(budget: Budget) -> list[Figure]:
    """Each project's amount, by fund source, carried over, and its 绩效目标表 funding."""
    figures = []
    for i, p in enumerate(budget.projects):
        label = f"项目“{p.name}”"
        found = [(label, p.funds.total), (label + "上年结转", p.carryover.total)]
        found += [(f"{label}（{s}）", p.funds.get(s)) for s in FUND_SOURCES]
        perf = p.performance
        if perf is not None:
            found += [(label + "实施期资金总额", perf.period_total), (label + "年度资金总额", perf.annual_total)]
            for column, word in ((perf.period_funding, "实施期"), (perf.annual_funding, "年度")):
                found += [(f"{label}{word}资金", v) for v in vars(column).values() if v is not None]
        figures += [Figure(what, value, "amount", f"projects.{i}") for what, value in found]
    return figures


def item_changes(facts: Facts) -> list[tuple[str, Change]]:
    return ([("total", facts.total_change), ("general", facts.general_change), ("three_public", facts.three_public_total),
             ("vehicle", facts.vehicle), ("office_operation", facts.office_operation)]
            + [(p, facts.three_public[p]) for p in THREE_PUBLIC_PARTS])


def changes(facts: Facts) -> list[Figure]:
    found = []
    for item, change in item_changes(facts):
        found.append(Figure(ITEM_LABELS[item], change.size, "change", item, change.direction))
        if change.pct is not None:
            found.append(Figure(ITEM_LABELS[item], change.pct, "change-percent", item, change.direction))
    return found


def shares(tables: Tables, facts: Facts) -> list[tuple[str, Decimal | None]]:
    found = [(f"{s.key}占收入总计的比重", s.pct) for s in facts.income_shares]
    found += [(f"{s.key}占支出总计的比重", s.pct) for s in (facts.basic, facts.project)]
    found += [(f"{s.key}占财政拨款的比重", s.pct) for s in facts.fiscal_by_source]
    found += [("人员经费占基本支出的比重", percent(facts.personnel, facts.general_basic)),
              ("公用经费占基本支出的比重", percent(facts.public, facts.general_basic))]
    found += [(f"{s.key}占财政拨款的比重", s.pct) for s in facts.fiscal_classes]
    found += [(f"{s.key}占一般公共预算当年支出的比重", s.pct) for s in facts.general_classes]
    found += [(f"{line.name}占支出总计的比重", percent(line.row.total, tables.grand.total))
              for line in tables.class_lines if line.row]
    found.append(("公开绩效目标的项目占项目支出的比重", facts.published_share))
    return found
