"""L12 and L13: classification names in free text — former names, and codes beside the wrong name."""
from __future__ import annotations

import pytest
from test_lints import CLEAN, W, at, edited, problems_of

from generator.core.catalogue import load_catalogue

OTHER = "  other: 我部门无其他专项资金。"
DUTY = "    - 负责市级公共资源交易平台的运行服务和维护工作。"
BASIS = "      basis: 晋审管函【2021】14号"          # Z公共资源交易一体化平台电子政务外网配置 (projects.4)
SOURCE = "财政部《2019年政府收支分类科目》"


def other(text: str):
    return OTHER, f"  other: {text}"


def duty(text: str):
    return DUTY, f"    - {text}"


def former(label: str, name: str, level: str, code: str, current: str) -> str:
    return (f"{label}中的“{name}”是{level} {code} 的旧称：自2019年起（{SOURCE}）名为“{current}”；应为“{current}”")


def mismatch(label: str, code: str, name: str, own: str, codes: str, renamed: str = "") -> str:
    now = f"（今名“{renamed}”）" if renamed else ""
    return f"{label}中编码 {code} 与名称“{name}”不符：{code} 是“{own}”，“{name}”{now}的编码是 {codes}；编码与名称应一致，请核对"


def warned(anchor: str, sub: str, rule: str, message: str):
    return lambda text: W + at(anchor, sub, text) + f": 警告 {rule}：{message}"


N = "其他说明（其他）"
RUNNING = sum(1 for name in load_catalogue().function_names.values() if name == "行政运行")   # 项 named 行政运行
FIRES = {
    "issue: 医疗卫生与计划生育支出": (
        [duty("负责医疗卫生与计划生育支出的核算。")],
        [warned("负责医疗卫生与计划生育支出", "医疗", "L12", former("本单位职责第3段", "医疗卫生与计划生育支出", "类", "210", "卫生健康支出"))]),
    "issue: （208类）卫生健康支出": (
        [other("（208类）卫生健康支出10.81万元。")],
        [warned("（208类）", "208", "L13", mismatch(N, "208", "卫生健康支出", "社会保障和就业支出", "210"))]),
    "a code after the name": (
        [other("卫生健康支出（208）主要用于医疗保险缴费。")],
        [warned("（208）", "208", "L13", mismatch(N, "208", "卫生健康支出", "社会保障和就业支出", "210"))]),
    "a 项 code before the name of another 项": (
        [other("2101102 行政单位医疗，用于缴纳医疗保险。")],
        [warned("2101102 行政单位医疗", "2", "L13", mismatch(N, "2101102", "行政单位医疗", "事业单位医疗", "2101101"))]),
    "a 项 name that many 款 share: the first of its codes": (
        [other("2080501行政运行支出13.99万元。")],
        [warned("2080501行政运行", "2", "L13", mismatch(N, "2080501", "行政运行", "行政单位离退休", f"2010101、2010201、2010301等{RUNNING}个"))]),
    "an economic code beside another item's name": (
        [other("30201印刷费0.15万元。")],
        [warned("30201印刷费", "3", "L13", mismatch(N, "30201", "印刷费", "办公费", "30202"))]),
    "the other three 类 renamed in 2019, in a 绩效目标表 text": (
        [(BASIS, "      basis: 原列文化体育与传媒支出、国土海洋气象等支出和资源勘探信息等支出。")],
        [warned("原列文化体育", "文化", "L12", former("项目“Z公共资源交易一体化平台电子政务外网配置”的立项依据", "文化体育与传媒支出", "类", "207", "文化旅游体育与传媒支出")),
         warned("、国土海洋", "国土", "L12", former("项目“Z公共资源交易一体化平台电子政务外网配置”的立项依据", "国土海洋气象等支出", "类", "220", "自然资源海洋气象等支出")),
         warned("和资源勘探", "资源", "L12", former("项目“Z公共资源交易一体化平台电子政务外网配置”的立项依据", "资源勘探信息等支出", "类", "215", "资源勘探工业信息等支出"))]),
    "a 款's former name, the longest one read": (
        [other("其他医疗卫生与计划生育支出0.12万元。")],
        [warned("其他医疗卫生", "其他", "L12", former(N, "其他医疗卫生与计划生育支出", "款", "21099", "其他卫生健康支出"))]),
    "a former name that is an ordinary word, beside its code": (
        [other("20701文化款无预算。")],
        [warned("20701文化", "文化", "L12", former(N, "文化", "款", "20701", "文化和旅游"))]),
    "a former name beside another class's code: both": (
        [other("（210类）文化体育与传媒支出无预算。")],
        [warned("（210类）", "210", "L13", mismatch(N, "210", "文化体育与传媒支出", "卫生健康支出", "207", "文化旅游体育与传媒支出")),
         warned("）文化体育", "文化", "L12", former(N, "文化体育与传媒支出", "类", "207", "文化旅游体育与传媒支出"))]),
    "full-width digits of a code": (
        [other("（２０８类）卫生健康支出。")],
        [warned("（２０８类）", "２", "L13", mismatch(N, "208", "卫生健康支出", "社会保障和就业支出", "210"))]),
}


@pytest.mark.parametrize("name", sorted(FIRES))
def test_names_lint_fires(name, tmp_path):
    edits, expected = FIRES[name]
    text = edited(CLEAN, *edits)
    assert problems_of(tmp_path, text) == [e(text) for e in expected]


QUIET = {
    "names with their own codes": [
        other("（210类）卫生健康支出、卫生健康支出（210）、2101101 行政单位医疗、208社会保障和就业支出、30201办公费、"
              "[207]文化旅游体育与传媒支出、20701文化和旅游。")],
    "an old document keeps its old title": [
        other("依据《关于规范医疗卫生与计划生育支出管理的通知》执行。")],
    "an ordinary word, and numbers that are not codes": [
        duty("加强文化建设和农业服务，共有208人参与，依据同财综【2025】69号，（208）号文件。")],
}


@pytest.mark.parametrize("name", sorted(QUIET))
def test_names_lint_stays_quiet(name, tmp_path):
    assert problems_of(tmp_path, edited(CLEAN, *QUIET[name])) == []


def test_former_names_agree_with_the_catalogue():
    catalogue = load_catalogue()
    assert len(catalogue.former_names) >= 4
    for f in catalogue.former_names:
        assert catalogue.function_names[f.code] == f.name, f
        assert f.former not in catalogue.function_names.values() and f.year >= 2000 and f.source.startswith("财政部《")
    assert {(f.former, f.name, f.year) for f in catalogue.former_names} >= {
        ("医疗卫生与计划生育支出", "卫生健康支出", 2019), ("文化体育与传媒支出", "文化旅游体育与传媒支出", 2019),
        ("国土海洋气象等支出", "自然资源海洋气象等支出", 2019), ("资源勘探信息等支出", "资源勘探工业信息等支出", 2019)}
