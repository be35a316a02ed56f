"""Reading a hand-written text, part 1: the figures in it (part 2, what it says rose or fell: claims.py).

Pure text, no budget. ``figures_in`` finds amounts (万元, 元, 亿元, 1410.00万; digits half- or
full-width, thousands separators, Chinese numerals: 三十万元) and percentages (``5%``, ``5％``,
``百分之五``); years, dates, counts and document numbers carry no money unit and are never read, and
nothing inside 《titles》 or 【document numbers】 is. ``not_a_budget_figure`` tells the amounts
that are not the budget's: rates (每人500元, 500元/人, 单价), thresholds and ranges (50万元以上,
不超过, 5-10万元), money of others (交易额, 节约资金 …). Which percentages are budget figures — a
change or a share of money, not 满意度95% — is for claims.budget_figures to say.

Indexes are into the text as given (normalising is character for character).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))|(?<=\d)，(?=\d{3}\.)")   # 37,151.47 (37，151.47): 37_151.47
UNIT_FACTORS = {"亿元": Decimal(10) ** 8, "万元": Decimal(10000), "千元": Decimal(1000), "元": Decimal(1),
                "亿": Decimal(10) ** 8, "万": Decimal(10000)}
NUMBER = r"(?:\d{1,3}(?:_\d{3})+|\d+)(?:\.\d+)?"
CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUMBER = rf"[{CN_DIGITS}十百千]+(?:点[{CN_DIGITS}]+)?"
FIGURE = re.compile(rf"(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>亿元|万元|千元|元|%)"
                    rf"|(?<![\d.])(?P<bnum>(?:\d{{1,3}}(?:_\d{{3}})+|\d+)\.\d+)\s*(?P<bunit>亿|万)(?=[，,。；;、：:）)\s]|$)"
                    rf"|百分之(?P<pnum>{NUMBER}|{CN_NUMBER}|百)"
                    rf"|(?<![{CN_DIGITS}十百千])(?P<cnum>{CN_NUMBER})(?P<cunit>亿元|万元|千元|元)")
REFERENCE = re.compile(r"《[^》]*》|[【〔\[［{｛][^】〕\]］}｝]{0,12}[】〕\]］}｝]")
SEGMENT_END = "，,；;。！？!?：:\n"
SENTENCE_END = "；;。！？!?\n"

RATE_BEFORE = re.compile(r"(?:每|人均|户均|均价|单价|标准为?|平均)[^，,；;。]{0,6}$")
RATE_AFTER = re.compile(r"^\s*(?:/|／|每)")
THRESHOLD_BEFORE = re.compile(r"(?:不超过|不高于|不低于|不少于|不足|超过|低于|高于|大于|小于|至少|最高|最低|上限|下限"
                              r"|≥|≤|>|<|＞|＜)\s*$")
THRESHOLD_AFTER = re.compile(r"^\s*(?:[（(]含[）)])?\s*(?:以上|以下|以内|及以上|及以下|起|封顶)")
RANGE = re.compile(r"^\s*[-~～至到—–]\s*\d|\d\s*(?:亿元|万元|千元|元|%)?\s*[-~～至到—–]\s*$")
APPROXIMATE_BEFORE = re.compile(r"(?:约|近|大约|接近|将近|约为)\s*$")
NOT_THE_BUDGET = re.compile(r"交易额|成交额|交易金额|成交金额|交易总额|标的|节约|节支|节省|挽回|罚款|罚没|营业额|产值"
                            r"|生产总值|注册资本|资产总额|总资产|平均工资|工资总额|中标|合同价|市场价|估值|贷款|融资"
                            r"|税收|税款|GDP|消费品|总投资|投资总额")


@dataclass(frozen=True)
class Written:
    """A figure written in a text."""
    start: int
    end: int
    text: str               # as written: 30.00万元, ５%, 百分之五
    value: Decimal          # 元 for an amount, percent for a percentage
    kind: str               # "amount" | "percent"
    places: int             # decimals written, in its own unit (30.00万元: 2)
    factor: Decimal         # 元 per written unit (万元: 10000); 1 for a percentage
    approximate: bool       # 约30万元, 30万元左右: compared at the precision written


def normalise(text: str) -> str:
    """Full-width digits, point and percent as ASCII and thousands separators as _, character for
    character; references (《titles》, 【document numbers】) blanked out, so that nothing in them is read."""
    plain = THOUSANDS.sub("_", text.translate(FULL_WIDTH))
    return REFERENCE.sub(lambda m: " " * len(m.group()), plain)


def cn_number(text: str) -> Decimal | None:
    """十三点五三 → 13.53, 两千 → 2000, 一百零五 → 105; None when it is not a number."""
    whole, _, fraction = text.partition("点")
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    result, current = 0, 0
    for ch in whole:
        if ch in digits:
            current = digits[ch]
        elif ch in "十百千":
            result += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        else:
            return None
    result += current
    if fraction:
        return Decimal(f"{result}." + "".join(str(digits[c]) for c in fraction))
    return Decimal(result)


def parse_figure(m: re.Match) -> tuple[Decimal, str, int, Decimal] | None:
    """(value, kind, places, factor) of a FIGURE match."""
    if m.group("num") or m.group("bnum"):          # 30.00万元, 5%, 1410.00万 (万 alone, with decimals)
        number, unit = (m.group("num") or m.group("bnum")).replace("_", ""), m.group("unit") or m.group("bunit")
        places = len(number.partition(".")[2])
        if unit == "%":
            return Decimal(number), "percent", places, Decimal(1)
        return Decimal(number) * UNIT_FACTORS[unit], "amount", places, UNIT_FACTORS[unit]
    if m.group("pnum"):
        text = m.group("pnum")
        value = Decimal(100) if text == "百" else Decimal(text.replace("_", "")) if text[0].isdigit() else cn_number(text)
        return (value, "percent", len(str(value).partition(".")[2]), Decimal(1)) if value is not None else None
    value, unit = cn_number(m.group("cnum")), m.group("cunit")
    if value is None or (unit == "元" and not set(m.group("cnum")) & set("十百千")):
        return None                          # 一元化, 多元: not an amount
    return value * UNIT_FACTORS[unit], "amount", len(str(value).partition(".")[2]), UNIT_FACTORS[unit]


def segment_bounds(text: str, i: int, ends: str = SEGMENT_END) -> tuple[int, int]:
    start = max(text.rfind(c, 0, i) for c in ends) + 1
    stops = [j for j in (text.find(c, i) for c in ends) if j >= 0]
    return start, min(stops, default=len(text))


def not_a_budget_figure(text: str, start: int, end: int) -> bool:
    """A rate, a threshold, one end of a range, or money other than the budget's."""
    seg_start, seg_end = segment_bounds(text, start)
    before, after = text[seg_start:start], text[end:seg_end]
    return bool(RATE_BEFORE.search(before) or RATE_AFTER.match(after) or THRESHOLD_BEFORE.search(before)
                or THRESHOLD_AFTER.match(after) or RANGE.match(after) or RANGE.search(before)
                or NOT_THE_BUDGET.search(before))


def figures_in(text: str) -> list[Written]:
    """Every amount and percentage of the text, budget figure or not (see ``budget_figures``)."""
    plain = normalise(text)
    found = []
    for m in FIGURE.finditer(plain):
        parsed = parse_figure(m)
        if parsed is None:
            continue
        value, kind, places, factor = parsed
        seg_start, seg_end = segment_bounds(plain, m.start())
        approximate = bool(APPROXIMATE_BEFORE.search(plain[seg_start:m.start()])
                           or plain[m.end():seg_end].lstrip().startswith("左右"))
        found.append(Written(m.start(), m.end(), text[m.start():m.end()], value, kind, places, factor, approximate))
    return found
