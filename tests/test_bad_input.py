"""Bad input: every case gives exit 1 and one exact Chinese message at file:line:col — never a traceback.

Each case is the seed unit with one mistake written into it (or a whole bad file), checked by
``budgetdoc check`` and by ``budgetdoc build``; a build must leave no output behind.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main

SEED = (Path(__file__).resolve().parent.parent / "units" / "datong-ggzyjy" / "2026.yaml").read_text(encoding="utf-8")
FUND_LINE = "一般公共预算: 1892900}"          # line 35: basic.by_function[0] 行政运行
F = "basic.by_function.0.funds.一般公共预算（金额（元））"


def edit(old: str, new: str):
    assert SEED.count(old) >= 1, old
    return lambda: SEED.replace(old, new, 1)


def whole(text: str):
    return lambda: text


BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))

CASES = {
    "yaml_syntax": (edit("year: 2026", "year: [2026"), "6:1", "方括号列表 [ … ] 没有闭合，或元素之间缺少逗号"),
    "duplicate_key": (edit("  slug: datong-ggzyjy\n", "  slug: datong-ggzyjy\n  slug: x\n"), "11:3",
                      "重复的键“slug”：第10行已有同名的键，后一个会覆盖前一个，请删除或合并（相关行：第10行）"),
    "text_amount": (edit(FUND_LINE, "一般公共预算: 一百万}"), "35:23",
                    f"{F} 应为数字，实际为文字“一百万”（金额只写数字，不加千分位逗号和单位）"),
    "negative_amount": (edit(FUND_LINE, "一般公共预算: -1892900}"), "35:23", f"{F} 不能小于 0，实际为 -1892900"),
    "three_decimals": (edit(FUND_LINE, "一般公共预算: 1892900.123}"), "35:23",
                       f"{F} 金额 1892900.123 最多保留两位小数（到分）"),
    "six_digit_code": (edit('code: "2010301"', 'code: "201030"'), "33:13",
                       "basic.by_function.0.code（支出功能分类“项”编码）“201030”（6位）格式不对：功能科目“项”的编码应为7位数字"),
    "unknown_fund_source": (edit(FUND_LINE, "一般预算: 1892900}"), "35:15",
                            "basic.by_function.0.funds 中有未知的键“一般预算”，是否应为“一般公共预算”？"),
    "function_vs_economic": (edit(FUND_LINE, "一般公共预算: 1892800}"), "33:5",
                             "基本支出（一般公共预算）按功能分类合计 2665680 元（266.57万元），按经济分类合计 2665780 元"
                             "（266.58万元），相差 -100 元；二者应相等（相关行：第63行）"),
    "nan": (edit(FUND_LINE, "一般公共预算: .nan}"), "35:23", f"{F} 不是有效金额：.nan（应为具体的数字）"),
    "absurd": (edit(FUND_LINE, "一般公共预算: 1.0e+30}"), "35:23",
               f"{F} 金额 1.0E+30 元大得不合理（应小于1万亿元），请检查单位是否为元"),
    "tab_indent": (edit("  slug: datong-ggzyjy\n", "\tslug: datong-ggzyjy\n"), "10:1", "用了制表符（Tab）缩进，YAML 只能用空格缩进"),
    "top_level_list": (whole("- a\n- b\n"), "1:1", "文件顶层应为键值映射（year、unit、basic……），实际为列表"),
    "empty_file": (whole(""), "1:1", "文件是空的，应为一个单位的预算数据"),
    "alias_bomb": (whole(BOMB), "1:24", "别名（*引用）展开后节点超过 200000 个，文件可能是恶意构造的，已停止读取"),
    "item_name_vs_catalogue": (edit("name: 行政运行", "name: 行政运转"), "34:13", "功能科目 2010301 的名称应为“行政运行”，这里写的是“行政运转”"),
    "unknown_class": (edit('code: "2010301"', 'code: "2990301"'), "33:13",
                      "功能科目编码 2990301 的类 299 不在《政府收支分类科目》目录中，请核对编码"),
}


def write_case(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "units" / "datong-ggzyjy" / "2026.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(CASES[name][0](), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_reports_exact_message(name, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path, name)
    code = main(["check", "units/datong-ggzyjy/2026.yaml"])
    out = capsys.readouterr().out.strip().splitlines()
    _, where, message = CASES[name]
    assert f"units/datong-ggzyjy/2026.yaml:{where}: 错误：{message}" in out
    assert code == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_build_refuses_and_writes_nothing(name, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path, name)
    code = main(["build", "units/datong-ggzyjy/2026.yaml", "-o", "out"])
    out = capsys.readouterr().out
    assert f"units/datong-ggzyjy/2026.yaml:{CASES[name][1]}: 错误：{CASES[name][2]}" in out
    assert code == 1
    assert list((tmp_path / "out").iterdir()) == []


def test_all_problems_reported_at_once(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "u" / "2026.yaml"
    path.parent.mkdir()
    path.write_text(SEED.replace(FUND_LINE, "一般公共预算: -1}", 1).replace('code: "2080501"', 'code: "20805"', 1), encoding="utf-8")
    assert main(["check", "u/2026.yaml"]) == 1
    out = capsys.readouterr().out
    assert "不能小于 0" in out and "格式不对" in out


def test_missing_path_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "nowhere.yaml"]) == 2
    assert "找不到文件或文件夹：nowhere.yaml" in capsys.readouterr().err


def test_seed_unit_is_clean(capsys):
    root = Path(__file__).resolve().parent.parent
    assert main(["check", str(root / "units")]) == 0
