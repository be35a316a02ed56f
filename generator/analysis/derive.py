"""Stage 4 — every figure of the unit as facts with coordinates (analysis/cube.py), exact in 元.

The leaves of the model become facts; nothing is added up here: every subtotal, total, share and
change is a lookup in the FactSet (a roll-up by code prefix), made when a table or a sentence asks.
Rounding happens only when a figure is displayed.
"""
from __future__ import annotations

from generator.analysis.cube import Fact, FactSet
from generator.core.catalogue import Catalogue
from generator.core.model import Budget, Funds


def derive_facts(budget: Budget, catalogue: Catalogue) -> FactSet:
    """The unit's facts, the codes its data names (even where the amounts are zero) and their names."""
    unit, kind = budget.unit.slug, budget.unit.kind
    facts: list[Fact] = []

    def add(axis: str, code: str, funds: Funds, nature: str = "", category: str = "", period: str = "本年",
            project: str = "") -> None:
        facts.extend(Fact(axis, code, source, nature, category, period, project, unit, kind, amount)
                     for source, amount in funds.items())

    for item in budget.basic_by_function:
        if item.personnel is not None and item.public is not None:
            add("function", item.code, item.personnel, "基本", "人员经费")
            add("function", item.code, item.public, "基本", "公用经费")
        else:
            add("function", item.code, item.funds, "基本")
        add("function", item.code, item.carryover, "基本", period="上年结转")
    for item in budget.project_by_function:
        add("function", item.code, item.funds, "项目")
        add("function", item.code, item.carryover, "项目", period="上年结转")
    for project in budget.projects:
        add("function", project.function, project.funds, "项目", project=project.name)
        add("function", project.function, project.carryover, "项目", period="上年结转", project=project.name)
    for e in budget.basic_by_economic:
        add("economic", e.code, e.funds, "基本", e.category)
    for part, funds in budget.three_public.items():
        add("three_public", part, funds)
    for axis, rows, source in (("fund_income", budget.government_fund_income, "政府性基金预算"),
                               ("state_capital_income", budget.state_capital_income, "国有资本经营预算")):
        facts.extend(Fact(axis, r.code, source, "", "", "本年", "", unit, kind, r.amount) for r in rows if r.amount)
    procurement = {**budget.procurement, **budget.procurement_reserves}
    facts.extend(Fact("procurement", k, "", "", "", "本年", "", unit, kind, v) for k, v in procurement.items() if v)
    return FactSet(facts, used_codes(budget), names_of(budget, catalogue))


def used_codes(budget: Budget) -> dict[str, list[str]]:
    """Every code the unit's data names, by axis, whatever its amounts."""
    return {
        "function": [i.code for i in budget.basic_by_function] + [p.function for p in budget.projects]
                    + [i.code for i in budget.project_by_function],
        "economic": [i.code for i in budget.basic_by_economic],
        "fund_income": [r.code for r in budget.government_fund_income],
        "state_capital_income": [r.code for r in budget.state_capital_income],
        "project": [p.name for p in budget.projects],
    }


def names_of(budget: Budget, catalogue: Catalogue) -> dict[tuple[str, str], str]:
    """(axis, code) -> name: the catalogue's for every level, the unit's own where it names a leaf
    (a 项 the catalogue lacks is named by the unit)."""
    names: dict[tuple[str, str], str] = {}
    for code in {c[:n] for c in used_codes(budget)["function"] for n in (3, 5, 7)}:
        names[("function", code)] = catalogue.function_name(code) or ""
    names.update({("function", i.code): i.name or names.get(("function", i.code), "")
                  for i in budget.basic_by_function + budget.project_by_function})
    for code in {i.code[:n] for i in budget.basic_by_economic for n in (3, 5)}:
        names[("economic", code)] = catalogue.economic_name(code) or ""
    names.update({("economic", i.code): i.name for i in budget.basic_by_economic})
    names.update({("economic_gov", i.code): catalogue.gov_name_for(i.code, budget.unit.kind) for i in budget.basic_by_economic})
    names.update({(axis, r.code): r.name for axis, rows in (("fund_income", budget.government_fund_income),
                                                            ("state_capital_income", budget.state_capital_income))
                  for r in rows})
    return names
