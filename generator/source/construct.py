"""Validated data → model objects. Runs only on data the schema accepted."""
from __future__ import annotations

from decimal import Decimal

from generator.core.model import (
    THREE_PUBLIC_PARTS,
    Budget,
    EconomicItem,
    FunctionItem,
    FundingColumn,
    Funds,
    IncomeRow,
    Indicator,
    Performance,
    Project,
    Unit,
    Waiver,
)
from generator.source.load import Source

TEXT_FIELDS = ("overview", "basis", "necessity", "safeguards", "plan", "goal_period", "goal_annual")
FUNDING_FIELDS = ("central", "provincial", "local", "self_raised", "other")


def amount(value) -> Decimal:
    return Decimal(value if value is not None else 0)


def optional_amount(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def data_path(dotted: str) -> tuple:
    """"projects.3.performance.overview" → ("projects", 3, "performance", "overview")."""
    return tuple(int(p) if p.isdigit() else p for p in dotted.split(".") if p)


def build_budget(source: Source) -> Budget:
    d = source.data
    return Budget(
        year=d["year"],
        template=d["template"],
        unit=build_unit(d["unit"]),
        basic_by_function=tuple(build_function_item(r, ("basic", "by_function", i))
                                for i, r in enumerate(d["basic"]["by_function"])),
        basic_by_economic=tuple(build_economic_item(r, ("basic", "by_economic", i))
                                for i, r in enumerate(d["basic"]["by_economic"])),
        projects=tuple(build_project(p, ("projects", i)) for i, p in enumerate(d.get("projects", []))),
        three_public={part: Funds.of(d["three_public"].get(part)) for part in THREE_PUBLIC_PARTS},
        government_fund_income=build_income(d.get("government_fund_income", []), ("government_fund_income",)),
        state_capital_income=build_income(d.get("state_capital", {}).get("income", []), ("state_capital", "income")),
        prior_year=build_prior_year(d.get("prior_year") or {}),
        explanations={k: v.strip() for k, v in d["explanations"].items() if v and v.strip()},
        procurement={k: amount(d["procurement"].get(k)) for k in ("goods", "works", "services")},
        procurement_reserves={k: amount(d["procurement"][k]) for k in ("sme_reserve", "micro_reserve") if k in d["procurement"]},
        overall_performance=optional_amount((d.get("overall_performance") or {}).get("amount")),
        assets=d.get("assets") or {},
        other_notes=d.get("other_notes") or {},
        glossary=tuple((g["term"], g["text"]) for g in d.get("glossary", [])),
        waivers=tuple(Waiver(w["rule"], data_path(w.get("field", "")), w["reason"].strip(), ("waivers", i))
                      for i, w in enumerate(d.get("waivers", []))),
        source=source,
        usage=build_usage(d),
        project_by_function=tuple(build_function_item(r, ("project_by_function", i))
                                  for i, r in enumerate(d.get("project_by_function", []))),
        performance_targets=build_targets(d.get("performance_targets")),
        project_notes=tuple(d.get("project_notes", ())),
    )


def build_usage(d: dict) -> dict:
    """What each 项 is used for, as the unit writes it: the item's own usage, then the file's usage map."""
    items = list(d["basic"]["by_function"]) + list(d.get("project_by_function", []))
    return {**{r["code"]: r["usage"] for r in items if r.get("usage")}, **(d.get("usage") or {})}


def build_targets(t: dict | None) -> tuple | None:
    return None if t is None else (t["count"], amount(t["amount"]))


def build_unit(u: dict) -> Unit:
    return Unit(
        name=u["name"], slug=u["slug"], code=str(u.get("code", "")), kind=u["kind"], level=u["level"],
        department_code=str(u["department"].get("code", "")), department_name=u["department"]["name"],
        staff=u.get("staff"), duties=tuple(u["duties"]), organisation=tuple(u["organisation"]),
        profile=tuple(u.get("profile", ())), merged_units=tuple((m["name"], m["kind"]) for m in u.get("merged_units", ())),
    )


def build_function_item(r: dict, path: tuple) -> FunctionItem:
    if "personnel" in r or "public" in r:
        personnel, public = Funds.of(r.get("personnel")), Funds.of(r.get("public"))
        return FunctionItem(r["code"], r.get("name", ""), personnel + public, Funds.of(r.get("carryover")), path,
                            personnel, public)
    return FunctionItem(r["code"], r.get("name", ""), Funds.of(r.get("funds")), Funds.of(r.get("carryover")), path)


def build_economic_item(r: dict, path: tuple) -> EconomicItem:
    return EconomicItem(r["code"], r["name"], r["category"], Funds.of(r.get("funds")), path)


def build_project(p: dict, path: tuple) -> Project:
    perf = p.get("performance")
    return Project(
        name=p["name"], function=p["function"], kind=p["kind"],
        funds=Funds.of(p.get("funds")), carryover=Funds.of(p.get("carryover")),
        performance=build_performance(perf, p["name"], path + ("performance",)) if perf else None,
        path=path,
    )


def build_performance(perf: dict, project_name: str, path: tuple) -> Performance:
    funding = perf.get("funding", {})
    return Performance(
        name=perf.get("name") or project_name,
        attribute=perf.get("attribute", ""),
        period=str(perf.get("period", "")),
        period_funding=build_funding_column(funding.get("period", {})),
        annual_funding=build_funding_column(funding.get("annual", {})),
        period_total=amount(funding.get("period_total")),
        annual_total=amount(funding.get("annual_total")),
        texts={k: perf.get(k, "") for k in TEXT_FIELDS},
        indicators=tuple(build_indicator(ind, path + ("indicators", i))
                         for i, ind in enumerate(perf.get("indicators", []))),
        contact={k: str(perf.get("contact", {}).get(k, "") or "") for k in ("head", "clerk", "phone", "date")},
        path=path,
    )


def build_funding_column(col: dict) -> FundingColumn:
    return FundingColumn(*(optional_amount(col.get(k)) for k in FUNDING_FIELDS))


def build_indicator(ind: dict, path: tuple) -> Indicator:
    name, value = ind.get("name", ""), str(ind.get("value", ""))
    return Indicator(
        level1=ind["level1"], level2=ind["level2"], name=name, value=value,
        annual_name=ind.get("annual_name", name), annual_value=str(ind.get("annual_value", value)),
        path=path,
    )


def build_income(rows: list, path: tuple) -> tuple:
    return tuple(IncomeRow(r["code"], r["name"], amount(r["amount"]), path + (i,)) for i, r in enumerate(rows))


def build_prior_year(p: dict) -> dict:
    """prior_year as {period: {measure: amount}}: its keys are measure names (analysis/measures.py), a
    nested mapping names the parts (three_public.outbound); `executed` holds 上年执行数."""
    def flat(mapping: dict, prefix: str = "") -> dict:
        found: dict = {}
        for key, value in mapping.items():
            if isinstance(value, dict):
                found.update(flat(value, f"{prefix}{key}."))
            elif value is not None:
                found[prefix + key] = Decimal(value)
        return found
    budget = {k: v for k, v in p.items() if k != "executed"}
    return {"budget": flat(budget), "executed": flat(p.get("executed") or {})}
