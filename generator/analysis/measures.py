"""The named measures every pack may use: the national vocabulary of what a budget disclosure
reports, each a filter over the facts (analysis/cube.py). A pack may define more (pack.yaml
`measures:`) or narrow one for its region; docs/packs.md lists them all.

Prior-year figures (prior_year in a unit file) are keyed by these names: `prior_year.total` is
last year's `total`. A measure whose prior is not given is the sum of its parts' priors where it
has parts (`three_public` = its four parts).
"""
from __future__ import annotations

from collections.abc import Mapping

from generator.analysis.cube import Filter, make_filter
from generator.core.model import OFFICE_KINDS

FUNCTION: dict[str, object] = {"axis": "function"}
STANDARD: dict[str, dict[str, object]] = {
    "total": FUNCTION,                                                     # 收支总计（本年 + 上年结转）
    "current": {**FUNCTION, "period": "本年"},                              # 本年收入 / 本年支出合计
    "carry": {**FUNCTION, "period": "上年结转"},
    "basic": {**FUNCTION, "nature": "基本"},
    "project": {**FUNCTION, "nature": "项目"},
    "fiscal": {**FUNCTION, "source": "财政拨款"},                            # 财政拨款（含上年结转）
    "fiscal_current": {**FUNCTION, "source": "财政拨款", "period": "本年"},
    "fiscal_carry": {**FUNCTION, "source": "财政拨款", "period": "上年结转"},
    "general_budget": {**FUNCTION, "source": "一般公共预算", "period": "本年"},   # 一般公共预算当年支出（表五）
    "general_basic": {**FUNCTION, "source": "一般公共预算", "period": "本年", "nature": "基本"},
    "government_fund": {**FUNCTION, "source": "政府性基金预算", "period": "本年"},
    "state_capital": {**FUNCTION, "source": "国有资本经营预算", "period": "本年"},
    "unit_funds": {**FUNCTION, "source": "单位资金"},
    "general_personnel": {"axis": "economic", "source": "一般公共预算", "category": "人员经费"},
    "general_public": {"axis": "economic", "source": "一般公共预算", "category": "公用经费"},
    "office_operation": {"axis": "economic", "category": "公用经费", "source": "财政拨款",
                         "unit_kind": list(OFFICE_KINDS)},                  # 机关运行经费
    "three_public": {"axis": "three_public", "source": "财政拨款"},
    "three_public.outbound": {"axis": "three_public", "source": "财政拨款", "code": "outbound"},
    "three_public.reception": {"axis": "three_public", "source": "财政拨款", "code": "reception"},
    "three_public.vehicle": {"axis": "three_public", "source": "财政拨款",
                             "code": ["vehicle_purchase", "vehicle_operation"]},
    "three_public.vehicle_purchase": {"axis": "three_public", "source": "财政拨款", "code": "vehicle_purchase"},
    "three_public.vehicle_operation": {"axis": "three_public", "source": "财政拨款", "code": "vehicle_operation"},
    "fund_income": {"axis": "fund_income"},
    "state_capital_income": {"axis": "state_capital_income"},
    "procurement": {"axis": "procurement"},
    "procurement.goods": {"axis": "procurement", "code": "goods"},
    "procurement.works": {"axis": "procurement", "code": "works"},
    "procurement.services": {"axis": "procurement", "code": "services"},
}

# A measure whose prior is not written is the sum of these parts' priors.
PRIOR_PARTS = {
    "three_public": ("three_public.outbound", "three_public.reception", "three_public.vehicle_purchase",
                     "three_public.vehicle_operation"),
    "three_public.vehicle": ("three_public.vehicle_purchase", "three_public.vehicle_operation"),
}


def compile_measures(extra: Mapping[str, Mapping[str, object]] | None = None) -> dict[str, Filter]:
    """The standard measures with a pack's own (which may replace a standard one), as filters."""
    return {name: make_filter(spec) for name, spec in {**STANDARD, **(extra or {})}.items()}
