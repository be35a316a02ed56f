"""Exact money arithmetic: Decimal from the YAML text on, half-up rounding only at display.

Amounts are held in 元 (yuan). The document shows 万元 with two decimals and percentages with two
decimals, each rounded half-up (四舍五入) from its own exact value — never from rounded parts.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
WAN = Decimal(10000)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum (Decimal(0) for nothing)."""
    return sum(amounts, ZERO)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(QUANTA[places] if places in QUANTA else Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


QUANTA = {places: Decimal(1).scaleb(-places) for places in range(5)}


def to_wan(yuan: Decimal) -> Decimal:
    """元 → 万元, rounded half-up to two decimals."""
    return round_half_up(yuan.scaleb(-4))      # exact: a shift of the decimal point


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """The exact share of ``part`` in ``whole`` in percent; None when the whole is zero."""
    if whole == ZERO:
        return None
    return part * HUNDRED / whole


@dataclass(frozen=True)
class Change:
    """This year against last year, exact; ``pct`` is None when last year was zero."""
    current: Decimal
    prior: Decimal

    @property
    def delta(self) -> Decimal:
        return self.current - self.prior

    @property
    def size(self) -> Decimal:
        """How much it changed, without sign (the sentence says 增加 or 减少)."""
        return abs(self.delta)

    @property
    def pct(self) -> Decimal | None:
        return percent(self.size, self.prior)

    @property
    def direction(self) -> str:
        """'up', 'down' or 'same' — judged on the change as printed (万元, two decimals)."""
        shown = to_wan(self.delta)
        if shown > 0:
            return "up"
        if shown < 0:
            return "down"
        return "same"


def format_wan(yuan: Decimal, blank_zero: bool = False) -> str:
    """'609.03'; zero prints '0' in text and '' in a table cell (blank_zero)."""
    wan = to_wan(yuan)
    if wan == ZERO:
        return "" if blank_zero else "0"
    return f"{wan:.2f}"


def format_pct(value: Decimal | None, trim: bool = False) -> str:
    """'43.77'; zero prints '0'; ``trim`` drops a zero fraction ('100')."""
    if value is None:
        return "0"
    shown = round_half_up(value)
    if shown == ZERO:
        return "0"
    text = f"{shown:.2f}"
    return text.rstrip("0").rstrip(".") if trim else text


def format_yuan(yuan: Decimal) -> str:
    """'23,400' or '23,400.50' — the 绩效目标表 prints 元 with thousands separators."""
    shown = round_half_up(yuan)
    if shown == shown.to_integral_value():
        return f"{shown:,.0f}"
    return f"{shown:,.2f}"
