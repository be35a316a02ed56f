"""Every figure of the seed's 13 tables and of its 第三部分, from the derived data.

The expected values are read from the published seed text (tests/golden/000_f677152ddfc31562.txt), never from the code:
table rows cell for cell, and the figures of the sentences by pattern.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from seedtext import table_rows
from views import table_bodies

from generator.core.money import format_pct, format_wan, to_wan
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
    titles = [decl.title.format(year=2026) for decl in pack.tables]
    return table_rows(seed_text, titles)


@pytest.mark.parametrize("n", range(1, 14))
def test_table_matches_seed_row_for_row(n, pack, seed_tables, seed_analysis):
    ours = body_cells(table_bodies(seed_analysis)[pack.tables[n - 1].id])
    assert ours == seed_tables[n]


def seed_figures(seed_text: str, pattern: str) -> tuple:
    match = re.search(pattern, seed_text)
    assert match, f"the seed has no text matching {pattern}"
    return match.groups()


def test_totals_and_change(seed_text, seed_analysis):
    f = seed_analysis.figures
    total, current, carry, delta, pct = seed_figures(
        seed_text, r"预算收入总计([\d.]+)万元，其中：本年收入([\d.]+)万元，上年结转([\d.]+)万元，比上年减少([\d.]+)万元，下降([\d.]+)%")
    assert tuple(format_wan(f.amount(m)) for m in ("total", "current", "carry")) == (total, current, carry)
    change = f.change("total")
    assert change.direction == "down"
    assert (format_wan(change.size), format_pct(change.pct)) == (delta, pct)
    assert (delta, pct) == ("25.96", "4.09")


def test_basic_and_project_shares(seed_text, seed_analysis):
    f = seed_analysis.figures
    basic, basic_pct, project, project_pct = seed_figures(
        seed_text, r"基本支出([\d.]+)万元，占([\d.]+)%；项目支出([\d.]+)万元，占([\d.]+)%")
    ours = {m: f.share(m) for m in ("basic", "project")}
    assert (format_wan(ours["basic"].amount), format_pct(ours["basic"].pct)) == (basic, basic_pct) == ("266.58", "43.77")
    assert (format_wan(ours["project"].amount), format_pct(ours["project"].pct)) == (project, project_pct) == ("342.45", "56.23")


def test_income_shares(seed_text, seed_analysis):
    found = re.findall(r"([\u4e00-\u9fa5]+?)([\d.]+)万元，占([\d.]+)%", seed_text.split("二、收入预算情况说明")[2].split("三、")[0])
    f = seed_analysis.figures
    shares = [f.share("current", source=s) for s in ("一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金")]
    ours = [(format_wan(s.amount), format_pct(s.pct)) for s in shares + [f.share("carry")]]
    assert ours == [(amount, pct) for _, amount, pct in found]


def test_general_budget_structure(seed_text, seed_analysis):
    f = seed_analysis.figures
    section = seed_text.split("（二）一般公共预算当年支出结构情况")[1].split("一般公共预算当年拨款结构图")[0]
    found = re.findall(r"([\u4e00-\u9fa5]+支出)([\d.]+)万元，占([\d.]+)%", section)
    assert [(s.key, format_wan(s.amount), format_pct(s.pct)) for s in f.classes("general_budget")] == found
    assert [pct for _, _, pct in found] == ["87.31", "6.36", "2.30", "4.03"]
    (general, delta, pct) = seed_figures(seed_text, r"一般公共预算当年支出([\d.]+)万元，比上年减少([\d.]+)万元，下降([\d.]+)%")
    change = f.change("general_budget")
    assert (format_wan(change.current), format_wan(change.size), format_pct(change.pct)) == (general, delta, pct)


def test_personnel_and_public(seed_text, seed_analysis):
    f = seed_analysis.figures
    basic, = seed_figures(seed_text, r"一般公共预算安排基本支出([\d.]+)万元")
    personnel, = seed_figures(seed_text, r"人员经费([\d.]+)万元，主要包括")
    public, = seed_figures(seed_text, r"公用经费([\d.]+)万元，主要包括")
    assert tuple(format_wan(f.amount(m)) for m in ("general_basic", "general_personnel", "general_public")) == (basic, personnel, public)
    assert (personnel, public) == ("239.14", "27.44")


def test_item_lists_hold_the_seeds_items(seed_text, seed_analysis):
    """Same items as the seed's sentences (which list them in no discernible order; we follow 表六)."""
    f = seed_analysis.figures
    personnel_items, = seed_figures(seed_text, r"人员经费[\d.]+万元，主要包括：(.+?)等；")
    public_items, = seed_figures(seed_text, r"公用经费[\d.]+万元，主要包括：(.+?)等。")
    assert sorted(f.names("general_personnel")) == sorted(personnel_items.split("、"))
    assert sorted(f.names("general_public")) == sorted(public_items.split("、"))


def test_three_public(seed_text, seed_analysis):
    f = seed_analysis.figures
    total, = seed_figures(seed_text, r"“三公”经费预算([\d.]+)万元与2025年预算数相同")
    assert format_wan(f.change("three_public").current) == total == "3.50"
    assert f.change("three_public").direction == "same"
    assert all(f.change(f"three_public.{p}").direction == "same"
               for p in ("outbound", "reception", "vehicle", "vehicle_purchase", "vehicle_operation"))
    vehicle_op, = seed_figures(seed_text, r"公务用车运行维护费([\d.]+)万元，与上年预算数相同")
    assert format_wan(f.amount("three_public.vehicle_operation")) == vehicle_op


def test_office_operation(seed_text, seed_analysis):
    c = seed_analysis.figures.change("office_operation")
    current, prior, delta, pct = seed_figures(seed_text, r"机关运行经费财政拨款预算([\d.]+)万元，比2025年预算([\d.]+)万元增加([\d.]+)万元，增长([\d.]+)%")
    assert (format_wan(c.current), format_wan(c.prior), format_wan(c.delta), format_pct(c.pct)) == (current, prior, delta, pct)
    assert (current, prior, delta, pct) == ("27.44", "24.17", "3.27", "13.53")


def test_procurement(seed_text, seed_analysis):
    f = seed_analysis.figures
    total, goods, works, services = seed_figures(
        seed_text, r"政府采购预算总额([\d.]+)万元。其中：政府采购货物预算([\d.]+)万元、政府采购工程预算([\d.]+)万元、政府采购服务预算([\d.]+)万元")
    ours = (format_wan(f.amount("procurement")), *(format_wan(f.amount(f"procurement.{k}")) for k in ("goods", "works", "services")))
    assert ours == (total, goods, works, services) == ("90.80", "3.60", "0", "87.20")


def test_performance_counts(seed_text, seed_analysis):
    f = seed_analysis.figures
    count, amount = seed_figures(seed_text, r"二级项目(\d+)个，共计金额([\d.]+)万元")
    published, published_amount, share = seed_figures(seed_text, r"公开项目绩效目标(\d+)个，涉及项目金额([\d.]+)万元，占部门（单位）项目支出总额的([\d.]+)%")
    assert (str(f.project_count()), format_wan(f.project_amount())) == (count, amount) == ("12", "342.45")
    assert (str(f.project_count(published=True)), format_wan(f.project_amount(published=True)),
            format_pct(f.published_share(), trim=True)) == (published, published_amount, share)
    by_kind = re.findall(r"(其他运转类|特定目标类)项目(\d+)个，涉及金额([\d.]+)万元", seed_text)
    assert [(k.kind, str(k.count), format_wan(k.amount)) for k in f.project_kinds()] == by_kind


def test_performance_table_amounts_equal_project_amounts(seed_text, seed_analysis):
    """The 绩效目标表's 年度资金总额 (元) is the project's amount in 表十二, for each of the 12."""
    found = dict(re.findall(r"项目名称\t+(\S+)\t*\n.*?年度资金总额:\t+([\d,]+)", seed_text, re.S))
    ours = {p.performance.name: p.funds.total for p in seed_analysis.budget.projects}
    assert {name: int(v.replace(",", "")) for name, v in found.items()} == {k: int(v) for k, v in ours.items()}


def test_subtotal_rounding_tails_are_real(seed_analysis):
    """20805 prints 38.71 while its 项 print 13.99 + 24.71 = 38.70 — each figure rounds on its own."""
    total = {code: seed_analysis.figures.amount("total", code=code) for code in ("20805", "2080501", "2080505")}
    assert to_wan(total["20805"]) == to_wan(total["2080501"]) + to_wan(total["2080505"]) + Decimal("0.01")


def test_an_institution_reports_wages_under_505(seed_analysis):
    """表六's 政府 names depend on the unit's kind: a 事业单位 uses 50501/50502, a 机关 501/502."""
    from generator.core.catalogue import load_catalogue
    catalogue = load_catalogue()
    assert catalogue.gov_name_for("30101", "参照公务员法管理事业单位") == "工资奖金津补贴"
    assert catalogue.gov_name_for("30101", "事业单位") == "工资福利支出"
    assert catalogue.gov_name_for("30201", "事业单位") == "商品和服务支出"
    assert catalogue.gov_name_for("30302", "事业单位") == "离退休费"
