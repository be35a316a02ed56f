"""Stage 3 — typed, immutable budget objects built from validated data. Money is Decimal in 元.

Every record keeps ``path``, its place in the data, so that checks can point at its YAML line
through ``Budget.pos``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from generator.core.catalogue import load_fund_sources
from generator.core.money import ZERO, total
from generator.core.positions import InFile, Source

SOURCES = load_fund_sources()
FUND_SOURCES = SOURCES.leaves                 # every source an amount map may name, in table order
FISCAL_SOURCES = SOURCES.groups["财政拨款"]    # 一般公共预算, 政府性基金预算, 国有资本经营预算
GENERAL, GOV_FUND, STATE_CAPITAL = FISCAL_SOURCES
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
        """The amount of a source or of a group of sources (财政拨款, 单位资金 with its parts)."""
        return total(self.values[i] for i in SOURCES.indexes(source))

    def items(self):
        """(source, amount) of every source with an amount."""
        return ((s, v) for s, v in zip(FUND_SOURCES, self.values) if v)

    @cached_property
    def total(self) -> Decimal:
        return total(self.values)

    @cached_property
    def fiscal(self) -> Decimal:
        return self.get("财政拨款")

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
    staff: int | None
    duties: tuple
    organisation: tuple
    profile: tuple = ()              # paragraphs before the duties (上海: “……是主管全区产业经济的区政府工作部门”)
    merged_units: tuple = ()         # (name, kind) of units merged into this one (不单列预算，并入本部)


@dataclass(frozen=True)
class FunctionItem:
    """基本支出 of one function 项 (or 项目支出 by 项, where projects are not listed); `personnel` and
    `public` when the unit splits it into 人员经费 and 公用经费 (then `funds` is their sum)."""
    code: str
    name: str
    funds: Funds
    carryover: Funds
    path: tuple
    personnel: Funds | None = None
    public: Funds | None = None


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
    unit: str = ""                  # a department's project: the name of the unit that carries it out


@dataclass(frozen=True)
class IncomeRow:
    code: str
    name: str
    amount: Decimal
    path: tuple


@dataclass(frozen=True)
class Waiver:
    """A lint switched off for this unit, with the reason the finance office gives (waivers:)."""
    rule: str
    field: tuple                # the data path of the text it covers; () for every text of the unit
    reason: str
    path: tuple                 # where the waiver itself stands: ("waivers", i)


@dataclass(frozen=True)
class Budget(InFile):
    year: int
    template: str
    unit: Unit
    basic_by_function: tuple
    basic_by_economic: tuple
    projects: tuple
    three_public: dict          # part -> Funds
    government_fund_income: tuple
    state_capital_income: tuple
    prior_year: dict           # "budget" (上年预算数) / "executed" (上年执行数) -> measure name -> Decimal
    explanations: dict          # total / general_budget / three_public / office_operation -> text
    procurement: dict           # goods / works / services -> Decimal
    overall_performance: Decimal | None
    assets: dict
    other_notes: dict
    glossary: tuple             # (term, text) pairs
    waivers: tuple              # Waiver, in file order
    source: Source = field(compare=False, repr=False)
    usage: dict = field(default_factory=dict)   # function 项 code -> what it is used for (“主要用于…”)
    project_by_function: tuple = ()             # FunctionItems of 项目支出, where projects are not listed
    performance_targets: tuple | None = None    # (count, amount) of projects with 绩效目标, published without forms
    procurement_reserves: dict = field(default_factory=dict)   # sme_reserve / micro_reserve -> Decimal (预留中小企业)
    project_notes: tuple = ()                   # mappings: 项目经费情况说明 of major projects (name, overview, basis, …)


@dataclass(frozen=True)
class Department(InFile):
    """A department file: which units make the 部门预算, and the department's own texts."""
    year: int
    template: str
    name: str
    slug: str
    short_name: str
    code: str
    level: str
    units: tuple                    # unit slugs; the first is the 本部
    merged: tuple | None            # (name, kind) of units without a file, or None: the units' own lists
    profile: tuple
    duties: tuple
    organisation: tuple
    prior_year: dict | None         # as Budget.prior_year, or None: the sum of the units'
    explanations: dict
    other_notes: dict
    glossary: tuple
    source: Source = field(compare=False, repr=False)
