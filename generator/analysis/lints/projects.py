"""Lints on projects and their 绩效目标表: names (L02) and indicator values (L03)."""
from __future__ import annotations

import re
from decimal import Decimal
from difflib import SequenceMatcher
from itertools import combinations

from generator.core.model import Budget
from generator.core.money import WAN, format_yuan, total
from generator.core.problems import Problem

# L02 ------------------------------------------------------------------------------------------

PREFIX = re.compile(r"^[A-Za-z]+")            # the budget system's letter before a name (J…, Z…)
NUMERALS = set("0123456789〇零一二三四五六七八九十百千")


def name_differences(a: str, b: str) -> list[tuple[str, str]]:
    """The (a-part, b-part) pairs where two names differ, by difflib's opcodes."""
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in ops if tag != "equal"]


def describe_differences(a: str, b: str) -> str:
    return "、".join(f"“{x or '（无）'}”/“{y or '（无）'}”" for x, y in name_differences(a, b))


def near_duplicate(a: str, b: str) -> bool:
    """Two different names that read as one: after the letter prefix, at most one character in ten
    differs (at least one may). Names differing only in numbers (一期/二期, 2号楼/3号楼) are distinct."""
    core_a, core_b = PREFIX.sub("", a), PREFIX.sub("", b)
    if a == b or min(len(core_a), len(core_b)) < 4:
        return False
    allowed = max(1, min(len(core_a), len(core_b)) // 10)
    if at_least_changed(core_a, core_b) > allowed:       # most pairs end here, without difflib
        return False
    diffs = name_differences(core_a, core_b)
    if diffs and all(set(x + y) <= NUMERALS for x, y in diffs):
        return False
    return sum(max(len(x), len(y)) for x, y in diffs) <= allowed


def at_least_changed(a: str, b: str) -> int:
    """A lower bound of the characters that differ between `a` and `b`: the difference in length,
    and the characters of one that the other lacks (each is at least one changed place)."""
    set_a, set_b = set(a), set(b)
    return max(abs(len(a) - len(b)), len(set_a - set_b), len(set_b - set_a))


def lint_project_names(budget: Budget, figures) -> list[Problem]:
    """L02: a project named otherwise in its 绩效目标表; two projects whose names nearly coincide."""
    problems = []
    for p in budget.projects:
        perf = p.performance
        if perf is None or perf.name == p.name:
            continue
        if near_duplicate(p.name, perf.name):
            how = f"（{describe_differences(p.name, perf.name)}不同），像是笔误"
        else:
            how = "，两处名称不同"
        problems.append(Problem(budget.pos(perf.path, "name"),
                                f"项目在项目支出预算表中名为“{p.name}”，在绩效目标表中名为“{perf.name}”{how}；"
                                f"同一项目两处应使用同一名称，请统一（都用“{p.name}”时删去 performance.name 即可）",
                                "warning", "L02", (budget.pos(p.path, "name"),)))
    for a, b in combinations(budget.projects, 2):
        if near_duplicate(a.name, b.name):
            problems.append(Problem(budget.pos(b.path, "name"),
                                    f"项目“{b.name}”与项目“{a.name}”名称相近（仅{describe_differences(a.name, b.name)}"
                                    "不同），请确认是两个不同的项目；若为同一项目应合并为一项，若为笔误请改正",
                                    "warning", "L02", (budget.pos(a.path, "name"),)))
    return problems


# L03 ------------------------------------------------------------------------------------------

AT_MOST = re.compile(r"^\s*(?:≤|<=|＜=|<|＜|不高于|不超过|不大于|低于|小于)\s*")
LOWER_IS_BETTER = ("差错", "错误", "故障", "投诉", "失误", "事故", "偏差", "延误", "中断", "损失", "缺陷",
                   "返工", "不合格", "违规", "违纪", "漏洞", "超支", "超标", "风险", "问题")
COST = re.compile(r"^\s*(≤|<=|＜=|<|＜|不高于|不超过|=|＝)?\s*(\d[\d,，]*(?:\.\d+)?)\s*(万元|元)\s*$")
MALFORMED = ((re.compile(r"(?<=\d)\s*百分比"), "%"), (re.compile(r">=|=>|＞="), "≥"), (re.compile(r"<=|=<|＜="), "≤"))


def indicator_values(ind) -> list[tuple[str, str]]:
    """(key, value): the value, and the 年度 value when it is written separately."""
    pairs = [("value", ind.value)]
    if ind.annual_value != ind.value:
        pairs.append(("annual_value", ind.annual_value))
    return pairs


def indicators_of(budget: Budget):
    """(project, indicator, key, value) for every indicator value of every 绩效目标表."""
    for p in budget.projects:
        for ind in (p.performance.indicators if p.performance else ()):
            for key, value in indicator_values(ind):
                yield p, ind, key, value


def higher_is_better(ind) -> str:
    """'满意度指标' or '质量指标' when a larger value is better; '' otherwise (差错率 and the like)."""
    if any(w in ind.name for w in LOWER_IS_BETTER):
        return ""
    if ind.level1 == "满意度指标" or "满意" in ind.level2 or "满意度" in ind.name:
        return "满意度指标"
    return "质量指标" if ind.level2 == "质量指标" else ""


def lint_indicator_direction(budget: Budget, figures) -> list[Problem]:
    """L03: a satisfaction or quality indicator written ≤98% where ≥98% is meant."""
    problems = []
    for p, ind, key, value in indicators_of(budget):
        kind = higher_is_better(ind)
        match = AT_MOST.match(value)
        if kind and match:
            fixed = normalise_units("≥" + value[match.end():])
            problems.append(Problem(budget.pos(ind.path, key),
                                    f"项目“{p.name}”的{ind.level2}“{ind.name}”指标值写作“{value.strip()}”，"
                                    f"{kind}应不低于目标值，应为“{fixed.strip()}”", "warning", "L03"))
    return problems


def cost_amount(value: str) -> tuple[str, Decimal] | None:
    """'≤23400元' → ('≤', 23400); '≤2.34万元' → ('≤', 23400); None when it is not an amount."""
    m = COST.match(value)
    if not m:
        return None
    amount = Decimal(m.group(2).replace(",", "").replace("，", ""))
    return ("≤" if m.group(1) and m.group(1) not in ("=", "＝") else ""), amount * (WAN if m.group(3) == "万元" else 1)


def lint_cost_indicators(budget: Budget, figures) -> list[Problem]:
    """L03: 成本指标 amounts (元 or 万元) other than the project's budget.

    A single cost indicator must equal the budget (a separate 实施期 value: the 实施期 total).
    Several may split the budget between them: then their sum must equal it — or each must, when
    they restate it. Values that are not one amount (≤5%, 500元/人, 合理) are not compared.
    """
    problems = []
    for p in budget.projects:
        columns: dict = {}
        for ind in (p.performance.indicators if p.performance else ()):
            if "成本" not in ind.level2:
                continue
            for key, value in indicator_values(ind):
                parsed = cost_amount(value)
                period_only = key == "value" and ind.annual_value != ind.value
                if parsed:
                    columns.setdefault(period_only, []).append((ind, key, value, *parsed))
        for period_only, costs in columns.items():
            expected = p.performance.period_total if period_only else p.funds.total
            problems += cost_problems(budget, p, costs, expected, "实施期资金总额" if period_only else "预算")
    return problems


def cost_problems(budget: Budget, p, costs: list, expected: Decimal, what: str) -> list[Problem]:
    amounts = [c[4] for c in costs]
    if total(amounts) == expected or all(a == expected for a in amounts):
        return []
    ind, key, value, sign, amount = costs[0]
    if len(costs) == 1:
        message = (f"项目“{p.name}”的成本指标“{ind.name}”为“{value.strip()}”，即 {format_yuan(amount)} 元，"
                   f"与项目{what} {format_yuan(expected)} 元不一致；应为“{sign}{expected:f}元”")
    else:
        listed = "、".join(f"“{c[0].name}”{c[2].strip()}" for c in costs)
        message = (f"项目“{p.name}”的成本指标（{listed}）合计 {format_yuan(total(amounts))} 元，"
                   f"与项目{what} {format_yuan(expected)} 元不一致；各成本指标之和应等于项目{what}")
    return [Problem(budget.pos(ind.path, key), message, "warning", "L03")]


def normalise_units(value: str) -> str:
    for pattern, replacement in MALFORMED:
        value = pattern.sub(replacement, value)
    return value


def lint_indicator_units(budget: Budget, figures) -> list[Problem]:
    """L03: unit words written wrong — ≥95百分比 for ≥95%, >= for ≥, <= for ≤ (a value that is
    also the wrong way round is left to lint_indicator_direction, whose fix covers both)."""
    problems = []
    for p, ind, key, value in indicators_of(budget):
        fixed = normalise_units(value)
        if fixed != value and not (higher_is_better(ind) and AT_MOST.match(value)):
            problems.append(Problem(budget.pos(ind.path, key),
                                    f"项目“{p.name}”的{ind.level2}“{ind.name}”指标值“{value.strip()}”写法不规范，"
                                    f"应为“{fixed.strip()}”", "warning", "L03"))
    return problems
