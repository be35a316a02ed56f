"""Lints L01–L09: each fires on a small edit of the seed unit, and stays quiet where it should.

Cases start from CLEAN — the seed unit with its five real defects corrected, line for line — so a
case's problems are exactly those of its own edit, asserted as the printed ``file:line:col`` line.
The seed itself must give exactly its real defects.
"""
from __future__ import annotations

from pathlib import Path

import places
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analysis.lints import LINTS, lint_across_units
from generator.analysis.lints.projects import NUMERALS, PREFIX, cost_amount, name_differences, near_duplicate
from generator.analysis.lints.text import years_in
from generator.analysis.pipeline import analyse
from generator.commands.cli import main
from generator.core.problems import has_errors

ROOT = Path(__file__).resolve().parent.parent
FILE = "units/datong-ggzyjy/2026.yaml"
SEED = (ROOT / FILE).read_text(encoding="utf-8")
W = FILE + ":"


def at(anchor: str, sub: str = "", text: str = SEED) -> str:
    return places.at(anchor, sub, text)


def line_of(needle: str, text: str = SEED) -> int:
    return places.line_of(needle, text)


def edited(text: str, *edits) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


SEED_FIXES = (
    ("value: ≤98%", "value: ≥98%"),
    ("value: ≥95百分比", "value: ≥95%"),
    ("goal_annual: 全面完成2025年依法采购的工作", "goal_annual: 全面完成2026年依法采购的工作"),
    ("  - name: Z政府采购事物经费", "  - name: Z政府采购日常经费"),
    ("      name: Z网络安全等级测评", "      name: Z网络安全等保测评"),
)
CLEAN = edited(SEED, *SEED_FIXES)
DUTY_3 = "    - 负责市级公共资源交易平台的运行服务和维护工作。"
DUTY_8 = "    - 指导市级公共资源交易分中心工作。"
OTHER_NOTE = "  other: 我部门无其他专项资金。"
OFFICE_REASON = "  office_operation: 新招录人员两名，相应经费增加"
L_VEHICLE_ITEM = line_of("funds: {一般公共预算: 35000}          # 3.50（与表十")
SECOND_COST = "\n        - level1: 产出指标\n          level2: 成本指标\n          name: 设备购置费\n          value: {}元"

SEED_WARNINGS = [
    W + at("value: ≤98%", "≤") + ": 警告 L03：项目“Z公共资源交易平台维护费”的质量指标“维护平台系”指标值写作“≤98%”，"
        "质量指标应不低于目标值，应为“≥98%”",
    W + at("value: ≥95百分比", "≥") + ": 警告 L03：项目“Z公共资源交易平台维护费”的服务对象满意度指标“使用人员满”"
        "指标值“≥95百分比”写法不规范，应为“≥95%”",
    W + at("- name: Z政府采购事物经费", "Z") + ": 警告 L02：项目“Z政府采购事物经费”与项目“J政府采购事务经费”名称相近"
        "（仅“J”/“Z”、“务”/“物”不同），请确认是两个不同的项目；若为同一项目应合并为一项，若为笔误请改正"
        f"（相关行：第{line_of('- name: J政府采购事务经费')}行）",
    W + at("goal_annual: 全面完成2025年", "全面") + ": 警告 L01：项目“Z政府采购事物经费”的年度目标写的是“2025年”，"
        "这是2026年度的目标，应为“2026年”",
    W + at("name: Z网络安全等级测评", "Z") + ": 警告 L02：项目在项目支出预算表中名为“Z网络安全等保测评”，在绩效目标表中名为"
        "“Z网络安全等级测评”（“保”/“级”不同），像是笔误；同一项目两处应使用同一名称，请统一（都用“Z网络安全等保测评”时删去 "
        f"performance.name 即可）（相关行：第{line_of('- name: Z网络安全等保测评')}行）",
]

FIRES = {
    "L01 previous year in a 年度目标": (
        [("goal_annual: 该项目经费使政府采购工作依法", "goal_annual: 全面完成2025年依法采购的工作")],
        [W + at("goal_annual: 该项目经费使政府采购工作依法", "该") + ": 警告 L01：项目“Z专家评审费”的年度目标写的是“2025年”，这是2026年度的目标，应为“2026年”"]),
    "L01 older year in duties": (
        [(DUTY_3, "    - 2023年起负责市级公共资源交易平台的运行服务和维护工作。")],
        [W + at(DUTY_3, "负责") + ": 警告 L01：本单位职责第3段写的是“2023年”，早于上年（2025年），像是沿用了往年的旧文字；"
             "请改为“2026年”，若是引用旧文件请写明文件名（《…》）或文号（【2023】）"]),
    "L01 later year outside 实施期": (
        [(OTHER_NOTE, "  other: 我部门2027年无其他专项资金。")],
        [W + at(OTHER_NOTE, "我") + ": 警告 L01：其他说明（其他）写的是“2027年”，晚于预算年度（2026年）；应为“2026年”"]),
    "L02 绩效目标表 name nearly the same": (
        [("      name: Z网络安全等保测评", "      name: Z网络安全等级测评")],
        [SEED_WARNINGS[4]]),
    "L02 绩效目标表 name different": (
        [("      name: Z网络安全等保测评", "      name: 网络安全测评项目")],
        [W + at("      name: Z网络安全等保测评", "Z", CLEAN) + ": 警告 L02：项目在项目支出预算表中名为“Z网络安全等保测评”，在绩效目标表中名为“网络安全测评项目”，"
             "两处名称不同；同一项目两处应使用同一名称，请统一（都用“Z网络安全等保测评”时删去 performance.name 即可）"
             f"（相关行：第{line_of('  - name: Z网络安全等保测评')}行）"]),
    "L02 two projects, one name": (
        [("  - name: Z律师顾问费", "  - name: J专家评审费")],
        [W + at("  - name: Z律师顾问费", "Z") + ": 警告 L02：项目“J专家评审费”与项目“Z专家评审费”名称相近（仅“Z”/“J”不同），请确认是两个不同的项目；"
             f"若为同一项目应合并为一项，若为笔误请改正（相关行：第{line_of('  - name: Z专家评审费')}行）"]),
    "L03 quality ≤": ([("value: ≥98%", "value: ≤98%")], [SEED_WARNINGS[0]]),
    "L03 satisfaction 不高于": (
        [("          value: ≥90%", "          value: 不高于90%")],
        [W + at("          value: ≥90%", "≥") + ": 警告 L03：项目“Z律师顾问费”的服务对象满意度指标“服务对象满意度”指标值写作“不高于90%”，"
             "满意度指标应不低于目标值，应为“≥90%”"]),
    "L03 cost other than the budget": (
        [("value: ≤23400元", "value: ≤2.3万元")],
        [W + at("value: ≤23400元", "≤") + ": 警告 L03：项目“J残疾人就业保障金”的成本指标“预算控制数”为“≤2.3万元”，即 23,000 元，"
             "与项目预算 23,400 元不一致；应为“≤23400元”"]),
    "L03 satisfaction <= (one warning, one fix)": (
        [("          value: ≥90%", "          value: '<=90%'")],
        [W + at("          value: ≥90%", "≥") + ": 警告 L03：项目“Z律师顾问费”的服务对象满意度指标“服务对象满意度”指标值写作“<=90%”，"
             "满意度指标应不低于目标值，应为“≥90%”"]),
    "L03 cost indicators not adding up to the budget": (
        [("value: 700000元", "value: 500000元" + SECOND_COST.format("100000"))],
        [W + at("value: 700000元", "7") + ": 警告 L03：项目“Z公共资源交易平台保障经费”的成本指标（“评标室建设”500000元、“设备购置费”100000元）"
             "合计 600,000 元，与项目预算 700,000 元不一致；各成本指标之和应等于项目预算"]),
    "L03 unit words": (
        [("          value: ≥85%", "          value: ≥85百分比"), ("value: ≥98%", "value: '>=98%'")],
        [W + at("value: ≥98%", "≥", CLEAN) + ": 警告 L03：项目“Z公共资源交易平台维护费”的质量指标“维护平台系”指标值“>=98%”写法不规范，应为“≥98%”",
         W + at("          value: ≥85%", "≥") + ": 警告 L03：项目“Z网络安全等保测评”的服务对象满意度指标“考评人员满”指标值“≥85百分比”写法不规范，"
             "应为“≥85%”"]),
    "L04 change without a reason": (
        [(OFFICE_REASON, "  # office_operation 未写")],
        [W + at("explanations:") + ": 警告 L04：机关运行经费比上年增加3.27万元，但没有写变动原因；请在 explanations.office_operation "
             f"中写明主要原因（不写“主要原因是”和句末句号）（相关行：第{line_of('  office_operation: 241700')}行）"]),
    "L04 general_budget apart from the total": (
        [("  general_budget: 6349900", "  general_budget: 6249900")],
        [W + at("explanations:") + ": 警告 L04：一般公共预算当年支出比上年减少15.96万元，但没有写变动原因；请在 explanations.general_budget "
             f"中写明主要原因（不写“主要原因是”和句末句号）（相关行：第{line_of('  general_budget: 6349900')}行）"]),
    "L04 三公 component changed": (
        [("    reception: 0", "    reception: 5000")],
        [W + at("explanations:") + ": 警告 L04：“三公”经费合计比上年减少0.50万元、公务接待费比上年减少0.50万元，但没有写变动原因；"
             f"请在 explanations.three_public 中写明主要原因（不写“主要原因是”和句末句号）（相关行：第{line_of('    outbound: 0')}行）"]),
    "L04 a reason whose item has no prior, beside one that has": (       # was a KeyError, then an IndexError
        [(next(line for line in SEED.split("\n") if line.startswith("  total: 6349900")) + "\n", "")],
        [lambda text: W + at("explanations:", "", text) + ": 警告 L04：一般公共预算当年支出比上年减少25.96万元，但没有写变动原因；请在 "
             "explanations.general_budget 中写明主要原因（不写“主要原因是”和句末句号）"
             f"（相关行：第{line_of('  general_budget: 6349900', text)}行）"]),
    "L04 reason without a change": (
        [(OFFICE_REASON, OFFICE_REASON + "\n  three_public: 严格执行公务用车管理规定")],
        [lambda text: W + at("three_public: 严格", "严格", text) + ": 警告 L04：“三公”经费与上年相同，却写了变动原因"
             "“严格执行公务用车管理规定”；没有增减时不必说明原因，请删去 explanations.three_public"]),
    "L05 doubled word and placeholders": (
        [(DUTY_3, "    - 负责市级公共资源交易平台的运行服务和维护管理管理工作。"),
         (OTHER_NOTE, "  other: 我部门XX专项资金待补充。")],
        [W + at(DUTY_3, "负责") + ": 警告 L05：本单位职责第3段中“管理管理”重复了“管理”，应为“管理”",
         W + at(OTHER_NOTE, "我") + ": 警告 L05：其他说明（其他）中有占位文字“XX”，请换成实际内容",
         W + at(OTHER_NOTE, "我") + ": 警告 L05：其他说明（其他）中有占位文字“待补充”，请换成实际内容"]),
    "L06 省直部门 in a 市级 glossary override": (
        [("glossary: []", "glossary: [{term: 三公经费, text: 指省直部门用财政拨款安排的因公出国（境）费用}]")],
        [lambda text: W + at("text: 指省直部门", "指", text) + ": 警告 L06：本单位是市级单位，名词解释“三公经费”却写有“省直部门”，"
             "像是套用了省级的文字；应为“市直部门”"]),
    "L06 市直 in a 省级 unit": (
        [("  level: 市级", "  level: 省级"), (DUTY_8, "    - 指导市直各部门的公共资源交易工作。")],
        [W + at(DUTY_8, "指") + ": 警告 L06：本单位是省级单位，本单位职责第8段却写有“市直各部门”，像是套用了市级的文字；应为“省直各部门”"]),
    "L08 三公 larger than its economic item": (
        [("funds: {一般公共预算: 35000}          # 3.50（与表十", "funds: {一般公共预算: 30000}          # 3.50（与表十"),
         ("funds: {一般公共预算: 126640}", "funds: {一般公共预算: 131640}")],
        [W + at("  vehicle_operation: {一般公共预算: 35000}", "{") + ": 警告 L08：“三公”经费公务用车运行维护费为 35,000 元（财政拨款），基本支出经济科目 30231 "
             "公务用车运行维护费 为 30,000 元，二者不一致；若多出的 5,000 元安排在项目支出中，可不修改；否则请核对二者"
             f"（相关行：第{L_VEHICLE_ITEM}行）"]),
    "L08 三公 smaller than its economic item": (
        [("  vehicle_operation: {一般公共预算: 35000}", "  vehicle_operation: {一般公共预算: 30000}"),
         ("    vehicle_operation: 35000", "    vehicle_operation: 30000")],
        [W + at("  vehicle_operation: {一般公共预算: 35000}", "{") + ": 警告 L08：“三公”经费公务用车运行维护费为 30,000 元（财政拨款），基本支出经济科目 30231 "
             "公务用车运行维护费 为 35,000 元，二者不一致；“三公”经费应包含基本支出中的这笔经费，不应少于 35,000 元；"
             f"请核对二者（相关行：第{L_VEHICLE_ITEM}行）"]),
    "L09 shares that print as 100.01%": (
        [("funds: {一般公共预算: 108100}         # 10.81（", "funds: {一般公共预算: 108300}         # 10.81（"),
         ("funds: {一般公共预算: 108100}         # 10.81\n", "funds: {一般公共预算: 108300}         # 10.81\n")],
        [W + at("  by_function:", "by_function") + ": 提示 L09：一般公共预算支出结构各项占比合计为 100.01%（87.31% + 6.36% + 2.31% + 4.03%），"
             "因四舍五入不等于100%，可酌情调整说明"]),
}

QUIET = {
    "a reason whose item has no prior": [       # 机关运行经费 explained, last year's not given: was a KeyError
        (next(line for line in SEED.split("\n") if line.startswith("  office_operation: 241700")) + "\n", "")],
    "L01 document numbers, titles, 实施期 years": [
        (DUTY_3, "    - 依据同政办发（2020）12号、晋审管函【2021】14号、《2019年度工作要点》和《网络安全法》（2016年修订），"
                 "负责平台运行维护。"),
        ("goal_period: 保障产权交易办公大楼正常运转,费用包含水费、电费", "goal_period: 2026—2028年保障产权交易办公大楼正常运转"),
        ("basis: 根据工作需要, 已列入财政部门预算。", "basis: 根据2019年预算的报告立项。"),
    ],
    "L02 names differing only by a number": [
        ("  - name: Z律师顾问费", "  - name: Z评标室建设一期"), ("  - name: Z公共资源见证服务费", "  - name: Z评标室建设二期")],
    "L03 cost in 万元 or with separators; 故障率 ≤": [
        ("value: ≤23400元", "value: ≤2.34万元"), ("value: 700000元", "value: 70万元"), ("value: 199000元", "value: '199,000元'"),
        ("          name: 保障政务外                    # 原文截断\n          value: 100%",
         "          name: 系统故障率\n          value: ≤1%")],
    "L03 cost indicators splitting the budget": [("value: 700000元", "value: 500000元" + SECOND_COST.format("200000"))],
    "L04 each change with its reason": [
        ("  general_budget: 6349900", "  general_budget: 6249900"),
        (OFFICE_REASON, OFFICE_REASON + "\n  general_budget: 人员减少，工资福利支出相应减少")],
    "L05 one-character reduplication": [
        (DUTY_3, "    - 人人参与，常常检查，认认真真做好市级公共资源交易平台的运行服务和维护工作。")],
    "L06 own level, 省直管县": [(DUTY_8, "    - 指导市直各部门和省直管县的公共资源交易分中心工作。")],
    "L08 三公 without an economic item": [
        ("  reception: {}", "  reception: {一般公共预算: 5000}"), ("    reception: 0", "    reception: 5000")],
}


def problems_of(tmp_path: Path, text: str, display: str = FILE) -> list[str]:
    path = tmp_path / display
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    analysis = analyse(path, display)
    assert not has_errors(analysis.problems), [p.format() for p in analysis.problems]
    return [p.format() for p in analysis.problems]


@pytest.mark.parametrize("name", sorted(FIRES))
def test_lint_fires(name, tmp_path):
    edits, expected = FIRES[name]
    text = edited(CLEAN, *edits)
    assert problems_of(tmp_path, text) == [e(text) if callable(e) else e for e in expected]


@pytest.mark.parametrize("name", sorted(QUIET))
def test_lint_stays_quiet(name, tmp_path):
    assert problems_of(tmp_path, edited(CLEAN, *QUIET[name])) == []


def test_clean_seed_is_quiet(tmp_path):
    assert problems_of(tmp_path, CLEAN) == []


def test_seed_gives_exactly_its_real_defects(seed_analysis):
    assert [p.format() for p in seed_analysis.problems] == SEED_WARNINGS


def test_cli_strict_fails_on_the_seed(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["check", "--strict", "units"]) == 1
    assert main(["check", "units"]) == 0
    out = capsys.readouterr().out
    assert all(line in out for line in SEED_WARNINGS)


def test_every_lint_is_listed():
    assert len(LINTS) == len(set(LINTS)) == 12
    assert all(lint.__name__.startswith("lint_") for lint in LINTS)


# L07 works on several units at once -----------------------------------------------------------

OWN_CODE = ('code: "2100799"', 'code: "2100798"')          # a 项 not in the catalogue: its name is the unit's


def two_units(tmp_path: Path, other_name: str):
    first = edited(CLEAN, OWN_CODE)
    second = edited(first, ("slug: datong-ggzyjy", "slug: other-unit"),
                    ("name: 其他计划生育事务支出", f"name: {other_name}"))
    problems_of(tmp_path, first)
    problems_of(tmp_path, second, "units/other-unit/2026.yaml")
    return [analyse(tmp_path / f, f).budget for f in (FILE, "units/other-unit/2026.yaml")]


def test_l07_code_named_differently_in_two_units(tmp_path):
    budgets = two_units(tmp_path, "计划生育其他事务支出")
    name_at = at("name: 其他计划生育事务支出", "其他")
    assert [p.format() for p in lint_across_units(budgets)] == [
        f"units/other-unit/2026.yaml:{name_at}: 警告 L07：功能科目 2100798 在本单位名为“计划生育其他事务支出”，"
        f"在 {FILE} 中名为“其他计划生育事务支出”；同一科目在各单位应使用同一名称（以《政府收支分类科目》为准），"
        f"请核对（相关行：{FILE}:{name_at}）"]


def test_l07_same_names_are_quiet(tmp_path):
    assert lint_across_units(two_units(tmp_path, "其他计划生育事务支出")) == []


# helpers --------------------------------------------------------------------------------------

def test_years_in_leaves_out_references():
    assert years_in("同财综【2025】69号、国办函(2019)41号、同采购字{2018}874号、《2021年工作要点》") == []
    assert years_in("2024—2026年完成，2023年启动") == [2024, 2026, 2023]


def test_near_duplicate():
    assert near_duplicate("J政府采购事务经费", "Z政府采购事物经费")
    assert near_duplicate("Z网络安全等保测评", "Z网络安全等级测评")
    assert not near_duplicate("Z公共资源交易平台维护费", "Z公共资源交易平台保障经费")
    assert not near_duplicate("Z评标室建设一期", "Z评标室建设二期")


def test_cost_amount():
    assert cost_amount("≤23400元") == ("≤", 23400)
    assert cost_amount("≤2.34万元") == ("≤", 23400)
    assert cost_amount("700,000元") == ("", 700000)
    assert cost_amount("≤5%") is None


def near_duplicate_by_difflib(a: str, b: str) -> bool:
    """near_duplicate without its quick bound: difflib on every pair."""
    core_a, core_b = PREFIX.sub("", a), PREFIX.sub("", b)
    if a == b or min(len(core_a), len(core_b)) < 4:
        return False
    diffs = name_differences(core_a, core_b)
    if diffs and all(set(x + y) <= NUMERALS for x, y in diffs):
        return False
    return sum(max(len(x), len(y)) for x, y in diffs) <= max(1, min(len(core_a), len(core_b)) // 10)


NAME = st.text(alphabet="JZ一二2项目建设平台运维系统经费专项", min_size=0, max_size=14)


@settings(max_examples=400, deadline=None)
@given(NAME, NAME, st.data())
def test_quick_bound_never_changes_near_duplicate(a, b, data):
    """The lower bound only skips pairs that difflib would judge different anyway."""
    if data.draw(st.booleans()) and a:       # also pairs one edit apart
        i = data.draw(st.integers(0, len(a) - 1))
        b = a[:i] + data.draw(st.sampled_from("一二项台费")) + a[i + 1:]
    assert near_duplicate(a, b) == near_duplicate_by_difflib(a, b)
