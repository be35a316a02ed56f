"""Properties of the arithmetic: exact roll-ups, half-up rounding, shares of a partition."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from generator.analysis.derive import function_rows
from generator.core.catalogue import load_catalogue
from generator.core.model import Funds
from generator.core.money import Change, format_pct, format_wan, percent, round_half_up, to_wan

yuan = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False, allow_infinity=False)
LEAF_CODES = ("2010301", "2010302", "2010399", "2080501", "2080505", "2101101", "2101103", "2210201", "2210202")


@given(st.integers(min_value=0, max_value=10**9))
def test_half_up_at_the_half_cent_of_wan(n):
    """x.xx5 万元 (i.e. ...50 元 past a cent of 万元) always rounds up, never to even."""
    yuan_value = Decimal(n) * 100 + 50          # n.005 万元 expressed in 元 = n*100+50
    assert to_wan(yuan_value) == (Decimal(n) / 100 + Decimal("0.01")).quantize(Decimal("0.01"))


def test_half_up_examples():
    assert to_wan(Decimal(50)) == Decimal("0.01")        # 0.005 万元
    assert to_wan(Decimal(250)) == Decimal("0.03")       # banker's rounding would give 0.02
    assert round_half_up(Decimal("2.345")) == Decimal("2.35")
    assert format_wan(Decimal(0)) == "0" and format_wan(Decimal(0), blank_zero=True) == ""


@given(st.lists(st.tuples(st.sampled_from(LEAF_CODES), yuan), min_size=1, max_size=20))
def test_rollups_equal_the_exact_sum_of_their_leaves(leaves):
    from types import SimpleNamespace
    items = tuple(SimpleNamespace(code=c, name="", funds=Funds.of({"一般公共预算": a}), carryover=Funds()) for c, a in leaves)
    budget = SimpleNamespace(basic_by_function=items, projects=())
    rows = {r.code: r for r in function_rows(budget, load_catalogue())}
    for code, row in rows.items():
        assert row.total == sum((a for c, a in leaves if c.startswith(code)), Decimal(0))
    assert sum(r.total for r in rows.values() if r.level == 1) == sum(a for _, a in leaves)


@given(st.lists(yuan, min_size=1, max_size=12))
def test_shares_of_a_partition_lie_in_0_100(parts):
    whole = sum(parts, Decimal(0))
    for part in parts:
        share = percent(part, whole)
        if whole == 0:
            assert share is None
        else:
            assert 0 <= share <= 100
            assert Decimal(0) <= Decimal(format_pct(share)) <= Decimal(100)


@given(yuan, yuan)
def test_change_from_zero_has_no_percentage_and_signs_agree(current, prior):
    c = Change(current, prior)
    if prior == 0:
        assert c.pct is None
    else:
        assert c.pct >= 0
    shown = to_wan(c.delta)
    assert c.direction == ("up" if shown > 0 else "down" if shown < 0 else "same")
