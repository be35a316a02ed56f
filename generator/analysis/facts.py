"""Stage 4b — the facts behind every figure-bearing sentence of 第三部分, exact.

The templates word them; nothing here formats text. Shares are exact percentages (Decimal) or None
when the whole is zero; changes are ``money.Change`` values.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.analysis.derive import Tables
from generator.core.model import FISCAL_SOURCES, FUND_SOURCES, GENERAL, THREE_PUBLIC_PARTS, Budget
from generator.core.money import Change, percent, to_wan, total

PROJECT_KINDS = ("其他运转类", "特定目标类")


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
class Facts:
    year: int
    prior_year: int
    income_total: Decimal
    income_current: Decimal
    income_carry: Decimal
    total_change: Change
    income_shares: tuple        # Share per fund source, then 上年结转
    basic: Share
    project: Share
    fiscal_total: Decimal
    fiscal_by_source: tuple     # Share per 财政拨款 source
    fiscal_current: Decimal
    fiscal_carry: Decimal
    fiscal_classes: tuple       # Share per 类 with 财政拨款
    general_current: Decimal    # 一般公共预算当年支出 (表五)
    general_change: Change
    general_classes: tuple      # Share per 类 of 一般公共预算当年支出
    general_basic: Decimal
    personnel: Decimal
    public: Decimal
    personnel_items: tuple      # economic 款 names, 表六 order
    public_items: tuple
    three_public_total: Change
    three_public: dict          # part -> Change
    vehicle: Change
    office_operation: Change
    procurement_total: Decimal
    projects: tuple             # KindCount per kind
    project_count: int
    project_amount: Decimal
    published: tuple            # KindCount per kind, projects with a 绩效目标表
    published_count: int
    published_amount: Decimal
    published_share: Decimal | None


def shown(amount: Decimal) -> bool:
    """An amount that prints as something in 万元: the lists of 类 in the text leave out one under 50 元."""
    return to_wan(amount) != 0


def shares(pairs, whole: Decimal) -> tuple:
    return tuple(Share(key, amount, percent(amount, whole)) for key, amount in pairs)


def derive_facts(budget: Budget, tables: Tables) -> Facts:
    grand = tables.grand
    income_total = grand.total
    classes = [line.row for line in tables.class_lines if line.row]
    general_current = grand.current.get(GENERAL)
    prior = budget.prior_year
    three = {p: Change(tables.three_public[p].fiscal, prior.three_public[p]) for p in THREE_PUBLIC_PARTS}
    published = [p for p in budget.projects if p.performance]
    project_amount = total(p.funds.total for p in budget.projects)
    published_amount = total(p.funds.total for p in published)
    return Facts(
        year=budget.year,
        prior_year=budget.year - 1,
        income_total=income_total,
        income_current=grand.current.total,
        income_carry=grand.carry.total,
        total_change=Change(income_total, prior.total),
        income_shares=shares([(s, grand.current.get(s)) for s in FUND_SOURCES]
                             + [("上年结转", grand.carry.total)], income_total),
        basic=shares([("基本支出", grand.basic_total)], income_total)[0],
        project=shares([("项目支出", grand.project_total)], income_total)[0],
        fiscal_total=grand.all_funds.fiscal,
        fiscal_by_source=shares([(s, grand.all_funds.get(s)) for s in FISCAL_SOURCES], grand.all_funds.fiscal),
        fiscal_current=grand.current.fiscal,
        fiscal_carry=grand.carry.fiscal,
        fiscal_classes=shares([(r.name, r.all_funds.fiscal) for r in classes if shown(r.all_funds.fiscal)],
                              grand.all_funds.fiscal),
        general_current=general_current,
        general_change=Change(general_current, prior.general_budget),
        general_classes=shares([(r.name, r.current.get(GENERAL)) for r in classes if shown(r.current.get(GENERAL))],
                               general_current),
        general_basic=grand.basic.get(GENERAL),
        personnel=tables.economic_grand.personnel,
        public=tables.economic_grand.public,
        personnel_items=tuple(r.name for r in tables.economic_rows if r.level == 2 and r.personnel),
        public_items=tuple(r.name for r in tables.economic_rows if r.level == 2 and r.public),
        three_public_total=Change(tables.three_public_total.fiscal, total(prior.three_public.values())),
        three_public=three,
        vehicle=Change(tables.vehicle_total.fiscal,
                       prior.three_public["vehicle_purchase"] + prior.three_public["vehicle_operation"]),
        office_operation=Change(tables.office_operation.fiscal, prior.office_operation),
        procurement_total=total(budget.procurement.values()),
        projects=kind_counts(budget.projects),
        project_count=len(budget.projects),
        project_amount=project_amount,
        published=kind_counts(published),
        published_count=len(published),
        published_amount=published_amount,
        published_share=percent(published_amount, project_amount),
    )


def kind_counts(projects) -> tuple:
    return tuple(KindCount(kind, sum(1 for p in projects if p.kind == kind),
                           total(p.funds.total for p in projects if p.kind == kind))
                 for kind in PROJECT_KINDS)
