"""Every failure class of issue 16 that a unit file can carry: an exact Chinese message at file:line:col.

Each case is the seed unit with one mistake written into it (or a whole bad file). `check` and
`build` both end with exit 1 and that message, and the build writes nothing. The number forms of
YAML 1.1 (octal, hexadecimal, sexagesimal, "_", "+", exponents) are never read as other numbers.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from test_bad_input import DUTY, FUND_LINE, SEED, at, edit, line_of, whole

from generator.commands.cli import main
from generator.source.events import MAX_DEPTH
from generator.source.load import MAX_FILE_BYTES, MAX_NODES, load_file

F = "basic.by_function.0.funds.一般公共预算（金额（元））"
OFFICE = "  office_operation: 241700 "
O = "prior_year.office_operation（上年机关运行经费）"
AMOUNT = "金额写作十进制数字，最多两位小数，例如 241700 或 241700.50"
INTEGER = "整数只写十进制数字，例如 17"
TAG = "单位文件和模板包文件中的值都不能带标签（! 或 !! 开头），请删除标签；要写成文字的值请加引号"
VISIBLE = "应含有可见的文字，不能只有空格或不可见的字符（如零宽空格），也不能换行"
HUGE = "9" * 4301
DEEP_LINE = "  duties: " + "[" * 400 + "]" * 400
L_OFFICE = line_of(OFFICE)
L_DUTY = line_of(DUTY)


def after(anchor: str, column: int, text: str = SEED) -> str:
    """"line:col" of the column `column` (from 1) of the line holding `anchor` in `text`."""
    return f"{line_of(anchor, text)}:{column}"


def office(written: str, why: str) -> tuple:
    """The 上年机关运行经费 written as `written`: refused, quoting it, saying why."""
    return (edit(OFFICE, f"  office_operation: {written} "), at(OFFICE, "241700"), f"{O} 应为数字，这里写的是“{written}”：{why}；{AMOUNT}")


CASES = {
    # 1 merge keys
    "merge_key": (edit("funds: {一般公共预算: 1892900}", "funds: {<<: {一般公共预算: 1892900}}"), at("funds: {一般公共预算: 1892900}", "一般"),
                  "不支持 YAML 合并键“<<”：它会悄悄覆盖同名的键，且 YAML 1.2 已不再支持；请把要合并的键直接写出来（整个值相同时可用锚点 & 和别名 * 引用）"),
    # 2 tags: nothing is constructed from a tag
    "tag_unknown": (edit("year: 2026 ", "year: !foo bar "), at("year: 2026", "2026"), f"不支持 YAML 标签“!foo”：{TAG}"),
    "tag_python": (edit("year: 2026 ", 'year: !!python/object/apply:os.system ["echo x"] '), at("year: 2026", "2026"),
                   f"不支持 YAML 标签“!!python/object/apply:os.system”：{TAG}"),
    "tag_int": (edit("  staff: 17 ", "  staff: !!int abc "), at("  staff: 17", "17"), f"不支持 YAML 标签“!!int”：{TAG}"),
    "tag_bool": (edit("  staff: 17 ", "  staff: !!bool maybe "), at("  staff: 17", "17"), f"不支持 YAML 标签“!!bool”：{TAG}"),
    "tag_timestamp": (edit("  as_of: 2025-12-31", "  as_of: !!timestamp x"), at("  as_of: 2025-12-31", "2025"), f"不支持 YAML 标签“!!timestamp”：{TAG}"),
    "tag_binary": (edit("  staff: 17 ", "  staff: !!binary abc "), at("  staff: 17", "17"), f"不支持 YAML 标签“!!binary”：{TAG}"),
    "tag_str": (edit("  staff: 17 ", "  staff: !!str 17 "), at("  staff: 17", "17"), f"不支持 YAML 标签“!!str”：{TAG}"),
    "tag_non_specific": (edit("  staff: 17 ", "  staff: ! 17 "), at("  staff: 17", "17"), f"不支持 YAML 标签“!”：{TAG}"),
    "tag_on_mapping": (edit("three_public:", "three_public: !!omap"), after("three_public:", 15), f"不支持 YAML 标签“!!omap”：{TAG}"),
    # 3 huge integers and ranges
    "huge_integer": (edit(FUND_LINE, f"一般公共预算: {HUGE}}}"), at(FUND_LINE, "1892900"),
                     f"{F} 应为数字，这里写的是“{'9' * 16}…{'9' * 8}（共 4301 个字符）”：位数过多（4301 位）；{AMOUNT}"),
    "twenty_digit_amount": (edit(FUND_LINE, "一般公共预算: 12345678901234567890}"), at(FUND_LINE, "1892900"),
                            f"{F} 金额 12345678901234567890 元大得不合理（应小于1万亿元），请检查单位是否为元"),
    "staff_12_digits": (edit("  staff: 17 ", "  staff: 123456789012 "), at("  staff: 17", "17"),
                        "unit.staff（在职人员数） 不能大于 100000，实际为 123456789012"),
    "year_9999": (edit("year: 2026 ", "year: 9999 "), at("year: 2026", "2026"), "year（预算年度） 不能大于 2100，实际为 9999"),
    "quota_huge": (edit("    quota: 1 ", "    quota: 10000000000000000000 "), at("    quota: 1 ", "1"),
                   "assets.vehicles.quota（编制数） 不能大于 10000，实际为 10000000000000000000"),
    # 4 deep nesting, 5 recursive aliases
    "deep_nesting": (edit("  duties:", DEEP_LINE + "\n  duties_:"), f"{line_of('  duties:')}:{len('  duties: ') + MAX_DEPTH - 2 + 1}",
                     f"列表和映射嵌套超过 {MAX_DEPTH} 层，单位预算文件不会这么深（可能是括号 [ 或 {{ 没有闭合），已停止读取"),
    "recursive_alias": (edit("  duties:", "  duties: &d [*d]\n  duties_:"), f"{line_of('  duties:')}:15",
                        "别名“*d”在锚点“&d”（第17行）自身之内，会无限展开，请删除"),
    "undefined_alias": (edit("  staff: 17 ", "  staff: *nowhere "), at("  staff: 17", "17"), "别名“*nowhere”引用了未定义的锚点（应先用 &nowhere 定义）"),
    "duplicate_anchor": (lambda: SEED.replace("  staff: 17 ", "  staff: &n 17 ", 1).replace("year: 2026 ", "year: &n 2026 ", 1),
                         at("  staff: 17", "17"), "锚点“&n”重复定义：第5行已定义过同名锚点，请改用另一个名字（相关行：第5行）"),
    # 6 a file of comments only
    "comments_only": (whole("# 只有注释\n# 还没有填写数据\n"), "1:1", "文件中只有注释，没有数据，应为一个单位的预算数据（year、unit、basic……）"),
    # 11 number forms of YAML 1.1: quoted back, never read as another number
    "octal_amount": office("0241700", "以 0 开头的整数在 YAML 中是八进制（0241700 会被读作 82880），请去掉开头的 0"),
    "hex_amount": office("0x3AFE4", "这是十六进制写法"),
    "sexagesimal_amount": office("1:30", "带冒号的数字在 YAML 中是六十进制（例如 1:30 读作 90）"),
    "underscore_amount": office("241_700", "数字中不能有下划线“_”"),
    "plus_amount": office("+241700", "数字前不写正号“+”"),
    "exponent_amount": office("2.417e+5", "不能用科学计数法"),
    "bare_point_amount": office("241700.", "小数点前后都应有数字"),
    "binary_amount": office("0b1010", "这是二进制写法"),
    "octal_year": (edit("year: 2026 ", "year: 03752 "), at("year: 2026", "2026"),
                   f"year（预算年度） 应为整数，这里写的是“03752”：以 0 开头的整数在 YAML 中是八进制（03752 会被读作 2026），请去掉开头的 0；{INTEGER}"),
    # 12 patterns do not accept a final line break
    "code_newline": (edit('code: "2010301"', 'code: "2010301\\n"'), at('code: "2010301"', '"'),
                     "basic.by_function.0.code（功能分类“项”编码）“2010301<U+000A>”格式不对：功能科目“项”的编码应为7位数字"),
    "template_newline": (edit("template: shanxi-datong ", 'template: "shanxi-datong\\n" '), at("template: shanxi-datong", "shanxi"),
                         "template（模板包）“shanxi-datong<U+000A>”格式不对：模板包名只能用小写字母、数字和连字符，以字母或数字开头"),
    "date_newline": (edit("  as_of: 2025-12-31", '  as_of: "2025-12-31\\n"'), at("  as_of: 2025-12-31", "2025"),
                     "assets.as_of（截止日期）“2025-12-31<U+000A>”格式不对：日期应写作 YYYY-MM-DD，例如 2025-12-31"),
    # 13 impossible dates
    "impossible_date": (edit("  as_of: 2025-12-31", "  as_of: 2025-02-30"), at("  as_of: 2025-12-31", "2025"),
                        "assets.as_of（截止日期）“2025-02-30”不是存在的日期：2025年2月没有30日"),
    "impossible_stamp": (edit('date: "20251121175638"', 'date: "20251131175638"'), at('date: "20251121175638"', '"'),
                         "projects.0.performance.contact.date（填报日期）“20251131175638”不是存在的日期或时间，请按预算系统打印的填报日期填写"),
    # 14 names of invisible characters only
    "zero_width_name": (edit("  name: 大同市公共资源交易中心（大同市政府采购中心）", '  name: "\\u200b"'), at("  name: 大同市公共资源", "大同"),
                        f"unit.name（单位名称）“<U+200B>”格式不对：{VISIBLE}"),
    "name_with_line_break": (edit("  name: 大同市公共资源交易中心（大同市政府采购中心）", '  name: "大同市公共资源交易中心\\n@heading 假标题"'),
                             at("  name: 大同市公共资源", "大同"), f"unit.name（单位名称）“大同市公共资源交易中心<U+000A>@heading 假标题”格式不对：{VISIBLE}"),
    "space_name": (edit("  name: 大同市公共资源交易中心（大同市政府采购中心）", '  name: "\\u3000 "'), at("  name: 大同市公共资源", "大同"),
                   f"unit.name（单位名称）“<U+3000> ”格式不对：{VISIBLE}"),
    # 9 a unit name too long for the document's title
    "long_unit_name": (edit("  name: 大同市公共资源交易中心（大同市政府采购中心）", "  name: " + "大" * 244), at("  name: 大同市公共资源", "大同"),
                       "unit.name（单位名称） 过长：最多 100 个字符，这里有 244 个"),
    # 17 raw control bytes, where they are
    "raw_nul": (edit(DUTY, DUTY.replace("市级", "市\x00级")), f"{L_DUTY}:{DUTY.index('市级') + 2}",
                "文件含有不可见的空字符 NUL（U+0000），YAML 文件不能含有它（常见于从其他软件复制粘贴），请删除"),
    "raw_escape": (edit(DUTY, DUTY.replace("市级", "市\x1b级")), f"{L_DUTY}:{DUTY.index('市级') + 2}",
                   "文件含有不可见的ESC（U+001B），YAML 文件不能含有它（常见于从其他软件复制粘贴），请删除"),
    # 18 PyYAML's messages in Chinese
    "two_documents": (whole(SEED + "---\nyear: 2027\n"), f"{SEED.count(chr(10)) + 1}:1",
                      "文件中有第二个 YAML 文档（以“---”开始）：一个单位预算文件只能有一个文档，请删除这一行的“---”，或把后面的内容移到另一个文件"),
    "at_sign": (edit("  level: 市级", "  level: @市级"), at("  level: 市级", "市级"),
                "字符“@”不能作为值的开头（YAML 中 @ 和 ` 是保留字符，| > ! & * % 等有特殊含义）：请给整个值加引号"),
    "backtick": (edit("  level: 市级", "  level: `市级`"), at("  level: 市级", "市级"),
                 "字符“`”不能作为值的开头（YAML 中 @ 和 ` 是保留字符，| > ! & * % 等有特殊含义）：请给整个值加引号"),
    "complex_key": (edit("  staff: 17 ", "  ? [staff]\n  : 17\n  staff: 17 "), after("  staff: 17", 5),
                    "键必须是简单的文字，不能是列表或映射"),
}


def write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "units" / "datong-ggzyjy" / "2026.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(CASES[name][0](), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_and_build_refuse_with_the_exact_message(name, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, name)
    where = CASES[name][1]
    expected = f"units/datong-ggzyjy/2026.yaml:{where}: 错误：{CASES[name][2]}"
    assert main(["check", "units/datong-ggzyjy/2026.yaml"]) == 1
    assert expected in capsys.readouterr().out.splitlines()
    assert main(["build", "units/datong-ggzyjy/2026.yaml", "-o", "out", "--no-toc-pages"]) == 1
    assert expected in capsys.readouterr().out.splitlines()
    assert list((tmp_path / "out").iterdir()) == []


def test_distinct_cases():
    assert len({case[0]() for case in CASES.values()}) == len(CASES)


@pytest.mark.parametrize("written", ["010", "0241700", "0x1F", "1:30", "1_000", "+5", "1.5e3"])
def test_number_forms_in_a_text_field_are_kept_as_written(written, tmp_path):
    path = tmp_path / "2026.yaml"
    path.write_text(SEED.replace("      period: 99年", f"      period: {written}", 1), encoding="utf-8")
    assert load_file(path).data["projects"][0]["performance"]["period"] == written


def test_limits_are_the_documented_ones():
    text = (Path(__file__).resolve().parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    assert f"at most {MAX_NODES:,} keys" in text and f"at most {MAX_DEPTH} deep" in text
    assert f"at most {MAX_FILE_BYTES // 1024 // 1024} MB ({MAX_FILE_BYTES:,} bytes)" in text


# 8 numbered headings for any count ------------------------------------------------------------

@pytest.mark.parametrize("n, words", [(1, "一"), (10, "十"), (12, "十二"), (30, "三十"), (99, "九十九"), (100, "一百"),
                                      (101, "一百零一"), (110, "一百一十"), (111, "一百一十一"), (1005, "一千零五"),
                                      (1050, "一千零五十"), (10010, "一万零一十"), (100010, "十万零一十"),
                                      (100000001, "一亿零一"), (110000000, "一亿一千万")])
def test_cn_num_writes_any_whole_number(n, words):
    from generator.pack.wording import cn_num
    assert cn_num(n) == words


# 26, 27 the catalogue ---------------------------------------------------------------------------

NEW_ITEM = '    - code: "2010301"\n'
UNLISTED = "2010398"                                     # 类 201 and 款 20103 exist, 项 98 does not


def analysed(tmp_path: Path, text: str):
    from generator.analysis.pipeline import analyse
    path = tmp_path / "units" / "datong-ggzyjy" / "2026.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return analyse(path, "units/datong-ggzyjy/2026.yaml")


def test_a_project_in_an_unlisted_item_is_fixed_as_the_message_says(tmp_path):
    moved = SEED.replace('    function: "2010302"', f'    function: "{UNLISTED}"', 1)
    [problem] = [p for p in analysed(tmp_path, moved).problems if p.severity == "error"]
    assert problem.message == (f"功能科目 {UNLISTED} 不在《政府收支分类科目》目录中：请核对编码；若编码无误而目录尚未收录，"
                               "请在 basic.by_function 中加一项写明其名称（没有基本支出时金额可不写）："
                               f'{{code: "{UNLISTED}", name: 科目名称, funds: {{}}}}')
    fixed = moved.replace(NEW_ITEM, f'    - {{code: "{UNLISTED}", name: 其他一般行政管理事务, funds: {{}}}}\n' + NEW_ITEM, 1)
    analysis = analysed(tmp_path, fixed)
    assert analysis.ok and not [p for p in analysis.problems if p.severity == "error"]
    assert analysis.facts.name("function", UNLISTED) == "其他一般行政管理事务"


def test_names_match_the_catalogue_whatever_their_width_and_the_catalogue_name_is_printed(tmp_path):
    text = SEED.replace('    - code: "30211"\n      name: 差旅费', '    - code: "30213"\n      name: 维修 (护)费', 1)
    analysis = analysed(tmp_path, text)
    assert not [p for p in analysis.problems if p.severity == "error"]
    assert analysis.facts.name("economic", "30213") == "维修（护）费"


# 9 the document's title, whatever the pack makes of it ---------------------------------------------

def test_a_title_longer_than_word_allows_is_cut_not_a_crash():
    import io
    import zipfile

    from generator.docmodel import Document, Paragraph
    from generator.docx.writer import docx_bytes
    doc = Document((Paragraph("正文", "body"),), title="大" * 300, author="大" * 300, created="2026-01-01T00:00:00Z")
    core = zipfile.ZipFile(io.BytesIO(docx_bytes(doc))).read("docProps/core.xml").decode("utf-8")
    assert "大" * 255 in core and "大" * 256 not in core


# 18 every message of PyYAML and every schema keyword, in Chinese ---------------------------------

CONTEXT_NAMES = {"while scanning a %s": ("tag", "directive"), "while parsing a %s": ("tag", "directive"),
                 "while scanning an %s": ("anchor", "alias"), "while parsing a %s node": ("block", "flow")}


def pyyaml_errors():
    """(context, problem) of every error PyYAML's scanner and parser can raise, read from their sources,
    with the values PyYAML puts in their %-placeholders."""
    import re as regex

    import yaml
    folder = Path(yaml.__file__).parent
    samples = {"%r": "'x'", "%d": "2", "%s": "x"}
    found = []
    for name in ("scanner.py", "parser.py"):
        source = regex.sub(r"(?m)^\s*#.*$", "", (folder / name).read_text(encoding="utf-8"))
        for call in regex.finditer(r"raise (?:Scanner|Parser)Error\((.*?)\)\n", source, regex.S):
            strings = [s.replace("\\'", "'") for s in regex.findall(r'"((?:[^"\\]|\\.)*)"', regex.sub(r"#.*", "", call.group(1)))]
            if not strings:
                continue
            context, problem = (strings[0], strings[-1]) if strings[0].startswith("while") else ("", strings[0])
            if problem == context:            # the problem is str(exc): a URI escape that is not UTF-8
                problem = "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"
            problem = regex.sub("%[srd]", lambda m: samples[m.group()], problem)
            for word in CONTEXT_NAMES.get(context, (None,)):
                found.append((context.replace("%s", word) if word else context, problem))
    return sorted(set(found))


def test_every_pyyaml_error_has_a_chinese_message():
    from generator.source.yaml_messages import FALLBACK, chinese_message
    errors = pyyaml_errors()
    assert len(errors) > 30
    untranslated = [e for e in errors if chinese_message(e[1], e[0]) == FALLBACK]
    assert untranslated == []


def test_every_schema_keyword_has_a_chinese_message():
    from test_validate_fast import schema_nodes

    from generator.source.validate import MESSAGES, load_schema
    used = {key for node in schema_nodes(load_schema()) for key in node}
    words = {"$schema", "$id", "$comment", "$defs", "$ref", "title", "description", "x-pattern-message", "properties", "items"}
    assert used - words - set(MESSAGES) == set()


def test_an_unreadable_file_says_why(tmp_path, monkeypatch):
    import errno

    from generator.core import files
    from generator.core.problems import BudgetdocError

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(files.os, "open", denied)
    with pytest.raises(BudgetdocError) as caught:
        load_file(tmp_path / "2026.yaml")
    assert [p.format() for p in caught.value.problems] == [f"{tmp_path / '2026.yaml'}:1:1: 错误：单位预算文件无法读取：没有权限"]
