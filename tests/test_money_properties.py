"""Properties of the arithmetic: exact roll-ups, half-up rounding, shares of a partition."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from generator.analysis.cube import Fact, FactSet, combine, make_filter
from generator.core.money import Change, MoneyFormat, format_pct, format_wan, percent, round_half_up, to_wan

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


SOURCES = ("一般公共预算", "政府性基金预算", "单位资金", "事业收入")
leaf = st.tuples(st.sampled_from(LEAF_CODES), st.sampled_from(SOURCES), st.sampled_from(("基本", "项目")),
                 st.sampled_from(("本年", "上年结转")), yuan)


def fact_set(leaves) -> FactSet:
    facts = [Fact("function", c, s, n, "", p, "", "u", "行政单位", a) for c, s, n, p, a in leaves]
    return FactSet(facts, {"function": [c for c, *_ in leaves]}, {})


@given(st.lists(leaf, min_size=1, max_size=30))
def test_rollups_equal_the_exact_sum_of_their_leaves(leaves):
    facts = fact_set(leaves)
    for code in {c[:n] for c, *_ in leaves for n in (3, 5, 7)} | {""}:
        for source in (None, "一般公共预算", "单位资金", "财政拨款"):
            spec = {"axis": "function", "code": code, **({"source": source} if source else {})}
            members = {"单位资金": ("单位资金", "事业收入"), "财政拨款": ("一般公共预算", "政府性基金预算")}.get(source, (source,))
            expected = sum((a for c, s, _, _, a in leaves if c.startswith(code) and (source is None or s in members)),
                           Decimal(0))
            assert facts.total(make_filter(spec)) == expected


@given(st.lists(leaf, min_size=1, max_size=30), st.sampled_from(("基本", "项目")), st.sampled_from(("本年", "上年结转")))
def test_a_cell_is_the_sum_of_what_its_row_and_its_column_both_match(leaves, nature, period):
    facts = fact_set(leaves)
    row, column = make_filter({"axis": "function", "code": "201"}), make_filter({"nature": nature, "period": period})
    expected = sum((a for c, _, n, p, a in leaves if c.startswith("201") and n == nature and p == period), Decimal(0))
    assert facts.total(combine(row, column)) == expected
    assert combine(make_filter({"period": "本年"}), make_filter({"period": "上年结转"})) is None
    assert combine(make_filter({"code": "201"}), make_filter({"code": "2010301"})) == make_filter({"code": "2010301"})


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


@given(yuan, yuan)
def test_a_change_printed_as_the_difference_of_the_printed_amounts(current, prior):
    """rounding "shown": the change is exactly the difference of the two amounts as printed."""
    c = Change(current, prior, rounding="shown")
    assert to_wan(c.delta) == to_wan(current) - to_wan(prior)
    assert abs(to_wan(c.delta) - to_wan(Change(current, prior).delta)) <= Decimal("0.01")


@given(yuan)
def test_a_money_format_is_the_half_up_rounding_in_its_unit(amount):
    assert MoneyFormat("元", 2, True, "").format(amount) == ("" if amount == 0 else f"{round_half_up(amount):,.2f}")
    assert MoneyFormat().format(amount) == format_wan(amount)
