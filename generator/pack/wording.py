"""The wording: the pack's Jinja2 templates rendered from the derived facts.

Templates get typed objects — ``budget``, ``tables``, ``facts``, ``pack`` — and format figures only
through the filters below.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from generator.analysis.derive import Tables
from generator.analysis.facts import Facts
from generator.core.model import Budget
from generator.core.money import format_pct, format_wan, format_yuan
from generator.core.problems import PackError

if TYPE_CHECKING:
    from generator.pack.loading import Pack

CN_DIGITS = "零一二三四五六七八九"
CN_PLACES = ("千", "百", "十", "")
CN_UNITS = (("亿", 10 ** 8), ("万", 10 ** 4))


def cn_num(n: int) -> str:
    """A whole number in Chinese numerals, as numbered headings write it: 1 → 一, 10 → 十, 12 → 十二,
    30 → 三十, 100 → 一百, 101 → 一百零一, 110 → 一百一十, 1005 → 一千零五, 100010 → 十万零一十."""
    if n < 0:
        return "负" + cn_num(-n)
    words = cn_words(n) if n else CN_DIGITS[0]
    return words[1:] if words.startswith("一十") else words


def cn_words(n: int) -> str:
    """0 < n, with 零 wherever places are skipped inside it (the leading 一十 is cn_num's to shorten)."""
    for unit, size in CN_UNITS:
        if n >= size:
            high, low = divmod(n, size)
            return cn_words(high) + unit + ((CN_DIGITS[0] if low < size // 10 else "") + cn_words(low) if low else "")
    words, skipped = "", False
    for place, digit in zip(CN_PLACES, (int(d) for d in f"{n:04d}")):
        if digit == 0:
            skipped = bool(words)
            continue
        words += (CN_DIGITS[0] if skipped else "") + CN_DIGITS[digit] + place
        skipped = False
    return words


def cn_date(iso: str) -> str:
    """'2025-12-31' → '2025年12月31日'."""
    year, month, day = str(iso).split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def pct(value: Decimal | None) -> str:
    return format_pct(value)


def pct_trim(value: Decimal | None) -> str:
    return format_pct(value, trim=True)


def wan(value: Decimal) -> str:
    return format_wan(Decimal(value))


FILTERS = {"wan": wan, "pct": pct, "pct_trim": pct_trim, "yuan": format_yuan, "cn_num": cn_num, "cn_date": cn_date}


def glossary_terms(pack: Pack, budget: Budget) -> list:
    """The pack's terms with the unit's overrides applied (same term replaced, new ones appended).

    The pack's texts are templates (they may name the unit's level of government through
    ``departments``); a unit's own texts are taken as written.
    """
    departments = pack.settings["level_words"][budget.unit.level]
    terms = {term: [template.render(departments=departments) for template in templates]
             for term, templates in pack.glossary_templates}
    terms.update({term: as_paragraphs(text) for term, text in budget.glossary})
    return list(terms.items())


def as_paragraphs(text) -> list:
    return [text] if isinstance(text, str) else list(text)


def render_document(pack: Pack, budget: Budget, tables: Tables, facts: Facts) -> list[tuple[str, str]]:
    """The document as (directive, text) pairs, continuation lines joined to their block."""
    text = pack.env.get_template("document.j2").render(
        budget=budget, tables=tables, facts=facts, pack=pack.settings, glossary=glossary_terms(pack, budget))
    return parse_directives(text)


def parse_directives(text: str) -> list[tuple[str, str]]:
    blocks: list[list[str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("@"):
            head, _, rest = stripped[1:].partition(" ")
            blocks.append([head, rest.strip()])
        elif blocks:
            blocks[-1][1] += stripped
        else:
            raise PackError(f"document.j2 的第一行应为“@指令”，实际为：{stripped[:30]}")
    return [(head, body) for head, body in blocks]
