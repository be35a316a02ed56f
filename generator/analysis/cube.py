"""Figures are facts with coordinates (DESIGN.md §10.1): one indexed set of exact amounts in 元.

Each fact is a leaf amount of the budget with its coordinates:

    axis      the breakdown it belongs to: function (支出功能分类, basic and project expenditure),
              economic (部门经济分类, basic expenditure only), three_public (“三公”经费),
              fund_income / state_capital_income (收入科目), procurement (政府采购)
    code      the function 项 / economic 款 / income 科目 code, the 三公 part, the procurement kind
    source    the fund source (a leaf of fund-sources.csv)
    nature    基本 / 项目 (function and economic axes)
    category  人员经费 / 公用经费 (where the data says)
    period    本年 / 上年结转
    project   the project's name (project expenditure)
    unit      the unit's slug, and unit_kind its kind (a department is the union of its units' facts)

A table cell, a sentence's figure and a chart point are each the sum of the facts matching some
coordinates (a `Filter`), looked up here. A function or economic code matches by prefix (类 → 款 → 项).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from generator.core.catalogue import load_fund_sources
from generator.core.money import ZERO

AXES = ("function", "economic", "three_public", "fund_income", "state_capital_income", "procurement")
COORDINATES = ("axis", "code", "source", "nature", "category", "period", "project", "unit", "unit_kind")
CATEGORIES = ("人员经费", "公用经费")
PERIODS = ("本年", "上年结转")
PREFIX_AXES = ("function", "economic")            # codes that roll up by prefix


class Fact(NamedTuple):
    axis: str
    code: str
    source: str
    nature: str
    category: str
    period: str
    project: str
    unit: str
    unit_kind: str
    amount: Decimal


Filter = tuple[tuple[str, tuple[str, ...]], ...]      # ((coordinate, values any of), …), sorted
FIELDS = {name: i for i, name in enumerate(Fact._fields)}
ANY = "\0any"                                          # the rolled-up sum over every project (and none)
SMALL = 1000                                            # facts: a unit has hundreds, a department thousands


def make_filter(spec: Mapping[str, object]) -> Filter:
    """A filter from a mapping of coordinates to a value or a list of values; fund-source groups
    (财政拨款, 单位资金) are expanded to their leaves. Raises ValueError naming what is wrong."""
    groups = load_fund_sources().groups
    items = []
    for key, value in spec.items():
        if key not in COORDINATES:
            raise ValueError(f"未知的坐标“{key}”，可用：{'、'.join(COORDINATES)}")
        values = tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else (str(value),)
        if key == "source":
            unknown = [v for v in values if v not in groups]
            if unknown:
                raise ValueError(f"未知的资金来源“{unknown[0]}”，可用：{'、'.join(groups)}")
            values = tuple(dict.fromkeys(leaf for v in values for leaf in groups[v]))
        items.append((key, values))
    return tuple(sorted(items))


@lru_cache(maxsize=1 << 16)
def combine(*filters: Filter) -> Filter | None:
    """The filter matching what all of `filters` match; None when nothing can match both
    (a row for 本年 in a column for 上年结转). Codes combine as prefixes: the longer one wins."""
    merged: dict[str, tuple[str, ...]] = {}
    for flt in filters:
        for key, values in flt:
            if key not in merged:
                merged[key] = values
            elif key == "code":
                both = tuple(a if a.startswith(b) else b for a in values for b in merged[key]
                             if a.startswith(b) or b.startswith(a))
                if not both:
                    return None
                merged[key] = tuple(dict.fromkeys(both))
            else:
                both = tuple(v for v in merged[key] if v in values)
                if not both:
                    return None
                merged[key] = both
    return tuple(sorted(merged.items()))


class FactSet:
    """The facts of one unit (or of a department's units), indexed by axis and code prefix."""

    def __init__(self, facts: Iterable[Fact], codes: Mapping[str, Iterable[str]], names: Mapping[tuple[str, str], str]):
        self.facts = tuple(facts)
        self.codes = {axis: tuple(dict.fromkeys(found)) for axis, found in codes.items()}  # every code the data names, in its order
        self.names = dict(names)                            # (axis, code) -> the name the data or the catalogue gives
        self._by_axis = by_axis(self.facts)
        self._pooled = by_axis(pooled(self.facts))          # the units' facts added together: most filters name no unit
        self._sums: dict[Filter, Decimal] = {}
        self._rollups: dict[tuple, dict[tuple[str, str, str], Decimal]] = {}
        self._by_unit: dict[str, list[Fact]] = {}
        self._by_units: dict[tuple[str, ...], dict[str, list[Fact]]] = {}

    def total(self, flt: Filter) -> Decimal:
        """The exact sum of the facts matching `flt`.

        The facts matching all but the code and the project are rolled up once per such filter (by
        every code prefix and project at once): a table's column asks for many rows with one filter."""
        if flt in self._sums:
            return self._sums[flt]
        wanted = dict(flt)
        axes, codes = wanted.pop("axis", AXES), wanted.pop("code", ("",))
        projects = wanted.pop("project", (ANY,))
        rest = tuple(sorted(wanted.items()))
        if codes == ("",) and projects == (ANY,) and (axes, rest) not in self._rollups and len(self.facts) < SMALL:
            amount = self._sums[flt] = self.summed(axes, rest)      # a unit's whole: quicker than a roll-up
            return amount
        rollup = self._rollups.get((axes, rest))
        if rollup is None:
            rollup = self._rollups[(axes, rest)] = self.rolled_up(axes, rest)
        outermost = codes if len(codes) == 1 else [c for c in codes if not any(c != o and c.startswith(o) for o in codes)]
        amount = sum((rollup.get((axis, code, project), ZERO) for axis in axes for code in outermost
                      for project in projects), ZERO)
        self._sums[flt] = amount
        return amount

    def base(self, rest: tuple) -> dict[str, list[Fact]]:
        """The facts a filter is answered from: the pooled ones unless it names a unit or a kind of
        unit; only those units' when it names units (a department's per-unit rows)."""
        named = dict(rest)
        if "unit" in named:
            return self.units_facts(named["unit"])
        return self._by_axis if "unit_kind" in named else self._pooled

    def units_facts(self, units: tuple[str, ...]) -> dict[str, list[Fact]]:
        if units not in self._by_units:
            if not self._by_unit:
                for fact in self.facts:
                    self._by_unit.setdefault(fact.unit, []).append(fact)
            self._by_units[units] = by_axis(f for unit in units for f in self._by_unit.get(unit, ()))
        return self._by_units[units]

    def summed(self, axes: tuple[str, ...], rest: tuple) -> Decimal:
        checks = [(FIELDS[key], values) for key, values in rest]
        facts = self.base(rest)
        return sum((fact.amount for axis in axes for fact in facts.get(axis, ())
                    if all(fact[i] in values for i, values in checks)), ZERO)

    def rolled_up(self, axes: tuple[str, ...], rest: tuple) -> dict[tuple[str, str, str], Decimal]:
        """(axis, code prefix, project or ANY) -> the sum of the facts on those axes that match `rest`."""
        checks = [(FIELDS[key], values) for key, values in rest]
        sums: dict[tuple[str, str, str], Decimal] = {}
        facts = self.base(rest)
        for axis in axes:
            for fact in facts.get(axis, ()):
                if all(fact[i] in values for i, values in checks):
                    for prefix in prefixes(axis, fact.code):
                        for project in (ANY, fact.project):
                            key = (axis, prefix, project)
                            sums[key] = sums.get(key, ZERO) + fact.amount
        return sums

    def name(self, axis: str, code: str) -> str:
        return self.names.get((axis, code), "")


def by_axis(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    found: dict[str, list[Fact]] = {}
    for fact in facts:
        found.setdefault(fact.axis, []).append(fact)
    return found


def pooled(facts: Iterable[Fact]) -> list[Fact]:
    """Facts that differ only in their unit, added together (unit and unit_kind left blank)."""
    sums: dict[tuple, Decimal] = {}
    for fact in facts:
        key = fact[:FIELDS["unit"]]
        sums[key] = sums.get(key, ZERO) + fact.amount
    return [Fact._make(key + ("", "", amount)) for key, amount in sums.items()]


def prefixes(axis: str, code: str) -> tuple[str, ...]:
    """The codes a fact rolls up into: "" (everything), and for function and economic codes each
    level (201, 20103, 2010301; 302, 30201)."""
    if axis not in PREFIX_AXES:
        return ("", code)
    return ("", *(code[:n] for n in ((3, 5, 7) if axis == "function" else (3, 5)) if n <= len(code)))
