"""Bad input: every case gives exit 1 and one exact Chinese message at file:line:col — never a traceback.

Each case is the seed unit with one mistake written into it (or a whole bad file), checked by
``budgetdoc check`` and by ``budgetdoc build``; a build must leave no output behind.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import places
import pytest

from generator.commands.cli import main
from generator.core.places import pack_names
from generator.source.load import MAX_FILE_BYTES

SEED = (Path(__file__).resolve().parent.parent / "units" / "datong-ggzyjy" / "2026.yaml").read_text(encoding="utf-8")
FUND_LINE = "一般公共预算: 1892900}"          # line 35: basic.by_function[0] 行政运行
F = "basic.by_function.0.funds.一般公共预算（金额（元））"


def line_of(needle: str, text: str = SEED) -> int:
    return places.line_of(needle, text)


def at(anchor: str, sub: str = "", text: str = SEED) -> str:
    return places.at(anchor, sub, text)


def edited(anchor: str, sub: str = ""):
    """The place of `sub` in the edited file, for mistakes that move what follows them."""
    return lambda content: at(anchor, sub, content)


def next_line(anchor: str):
    """The start of the line after `anchor` in the edited file: where YAML notices what was left open."""
    return lambda content: f"{line_of(anchor, content) + 1}:1"


def edit(old: str, new: str):
    assert SEED.count(old) >= 1, old
    return lambda: SEED.replace(old, new, 1)


def whole(text: str):
    return lambda: text


def raw(data: bytes):
    return lambda: data


DUTIES = SEED[SEED.index("  duties:"):SEED.index("  organisation:")]
BASIC = SEED[SEED.index("basic:"):SEED.index("# 项目支出")]
DUTY = "    - 负责市级公共资源交易平台的运行服务和维护工作。"
L_DUTY = line_of(DUTY)
L_SLUG = line_of("  slug: datong-ggzyjy")
L_ECON_FIRST = line_of('- code: "30101"')
L_PERIOD = line_of("      period: 99年")                # project 1 (Z专家评审费) performance.period
L_FUNDING = line_of("        period: {central: 0")     # project 1 funding.period
L_GFI = line_of("government_fund_income:")
L_ECON = line_of('code: "30299"')
L_P2 = line_of("  - name: Z网络安全运维服务")
L_BASIC_CODE = line_of('code: "2080505"')
GBK = SEED.encode("gbk")
GBK_AT = next(i for i, b in enumerate(GBK) if b >= 0x80)
GBK_LINE = GBK[:GBK_AT].count(b"\n") + 1
GBK_COL = GBK_AT - GBK.rfind(b"\n", 0, GBK_AT)
L_FUNCTION = line_of('function: "2010302"')
L_BASIC_FIRST = line_of('code: "2080501"')
BIG = SEED + "# " + "填" * (MAX_FILE_BYTES // 3) + "\n"
BIG_BYTES = len(BIG.encode("utf-8"))
PF = "projects.0.performance.funding"
Q = "双引号没有闭合：从这里开始的双引号字符串没有结尾的引号，吞掉了后面的行，请在本行末尾补上引号"
BAD_CHAR = "字段 unit.duties.2 含有 Word 文档无法保存的字符 U+{}（控制字符或孤立代理项），请删除"

BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))

CASES = {
    "yaml_syntax": (edit("year: 2026", "year: [2026"), next_line("year: [2026"), "方括号列表 [ … ] 没有闭合，或元素之间缺少逗号"),
    "duplicate_key": (edit("  slug: datong-ggzyjy\n", "  slug: datong-ggzyjy\n  slug: x\n"), edited("  slug: x", "slug"),
                      f"重复的键“slug”：第{L_SLUG}行已有同名的键，后一个会覆盖前一个，请删除或合并（相关行：第{L_SLUG}行）"),
    "text_amount": (edit(FUND_LINE, "一般公共预算: 一百万}"), at(FUND_LINE, "1892900"),
                    f"{F} 应为数字，实际为文字“一百万”（金额只写数字，不加千分位逗号和单位）"),
    "negative_amount": (edit(FUND_LINE, "一般公共预算: -1892900}"), at(FUND_LINE, "1892900"), f"{F} 不能小于 0，实际为 -1892900"),
    "three_decimals": (edit(FUND_LINE, "一般公共预算: 1892900.123}"), at(FUND_LINE, "1892900"),
                       f"{F} 金额 1892900.123 最多保留两位小数（到分）"),
    "six_digit_code": (edit('code: "2010301"', 'code: "201030"'), at('code: "2010301"', '"'),
                       "basic.by_function.0.code（功能分类“项”编码）“201030”（6位）格式不对：功能科目“项”的编码应为7位数字"),
    "unknown_fund_source": (edit(FUND_LINE, "一般预算: 1892900}"), at(FUND_LINE),
                            "basic.by_function.0.funds 中有未知的键“一般预算”，是否应为“一般公共预算”？"),
    "function_vs_economic": (edit(FUND_LINE, "一般公共预算: 1892800}"), at('- code: "2010301"'),
                             "基本支出（一般公共预算）按功能分类合计 2665680 元（266.57万元），按经济分类合计 2665780 元"
                             f"（266.58万元），相差 -100 元；二者应相等（相关行：第{L_ECON_FIRST}行）"),
    "nan": (edit(FUND_LINE, "一般公共预算: .nan}"), at(FUND_LINE, "1892900"), f"{F} 不是有效金额：.nan（应为具体的数字）"),
    "absurd": (edit(FUND_LINE, "一般公共预算: 1000000000000000}"), at(FUND_LINE, "1892900"),
               f"{F} 金额 1000000000000000 元大得不合理（应小于1万亿元），请检查单位是否为元"),
    "tab_indent": (edit("  slug: datong-ggzyjy\n", "\tslug: datong-ggzyjy\n"), at("  slug: datong-ggzyjy"), "用了制表符（Tab）缩进，YAML 只能用空格缩进"),
    "top_level_list": (whole("- a\n- b\n"), "1:1", "文件顶层应为键值映射（year、unit、basic……），实际为列表"),
    "empty_file": (whole(""), "1:1", "文件是空的，应为一个单位的预算数据"),
    "alias_bomb": (whole(BOMB), f"{line_of('f: &f', BOMB)}:11", "别名（*引用）展开后节点超过 200000 个，文件可能是恶意构造的，已停止读取"),
    "item_name_vs_catalogue": (edit("name: 行政运行", "name: 行政运转"), at("name: 行政运行", "行政运行"), "功能科目 2010301 的名称应为“行政运行”，这里写的是“行政运转”"),
    "unknown_class": (edit('code: "2010301"', 'code: "2990301"'), at('code: "2010301"', '"'),
                      "功能科目编码 2990301 的类 299 不在《政府收支分类科目》目录中，请核对编码"),
    # YAML syntax
    "unclosed_quote": (edit("  slug: datong-ggzyjy\n", '  slug: "datong-ggzyjy\n'), at("  slug: datong-ggzyjy", "datong"), Q),
    "unclosed_quote_at_end": (edit("  other: 我部门无其他专项资金。", '  other: "我部门无其他专项资金。'),
                              f"{line_of('  other: 我部门')}:10", Q),
    "unclosed_brace": (edit(FUND_LINE, "一般公共预算: 1892900"), at('- code: "2080501"'), "花括号映射 { … } 没有闭合，或元素之间缺少逗号"),
    "deeper_indent": (edit("  kind: 参照公务员法管理事业单位\n", "   kind: 参照公务员法管理事业单位\n"), edited("   kind: 参照", ":"),
                      "这里不能出现“键: 值”：可能是缩进不对，或值中含有未加引号的冒号"),
    "shallower_indent": (edit("  level: 市级\n", " level: 市级\n"), edited(" level: 市级", "level"), "缩进不一致：同一层的键应对齐"),
    "stray_colon": (edit("  level: 市级\n", "  level: 市级: 区级\n"), edited("  level: 市级: 区级", ": 区级"),
                    "这里不能出现“键: 值”：可能是缩进不对，或值中含有未加引号的冒号"),
    # duplicate keys deeper down
    "duplicate_key_in_performance": (edit("      period: 99年\n", "      period: 99年\n      period: 1年\n"),
                                     f"{L_PERIOD + 1}:7", f"重复的键“period”：第{L_PERIOD}行已有同名的键，后一个会覆盖前一个，"
                                     f"请删除或合并（相关行：第{L_PERIOD}行）"),
    "duplicate_key_in_funds": (edit(FUND_LINE, "一般公共预算: 1892900, 一般公共预算: 1}"), edited("1892900, 一般公共预算", "一般公共预算"),
                               f"重复的键“一般公共预算”：第{line_of(FUND_LINE)}行已有同名的键，后一个会覆盖前一个，请删除或合并（相关行：第{line_of(FUND_LINE)}行）"),
    # wrong types
    "year_as_text": (edit("year: 2026 ", "year: 二〇二六 "), at("year: 2026", "2026"), "year（预算年度） 应为整数，实际为文字“二〇二六”"),
    "year_quoted": (edit("year: 2026 ", 'year: "2026" '), at("year: 2026", "2026"), "year（预算年度） 应为整数，实际为文字“2026”"),
    "staff_as_text": (edit("staff: 17 ", "staff: 十七 "), at("staff: 17", "17"), "unit.staff（在职人员数） 应为整数，实际为文字“十七”"),
    "duties_as_string": (edit(DUTIES, "  duties: 负责公共资源交易。\n"), edited("  duties: 负责", "负责"),
                         "unit.duties（本单位职责） 应为列表，实际为文字“负责公共资源交易。”"),
    "funds_as_list": (edit("funds: {一般公共预算: 1892900}", "funds: [1892900]"), at("funds: {一般公共预算: 1892900}", "{"),
                      "basic.by_function.0.funds（本年预算） 应为键值映射，实际为列表"),
    # amounts
    "thousands_separator": (edit(FUND_LINE, '一般公共预算: "1,234.00"}'), at(FUND_LINE, "1892900"),
                            f"{F} 应为数字，实际为文字“1,234.00”（金额只写数字，不加千分位逗号和单位）"),
    "inf": (edit(FUND_LINE, "一般公共预算: .inf}"), at(FUND_LINE, "1892900"), f"{F} 不是有效金额：.inf（应为具体的数字）"),
    "minus_inf": (edit(FUND_LINE, "一般公共预算: -.inf}"), at(FUND_LINE, "1892900"), f"{F} 不是有效金额：-.inf（应为具体的数字）"),
    # codes and the catalogue
    "five_digit_project_function": (edit('function: "2010302"', 'function: "20103"'), f"{L_FUNCTION}:15",
                                    "projects.0.function（支出功能分类“项”）“20103”（5位）格式不对：功能科目“项”的编码应为7位数字"),
    "unknown_economic_code": (edit('code: "30299"', 'code: "30298"'), f"{L_ECON}:13",
                              "经济科目编码 30298 不在部门预算支出经济分类目录中，请核对编码"),
    "economic_name_vs_catalogue": (edit("name: 其他交通费用", "name: 其他交通费"), f"{line_of('name: 其他交通费用')}:13",
                                   "经济科目 30239 的名称应为“其他交通费用”，这里写的是“其他交通费”"),
    # missing parts
    "no_basic": (edit(BASIC, ""), at("year: 2026"), "文件顶层 缺少必填项“basic”（基本支出）"),
    "no_unit_name": (edit("  name: 大同市公共资源交易中心（大同市政府采购中心）\n", ""), edited("  slug: datong-ggzyjy", "slug"), "unit 缺少必填项“name”（单位名称）"),
    # identities of DESIGN.md §5
    "annual_total_vs_project_funds": (edit("        annual_total: 250000", "        annual_total: 240000"),
                                      f"{line_of('        annual_total: 250000')}:23",
                                      "项目“Z专家评审费”绩效目标表的年度资金总额为 240,000 元，与项目预算 250,000 元（表十二）不一致"
                                      f"（相关行：第{line_of('    funds: {一般公共预算: 250000}')}行）"),
    "funding_column_vs_total": (edit("        period_total: 250000", "        period_total: 260000"), f"{L_FUNDING}:17",
                                "项目“Z专家评审费”绩效目标表实施期资金各项合计 250,000 元，与实施期资金总额 260,000 元不一致"),
    "fund_income_vs_expenditure": (edit("government_fund_income: []",
                                        'government_fund_income: [{code: "1030148", name: 国有土地使用权出让收入, amount: 1000}]'),
                                   f"{L_GFI}:25", "政府性基金预算收入 0.10万元 与政府性基金预算支出 0万元 不相等"),
    "duplicate_project_name": (edit("  - name: Z网络安全运维服务 ", "  - name: Z专家评审费 "), f"{L_P2}:5",
                               f"项目“Z专家评审费”重复出现，每个只能写一次（相关行：第{line_of('  - name: Z专家评审费')}行）"),
    "duplicate_basic_function_code": (edit('code: "2080505"', 'code: "2080501"'), f"{L_BASIC_CODE}:7",
                                      f"基本支出功能科目“2080501”重复出现，每个只能写一次（相关行：第{L_BASIC_FIRST}行）"),
    # characters and encodings
    "control_char_x01": (edit(DUTY, '    - "负责\\x01市级"'), f"{L_DUTY}:7", BAD_CHAR.format("0001")),
    "control_char_bell": (edit(DUTY, '    - "负责\\u0007市级"'), f"{L_DUTY}:7", BAD_CHAR.format("0007")),
    "lone_surrogate": (edit(DUTY, '    - "负责\\ud800市级"'), f"{L_DUTY}:7", BAD_CHAR.format("D800")),
    "not_utf8": (raw(GBK), f"{GBK_LINE}:{GBK_COL}", f"文件不是 UTF-8 编码（字节 0x{GBK[GBK_AT]:02X}），像是 GBK 编码"
                 "（中文 Windows 的默认编码），请在编辑器中以 UTF-8 保存"),
    "utf16": (raw(SEED.encode("utf-16")), "1:1", "文件不是 UTF-8 编码（字节 0xFF），而是 UTF-16 编码（记事本中的“Unicode”），"
              "请在编辑器中以 UTF-8 保存"),
    "latin1": (raw(SEED.replace("大同市", "caf\xe9 ", 1).encode("latin-1", "replace")), f"{line_of('大同市', SEED)}:"
               f"{SEED.index('大同市') - SEED.rfind(chr(10), 0, SEED.index('大同市')) + len('caf')}", "文件不是 UTF-8 编码（字节 0xE9），请在编辑器中以 UTF-8 保存"),
    "too_large": (whole(BIG), "1:1", f"文件过大（{BIG_BYTES} 字节），单位预算文件不能超过 {MAX_FILE_BYTES // 1024 // 1024} MB"),
}


def place(name: str) -> str:
    """A case's expected "line:col", found in the fixture itself."""
    make, where, _ = CASES[name]
    return where(make()) if callable(where) else where


def write_case(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "units" / "datong-ggzyjy" / "2026.yaml"
    path.parent.mkdir(parents=True)
    content = CASES[name][0]()
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_reports_exact_message(name, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path, name)
    code = main(["check", "units/datong-ggzyjy/2026.yaml"])
    out = capsys.readouterr().out.strip().splitlines()
    assert f"units/datong-ggzyjy/2026.yaml:{place(name)}: 错误：{CASES[name][2]}" in out
    assert code == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_build_refuses_and_writes_nothing(name, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path, name)
    code = main(["build", "units/datong-ggzyjy/2026.yaml", "-o", "out"])
    out = capsys.readouterr().out
    assert f"units/datong-ggzyjy/2026.yaml:{place(name)}: 错误：{CASES[name][2]}" in out
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


def test_distinct_cases():
    assert len(CASES) >= 40
    assert len({case[0]() for case in CASES.values()}) == len(CASES)


def write_unit(tmp_path: Path, data) -> None:
    path = tmp_path / "units" / "datong-ggzyjy" / "2026.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def document_text(path: Path) -> str:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


def test_bom_is_accepted(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_unit(tmp_path, b"\xef\xbb\xbf" + SEED.encode("utf-8"))
    assert main(["check", "units/datong-ggzyjy/2026.yaml"]) == 0
    assert "错误" not in capsys.readouterr().out


def test_prior_year_zero_is_not_an_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_unit(tmp_path, SEED.replace("office_operation: 241700 ", "office_operation: 0 ", 1))
    assert main(["check", "units/datong-ggzyjy/2026.yaml"]) == 0
    assert main(["build", "units/datong-ggzyjy/2026.yaml", "-o", "out", "--no-toc-pages"]) == 0
    assert "错误" not in capsys.readouterr().out
    text = document_text(tmp_path / "out" / "datong-ggzyjy-2026.docx")
    assert "机关运行经费财政拨款预算27.44万元，比2025年预算0万元增加27.44万元，上年无此项预算。" in text


UNKNOWN_PACK = f"模板包“no-such-pack”不存在（templates/no-such-pack/pack.yaml），可用的模板包：{'、'.join(pack_names())}"


def test_unknown_template_pack_stops_the_build(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_unit(tmp_path, SEED.replace("template: shanxi-datong ", "template: no-such-pack ", 1))
    assert main(["build", "units/datong-ggzyjy/2026.yaml", "-o", "out", "--no-toc-pages"]) == 1
    assert f"units/datong-ggzyjy/2026.yaml:{at('template: shanxi-datong', 'shanxi')}: 错误：{UNKNOWN_PACK}" in capsys.readouterr().out.splitlines()
    assert list((tmp_path / "out").iterdir()) == []


def test_unknown_template_pack_is_reported_by_check(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_unit(tmp_path, SEED.replace("template: shanxi-datong ", "template: no-such-pack ", 1))
    assert main(["check", "units/datong-ggzyjy/2026.yaml"]) == 1
    assert f"units/datong-ggzyjy/2026.yaml:{at('template: shanxi-datong', 'shanxi')}: 错误：{UNKNOWN_PACK}" in capsys.readouterr().out.splitlines()
