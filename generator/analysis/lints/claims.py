"""What a text says went up, went down or stayed the same, and of which item (see written.py).

A claim is a direction word and the item it is said of: the words before it in its clause
(机关运行经费比上年增加 → 机关运行经费; the comparison 比上年/比2025年预算24.17万元 and adverbs are
passed over), else the words after it (减少了项目专项经费), else — when the clause is only a figure
(…增加3.27万元，增长13.53%) — the item of the claim before it in the sentence. The item is a known
one (KNOWN_ITEMS), ``generic`` (经费, 支出 … with nothing more specific: the item the field stands
for), ``unnamed`` (the sentence names nothing: 较上年增加3.27万元 — in an explanation, its item), or
None: another item (人员经费, 项目专项经费) or not money at all (人员, 效率).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from generator.analysis.lints.written import SENTENCE_END, Written, figures_in, normalise, not_a_budget_figure, segment_bounds

FEE = r"(?:经费|费用?)"      # 公务接待费, 公务接待费用, 公务接待经费
KNOWN_ITEMS = {          # item -> the ways texts name it (full names; the tail of a longer name does not count)
    "total": r"预算收支总计|收支总计|收入总计|支出总计|收支总预算|收支预算总额|收支预算|收入预算|支出预算|预算总额|预算总计"
             r"|总预算|总收入|总支出|收入总额|支出总额|收支总额|预算规模|预算总规模|单位预算|部门预算",
    "general": r"一般公共预算(?:当年)?(?:财政)?(?:拨款)?(?:支出|收入)?(?:预算数?)?",
    "fiscal": r"财政拨款(?:收支|收入|支出)?(?:预算(?:总额|数)?|总额|总计)?",
    "three_public": r"[“\"]?三公[”\"]?经费(?:支出|预算数?)?",
    "outbound": rf"因公出国[（(]境[）)]{FEE}|因公出国{FEE}|出国[（(]境[）)]{FEE}",
    "reception": rf"公务接待{FEE}",
    "vehicle": rf"公务用车购置及运行(?:维护)?{FEE}|公务用车购置及运维{FEE}",
    "vehicle_purchase": rf"公务用车购置{FEE}|公车购置{FEE}",
    "vehicle_operation": rf"公务用车运行(?:维护)?{FEE}|公务用车运维{FEE}|公车运行(?:维护)?{FEE}|公车运维{FEE}",
    "office_operation": rf"机关运行{FEE}(?:支出|预算数?)?",
}
KNOWN = re.compile("|".join(f"(?P<{key}>{pattern})" for key, pattern in KNOWN_ITEMS.items()))
GENERIC = {"经费", "支出", "资金", "预算", "费用", "收入", "预算支出", "经费支出", "支出预算", "预算资金", "经费预算",
           "资金预算", "预算经费"}        # not 拨款, 财政拨款: the 财政拨款 part, which may move otherwise than the total
MODIFIERS = re.compile(r"^(?:相应|相关|有关|该项|此项|本项|上述|整体|总体|全年|年度|本年度?|今年|当年|各项|本单位|单位"
                       r"|本部门|部门|其中|其|总|所需|需要|\d{4}年度?)")
MONEY_SUFFIX = re.compile(r"(?:经费|支出|费用?|资金|预算|拨款|收入|补助|补贴|工资|奖金|津贴|公积金|保险)$")
PUNCTUATION = set("、（）()“”\"《》 \t") | set(SENTENCE_END) | set("，,：:")
STOP = set("的了是和与及而使将把让致对在从按因由为或") | PUNCTUATION      # where the words before a direction begin
OBJECT_STOP = set("的和与及或") | PUNCTUATION - set("“”\"")           # where the words after it end
COMPARISON = re.compile(r"(?:(?:比|较|与|同)(?:上年度?|去年|上一年度?|\d{4}年度?)(?:同期)?(?:预算执行数|预算数?|执行数|决算数?)?"
                        r"(?:\d[\d_.]*万?元)?(?:相比|相较|比较)?|同比|相比|相较|比上年|较上年)$")
ADVERBS = re.compile(r"(?:有所|略有|大幅|明显|相应|均|都|也|分别|将|预计|进一步|基本|大体|较大|略|稍"
                     r"|相对|继续|持续|逐步|需|需要)$")
UP = "增长幅度|增长率|增幅|增加|增长|增多|提高|上升|上涨|增支|提升"
DOWN = "下降幅度|下降率|减少幅度|降幅|减幅|减少|下降|降低|减低|缩减|压减|核减|压缩|减支|下调|回落"
SAME = "零增长|没有增减|无增减|未发生变化|没有变化|无变化|未变化|不变|持平|相同|一致"
DIRECTION = re.compile(rf"(?P<same>{SAME})|(?P<neg>未|没有|不|无)?(?:(?P<up>{UP})|(?P<down>{DOWN}))")
NEEDS_COMPARISON = ("相同", "一致")             # 与上年相同: only with a comparison in the clause
COMPARED = re.compile(r"上年|去年|上一年|\d{4}年|同期|以前年度")
EXECUTED = re.compile(r"执行数|决算")
CHANGE_NOUNS = ("增长幅度", "增长率", "增幅", "下降幅度", "下降率", "减少幅度", "降幅", "减幅")
ATTACHED = re.compile(r"\s*了?\s*(?:约为|约|近|大约)?\s*(?P<level>到|至|为|达到|达)?\s*")
SHARE = re.compile(r"占|比重")
APPROXIMATELY = re.compile(r"(?:基本|大体|大致|总体|略|稍)$")
INTENT = re.compile(r"(?:要|应|须|必须|力争|争取|努力|确保|进一步|继续|严格|着力|切实)$")
STATED_AMOUNT = re.compile(r"(?:为|是|达到?|共|合计|总计|计)?\s*(?:约)?\s*\d[\d_.]*\s*(?:亿元|万元|千元|元|亿|万)\s*$")


@dataclass(frozen=True)
class Claim:
    start: int                  # the direction word (with its negation: 未增加)
    end: int
    word: str
    direction: str              # up | down | same | not-up | not-down | about-same | intent
    item: str | None            # a KNOWN_ITEMS key, "generic", "unnamed" (the clause names nothing), or None
    money: bool                 # said of money (a known, generic or other money item, or an amount)
    phrase_start: int           # where the words it is said of begin
    figure: Written | None      # the figure right after it: 减少25.96万元, 增长了13.53%
    level: bool                 # 增加到/减少至 …: the figure is the new amount, not the change
    executed: bool = False      # compared with last year's 执行数 or 决算, not its budget (比2024年预算执行数增加)


def strip_tail(subject: str) -> str:
    """机关运行经费比2025年预算24.17万元 → 机关运行经费; 经费有所 → 经费."""
    while True:
        stripped = ADVERBS.sub("", COMPARISON.sub("", subject.rstrip())).rstrip()
        if stripped == subject:
            return subject
        subject = stripped


def without_modifiers(phrase: str) -> str:
    """相应经费 → 经费; 其中 → ''."""
    while (m := MODIFIERS.match(phrase)) and m.end():
        phrase = phrase[m.end():]
    return phrase


def tail_of(words: str) -> int:
    """Where the last run of words without a function word (的, 和, 因 …) or punctuation begins."""
    return len(words) - next((i for i, ch in enumerate(reversed(words)) if ch in STOP), len(words))


def classify(phrase: str) -> tuple[str | None, bool]:
    """(item, money) of the words a claim is said of, already cut at the clause's function words."""
    phrase = without_modifiers(phrase)
    if not phrase:
        return None, False
    if phrase in GENERIC:
        return "generic", True
    return None, bool(MONEY_SUFFIX.search(phrase))


def known_at_end(subject: str) -> tuple[str, int] | None:
    """The known item that ends the subject, named in full (not 基本支出预算 for 支出预算), and its start."""
    last = None
    for m in KNOWN.finditer(subject):
        if m.end() == len(subject):
            last = m
    if last is None:
        return None
    before = subject[:last.start()]
    rest = before[tail_of(before):]
    if rest.endswith("中") or not without_modifiers(rest):
        return str(last.lastgroup), last.start()
    return None


def subject_of(words: str, offset: int) -> tuple[str | None, bool, int] | None:
    """(item, money, where its words begin) of the words before a direction word in its clause;
    None when they name nothing (empty, or only a comparison and adverbs)."""
    subject = strip_tail(words)
    known = known_at_end(subject)
    if known:
        return known[0], True, offset + known[1]
    cut = tail_of(subject)
    if not without_modifiers(subject[cut:]):
        return None
    item, money = classify(subject[cut:])
    return item, money, offset + cut


def object_of(after: str, offset: int) -> tuple[str | None, bool, int] | None:
    """The same for the words after it: 减少了项目专项经费; None when a figure or nothing follows."""
    rest = after.lstrip("了 ")
    offset += len(after) - len(rest)
    length = next((i for i, ch in enumerate(rest) if ch in OBJECT_STOP or ch.isdigit()), len(rest))
    if not length:
        return None
    phrase = rest[:length]
    known = KNOWN.match(phrase)
    if known is not None and (known.end() == length or phrase[known.end():] in GENERIC):
        return str(known.lastgroup), True, offset           # 减少了三公经费, not 提高三公经费使用效益
    item, money = classify(phrase)
    return item, money, offset


def said_of(text: str, seg_start: int, start: int, end: int, seg_end: int) -> tuple[str | None, bool, int] | None:
    """What the direction word text[start:end] is said of: the words before it, else after it."""
    return subject_of(text[seg_start:start], seg_start) or object_of(text[end:seg_end], end)


def stated_before(text: str, seg_start: int, sentence_start: int) -> tuple[str | None, bool, int] | None:
    """The item of the clause before, when it states an amount: 机关运行经费27.44万元，比上年增加3.27万元."""
    if seg_start - 1 <= sentence_start:
        return None
    prev_start = segment_bounds(text, seg_start - 2)[0]
    words = text[prev_start:seg_start - 1]
    stated = STATED_AMOUNT.search(words)
    if stated is None:
        return None
    return subject_of(words[:stated.start()], prev_start)


def direction_of(m: re.Match, before: str) -> str:
    """up, down, same, not-up (未增加), not-down; about-same (基本持平) and intent (进一步压减, 确保…
    持平: an aim, not what the budget did) have no direction to contradict."""
    if INTENT.search(before.rstrip()):
        return "intent"
    if m.group("same"):
        return "about-same" if APPROXIMATELY.search(before) else "same"
    up = bool(m.group("up"))
    return ("not-up" if up else "not-down") if m.group("neg") else ("up" if up else "down")


def claims_in(text: str, figures: list[Written] | None = None) -> list[Claim]:
    plain = re.sub(r"(?<!无)(?<!没有)增减", "  ", normalise(text))
    starts = {f.start: f for f in (figures if figures is not None else figures_in(text))}
    claims: list[Claim] = []
    for m in DIRECTION.finditer(plain):
        seg_start, seg_end = segment_bounds(plain, m.start())
        if m.group("same") in NEEDS_COMPARISON and not COMPARED.search(plain[seg_start:seg_end]):
            continue
        sentence_start = segment_bounds(plain, m.start(), SENTENCE_END)[0]
        before = [c for c in claims if c.start >= sentence_start]
        found = (said_of(plain, seg_start, m.start(), m.end(), seg_end)
                 or ((before[-1].item, before[-1].money, before[-1].phrase_start) if before else None)
                 or stated_before(plain, seg_start, sentence_start) or ("unnamed", False, m.start()))
        item, money, phrase_start = found
        attached = ATTACHED.match(plain, m.end())
        figure = starts.get(attached.end()) if attached else None
        word = m.group()
        level = bool(attached and attached.group("level")) and not word.endswith(CHANGE_NOUNS)
        claims.append(Claim(m.start(), m.end(), word, direction_of(m, plain[seg_start:m.start()]), item,
                            money or bool(figure and figure.kind == "amount"), phrase_start, figure, level,
                            bool(EXECUTED.search(plain[seg_start:m.start()]))))
    return claims


def budget_figures(text: str) -> tuple[list[Written], list[Claim]]:
    """The figures of the text that are budget figures, and its claims.

    Amounts, unless not_a_budget_figure; percentages only as the change of money (经费减少5%) or as a
    share in a sentence about money (基本支出266.57万元，占43.77%) — 满意度95% and 达到100% are not.
    """
    figures = figures_in(text)
    claims = claims_in(text, figures)
    plain = normalise(text)
    changes = {c.figure.start for c in claims if c.figure and c.money}
    kept = []
    for f in figures:
        if not_a_budget_figure(plain, f.start, f.end):
            continue
        if f.kind == "percent" and f.start not in changes and not is_share(plain, f):
            continue
        kept.append(f)
    return kept, claims


def is_share(plain: str, f: Written) -> bool:
    seg_start, _ = segment_bounds(plain, f.start)
    sentence_start, sentence_end = segment_bounds(plain, f.start, SENTENCE_END)
    sentence = plain[sentence_start:sentence_end]
    return bool(SHARE.search(plain[seg_start:f.start])) and bool(KNOWN.search(sentence) or re.search(
        r"经费|支出|费用|资金|预算|拨款|收入", sentence))
