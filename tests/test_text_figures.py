"""L10 and L11: figures in free text against the derived figures.

Each case edits one text of the clean seed unit (see test_lints) and asserts the printed problems,
each at the figure's own line and column inside the text, found in the edited fixture.
"""
from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_lints import CLEAN, FILE, W, at, edited, line_of, problems_of

from generator.analysis.lints.claims import budget_figures, claims_in
from generator.analysis.lints.derived import ITEM_LABELS, derived_figures
from generator.analysis.lints.figures import equals, lint_text_figures
from generator.analysis.lints.written import figures_in
from generator.analysis.pipeline import analyse
from generator.commands.cli import main
from generator.core.money import format_pct, format_wan, format_yuan, round_half_up

TOTAL = "  total: 一次性项目已建成并运行，减少了项目专项经费（数字证书CA建设经费及电子档案管理系统建设等项目）"
OFFICE = "  office_operation: 新招录人员两名，相应经费增加"
OTHER = "  other: 我部门无其他专项资金。"
PLAN = "      plan: 评标室扩建及相应设备配置。"
DUTY = "    - 负责市级公共资源交易平台的运行服务和维护工作。"

OFFICE_CHANGE = "机关运行经费比上年增加3.27万元，增长13.53%"
TOTAL_CHANGE = "收支总计比上年减少25.96万元，下降4.09%"


def total(text: str):
    return TOTAL, f"  total: {text}"


def office(text: str):
    return OFFICE, f"  office_operation: {text}"


def other(text: str):
    return OTHER, f"  other: {text}"


def plan(text: str):
    return PLAN, f"      plan: {text}"


def confirm(field: str) -> str:
    return f"；请按数据填写，若确有依据，请核实后在 waivers 中写明理由（rule: L11，field: {field}）"


def warned(anchor: str, sub: str, rule: str, message: str):
    """The expected line: the rule's warning at `sub` inside `anchor` of the edited text."""
    return lambda text: W + at(anchor, sub, text) + f": 警告 {rule}：{message}"


FIRES = {
    "issue: 经费减少5% while 机关运行经费 rises": (
        [office("新招录人员两名，经费减少5%")],
        [warned("经费减少5%", "减少", "L10", f"机关运行经费的变动原因写“经费减少5%”，但{OFFICE_CHANGE}；增减方向与数据相反，请按数据改写")]),
    "issue: 项目专项经费减少30.00万元 while the total falls by 25.96": (
        [total("一次性项目已建成并运行，项目专项经费减少30.00万元")],
        [warned("减少30.00万元", "30", "L11", "收支总计的变动原因中的金额“30.00万元”与本单位的推算数都不相符"
                "（最接近的是收支总计比上年减少25.96万元）" + confirm("explanations.total"))]),
    "full-width digits, an amount other than the change": (
        [office("新招录人员两名，经费增加５．００万元")],
        [warned("增加５．００万元", "５", "L11", "机关运行经费的变动原因写“经费增加５．００万元”，但机关运行经费比上年增加3.27万元；请按数据改写")]),
    "元, not 万元": (
        [office("机关运行经费增加32800元")],
        [warned("增加32800元", "3", "L11", "机关运行经费的变动原因写“机关运行经费增加32800元”，但机关运行经费比上年增加32,700元；"
                "请按数据改写")]),
    "元 with thousands separators, short of the exact change": (
        [total("收支总计比上年减少259,600元")],
        [warned("减少259,600元", "2", "L11", "收支总计的变动原因写“收支总计比上年减少259,600元”，但收支总计比上年减少259,620元；"
                "请按数据改写")]),
    "增长了 where the total falls": (
        [total("收支总计增长了4.09%")],
        [warned("收支总计增长了", "增长", "L10", f"收支总计的变动原因写“收支总计增长了4.09%”，但{TOTAL_CHANGE}；增减方向与数据相反，请按数据改写")]),
    "a percentage without %: 百分之十": (
        [office("经费增长百分之十")],
        [warned("百分之十", "百", "L11", "机关运行经费的变动原因写“经费增长百分之十”，但机关运行经费比上年增长13.53%；请按数据改写")]),
    "full-width ％, one decimal short": (
        [office("经费增长１３．５％")],
        [warned("增长１３．５％", "１", "L11", "机关运行经费的变动原因写“经费增长１３．５％”，但机关运行经费比上年增长13.53%；请按数据改写")]),
    "持平 where it rose": (
        [office("机关运行经费与上年持平")],
        [warned("与上年持平", "持平", "L10", f"机关运行经费的变动原因写“机关运行经费与上年持平”，但{OFFICE_CHANGE}；增减方向与数据相反，请按数据改写")]),
    "未增加 where it rose": (
        [office("严格控制，机关运行经费未增加")],
        [warned("未增加", "未", "L10", f"机关运行经费的变动原因写“机关运行经费未增加”，但{OFFICE_CHANGE}；增减方向与数据相反，请按数据改写")]),
    "三公 decreasing in another text, while it is unchanged": (
        [other("“三公”经费比上年减少0.50万元。")],
        [warned("比上年减少0.50", "减少", "L10", "其他说明（其他）写““三公”经费比上年减少0.50万元”，但“三公”经费与上年相同；"
                "增减方向与数据相反，请按数据改写")]),
    "an item named with its figure before the change: 一般公共预算 rising": (
        [other("一般公共预算当年拨款609.03万元，比上年增加25.96万元。")],
        [warned("比上年增加25.96", "增加", "L10", "其他说明（其他）写“一般公共预算当年拨款609.03万元，比上年增加25.96万元”，"
                "但一般公共预算当年支出比上年减少25.96万元，下降4.09%；增减方向与数据相反，请按数据改写")]),
    "a share other than the derived one": (
        [other("基本支出266.58万元，占45.00%。")],
        [warned("占45.00%", "4", "L11", "其他说明（其他）中的百分比“45.00%”与本单位的推算数都不相符（最接近的是"
                "基本支出占支出总计的比重为43.77%）" + confirm("other_notes.other"))]),
    "a Chinese-numeral amount": (
        [office("经费增加五万元")],
        [warned("五万元", "五", "L11", "机关运行经费的变动原因写“经费增加五万元”，但机关运行经费比上年增加3.27万元；请按数据改写")]),
    "parts after 其中 that do not add up": (
        [plan("评标室扩建及相应设备配置，预算70万元，其中评标室扩建50万元、设备购置25万元。")],
        [warned("扩建50万元", "5", "L11", "项目“Z公共资源交易平台保障经费”的项目实施计划中的金额“50万元”与本单位的推算数都不相符"
                "（最接近的是项目“Z公共资源交易平台保障经费”70.00万元）" + confirm("projects.9.performance.plan"))]),
    "changes of other items that do not add up to the total's": (
        [total("一是人员经费增加10.00万元；二是项目支出减少36.96万元")],
        [warned("增加10.00万元", "1", "L11", "收支总计的变动原因中的金额“10.00万元”与本单位的推算数都不相符"
                "（最接近的是机关运行经费比上年增加3.27万元）" + confirm("explanations.total")),
         warned("减少36.96万元", "3", "L11", "收支总计的变动原因中的金额“36.96万元”与本单位的推算数都不相符"
                "（最接近的是收支总计比上年减少25.96万元）" + confirm("explanations.total"))]),
    "an explanation naming nothing: its own item, the wrong way": (
        [total("较上年度增加25.96万元")],
        [warned("增加25.96万元", "增加", "L10", f"收支总计的变动原因写“增加25.96万元”，但{TOTAL_CHANGE}；增减方向与数据相反，请按数据改写")]),
    "duties: an amount that could be the unit's own": (
        [(DUTY, "    - 负责平台运行维护，年度运行经费600万元。")],
        [warned("经费600万元", "6", "L11", "本单位职责第3段中的金额“600万元”与本单位的推算数都不相符"
                "（最接近的是收支总计609.03万元）" + confirm("unit.duties.2"))]),
    "a project's amount in its own text": (
        [plan("本项目年度预算75万元，用于评标室扩建。")],
        [warned("预算75万元", "7", "L11", "项目“Z公共资源交易平台保障经费”的项目实施计划中的金额“75万元”与本单位的推算数都不相符"
                "（最接近的是项目“Z公共资源交易平台保障经费”70.00万元）" + confirm("projects.9.performance.plan"))]),
}

BLOCK = "      plan: |\n        评标室扩建及相应设备配置，\n        预算75万元。"
QUOTED = '  office_operation: "新招录人员两名，\\\n    经费减少5%"'

PLACES = {
    "a literal block: the line and column of the figure in the file": (
        [(PLAN, BLOCK)],
        [warned("        预算75万元", "7", "L11", "项目“Z公共资源交易平台保障经费”的项目实施计划中的金额“75万元”与本单位的推算数都不相符"
                "（最接近的是项目“Z公共资源交易平台保障经费”70.00万元）" + confirm("projects.9.performance.plan"))]),
    "a double-quoted scalar over two lines": (
        [(OFFICE, QUOTED)],
        [warned("    经费减少5%", "减少", "L10", f"机关运行经费的变动原因写“经费减少5%”，但{OFFICE_CHANGE}；增减方向与数据相反，请按数据改写")]),
}


@pytest.mark.parametrize("name", sorted(FIRES) + sorted(PLACES))
def test_figures_lint_fires(name, tmp_path):
    edits, expected = FIRES.get(name) or PLACES[name]
    text = edited(CLEAN, *edits)
    assert problems_of(tmp_path, text) == [e(text) for e in expected]


QUIET = {
    "the derived figures, as the document prints them": [
        total("本年收支总计609.03万元，比上年减少25.96万元，下降4.09%，主要是一次性项目已完成"),
        office("新招录人员2名，机关运行经费比2025年预算24.17万元增加3.27万元，增长13.53%")],
    "other printed forms: full width, 元, separators, 百分之, 增长了, 约": [
        office("经费增加３．２７万元，增长了１３．５３％"), total("收支总计减少259,620元，下降百分之四点零九"),
        other("“三公”经费3.5万元，与上年持平；政府采购预算约91万元。")],
    "the explained item by a generic word, or other items with no figure": [
        office("人员增加，相应经费增加"), total("人员经费增加，公用经费减少，项目支出减少")],
    "基本持平 and aims are no direction": [
        office("人员略有增加，经费基本持平"), other("本单位将进一步压减“三公”经费，确保机关运行经费只减不增。")],
    "changes of other items adding up to the explained change": [
        total("一是人员经费增加10.00万元；二是项目支出减少35.96万元")],
    "parts of one of those changes after 其中, up to the ；": [
        total("项目支出减少35.96万元，其中CA建设减少20.00万元、档案系统减少15.96万元；人员经费增加10.00万元")],
    "parts after 其中 adding up, and a 合计 restating the whole": [
        other("政府采购预算90.80万元，其中服务87.20万元、货物3.60万元（合计90.80万元）。"),
        plan("预算70万元，其中评标室扩建50万元、设备购置20万元。")],
    "shares": [other("基本支出266.58万元，占43.77%；项目支出342.45万元，占56.23%。")],
    "no budget figures: years, dates, counts, document numbers, rates, thresholds, targets, other money": [
        (DUTY, "    - 负责2026年1月1日起的平台运维；内设7个科室，在职人员17名；依据同财综【2025】69号、《2019年工作要点》。"),
        other("按每人每年1200元标准安排；单价50万元（含）以上设备0台；采购金额10万元以上的项目进场交易；"
              "全年交易额约300亿元，节约财政资金5000万元，节支率3.5%。"),
        plan("评审任务完成率达到100%，服务对象满意度95%以上，评标室由8间增加到12间，首付合同金额的50%。")],
    "duties describe the unit's work: others' rises and falls, sums beyond the unit's": [
        (DUTY, "    - 负责推动全市一般公共预算收入增长5%，监管全市财政资金3000万元以上的项目和300亿元交易资金。")],
    "a known item inside a longer noun is not the item": [
        plan("提高三公经费使用效益，降低机关运行经费管理成本。")],
}


@pytest.mark.parametrize("name", sorted(QUIET))
def test_figures_lint_stays_quiet(name, tmp_path):
    assert problems_of(tmp_path, edited(CLEAN, *QUIET[name])) == []


def test_every_unit_under_units_is_quiet():
    units = sorted((Path(__file__).resolve().parent.parent / "units").glob("*/*.yaml"))
    assert units
    for path in units:
        found = [p.format() for p in analyse(path).problems if p.rule in ("L10", "L11", "L12", "L13")]
        assert found == [], path


def write_unit(tmp_path: Path, text: str) -> None:
    path = tmp_path / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_json_gives_the_figure_s_column_and_field(tmp_path, capsys, monkeypatch):
    text = edited(CLEAN, office("新招录人员两名，经费减少5%"))
    write_unit(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json", FILE]) == 0
    [problem] = json.loads(capsys.readouterr().out)
    line, column = at("经费减少5%", "减少", text).split(":")
    assert (problem["rule"], problem["line"], problem["column"], problem["field"]) == (
        "L10", int(line), int(column), "explanations.office_operation")


def test_a_confirmed_figure_is_waived_and_listed_with_its_reason(tmp_path, capsys, monkeypatch):
    reason = "30.00万元为数字证书CA建设项目上年预算数，见同财预【2025】12号"
    text = edited(CLEAN, total("一次性项目已建成并运行，项目专项经费减少30.00万元"),
                  ("glossary: []", f"glossary: []\nwaivers:\n  - {{rule: L11, field: explanations.total, reason: {reason}}}"))
    write_unit(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--strict", FILE]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "检查了 1 个文件：错误 0 个，警告 0 个，提示 0 个，已豁免 1 个（各条及豁免理由如下）",
        W + at("减少30.00万元", "30", text) + ": 已豁免 L11：收支总计的变动原因中的金额“30.00万元”与本单位的推算数都不相符"
        "（最接近的是收支总计比上年减少25.96万元）" + confirm("explanations.total")
        + f"（豁免理由：{reason}；豁免写在第{line_of('  - {rule: L11', text)}行）"]


# reading a text ---------------------------------------------------------------------------------

def test_what_is_read_as_a_figure():
    read = [(f.text, f.value, f.kind) for f in figures_in("增加３０．００万元、32,700元、1410.00万，增长百分之五、5％；30万人次、2026年、69号")]
    assert read == [("３０．００万元", Decimal("300000.00"), "amount"), ("32,700元", Decimal(32700), "amount"),
                    ("1410.00万", Decimal("14100000.00"), "amount"), ("百分之五", Decimal(5), "percent"),
                    ("5％", Decimal(5), "percent")]


def test_what_a_direction_is_said_of():
    said = [(c.word, c.direction, c.item) for c in claims_in(
        "机关运行经费27.44万元，比上年增加3.27万元，增长13.53%；其中公务接待费未增加；减少了项目专项经费；人员增加；"
        "“三公”经费与2025年预算数相同；相应经费减少")]
    assert said == [("增加", "up", "office_operation"), ("增长", "up", "office_operation"), ("未增加", "not-up", "reception"),
                    ("减少", "down", None), ("增加", "up", None), ("相同", "same", "three_public"), ("减少", "down", "generic")]


def test_percentages_that_are_not_budget_figures():
    kept, _ = budget_figures("满意度达到95%，完成率100%，残疾人占在职职工总数的1.5%；经费减少5%，基本支出占43.77%")
    assert [f.text for f in kept] == ["5%", "43.77%"]


GOLDEN = Path(__file__).resolve().parent / "golden" / "shanghai-putuo-2025"


def table_figures_wan(tables: list) -> set:
    """Every amount printed in a golden document's tables, in 万元 as the text prints them."""
    found = set()
    for table in tables:
        factor = Decimal(10000) if "万元" in table["money_unit"] else Decimal(1)
        for row in table["rows"]:
            for cell in row:
                number = cell.replace(",", "").strip()
                if number.replace(".", "", 1).isdigit():
                    found.add(round_half_up(Decimal(number) * factor / 10000))
    return found


def test_a_published_text_is_read_as_its_author_meant():
    """Shanghai 普陀区商务委员会 2025, as published: every figure read from its paragraphs is a budget
    figure — one of its tables' figures, or one the tables do not hold (the changes from 2024,
    政府采购, the 绩效 projects' total); the thresholds (单价100万元以上) and counts are not read; and
    what it says rose or stayed flat is said of the item it names (财政拨款收入…比2024年预算执行数增加:
    财政拨款, against last year's 执行数)."""
    paragraphs = [p["text"] for p in json.loads((GOLDEN / "unit-paragraphs.json").read_text(encoding="utf-8"))]
    printed = table_figures_wan(json.loads((GOLDEN / "unit-tables.json").read_text(encoding="utf-8")))
    read = [f for text in paragraphs for f in budget_figures(text)[0]]
    assert {f.kind for f in read} == {"amount"}
    assert sorted({f.text for f in read if f.value and round_half_up(f.value / 10000) not in printed}) == [
        "11381.60万元", "24,491.71万元", "24,558.18万元", "30.40万元", "38.20万元"]
    skipped = [f.text for text in paragraphs for f in figures_in(text) if f not in budget_figures(text)[0]]
    assert skipped == ["100万元", "100万元"]
    said = [(c.direction, c.item, c.executed) for text in paragraphs for c in claims_in(text) if c.item in ITEM_LABELS]
    assert said == [("up", "fiscal", True), ("up", "fiscal", False), ("up", "general", False), ("same", "three_public", False), ("same", "outbound", False),
                    ("same", "vehicle", False), ("same", "vehicle_purchase", False), ("same", "vehicle_operation", False)]


# any derived figure, written as the document would, is never reported --------------------------

def printed_forms(figure) -> list[str]:
    if figure.kind in ("amount", "change"):
        wan = format_wan(figure.value)
        forms = [wan + "万元", wan.translate(str.maketrans("0123456789.", "０１２３４５６７８９．")) + "万元"]
        if round_half_up(figure.value) == figure.value:
            forms.append(format_yuan(figure.value) + "元")
        return forms
    pct = format_pct(figure.value)
    return [pct + "%", pct + "％", "百分之" + pct]


def said(figure, form: str) -> str:
    if figure.kind in ("amount", "percent"):
        return f"{figure.label}为{form}。"
    if figure.direction == "same":
        return f"{ITEM_LABELS[figure.item]}与上年持平。"
    word = {"change": ("增加", "减少"), "change-percent": ("增长", "下降")}[figure.kind][figure.direction == "down"]
    return f"{ITEM_LABELS[figure.item]}比上年{word}{form}。"


@pytest.fixture(scope="module")
def seed_figures(seed_analysis):
    budget, figures = seed_analysis.budget, seed_analysis.figures
    return budget, figures, derived_figures(budget, figures)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_derived_figure_in_any_printed_form_is_never_reported(seed_figures, data):
    budget, derived, figures = seed_figures
    figure = data.draw(st.sampled_from(figures))
    form = data.draw(st.sampled_from(printed_forms(figure)))
    text = data.draw(st.sampled_from(["", "本单位", "经核定，"])) + said(figure, form)
    unit = replace(budget, other_notes={"other": text}, explanations={})
    assert lint_text_figures(unit, derived) == [], text


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10 ** 9, places=2), st.sampled_from(["万元", "元"]))
def test_a_written_amount_reads_back_as_the_amount_printed(value, unit):
    shown = format_wan(value) if unit == "万元" else format_yuan(value)
    [written] = figures_in(f"安排{shown}{unit}。")
    assert equals(written, value)
