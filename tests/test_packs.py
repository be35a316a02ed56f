"""A region is data: a pack written only in YAML and Jinja (tests/packs/coverage) builds and reads back
right, and every pack mistake is reported at the pack file's line — by `check` and by `build`, exit 1,
no traceback, nothing written.

The coverage pack has one table of each row set of the vocabulary (functions, economic, classes,
sources, projects, income, units, label, total, blank), money in 元 with thousands separators,
类/款/项 in three columns, and the 合计 row last. Its expected cells are recomputed here from the
unit file's own numbers (yaml.safe_load), not from the generator.
"""
from __future__ import annotations

import csv
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from docx_read import paragraph_texts, tables
from places import at, key_blocks

from generator.analysis.measures import STANDARD as STANDARD_MEASURES
from generator.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
PACKS = Path(__file__).resolve().parent / "packs"
SEED = (ROOT / "units" / "datong-ggzyjy" / "2026.yaml").read_text(encoding="utf-8")
UNIT = "units/cov/2026.yaml"
FUNCTION_NAMES = {r["code"]: r["name"] for r in csv.DictReader(open(ROOT / "generator" / "catalogue" / "function.csv",
                                                                    encoding="utf-8"))}


def yuan(value) -> str:
    return f"{Decimal(value):,.2f}" if Decimal(value) else ""


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A folder with the coverage pack (a copy, to be broken by a test) and the seed unit using it."""
    shutil.copytree(PACKS / "coverage", tmp_path / "packs" / "coverage")
    unit = tmp_path / UNIT
    unit.parent.mkdir(parents=True)
    unit.write_text(SEED.replace("template: shanxi-datong ", "template: coverage      ", 1)
                    .replace("slug: datong-ggzyjy", "slug: cov", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BUDGETDOC_PACKS", str(tmp_path / "packs"))
    from generator.pack.loading import load_pack
    load_pack.cache_clear()
    yield tmp_path
    load_pack.cache_clear()


def function_sums(data: dict) -> dict:
    """code (类, 款 and 项) -> (合计, 基本, 项目) in 元, from the unit file's leaves."""
    sums: dict = {}
    leaves = [(i["code"], "basic", i.get("funds", {})) for i in data["basic"]["by_function"]]
    leaves += [(p["function"], "project", p.get("funds", {})) for p in data["projects"]]
    for code, nature, funds in leaves:
        amount = sum((Decimal(v) for v in funds.values()), Decimal(0))
        for prefix in {code[:3], code[:5], code}:
            total, basic, project = sums.get(prefix, (0, 0, 0))
            sums[prefix] = (total + amount, basic + (amount if nature == "basic" else 0),
                            project + (amount if nature == "project" else 0))
    return sums


def test_a_pack_of_data_only_builds_every_row_set(workdir, capsys):
    assert main(["build", UNIT, "-o", "out", "--no-toc-pages"]) == 0
    data = yaml.safe_load(SEED)
    grids = tables(workdir / "out" / "cov-2026.docx")
    functions, economic, classes, projects, fund_income, units = grids[:6]
    # functions: 类/款/项 split, names from the catalogue or the unit, 元 with separators, 合计 last
    sums = function_sums(data)
    names = {**FUNCTION_NAMES, **{i["code"]: i["name"] for i in data["basic"]["by_function"] if i.get("name")}}
    expected = [[c[:3], c[3:5], c[5:7], names[c], *(yuan(v) for v in sums[c])] for c in sorted(sums)]
    grand = [sum(v[k] for c, v in sums.items() if len(c) == 3) for k in range(3)]
    assert functions[2:] == expected + [["合计", "", "", "", *(yuan(v) for v in grand)]]
    # economic: the 合计 row spans the three text columns and comes last
    items = data["basic"]["by_economic"]
    personnel = sum(Decimal(i["funds"]["一般公共预算"]) for i in items if i["category"] == "人员经费")
    public = sum(Decimal(i["funds"]["一般公共预算"]) for i in items if i["category"] == "公用经费")
    assert economic[-1] == ["合计", "", "", yuan(personnel + public), yuan(personnel), yuan(public)]
    assert ["301", "01", "基本工资", "829,840.00", "829,840.00", ""] in economic
    # classes: two sides; sources with their own labels; only the 类 in use, numbered; padded to 8 rows
    total = yuan(grand[0])
    assert classes[1:4] == [["一、财政拨款收入", total, "一、一般公共服务支出", yuan(sums["201"][0])],
                            ["　　1、一般公共预算资金", total, "二、社会保障和就业支出", yuan(sums["208"][0])],
                            ["二、单位资金", "", "三、卫生健康支出", yuan(sums["210"][0])]]
    assert len(classes) == 1 + 8 + 1 and classes[-1] == ["收入总计", total, "支出总计", total]
    # projects: one row each, in the file's order; the 合计 row last
    assert [r[0] for r in projects[1:-1]] == [p["name"] for p in data["projects"]]
    assert projects[-1] == ["合计", yuan(grand[2]), ""]
    # income: no rows, so only the 合计 row and the table's own empty note
    assert fund_income[1:] == [["合计", "", ""]]
    # units: in 万元; a blank row; a label row without figures
    assert units[1:] == [[data["unit"]["name"], "3.50", "", "", "3.50", "27.44"], [""] * 6, ["说明行"] + [""] * 5]
    texts = paragraph_texts(workdir / "out" / "cov-2026.docx")
    assert "注：本单位2026年无政府性基金预算收入，故本表为空表。" in texts
    assert "2026年收入预算609.03万元，比上年减少25.96万元。" in texts
    assert "1. 2026年支出表\t" in texts and "一、预算说明\t" in texts         # 目录: the pack's numbering and its own words


def replace_in(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.replace(old, new, 1)


P = "packs/coverage/"
MISTAKES = {
    # name: (file, old, new, (anchor, sub) of the place in the broken file, message)
    "misspelled_template": ("document.j2", '{% import "macros.j2" as m %}', '{% import "macro.j2" as m %}',
                            ('{% import "macro.j2"', ""), '模板“macro.j2”不存在（模板包 coverage 中没有这个文件）：{% import "macro.j2" as m %}'),
    "header_one_column_short": ("tables.yaml", "[类, 款, 项]", "[类, 款]", ("[类, 款]", ""),
                                "报表“functions”表头第2行占 6 列，而表体有 7 列"),
    "renamed_key": ("pack.yaml", "unit_name_label: 编制单位：", "unit_name_lable: 编制单位：", ("unit_name_lable", ""),
                    "文件顶层 中有未知的键“unit_name_lable”，是否应为“unit_name_label”？"),
    "jinja_syntax": ("document.j2", "{% endfor %}\n@part:1 预算表", "\n@part:1 预算表", "end of file",
                     "模板语法错误：模板意外结束：缺少结束标签（如 {% endfor %}、{% endif %}）（Unexpected end of template. Jinja was "
                     "looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.）"),
    "unknown_format_field": ("pack.yaml", 'table_toc: "{n}. {title}"', 'table_toc: "{n}. {titel}"', ('"{n}. {titel}"', ""),
                             "格式“{n}. {titel}”中的字段 {titel} 不可用；这里可用的字段：{n}、{cn}、{title}"),
    "labels_one_short": ("tables.yaml", 'labels: [一、财政拨款收入, "　　1、一般公共预算资金", 二、单位资金]',
                         'labels: [一、财政拨款收入, "　　1、一般公共预算资金"]', ("- {sources: [财政拨款", "{"),
                         "报表“classes”：资金来源行有 3 个（财政拨款、一般公共预算、单位资金），labels 却有 2 个；二者应一一对应"),
    # a template that fails while it runs: the pack's mistake in Chinese at its line (was a traceback or Python's English)
    "division_by_zero": ("document.j2", "@body 其他：{{ budget.other_notes.other }}", "@body 其他：{{ facts.amount('total') / 0 }}",
                         ("@body 其他：{{ facts", ""), "模板出错：除数为零（如用 0 作除数，或用为 0 的合计求占比）："
                         "@body 其他：{{ facts.amount('total') / 0 }}"),
    "endless_macro": ("document.j2", "@body 其他：{{ budget.other_notes.other }}",
                      "@body 其他：{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}{{ again(1) }}", ("@body 其他：{% macro", ""),
                      "模板出错：宏或模板调用自身，层层嵌套没有尽头：@body 其他：{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}{{ again(1) }}"),
    "filter_of_text": ("document.j2", "@body 其他：{{ budget.other_notes.other }}", "@body 其他：{{ budget.unit.name | cn_date }}",
                       ("@body 其他：{{ budget.unit", ""), "模板出错：取值无效（如把文字转换为数字）：@body 其他：{{ budget.unit.name | cn_date }}"),
    "endless_text": ("document.j2", "@body 其他：{{ budget.other_notes.other }}", "@body 其他：{{ '很长' * 10000000000 }}",
                     ("@body 其他：{{ '很长'", ""), "模板出错：数值过大，无法计算：@body 其他：{{ '很长' * 10000000000 }}"),
    "endless_loop": ("document.j2", "@body 其他：{{ budget.other_notes.other }}",
                     "@body 其他：{% for i in range(10 ** 9) %}{% endfor %}", ("@body 其他：{% for", ""),
                     "模板出错：数值过大，无法计算：@body 其他：{% for i in range(10 ** 9) %}{% endfor %}"),
    "loops_in_loops": ("document.j2", "@body 其他：{{ budget.other_notes.other }}",
                       "@body 其他：{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                       ("@body 其他：{% for", ""),     # 10¹⁰ steps: every range() of a rendering shares 10⁶ numbers
                       "模板出错：数值过大，无法计算：@body 其他：{% for i in range(100000) %}{% for j in range(100000) %}"
                       "{% endfor %}{% endfor %}"),
    "python_internals": ("document.j2", "@body 其他：{{ budget.other_notes.other }}", "@body 其他：{{ budget.__class__.__mro__ }}",
                         ("@body 其他：{{ budget.__", ""), "模板出错：模板不能使用程序内部的名字（以 _ 开头的属性）：@body 其他：{{ budget.__class__.__mro__ }}"),
    "title_too_long": ("tables.yaml", 'title: "{year}年支出表"', 'title: "{year}年' + "很长的支出表标题" * 6 + '"',
                       ('"{year}年很长', ""),
                       "标题“{year}年" + "很长的支出表标题" * 6 + "”在12磅字下也排不进一行（约216毫米，版心宽190毫米）；"
                       "请在模板包中给它一个较短的写法"),      # 51 ems of 12 pt; B5 landscape less 30 + 30 mm
    # a template's characters (were a traceback)
    "control_character": ("document.j2", "@body 其他：{{ budget.other_notes.other }}", "@body 其他\x01：{{ budget.other_notes.other }}",
                          ("@body 其他\x01", "\x01"), "文件含有不可见的控制字符（U+0001），模板包文件不能含有它（常见于从其他软件复制粘贴），请删除"),
    # words that something needs (were a KeyError traceback, the chart's only for a unit without its figures)
    "no_level_words": ("pack.yaml", "level_words: {省级: 省级部门, 市级: 市级部门, 县级: 县级部门, 区级: 区级部门}\n", "",
                       ("name: coverage", ""), "文件顶层 缺少必填项“level_words”（级次用语）"),   # the mapping's first key
    "no_empty_chart_note": ("pack.yaml", "empty_chart_note: 注：本年无{title}所需数据\n", "", ("charts:", ""),
                            "有 charts（图表）时须写 empty_chart_note（无图说明）：某幅图没有数据时，文件在图的位置印它，"
                            "如“注：本年无{title}所需数据”"),
    # a table's sides (was a KeyError traceback; columns beside sides were left unused without a word)
    "no_columns": ("tables.yaml", "    columns: [code.类, code.款, code.项, name, {measure: total}, {measure: basic}, {measure: project}]\n", "",
                   ("- id: functions", "id"), "报表“functions”：既没有 columns（列），也没有 sides（两侧）：一侧的表写 columns 和 rows，"
                   "收支两侧并列的表写 sides"),
    "columns_beside_sides": ("tables.yaml", "      - [收入, 金额, 支出, 金额]\n    sides:", "      - [收入, 金额, 支出, 金额]\n"
                             "    columns: [label]\n    sides:", ("columns: [label]\n    sides", "[label]"),
                             "报表“classes”：有 sides（两侧）的表，columns 写在每一侧中；这里的 columns 不会用到"),
    # what only a unit's rendering found (each a traceback): checked when the pack loads
    "unknown_source_row": ("tables.yaml", "- {sources: [财政拨款, 一般公共预算, 单位资金]", "- {sources: [财政拨款, 本年, 单位资金]",
                           ("{sources: [财政拨款, 本年", "{"), "报表“classes”：未知的资金来源“本年”，可用：一般公共预算、政府性基金预算、"
                           "国有资本经营预算、财政专户管理资金、单位资金、事业收入、事业单位经营收入、上级补助收入、附属单位上缴收入、其他收入、财政拨款"),
    "measure_list": ("tables.yaml", "name, {measure: total}, {measure: basic}", "name, {measure: [total]}, {measure: basic}",
                     ("{measure: [total]}", ""), "报表“functions”：measure 只写一个指标的名字，这里写的是 ['total']；"
                     "几个指标之和请在 pack.yaml 的 measures 中定义"),
    "header_field": ("tables.yaml", "{text: 科目编码, colspan: 3}", "{text: \"{1}科目编码\", colspan: 3}", ('"{1}科目编码"', ""),
                     "格式“{1}科目编码”中的字段 {1} 不可用；这里可用的字段：{year}"),
    "chart_point_field": ("pack.yaml", "    title: 收入来源\n", "    title: 收入来源\n    point: \"{name}{value}\"\n",
                          ('"{name}{value}"', ""), "格式“{name}{value}”中的字段 {name} 不可用；这里可用的字段：{category}、{value}"),
    "format_spec": ("pack.yaml", 'table_toc: "{n}. {title}"', 'table_toc: "{n:d}. {title}"', ('"{n:d}. {title}"', ""),
                    "格式“{n:d}. {title}”中的字段 {n:d} 带了转换或格式；字段只写名字，如 {n}；这里可用的字段：{n}、{cn}、{title}"),
    "row_label_field": ("tables.yaml", "- {total: 合计, span: true, align: center, bold: true}",
                        '- {total: "{name}合计", span: true, align: center, bold: true}', ('"{name}合计"', ""),
                        "报表“functions”：total 行的文字“{name}合计”中的字段 {name} 不可用；这种行可用的字段：{unit}、{year}"),
    "chart_measure": ("pack.yaml", "- {label: 上年结转, measure: carry}", "- {label: 上年结转, measure: carried}", ("carried", ""),
                      "图表“sources”引用了未知的指标“carried”，可用：" + "、".join([*STANDARD_MEASURES, "general_current_basic"])),
    # the look (pack.yaml look:)
    "unknown_style": ("pack.yaml", "    body: {face: 楷体_GB2312", "    boddy: {face: 楷体_GB2312", ("boddy", ""),
                      "look.styles 中有未知的键“boddy”，是否应为“body”？"),
    "negative_size": ("pack.yaml", "size: 12, align: left", "size: -12, align: left", ("-12, align: left", ""),
                      "look.styles.body.size（字号（磅）） 应大于 0，实际为 -12"),
    "bad_orientation": ("pack.yaml", "orientation: landscape", "orientation: sideways", ("sideways", ""),
                        "look.page.orientation（正文页面方向） 的值“sideways”无效，应为：portrait、landscape"),
    "bad_line": ("pack.yaml", "line: single", "line: double", ("double", ""),
                 "look.styles.body.line（行距）“double”格式不对：应为固定行距的磅数（如 28.9）或 single（单倍行距）"),
    "no_page_field": ("pack.yaml", 'page_number: "第{PAGE}页"', 'page_number: "第{page}页"', ('"第{page}页"', ""),
                      "look.page.page_number（页码格式）“第{page}页”格式不对：应含 {PAGE}（页码数字的位置）"),
    "margins_leave_no_text": ("pack.yaml", "left: 30, right: 30", "left: 130, right: 110", ("{top: 30, bottom: 30, left: 130", ""),
                              "页边距（上30、下30、左130、右110毫米）在横向的 250×176 毫米纸上只留下 10×116 毫米的版心；"
                              "版心的宽和高至少应为 20 毫米"),
}


def place(mistake: str, text: str) -> str:
    where = MISTAKES[mistake][3]
    if where == "end of file":                      # Jinja notices a block left open where the file ends
        return f"{text.rstrip(chr(10)).count(chr(10)) + 1}:1"
    return at(*where, text)


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_pack_mistake_is_reported_at_its_line(mistake, command, workdir, capsys):
    file, old, new, _, message = MISTAKES[mistake]
    broken = replace_in(workdir / P / file, old, new)
    argv = [command, UNIT] + (["-o", "out", "--no-toc-pages"] if command == "build" else [])
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert f"{P}{file}:{place(mistake, broken)}: 错误：{message}" in out.splitlines(), out
    assert "Traceback" not in out + err and "内部错误" not in out + err
    if command == "build":
        assert not any((workdir / "out").glob("*.docx"))


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_template_that_is_not_utf8_or_not_a_file_is_said_at_its_place(command, workdir, capsys):
    """A template saved in another encoding, or a folder named like one, is the pack's error at its
    place, as its YAML files' are (was a traceback: Jinja2 read the file itself)."""
    body = workdir / P / "document.j2"
    gbk = body.read_text(encoding="utf-8").encode("gbk")
    body.write_bytes(gbk)
    (workdir / P / "notes.j2").mkdir()
    argv = [command, UNIT] + (["-o", "out", "--no-toc-pages"] if command == "build" else [])
    assert main(argv) == 1
    out, err = capsys.readouterr()
    with pytest.raises(UnicodeDecodeError) as undecodable:
        gbk.decode("utf-8")
    first = undecodable.value.start                 # its first byte that UTF-8 cannot read
    line, column = gbk[:first].count(b"\n") + 1, first - gbk.rfind(b"\n", 0, first)
    assert (f"{P}document.j2:{line}:{column}: 错误：文件不是 UTF-8 编码（字节 0x{gbk[first]:02X}），像是 GBK 编码"
            "（中文 Windows 的默认编码），请在编辑器中以 UTF-8 保存") in out.splitlines(), out
    assert f"{P}notes.j2:1:1: 错误：模板包文件不是普通文件，而是文件夹，无法作为数据文件读取" in out.splitlines(), out
    assert "Traceback" not in out + err and "内部错误" not in out + err


def test_a_template_saved_with_a_byte_order_mark_reads_as_without_it(workdir, capsys):
    """Windows' Notepad saves UTF-8 with a byte-order mark: the template reads as without it, and
    the mark does not reach the document."""
    plain = workdir / "plain"
    assert main(["build", UNIT, "-o", str(plain), "--no-toc-pages"]) == 0
    for template in (workdir / P).glob("*.j2"):
        template.write_bytes(b"\xef\xbb\xbf" + template.read_bytes())
    from generator.pack.loading import load_pack
    load_pack.cache_clear()
    marked = workdir / "marked"
    assert main(["build", UNIT, "-o", str(marked), "--no-toc-pages"]) == 0
    capsys.readouterr()
    [first], [second] = plain.glob("*.docx"), marked.glob("*.docx")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("mistake", ["renamed_key", "header_one_column_short", "labels_one_short", "jinja_syntax"])
def test_a_pack_mistake_stops_its_export_at_the_same_line(mistake, workdir, capsys):
    """export loads the pack as build does (pack.unit.packed): the same message at the pack's line."""
    file, old, new, _, message = MISTAKES[mistake]
    broken = replace_in(workdir / P / file, old, new)
    assert main(["export", UNIT, "-o", "books"]) == 1
    out, err = capsys.readouterr()
    assert f"{P}{file}:{place(mistake, broken)}: 错误：{message}" in (out + err).splitlines(), out + err
    assert "Traceback" not in out + err and not any((workdir / "books").glob("*.xlsx"))


@pytest.mark.parametrize("command", ["check", "build", "export"])
def test_a_missing_pack_is_told_beside_the_units_own_errors(command, workdir, capsys):
    replace_in(workdir / UNIT, "template: coverage", "template: nosuch  ")
    replace_in(workdir / UNIT, "slug: cov", "slug: cow")
    argv = [command, UNIT] + {"build": ["-o", "out", "--no-toc-pages"], "export": ["-o", "books"]}.get(command, [])
    assert main(argv) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if "错误" in line]
    assert errors == [f"{UNIT}:6:11: 错误：模板包“nosuch”不存在（templates/nosuch/pack.yaml），可用的模板包：coverage、shanghai-putuo、shanxi-datong",
                      f"{UNIT}:10:9: 错误：unit.slug 为“cow”，但文件在文件夹“cov”中，二者应一致"]


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_template_that_uses_what_the_unit_leaves_out(command, workdir, capsys):
    unit = workdir / UNIT
    replace_in(unit, "  other: 我部门无其他专项资金。\n", "")
    argv = [command, UNIT] + (["-o", "out", "--no-toc-pages"] if command == "build" else [])
    assert main(argv) == 1
    out = capsys.readouterr().out
    line = at("@body 其他：{{ budget.other_notes.other }}", "", (workdir / P / "document.j2").read_text(encoding="utf-8"))
    assert (f"{P}document.j2:{line.split(':')[0]}:1: 错误：模板用到了 {UNIT} 中没有的数据（没有“other”）；"
            "请在单位文件中填写，或由模板判断是否存在：@body 其他：{{ budget.other_notes.other }}") in out.splitlines(), out


def test_a_required_block_the_unit_leaves_out(workdir, capsys):
    """The Shanxi pack requires 国有资产 and 其他说明: check says so at the unit's file, before any template runs."""
    unit = workdir / UNIT
    text = unit.read_text(encoding="utf-8").replace("template: coverage      ", "template: shanxi-datong ", 1)
    start, end = text.index("assets:"), text.index("other_notes:")
    unit.write_text(text[:start] + text[end:], encoding="utf-8")
    assert main(["check", UNIT]) == 1
    out = capsys.readouterr().out
    assert f"{UNIT}:1:1: 错误：模板包“shanxi-datong”要求填写 assets（国有资产占有使用情况），本单位文件没有" in out.splitlines(), out


def test_each_required_field_the_unit_leaves_out_is_said_at_its_block(workdir, capsys):
    """The fields a pack needs inside a block the unit does give: each one, at once, at its block."""
    unit = workdir / UNIT
    text = unit.read_text(encoding="utf-8").replace("template: coverage      ", "template: shanxi-datong ", 1)
    text = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith(("office_area:", "quota:")))
    unit.write_text(text, encoding="utf-8")
    assert main(["check", UNIT]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if "错误" in line]
    assert errors == [
        f"{UNIT}:{at('assets:', '', text)}: 错误：模板包“shanxi-datong”要求填写 assets.office_area（办公用房建筑总面积），本单位文件没有",
        f"{UNIT}:{at('  vehicles:', 'vehicles', text)}: 错误：模板包“shanxi-datong”要求填写 assets.vehicles.quota（编制数），本单位文件没有",
    ]


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_level_the_pack_has_no_words_for_is_said_at_the_units_level(command, tmp_path, monkeypatch, capsys):
    """The Shanghai pack words 区级 units only (level_words); a 市级 unit was 内部错误-like "没有这个键" at
    document.j2:1:1 — found by building the synthetic Shanxi units with it."""
    unit = tmp_path / "units" / "putuo-commerce" / "2025.yaml"
    unit.parent.mkdir(parents=True)
    text = (ROOT / "units" / "putuo-commerce" / "2025.yaml").read_text(encoding="utf-8")
    unit.write_text(text.replace("  level: 区级", "  level: 市级", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    argv = [command, "units/putuo-commerce/2025.yaml"] + (["-o", "out", "--no-toc-pages"] if command == "build" else [])
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert (f"units/putuo-commerce/2025.yaml:{at('市级', '', unit.read_text(encoding='utf-8'))}: 错误：模板包“shanghai-putuo”"
            "没有市级单位的措辞（pack.yaml 的 level_words 只有区级）：请核对 unit.level，或换用本级次的模板包") in out.splitlines(), out
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.docx"))


def test_a_pack_name_is_looked_up_only_within_the_schemas_length():
    """core/places.py cannot read the schema (it comes first), so it keeps the length of a `template:`
    itself: the two must agree, or a name the schema accepts would find no pack."""
    from generator.core.places import MAX_PACK_NAME
    from generator.source.schema import load_schema
    assert MAX_PACK_NAME == load_schema()["properties"]["template"]["maxLength"]


@pytest.fixture
def datong_copy(workdir):
    """A copy of the Shanxi pack, to be broken by a test, as `datong-copy`; the unit uses it."""
    pack = workdir / "packs" / "datong-copy"
    shutil.copytree(ROOT / "templates" / "shanxi-datong", pack)
    replace_in(pack / "pack.yaml", "name: shanxi-datong", "name: datong-copy")
    replace_in(workdir / UNIT, "template: coverage      ", "template: datong-copy   ")
    return pack


PERFORMANCE_MISTAKES = {
    # (old, new, (anchor, sub) of the place in pack.yaml, message) — the 绩效目标表's words were an
    # object the schema did not look into: each of these was a traceback (KeyError) or a table short of rows
    "no_level2": ("  level2:                               # every 二级指标 the table shows, under its 一级\n", "",
                  ("performance:\n  title", "title"), "performance 缺少必填项“level2”（二级指标）"),
    "misspelled_label": ("    goal: 总体目标\n", "    gaol: 总体目标\n", ("gaol", ""), "performance.labels 中有未知的键“gaol”，是否应为“goal”？"),
    "funding_line_short": ('funding_lines: ["其中:中央财政资金", ', "funding_lines: [", ("[省级财政资金", ""),
                           "performance.labels.funding_lines（资金来源各行） 至少 5 项，这里有 4 项"),
    "contact_long": ('contact: ["负责人:", ', 'contact: ["负责人:", 甲, ', ('["负责人:", 甲', ""),
                     "performance.labels.contact（联系人各格） 最多 4 项，这里有 5 项"),
    "subtitle_field": ("subtitle: ({year}年度)", "subtitle: ({yaer}年度)", ("({yaer}", ""),
                       "格式“({yaer}年度)”中的字段 {yaer} 不可用；这里可用的字段：{year}"),
}


def test_a_rounding_note_the_pack_does_not_word_is_said_at_the_table(datong_copy, capsys):
    replace_in(datong_copy / "pack.yaml", "rounding_note: 注：本套报表因取数时四舍五入，部分金额可能存在尾差\n", "")
    assert main(["check", UNIT]) == 1
    out, err = capsys.readouterr()
    tables = (datong_copy / "tables.yaml").read_text(encoding="utf-8")
    assert (f"packs/datong-copy/tables.yaml:{at('note: rounding', 'rounding', tables)}: 错误：note: rounding 要在表后印 pack.yaml "
            "的 rounding_note（尾差说明），但 pack.yaml 中没有 rounding_note；请写上，或去掉这里的 note") in out.splitlines(), out
    assert "Traceback" not in out + err


@pytest.mark.parametrize("mistake", sorted(PERFORMANCE_MISTAKES))
def test_the_performance_forms_words_are_checked_at_their_line(mistake, datong_copy, capsys):
    old, new, where, message = PERFORMANCE_MISTAKES[mistake]
    broken = replace_in(datong_copy / "pack.yaml", old, new)
    assert main(["check", UNIT]) == 1
    out, err = capsys.readouterr()
    assert f"packs/datong-copy/pack.yaml:{at(*where, broken)}: 错误：{message}" in out.splitlines(), out
    assert "Traceback" not in out + err and "内部错误" not in out + err


@pytest.mark.parametrize("command", ["check", "build"])
def test_performance_tables_in_a_pack_without_their_words(command, workdir, capsys):
    """The coverage pack has no `performance:`; a template that asks for the forms is told so (was a KeyError)."""
    with open(workdir / P / "document.j2", "a", encoding="utf-8") as template:
        template.write("@performance_tables\n")
    argv = [command, UNIT] + (["-o", "out", "--no-toc-pages"] if command == "build" else [])
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert (f"{UNIT}:{at('template: coverage', 'coverage', (workdir / UNIT).read_text(encoding='utf-8'))}: 错误：模板包“coverage”"
            "的模板用了 @performance_tables，但它的 pack.yaml 中没有 performance（绩效目标表的标题和固定文字）；"
            "请在 pack.yaml 中写上，或去掉 @performance_tables") in out.splitlines(), out
    assert "Traceback" not in out + err and "内部错误" not in out + err


def pack_blocks(file: str, indents: tuple[int, ...]) -> list[tuple[str, int, int]]:
    """(file, first, end) of each key's block of a coverage pack file at these indents, but its name's."""
    lines = (PACKS / "coverage" / file).read_text(encoding="utf-8").splitlines(keepends=True)
    return [(file, first, end) for first, end in key_blocks(lines, indents) if not lines[first].startswith("name:")]


@pytest.mark.parametrize("file, first, end", pack_blocks("pack.yaml", (0,)) + pack_blocks("tables.yaml", (4,)),
                         ids=lambda value: str(value))
def test_a_pack_without_any_one_of_its_blocks_is_checked_without_a_crash(file, first, end, workdir, capsys):
    """Each top-level setting, and each key of each table, left out in turn: check ends with 0 or 1 and
    every problem at a file's line. Found this way: a table without columns (or sides) was a KeyError."""
    path = workdir / P / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:first] + lines[end:]), encoding="utf-8")
    assert main(["check", UNIT]) in (0, 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "内部错误" not in out + err, out + err
    assert all(re.match(r"^[^\n]+?:\d+:\d+: (错误|警告|提示)", line) for line in out.splitlines()), out
