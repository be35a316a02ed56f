"""Stage 3 — typed, immutable budget objects built from validated data. Money is Decimal in 元.

Every record keeps ``path``, its place in the data, so that checks can point at its YAML line
through ``Budget.pos``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from generator.core.money import ZERO, total
from generator.core.positions import Source
from generator.core.problems import Pos

FUND_SOURCES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金")
FISCAL_SOURCES = FUND_SOURCES[:3]          # 财政拨款
GENERAL = FUND_SOURCES[0]
GOV_FUND = FUND_SOURCES[1]
STATE_CAPITAL = FUND_SOURCES[2]
OFFICE_KINDS = ("行政单位", "参照公务员法管理事业单位")   # units that report 机关运行经费
THREE_PUBLIC_PARTS = ("outbound", "reception", "vehicle_purchase", "vehicle_operation")


@dataclass(frozen=True)
class Funds:
    """Amounts by fund source, in FUND_SOURCES order; an absent source is zero."""
    values: tuple = (ZERO,) * len(FUND_SOURCES)

    @classmethod
    def of(cls, mapping: dict | None) -> Funds:
        mapping = mapping or {}
        return cls(tuple(Decimal(mapping.get(s, 0)) for s in FUND_SOURCES))

    def get(self, source: str) -> Decimal:
        return self.values[FUND_SOURCES.index(source)]

    @cached_property
    def total(self) -> Decimal:
        return total(self.values)

    @cached_property
    def fiscal(self) -> Decimal:
        return total(self.get(s) for s in FISCAL_SOURCES)

    def __add__(self, other: Funds) -> Funds:
        return Funds(tuple(a + b for a, b in zip(self.values, other.values)))


def sum_funds(items) -> Funds:
    result = Funds()
    for funds in items:
        result = result + funds
    return result


@dataclass(frozen=True)
class Unit:
    name: str
    slug: str
    code: str
    kind: str
    level: str
    department_code: str
    department_name: str
    staff: int
    duties: tuple
    organisation: tuple


@dataclass(frozen=True)
class FunctionItem:
    """基本支出 of one function 项."""
    code: str
    name: str
    funds: Funds
    carryover: Funds
    path: tuple


@dataclass(frozen=True)
class EconomicItem:
    """基本支出 of one economic 款, 人员经费 or 公用经费."""
    code: str
    name: str
    category: str
    funds: Funds
    path: tuple


@dataclass(frozen=True)
class Indicator:
    level1: str
    level2: str
    name: str
    value: str
    annual_name: str
    annual_value: str
    path: tuple


@dataclass(frozen=True)
class FundingColumn:
    central: Decimal | None
    provincial: Decimal | None
    local: Decimal | None
    self_raised: Decimal | None
    other: Decimal | None


@dataclass(frozen=True)
class Performance:
    name: str                   # the project's name as this table prints it
    attribute: str
    period: str
    period_funding: FundingColumn
    annual_funding: FundingColumn
    period_total: Decimal
    annual_total: Decimal
    texts: dict                 # overview, basis, necessity, safeguards, plan, goal_period, goal_annual
    indicators: tuple
    contact: dict               # head, clerk, phone, date
    path: tuple


@dataclass(frozen=True)
class Project:
    name: str
    function: str
    kind: str
    funds: Funds
    carryover: Funds
    performance: Performance | None
    path: tuple


@dataclass(frozen=True)
class IncomeRow:
    code: str
    name: str
    amount: Decimal
    path: tuple


@dataclass(frozen=True)
class PriorYear:
    total: Decimal
    general_budget: Decimal
    three_public: dict          # part -> Decimal
    office_operation: Decimal


@dataclass(frozen=True)
class Waiver:
    """A lint switched off for this unit, with the reason the finance office gives (waivers:)."""
    rule: str
    field: tuple                # the data path of the text it covers; () for every text of the unit
    reason: str
    path: tuple                 # where the waiver itself stands: ("waivers", i)


@dataclass(frozen=True)
class Budget:
    year: int
    template: str
    unit: Unit
    basic_by_function: tuple
    basic_by_economic: tuple
    projects: tuple
    three_public: dict          # part -> Funds
    government_fund_income: tuple
    state_capital_income: tuple
    prior_year: PriorYear
    explanations: dict          # total / general_budget / three_public / office_operation -> text
    procurement: dict           # goods / works / services -> Decimal
    overall_performance: Decimal | None
    assets: dict
    other_notes: dict
    glossary: tuple             # (term, text) pairs
    waivers: tuple              # Waiver, in file order
    source: Source = field(compare=False, repr=False)

    def pos(self, *path) -> Pos:
        """The YAML position of a data path, e.g. budget.pos("projects", 3, "name")."""
        flat: tuple = ()
        for part in path:
            flat += tuple(part) if isinstance(part, tuple) else (part,)
        return self.source.pos(flat)

    @property
    def file(self) -> str:
        return self.source.file
