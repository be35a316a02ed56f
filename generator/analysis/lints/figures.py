"""Figures in free text (L10, L11): what a finance office writes by hand, against the derived figures.

    L10  a direction word that contradicts the derived change of its item (经费减少5% while
         机关运行经费 rises by 13.53%)
    L11  a figure that is not the unit's: a change of a known item other than the derived one
         (机关运行经费增加5.00万元), or an amount or percentage equal to no derived figure
         (项目专项经费减少30.00万元), naming the nearest

Compared as printed: an amount at two decimals of 万元 (or of 元 when written in 元), a percentage at
two decimals, half-up; a figure written 约…/…左右 at the precision written. Figures that account
for each other are not asked about: parts after 其中 that add up to the figure before it, and
changes of several items in an explanation that add up to the change it explains.
Texts: every hand-written text except names and 绩效指标 (indicator values are targets; L03
checks them); in duties and organisation, which describe the unit's work, not its budget, only
amounts that could be the unit's own. See written.py and claims.py for what is read as a figure and as a claim.
"""
from __future__ import annotations

import re
from decimal import Decimal

from generator.analysis.figures import Figures
from generator.analysis.lints.claims import Claim, budget_figures
from generator.analysis.lints.derived import EXECUTED, Figure, derived_figures, item_label
from generator.analysis.lints.text import TextField, text_fields, text_warning
from generator.analysis.lints.written import Written, segment_bounds
from generator.core.model import Budget
from generator.core.money import format_pct, format_wan, format_yuan, round_half_up
from generator.core.problems import Problem, dotted_path

EXPLAINED_ITEM = {"total": "total", "general_budget": "general", "fiscal": "fiscal", "three_public": "three_public",
                  "office_operation": "office_operation",    # explanations key -> the item it explains
                  **{f"three_public.{p}": p for p in ("outbound", "reception", "vehicle", "vehicle_purchase", "vehicle_operation")}}
CONTRADICTS = {"up": ("down", "same"), "down": ("up", "same"), "same": ("up", "down"), "about-same": (), "intent": (),
               "not-up": ("up",), "not-down": ("down",)}
SIGN = {"up": 1, "down": -1}


def figure_fields(budget: Budget) -> list[TextField]:
    """The texts whose figures are compared: not names, not 绩效指标, not the 项目经费情况说明 (their
    amounts are of projects the unit file does not list)."""
    return [f for f in text_fields(budget)
            if "indicators" not in f.path and f.path[-1] not in ("name", "term") and f.path[0] != "project_notes"]


def equals(written: Written, value: Decimal) -> bool:
    """The derived value, shown as the figure is written, is the written figure."""
    places = written.places if written.approximate else max(written.places, 2)
    return round_half_up(value / written.factor, places) == written.value / written.factor


def printed(figure: Figure, in_yuan: bool = False) -> str:
    """A derived figure in words: 机关运行经费比上年增加3.27万元, 基本支出占支出总计的比重为43.77%."""
    money = (format_yuan(figure.value) + "元") if in_yuan else (format_wan(figure.value) + "万元")
    if figure.kind == "amount":
        return f"{figure.label}{money}"
    if figure.kind == "percent":
        return f"{figure.label}为{format_pct(figure.value)}%"
    last_year = "上年执行数" if figure.item.endswith(EXECUTED) else "上年"
    if figure.direction == "same":
        return f"{figure.label}与{last_year}相同"
    up = figure.direction == "up"
    if figure.kind == "change":
        return f"{figure.label}比{last_year}{'增加' if up else '减少'}{money}"
    return f"{figure.label}比{last_year}{'增长' if up else '下降'}{format_pct(figure.value)}%"


def change_words(item: str, by_item: dict) -> str:
    """机关运行经费比上年增加3.27万元，增长13.53%; 公务用车运行维护费与上年相同（3.50万元）."""
    change = by_item[("change", item)]
    if change.direction == "same":
        return printed(change)
    pct = by_item.get(("change-percent", item))
    return printed(change) + (f"，{'增长' if change.direction == 'up' else '下降'}{format_pct(pct.value)}%" if pct else "")


def nearest(written: Written, figures: list[Figure], change: bool, scope: str = "") -> Figure | None:
    """The derived figure closest to a written one: a change for a change, the project's own
    figures for a project's text, else any of its kind."""
    kinds = ("change", "amount") if written.kind == "amount" else ("change-percent", "percent")
    pool = [f for f in figures if f.kind == kinds[0]] if change else []
    pool = pool or [f for f in figures if f.kind in kinds and scope and f.item == scope]
    pool = pool or [f for f in figures if f.kind in kinds]
    return min(pool, key=lambda f: abs(f.value - written.value), default=None)


def phrase_of(text: str, claim: Claim) -> str:
    end = claim.figure.end if claim.figure else claim.end
    return text[min(claim.phrase_start, claim.start):end]


def accounted_parts(text: str, written: list[Written]) -> set[int]:
    """Amounts after 其中 that add up to the amount before it (within their rounding), and a 合计
    after them that restates it: 预算70万元，其中扩建50万元、设备20万元（合计70万元）."""
    found: set[int] = set()
    start = text.find("其中")
    while start >= 0:
        sentence_start, sentence_end = segment_bounds(text, start, "。！？!?\n")
        head = [w for w in written if w.kind == "amount" and sentence_start <= w.start < start]
        for end in (segment_bounds(text, start, "；;。！？!?\n")[1], sentence_end):    # up to ；, else to 。
            after = [w for w in written if w.kind == "amount" and start < w.start < end]
            restated = [w for w in after if re.search(r"(?:合计|共计|总计|累计)[为是]?\s*$", text[max(0, w.start - 4):w.start])]
            parts = [w for w in after if w not in restated]
            if head and parts and adds_up(parts, head[-1].value):
                found |= {w.start for w in parts} | {w.start for w in restated if w.value == head[-1].value}
                break
        start = text.find("其中", start + 2)
    return found


def adds_up(parts: list[Written], whole: Decimal, signs: list[int] | None = None) -> bool:
    """The parts' sum is the whole, allowing each part its rounding (尾差)."""
    signs = signs or [1] * len(parts)
    added = sum((s * w.value for s, w in zip(signs, parts)), Decimal(0))
    slack = sum((w.factor * Decimal(5).scaleb(-w.places - 1) for w in parts), Decimal(0))
    return abs(added - whole) <= slack


def lint_text_figures(budget: Budget, derived: Figures) -> list[Problem]:
    """L10 and L11 over every figure-bearing text of the unit."""
    figures = derived_figures(budget, derived)
    by_item = {(f.kind, f.item): f for f in figures if f.kind.startswith("change")}
    problems = []
    for field in figure_fields(budget):
        problems += field_problems(budget, field, figures, by_item)
    return problems


def field_problems(budget: Budget, field: TextField, figures: list[Figure], by_item: dict) -> list[Problem]:
    """L10 and L11 in one text: its claims about known items, then every figure not accounted for."""
    written, claims = budget_figures(field.text)
    if field.path[0] == "unit":
        written, claims = about_the_unit(written, figures), []
    explained = EXPLAINED_ITEM.get(str(field.path[-1])) if field.path[0] == "explanations" else None
    done = accounted_parts(field.text, written)
    problems: list[Problem] = []
    others: list[Claim] = []
    for claim in claims:
        item = explained if claim.item in ("generic", "unnamed") else claim.item
        item = item + EXECUTED if item and claim.executed else item
        if item is None or ("change", item) not in by_item:
            if claim.figure in written and claim.figure.kind == "amount" and claim.direction in SIGN and not claim.level:
                others.append(claim)                # a change of another item: 人员经费增加10.00万元
            continue
        if claim.figure:
            done.add(claim.figure.start)
        found = claim_message(field, claim, item, claim.figure, by_item)
        if found:
            at = claim.figure.start if found[0] == "L11" and claim.figure else claim.start
            problems.append(text_warning(budget, field, at, found[1], found[0]))
    change = by_item.get(("change", explained)) if explained else None     # none without last year's figure
    done |= adding_up_to(change, [c for c in others if c.figure and c.figure.start not in done])
    return problems + [text_warning(budget, field, w.start, unmatched_message(field, w, figures, claims), "L11")
                       for w in written if w.start not in done and not derived(w, figures)]


def adding_up_to(change: Figure | None, claims: list[Claim]) -> set[int]:
    """The changes of other items an explanation gives, when together they make its item's change
    (一是人员经费增加10.00万元；二是项目支出减少35.96万元 for a total 25.96万元 less)."""
    amounts = [c.figure for c in claims if c.figure]
    if change is None or not amounts or not adds_up(amounts, signed(change), [SIGN[c.direction] for c in claims]):
        return set()
    return {w.start for w in amounts}


def derived(w: Written, figures: list[Figure]) -> bool:
    return any(f.kind in KINDS[w.kind] and equals(w, f.value) for f in figures)


KINDS = {"amount": ("amount", "change"), "percent": ("percent", "change-percent")}


def about_the_unit(written: list[Written], figures: list[Figure]) -> list[Written]:
    """Duties and organisation describe what a unit does, not its budget: their rises and falls
    (财政收入增长5%) and their sums larger than any of the unit's figures (负责全市300亿元资金的监管)
    are another's. Only amounts that could be the unit's own are compared."""
    largest = max((f.value for f in figures if f.kind == "amount"), default=Decimal(0))
    return [w for w in written if w.kind == "amount" and w.value <= largest]


def signed(change: Figure) -> Decimal:
    return change.value * SIGN.get(change.direction, 0)


def claim_message(field: TextField, claim: Claim, item: str, figure: Written | None, by_item: dict):
    """(rule, message) when a claim about a known item is wrong; None when it is right. A change
    of nothing (比上年减少0万元, 增长0%) of an item that did not change says what the data say."""
    change = by_item[("change", item)]
    said = phrase_of(field.text, claim)
    nothing = change.direction == "same" and figure is not None and not claim.level and figure.value == 0
    if change.direction in CONTRADICTS[claim.direction] and not nothing:
        return "L10", (f"{field.label}写“{said}”，但{change_words(item, by_item)}；增减方向与数据相反，请按数据改写")
    if figure is None or claim.level or claim.direction not in SIGN:
        return None
    expected = by_item.get(("change" if figure.kind == "amount" else "change-percent", item))
    if expected is not None and equals(figure, expected.value):
        return None
    if expected is None:
        return "L11", (f"{field.label}写“{said}”，但上年{item_label(item)}为0，没有增长率；请删去“{figure.text}”")
    right = printed(expected, figure.factor == 1 and figure.kind == "amount")
    return "L11", f"{field.label}写“{said}”，但{right}；请按数据改写"


def unmatched_message(field: TextField, w: Written, figures: list[Figure], claims: list[Claim]) -> str:
    change = any(c.figure == w for c in claims)
    near = nearest(w, figures, change, dotted_path(field.path[:2]) if field.path[0] == "projects" else "")
    hint = f"（最接近的是{printed(near, w.factor == 1 and w.kind == 'amount')}）" if near else ""
    what = "金额" if w.kind == "amount" else "百分比"
    return (f"{field.label}中的{what}“{w.text}”与本单位的推算数都不相符{hint}；请按数据填写，"
            f"若确有依据，请核实后在 waivers 中写明理由（rule: L11，field: {dotted_path(field.path)}）")
