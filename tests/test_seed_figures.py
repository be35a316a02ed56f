"""Every figure of the seed's 13 tables and of its 第三部分, from the derived data.

The expected values are read from the published seed text (tests/golden/000_f677152ddfc31562.txt), never from the code:
table rows cell for cell, and the figures of the sentences by pattern.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from seedtext import table_rows

from generator.core.money import format_pct, format_wan, to_wan
from generator.pack.layout import BODIES
from generator.pack.loading import load_pack


def body_cells(rows) -> list[list[str]]:
    """Our table body as the seed's text extraction would show it."""
    result = []
    for row in rows:
        texts = [cell.text for cell in row]
        while texts and not texts[-1]:
            texts.pop()
        result.append(texts)
    return result


@pytest.fixture(scope="module")
def pack():
    return load_pack("shanxi-datong")


@pytest.fixture(scope="module")
def seed_tables(seed_text, pack):
    titles = [spec["title"].format(year=2026) for spec in pack.tables]
    return table_rows(seed_text, titles)


@pytest.mark.parametrize("n", range(1, 14))
def test_table_matches_seed_row_for_row(n, pack, seed_tables, seed_analysis):
    spec = pack.tables[n - 1]
    ours = body_cells(BODIES[spec["kind"]](seed_analysis.tables, seed_analysis.budget, pack.settings["row_labels"]))
    assert ours == seed_tables[n]


def seed_figures(seed_text: str, pattern: str) -> tuple:
    match = re.search(pattern, seed_text)
    assert match, f"the seed has no text matching {pattern}"
    return match.groups()


def test_totals_and_change(seed_text, seed_analysis):
    f = seed_analysis.facts
    total, current, carry, delta, pct = seed_figures(
        seed_text, r"预算收入总计([\d.]+)万元，其中：本年收入([\d.]+)万元，上年结转([\d.]+)万元，比上年减少([\d.]+)万元，下降([\d.]+)%")
    assert (format_wan(f.income_total), format_wan(f.income_current), format_wan(f.income_carry)) == (total, current, carry)
    assert f.total_change.direction == "down"
    assert (format_wan(f.total_change.size), format_pct(f.total_change.pct)) == (delta, pct)
    assert (delta, pct) == ("25.96", "4.09")


def test_basic_and_project_shares(seed_text, seed_analysis):
    f = seed_analysis.facts
    basic, basic_pct, project, project_pct = seed_figures(
        seed_text, r"基本支出([\d.]+)万元，占([\d.]+)%；项目支出([\d.]+)万元，占([\d.]+)%")
    assert (format_wan(f.basic.amount), format_pct(f.basic.pct)) == (basic, basic_pct) == ("266.58", "43.77")
    assert (format_wan(f.project.amount), format_pct(f.project.pct)) == (project, project_pct) == ("342.45", "56.23")


def test_income_shares(seed_text, seed_analysis):
    found = re.findall(r"([\u4e00-\u9fa5]+?)([\d.]+)万元，占([\d.]+)%", seed_text.split("二、收入预算情况说明")[2].split("三、")[0])
    ours = [(format_wan(s.amount), format_pct(s.pct)) for s in seed_analysis.facts.income_shares]
    assert ours == [(amount, pct) for _, amount, pct in found]


def test_general_budget_structure(seed_text, seed_analysis):
    f = seed_analysis.facts
    section = seed_text.split("（二）一般公共预算当年支出结构情况")[1].split("一般公共预算当年拨款结构图")[0]
    found = re.findall(r"([\u4e00-\u9fa5]+支出)([\d.]+)万元，占([\d.]+)%", section)
    assert [(s.key, format_wan(s.amount), format_pct(s.pct)) for s in f.general_classes] == found
    assert [pct for _, _, pct in found] == ["87.31", "6.36", "2.30", "4.03"]
    (general, delta, pct) = seed_figures(seed_text, r"一般公共预算当年支出([\d.]+)万元，比上年减少([\d.]+)万元，下降([\d.]+)%")
    assert (format_wan(f.general_current), format_wan(f.general_change.size), format_pct(f.general_change.pct)) == (general, delta, pct)


def test_personnel_and_public(seed_text, seed_analysis):
    f = seed_analysis.facts
    basic, = seed_figures(seed_text, r"一般公共预算安排基本支出([\d.]+)万元")
    personnel, = seed_figures(seed_text, r"人员经费([\d.]+)万元，主要包括")
    public, = seed_figures(seed_text, r"公用经费([\d.]+)万元，主要包括")
    assert (format_wan(f.general_basic), format_wan(f.personnel), format_wan(f.public)) == (basic, personnel, public)
    assert (personnel, public) == ("239.14", "27.44")


def test_item_lists_hold_the_seeds_items(seed_text, seed_analysis):
    """Same items as the seed's sentences (which list them in no discernible order; we follow 表六)."""
    f = seed_analysis.facts
    personnel_items, = seed_figures(seed_text, r"人员经费[\d.]+万元，主要包括：(.+?)等；")
    public_items, = seed_figures(seed_text, r"公用经费[\d.]+万元，主要包括：(.+?)等。")
    assert sorted(f.personnel_items) == sorted(personnel_items.split("、"))
    assert sorted(f.public_items) == sorted(public_items.split("、"))


def test_three_public(seed_text, seed_analysis):
    f = seed_analysis.facts
    total, = seed_figures(seed_text, r"“三公”经费预算([\d.]+)万元与2025年预算数相同")
    assert format_wan(f.three_public_total.current) == total == "3.50"
    assert f.three_public_total.direction == "same"
    assert all(c.direction == "same" for c in f.three_public.values())
    vehicle_op, = seed_figures(seed_text, r"公务用车运行维护费([\d.]+)万元，与上年预算数相同")
    assert format_wan(f.three_public["vehicle_operation"].current) == vehicle_op


def test_office_operation(seed_text, seed_analysis):
    c = seed_analysis.facts.office_operation
    current, prior, delta, pct = seed_figures(seed_text, r"机关运行经费财政拨款预算([\d.]+)万元，比2025年预算([\d.]+)万元增加([\d.]+)万元，增长([\d.]+)%")
    assert (format_wan(c.current), format_wan(c.prior), format_wan(c.delta), format_pct(c.pct)) == (current, prior, delta, pct)
    assert (current, prior, delta, pct) == ("27.44", "24.17", "3.27", "13.53")


def test_procurement(seed_text, seed_analysis):
    f, b = seed_analysis.facts, seed_analysis.budget
    total, goods, works, services = seed_figures(
        seed_text, r"政府采购预算总额([\d.]+)万元。其中：政府采购货物预算([\d.]+)万元、政府采购工程预算([\d.]+)万元、政府采购服务预算([\d.]+)万元")
    ours = (format_wan(f.procurement_total), *(format_wan(b.procurement[k]) for k in ("goods", "works", "services")))
    assert ours == (total, goods, works, services) == ("90.80", "3.60", "0", "87.20")


def test_performance_counts(seed_text, seed_analysis):
    f = seed_analysis.facts
    count, amount = seed_figures(seed_text, r"二级项目(\d+)个，共计金额([\d.]+)万元")
    published, published_amount, share = seed_figures(seed_text, r"公开项目绩效目标(\d+)个，涉及项目金额([\d.]+)万元，占部门（单位）项目支出总额的([\d.]+)%")
    assert (str(f.project_count), format_wan(f.project_amount)) == (count, amount) == ("12", "342.45")
    assert (str(f.published_count), format_wan(f.published_amount), format_pct(f.published_share, trim=True)) == (published, published_amount, share)
    by_kind = re.findall(r"(其他运转类|特定目标类)项目(\d+)个，涉及金额([\d.]+)万元", seed_text)
    assert [(k.kind, str(k.count), format_wan(k.amount)) for k in f.projects] == by_kind


def test_performance_table_amounts_equal_project_amounts(seed_text, seed_analysis):
    """The 绩效目标表's 年度资金总额 (元) is the project's amount in 表十二, for each of the 12."""
    found = dict(re.findall(r"项目名称\t+(\S+)\t*\n.*?年度资金总额:\t+([\d,]+)", seed_text, re.S))
    ours = {p.performance.name: p.funds.total for p in seed_analysis.budget.projects}
    assert {name: int(v.replace(",", "")) for name, v in found.items()} == {k: int(v) for k, v in ours.items()}


def test_subtotal_rounding_tails_are_real(seed_analysis):
    """20805 prints 38.71 while its 项 print 13.99 + 24.71 = 38.70 — each figure rounds on its own."""
    rows = {r.code: r for r in seed_analysis.tables.function_rows}
    assert to_wan(rows["20805"].total) == to_wan(rows["2080501"].total) + to_wan(rows["2080505"].total) + Decimal("0.01")


def test_an_institution_reports_wages_under_505(seed_analysis):
    """表六's 政府 names depend on the unit's kind: a 事业单位 uses 50501/50502, a 机关 501/502."""
    from generator.core.catalogue import load_catalogue
    catalogue = load_catalogue()
    assert catalogue.gov_name_for("30101", "参照公务员法管理事业单位") == "工资奖金津补贴"
    assert catalogue.gov_name_for("30101", "事业单位") == "工资福利支出"
    assert catalogue.gov_name_for("30201", "事业单位") == "商品和服务支出"
    assert catalogue.gov_name_for("30302", "事业单位") == "离退休费"
