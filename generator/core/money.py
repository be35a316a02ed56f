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


UNIT_SHIFT = {"元": 0, "万元": -4}          # a display unit as a power of ten of 元


@dataclass(frozen=True)
class MoneyFormat:
    """How a pack shows money: in 万元 or 元, with `places` decimals (half-up), thousands
    separators or not, and what a zero prints ("" in a table cell, "0" in a sentence)."""
    unit: str = "万元"
    places: int = 2
    separators: bool = False
    zero: str = "0"

    @property
    def quantum(self) -> Decimal:
        """The smallest step shown, in 元: 100 元 for 万元 with two decimals, 0.01 元 for 元."""
        return Decimal(1).scaleb(-self.places - UNIT_SHIFT[self.unit])

    def shown(self, yuan: Decimal) -> Decimal:
        """The amount as printed, in the display unit (exact: a shift of the decimal point, then half-up)."""
        return round_half_up(yuan.scaleb(UNIT_SHIFT[self.unit]), self.places)

    def format(self, yuan: Decimal) -> str:
        value = self.shown(yuan)
        if value == ZERO:
            return self.zero
        return f"{value:,.{self.places}f}" if self.separators else f"{value:.{self.places}f}"


WAN_TEXT = MoneyFormat()


@dataclass(frozen=True)
class Change:
    """This year against last year, exact; ``pct`` is None when last year was zero.

    `money` is how the sentence prints the amounts; `rounding` how it prints the change:
    "exact" — the change rounded from its exact value (3,355.64); "shown" — the difference of the
    two amounts as printed (3,355.65), as some regions print it."""
    current: Decimal
    prior: Decimal
    money: MoneyFormat = WAN_TEXT
    rounding: str = "exact"

    @property
    def delta(self) -> Decimal:
        """The change in 元: exact, or the difference of the printed amounts (in 元)."""
        if self.rounding == "shown":
            step = self.money.quantum
            return (round_half_up(self.current / step, 0) - round_half_up(self.prior / step, 0)) * step
        return self.current - self.prior

    @property
    def size(self) -> Decimal:
        """How much it changed, without sign (the sentence says 增加 or 减少)."""
        return abs(self.delta)

    @property
    def pct(self) -> Decimal | None:
        return percent(abs(self.current - self.prior), self.prior)

    @property
    def direction(self) -> str:
        """'up', 'down' or 'same' — judged on the change as printed."""
        shown = self.money.shown(self.delta)
        if shown > 0:
            return "up"
        if shown < 0:
            return "down"
        return "same"


def format_wan(yuan: Decimal, blank_zero: bool = False) -> str:
    """'609.03'; zero prints '0' in text and '' in a table cell (blank_zero)."""
    return MoneyFormat(zero="" if blank_zero else "0").format(yuan)


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
