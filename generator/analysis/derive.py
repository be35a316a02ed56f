"""Stage 4 — every figure of the 13 tables, exact (Decimal 元). Nothing here formats text.

Leaves come from the model; every subtotal is a roll-up by code prefix (项 → 款 → 类), every total
a sum of exact values. Rounding happens only when a figure is displayed.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from generator.core.catalogue import Catalogue
from generator.core.model import GENERAL, OFFICE_KINDS, THREE_PUBLIC_PARTS, Budget, Funds, sum_funds
from generator.core.money import total

LEVEL_OF_LENGTH = {3: 1, 5: 2, 7: 3}      # 类, 款, 项


@dataclass(frozen=True)
class FunctionRow:
    """One 类/款/项 row: 基本 and 项目 by fund source, this year's and carried over."""
    code: str
    name: str
    level: int
    basic: Funds
    basic_carry: Funds
    project: Funds
    project_carry: Funds

    @cached_property
    def current(self) -> Funds:
        return self.basic + self.project

    @cached_property
    def carry(self) -> Funds:
        return self.basic_carry + self.project_carry

    @cached_property
    def all_funds(self) -> Funds:
        return self.current + self.carry

    @cached_property
    def basic_total(self) -> Decimal:
        return self.basic.total + self.basic_carry.total

    @cached_property
    def project_total(self) -> Decimal:
        return self.project.total + self.project_carry.total

    @cached_property
    def total(self) -> Decimal:
        return self.basic_total + self.project_total


@dataclass(frozen=True)
class ClassLine:
    """One of the 30 function 类 as 表一/表四 list them, with its figures when the unit has any."""
    order_cn: str
    code: str
    name: str
    row: FunctionRow | None


@dataclass(frozen=True)
class EconomicRow:
    """A 表六 row: 一般公共预算 basic expenditure of one economic 类 or 款."""
    code: str
    name: str
    gov_name: str
    level: int
    personnel: Decimal
    public: Decimal

    @property
    def total(self) -> Decimal:
        return self.personnel + self.public


@dataclass(frozen=True)
class Tables:
    function_rows: tuple        # 类/款/项 rows by code
    grand: FunctionRow          # the 合计 row
    class_lines: tuple          # the 30 类
    economic_rows: tuple        # 表六 类/款 rows by code
    economic_grand: EconomicRow
    three_public: dict          # part -> Funds
    three_public_total: Funds
    vehicle_total: Funds        # 公务用车购置及运行费
    office_operation: Funds     # 机关运行经费 by fund source
    projects: tuple             # model Projects in 表十二 order
    projects_total: Funds
    projects_carry_total: Funds
    carry_projects: tuple       # projects with a 财政拨款 carry-over (表十三)
    government_fund_income: tuple
    government_fund_income_total: Decimal
    state_capital_income: tuple
    state_capital_income_total: Decimal


def derive_tables(budget: Budget, catalogue: Catalogue) -> Tables:
    rows = function_rows(budget, catalogue)
    economic = economic_rows(budget, catalogue)
    office = office_operation(budget, economic)
    three = budget.three_public
    return Tables(
        function_rows=rows,
        grand=grand_row(rows),
        class_lines=class_lines(rows, catalogue),
        economic_rows=economic,
        economic_grand=economic_grand(economic),
        three_public=three,
        three_public_total=sum_funds(three[p] for p in THREE_PUBLIC_PARTS),
        vehicle_total=three["vehicle_purchase"] + three["vehicle_operation"],
        office_operation=office,
        projects=budget.projects,
        projects_total=sum_funds(p.funds for p in budget.projects),
        projects_carry_total=sum_funds(p.carryover for p in budget.projects),
        carry_projects=tuple(p for p in budget.projects if p.carryover.fiscal),
        government_fund_income=budget.government_fund_income,
        government_fund_income_total=total(r.amount for r in budget.government_fund_income),
        state_capital_income=budget.state_capital_income,
        state_capital_income_total=total(r.amount for r in budget.state_capital_income),
    )


def function_leaves(budget: Budget) -> dict:
    """项 code -> (basic, basic_carry, project, project_carry), each Funds."""
    leaves: dict = {}
    empty = (Funds(),) * 4
    for item in budget.basic_by_function:
        b, bc, p, pc = leaves.get(item.code, empty)
        leaves[item.code] = (b + item.funds, bc + item.carryover, p, pc)
    for project in budget.projects:
        b, bc, p, pc = leaves.get(project.function, empty)
        leaves[project.function] = (b, bc, p + project.funds, pc + project.carryover)
    return leaves


def function_rows(budget: Budget, catalogue: Catalogue) -> tuple:
    """Every 项 the unit uses and its 款 and 类, rolled up by code prefix, sorted by code."""
    given_names = {i.code: i.name for i in budget.basic_by_function}
    sums: dict = {}
    for leaf, parts in function_leaves(budget).items():
        for code in {leaf[:3], leaf[:5], leaf[:7]}:
            sums[code] = tuple(a + b for a, b in zip(sums[code], parts)) if code in sums else parts
    return tuple(
        FunctionRow(code, catalogue.function_name(code) or given_names.get(code) or "",
                    LEVEL_OF_LENGTH[len(code)], *sums[code])
        for code in sorted(sums)
    )


def grand_row(rows: tuple) -> FunctionRow:
    classes = [r for r in rows if r.level == 1]
    return FunctionRow("", "合计", 0, *(sum_funds(getattr(r, f) for r in classes)
                                      for f in ("basic", "basic_carry", "project", "project_carry")))


def class_lines(rows: tuple, catalogue: Catalogue) -> tuple:
    by_code = {r.code: r for r in rows if r.level == 1}
    return tuple(ClassLine(c.order_cn, c.code, c.name, by_code.get(c.code)) for c in catalogue.function_classes)


def economic_rows(budget: Budget, catalogue: Catalogue) -> tuple:
    """表六: 一般公共预算 basic expenditure by economic 款, with 类 subtotals, sorted by code."""
    items = [i for i in budget.basic_by_economic if i.funds.get(GENERAL)]
    rows = []
    for cls in sorted({i.code[:3] for i in items}):
        members = [i for i in items if i.code.startswith(cls)]
        rows.append(EconomicRow(cls, catalogue.economic_name(cls) or "", "", 1,
                                *split_categories(members)))
        rows.extend(EconomicRow(i.code, catalogue.economic_name(i.code) or i.name, catalogue.gov_name_for(i.code, budget.unit.kind), 2,
                                *split_categories([i]))
                    for i in sorted(members, key=lambda i: i.code))
    return tuple(rows)


def split_categories(items) -> tuple:
    """(人员经费, 公用经费) of the 一般公共预算 part of some economic items."""
    personnel = total(i.funds.get(GENERAL) for i in items if i.category == "人员经费")
    public = total(i.funds.get(GENERAL) for i in items if i.category == "公用经费")
    return personnel, public


def economic_grand(rows: tuple) -> EconomicRow:
    classes = [r for r in rows if r.level == 1]
    return EconomicRow("", "合计", "", 0, total(r.personnel for r in classes), total(r.public for r in classes))


def office_operation(budget: Budget, economic: tuple) -> Funds:
    """机关运行经费: the 公用经费 of a 行政 or 参公 unit's basic expenditure, by fund source."""
    if budget.unit.kind not in OFFICE_KINDS:
        return Funds()
    return sum_funds(i.funds for i in budget.basic_by_economic if i.category == "公用经费")
