"""The figures behind every sentence, for templates and lints: amounts, shares, changes and lists,
each a lookup of a named measure (analysis/measures.py) or of coordinates in the facts.

A template writes ``facts.amount("general_budget")``, ``facts.share("basic", of="total")``,
``facts.change("office_operation")`` or ``facts.classes("fiscal")``; extra keyword arguments narrow
the measure (``facts.amount("current", source="单位资金")``). Nothing here formats text: amounts
are exact Decimal 元, shares exact percentages, changes `money.Change` values that know how the
pack prints them. A measure the vocabulary lacks, or a prior the unit did not write, is an error
(`FigureError`) that names it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from generator.analysis.cube import FactSet, Filter, combine, make_filter
from generator.analysis.measures import PRIOR_PARTS, compile_measures
from generator.core.model import Budget
from generator.core.money import WAN_TEXT, Change, MoneyFormat, percent, total

PROJECT_KINDS = ("其他运转类", "特定目标类")


class FigureError(LookupError):
    """A template or a lint asked for a measure or a prior that is not there."""

    def __init__(self, message: str, prior: str = ""):
        super().__init__(message)
        self.prior = prior            # the prior_year key that is missing, when that is the problem


@dataclass(frozen=True)
class Share:
    key: str                  # a fund source, a 类 name, an item name …
    amount: Decimal
    pct: Decimal | None


@dataclass(frozen=True)
class KindCount:
    kind: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class Subject:
    """One function 项 for a per-科目 sentence: its names at each level, its amount, what it is used for."""
    code: str
    class_name: str
    item_name: str            # the 款
    name: str                 # the 项
    amount: Decimal
    usage: str


class Figures:
    def __init__(self, facts: FactSet, budget: Budget, measures: Mapping[str, Filter] | None = None,
                 money: MoneyFormat = WAN_TEXT, rounding: str = "exact", usage: Mapping[str, str] | None = None):
        self.facts, self.budget = facts, budget
        self.measures = dict(measures) if measures is not None else compile_measures()
        self.money, self.rounding = money, rounding
        self.usage = dict(usage or {})
        self.year, self.prior_year = budget.year, budget.year - 1

    # measures -----------------------------------------------------------------------------------

    def filter(self, measure: str | Mapping[str, object], **narrow) -> Filter | None:
        """The filter of a named measure (or a mapping of coordinates), narrowed by `narrow`."""
        if isinstance(measure, str):
            if measure not in self.measures:
                raise FigureError(f"未知的指标“{measure}”，可用：{'、'.join(self.measures)}")
            base = self.measures[measure]
        else:
            base = make_filter(measure)
        return combine(base, make_filter(narrow)) if narrow else base

    def amount(self, measure: str | Mapping[str, object], **narrow) -> Decimal:
        flt = self.filter(measure, **narrow)
        return self.facts.total(flt) if flt is not None else Decimal(0)

    def share(self, measure: str | Mapping[str, object], of: str | Mapping[str, object] = "total",
              key: str = "", **narrow) -> Share:
        amount = self.amount(measure, **narrow)
        return Share(key or (measure if isinstance(measure, str) else ""), amount, percent(amount, self.amount(of)))

    def shown(self, amount: Decimal) -> bool:
        """An amount that prints as something: lists in the text leave out one that would print as 0."""
        return self.money.shown(amount) != 0

    # last year ----------------------------------------------------------------------------------

    def prior(self, measure: str, period: str = "budget") -> Decimal:
        """Last year's figure of a measure as the unit wrote it (prior_year / prior_year.executed)."""
        given = self.budget.prior_year.get(period, {})
        if measure in given:
            return given[measure]
        parts = PRIOR_PARTS.get(measure)
        if parts and all(p in given for p in parts):
            return total(given[p] for p in parts)
        key = f"prior_year.{'executed.' if period == 'executed' else ''}{measure}"
        raise FigureError(f"缺少上年数 {key}", prior=key)

    def change(self, measure: str, prior: str = "budget", **narrow) -> Change:
        return Change(self.amount(measure, **narrow), self.prior(measure, prior), self.money, self.rounding)

    # lists --------------------------------------------------------------------------------------

    def classes(self, measure: str | Mapping[str, object], of: str | Mapping[str, object] | None = None) -> tuple:
        """A Share for each function 类 whose amount prints as something, by code; the whole is the
        measure itself unless `of` names another."""
        whole = self.amount(of if of is not None else measure)
        codes = sorted({c[:3] for c in self.facts.codes.get("function", ())})
        pairs = [(self.facts.name("function", c), self.amount(measure, code=c)) for c in codes]
        return tuple(Share(name, amount, percent(amount, whole)) for name, amount in pairs if self.shown(amount))

    def names(self, measure: str | Mapping[str, object], level: int = 2) -> tuple:
        """The names of the economic 款 (level 2) or 类 (level 1) with an amount, by code."""
        width = 3 if level == 1 else 5
        codes = sorted({c[:width] for c in self.facts.codes.get("economic", ())})
        return tuple(self.facts.name("economic", c) for c in codes if self.amount(measure, code=c))

    def subjects(self, measure: str | Mapping[str, object]) -> tuple:
        """A Subject for every function 项 with an amount that prints, by code."""
        found = []
        for code in sorted(c for c in self.facts.codes.get("function", ()) if len(c) == 7):
            amount = self.amount(measure, code=code)
            if self.shown(amount):
                found.append(Subject(code, self.facts.name("function", code[:3]), self.facts.name("function", code[:5]),
                                     self.facts.name("function", code), amount, self.usage.get(code, "")))
        return tuple(found)

    # assets -------------------------------------------------------------------------------------

    def planned_vehicles(self) -> int:
        """How many vehicles the budget plans to buy: the sum of assets.planned.vehicles.by_use."""
        planned = (self.budget.assets or {}).get("planned") or {}
        return sum(((planned.get("vehicles") or {}).get("by_use") or {}).values())

    # projects -----------------------------------------------------------------------------------

    def project_kinds(self, published: bool = False) -> tuple:
        """Count and amount (本年) of projects by kind; `published`: only those with a 绩效目标表."""
        projects = [p for p in self.budget.projects if p.performance or not published]
        return tuple(KindCount(kind, sum(1 for p in projects if p.kind == kind),
                               total(p.funds.total for p in projects if p.kind == kind))
                     for kind in PROJECT_KINDS)

    def project_count(self, published: bool = False) -> int:
        return sum(k.count for k in self.project_kinds(published))

    def project_amount(self, published: bool = False) -> Decimal:
        return total(k.amount for k in self.project_kinds(published))

    def published_share(self) -> Decimal | None:
        return percent(self.project_amount(published=True), self.project_amount())
