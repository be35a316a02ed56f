"""The writer, read back independently: python-docx for text and tables, lxml for the raw XML."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.core import atomic
from generator.docmodel import GB_T_9704, Cell, Chart, Document, PageBreak, Paragraph, Table, TableMeta, Toc, TocEntry
from generator.docx.styles import style_sheet
from generator.docx.table import table_xml
from generator.docx.writer import docx_bytes, write_docx

ROOT = Path(__file__).resolve().parent.parent

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
W = "{{{}}}".format(NS["w"])
UNIT = "大同市公共资源交易中心（大同市政府采购中心）"


def header_cell(text: str, **kwargs) -> Cell:
    return Cell(text, align="center", bold=True, **kwargs)


def revenue_table(landscape: bool = False, rows: int = 3) -> Table:
    header = ((header_cell("项目", rowspan=2), header_cell("本年预算", colspan=3)),
              (header_cell("合计"), header_cell("基本支出"), header_cell("项目支出")))
    body = tuple((Cell(f"20103{i:02d} 行政运行"), Cell(f"{i}0.00", align="right"),
                  Cell(f"{i}5.00", align="right"), Cell("", align="right"))
                 for i in range(1, rows + 1))
    return Table((60, 32, 32, 32), header, body, font_size_pt=10.5, landscape=landscape)


def sample_document(landscape: bool = False) -> Document:
    toc = Toc((TocEntry(1, "第一部分 概况", "1"), TocEntry(2, "一、本单位职责", "1"),
               TocEntry(1, "第二部分 2026年单位预算报表", "2"),
               TocEntry(2, "表一2026年预算收支总表", "2")))
    blocks = (
        Paragraph(UNIT, "cover_title"), Paragraph("2026年度单位预算公开", "cover_subtitle"),
        PageBreak(), Paragraph("目 录", "toc_title"), toc, PageBreak(),
        Paragraph("第一部分 概况", "part", toc_level=1),
        Paragraph("一、本单位职责", "heading1", toc_level=2),
        Paragraph("（一）贯彻执行党中央、国务院关于公共资源交易的方针政策。"),
        Chart("pie", "一般公共预算当年拨款结构图", ("一般公共服务支出", "社会保障和就业支出"),
              ("475.31", "38.71"), series_name="金额"),
        Paragraph("第二部分 2026年单位预算报表", "part", toc_level=1, page_break_before=True),
        Paragraph("预算公开表1", "table_label"),
        Paragraph("2026年预算收支总表", "table_title", toc_level=2,
                  toc_text="表一2026年预算收支总表"),
        TableMeta(f"单位名称：{UNIT}", "单位：万元"), revenue_table(landscape),
        Paragraph("注：本套报表因取数时四舍五入，部分金额可能存在尾差", "note"),
        PageBreak(), Paragraph("第三部分 情况说明", "part", keep_with_next=True),
    )
    return Document(blocks, title="2026年度单位预算公开", author=UNIT,
                    created="2026-01-01T08:00:00+08:00")


@pytest.fixture(scope="module")
def package() -> bytes:
    return docx_bytes(sample_document())


def xml_part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def body_paragraphs(data: bytes) -> list:
    return xml_part(data, "word/document.xml").findall("w:body/w:p", NS)


def test_paragraph_texts_in_document_order(package):
    texts = [p.text for p in docx.Document(io.BytesIO(package)).paragraphs if p.text]
    assert texts[:3] == [UNIT, "2026年度单位预算公开", "目 录"]
    assert texts[3:7] == ["第一部分 概况\t1", "一、本单位职责\t1",
                          "第二部分 2026年单位预算报表\t2", "表一2026年预算收支总表\t2"]
    assert "2026年预算收支总表" in texts and texts[-1] == "第三部分 情况说明"


def test_every_run_names_its_east_asian_and_latin_fonts(package):
    for part in ("word/document.xml", "word/footer1.xml"):
        runs = xml_part(package, part).iter(W + "r")
        for run in runs:
            fonts = run.find("w:rPr/w:rFonts", NS)
            assert fonts is not None, etree.tostring(run, encoding="unicode")
            assert fonts.get(W + "eastAsia") and fonts.get(W + "ascii") == "Times New Roman"
            assert fonts.get(W + "hAnsi") == "Times New Roman"


def test_defaults_are_chinese_and_no_japanese_face_is_left(package):
    styles = xml_part(package, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(W + "eastAsia") == "仿宋_GB2312"
    assert defaults.find("w:lang", NS).get(W + "eastAsia") == "zh-CN"
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        for name in ("word/styles.xml", "word/fontTable.xml", "word/settings.xml",
                     "word/document.xml"):
            text = archive.read(name).decode("utf-8")
            for japanese in ("ja-JP", "ＭＳ", "MS Mincho", "eastAsiaTheme"):
                assert japanese not in text, (name, japanese)
    theme = xml_part(package, "word/theme/theme1.xml")
    assert [ea.get("typeface") for ea in theme.iterfind(".//a:fontScheme/*/a:ea", NS)] == [
        "黑体", "宋体"]


def test_body_style_follows_gbt_9704(package):
    styles = xml_part(package, "word/styles.xml")
    body = styles.find("w:style[@w:styleId='BodyText']", NS)
    assert body.find("w:pPr/w:ind", NS).get(W + "firstLineChars") == "200"
    assert body.find("w:pPr/w:jc", NS).get(W + "val") == "both"
    spacing = body.find("w:pPr/w:spacing", NS)
    assert (spacing.get(W + "line"), spacing.get(W + "lineRule")) == ("578", "exact")
    assert body.find("w:rPr/w:sz", NS).get(W + "val") == "32"


def test_headings_are_the_built_in_heading_styles(package):
    """Word's own "heading 1–3" (outline levels 1–3), so that readers, pandoc and the PDF's tags see
    them; the table titles are headings of 第二部分 (based on heading 2, their own look)."""
    styles = xml_part(package, "word/styles.xml")
    def style(style_id):
        return styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    found = {style_id: (style(style_id).find("w:name", NS).get(W + "val"),
                        style(style_id).find("w:pPr/w:outlineLvl", NS).get(W + "val"),
                        style(style_id).get(W + "customStyle"))
             for style_id in ("Heading1", "Heading2", "Heading3")}
    assert found == {"Heading1": ("heading 1", "0", None), "Heading2": ("heading 2", "1", None),
                     "Heading3": ("heading 3", "2", None)}
    assert style("Heading1").find("w:rPr/w:rFonts", NS).get(W + "eastAsia") == "黑体"
    assert style("Heading3").find("w:rPr/w:rFonts", NS).get(W + "eastAsia") == "楷体_GB2312"
    title = style("TableTitle")
    assert title.find("w:basedOn", NS).get(W + "val") == "Heading2"
    assert title.find("w:pPr/w:ind", NS).get(W + "firstLineChars") == "0"        # not the heading's indent
    used = [p.find("w:pPr/w:pStyle", NS).get(W + "val") for p in body_paragraphs(package)
            if "".join(t.text for t in p.iter(W + "t")) in ("第一部分 概况", "一、本单位职责", "第三部分 情况说明")]
    assert used == ["Heading1", "Heading2", "Heading1Unlisted"]


def test_a_heading_the_toc_does_not_list_keeps_its_look_at_body_text_level(package):
    styles = xml_part(package, "word/styles.xml")
    unlisted = styles.find("w:style[@w:styleId='Heading1Unlisted']", NS)
    assert unlisted.find("w:basedOn", NS).get(W + "val") == "Heading1"
    assert unlisted.find("w:pPr/w:outlineLvl", NS).get(W + "val") == "9"
    assert unlisted.find("w:rPr/w:rFonts", NS).get(W + "eastAsia") == "黑体"


def test_page_setup_and_front_matter_without_page_numbers(package):
    document = docx.Document(io.BytesIO(package))
    first, numbered = document.sections[0], document.sections[1]
    for section in document.sections:
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                      section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    sect_prs = xml_part(package, "word/document.xml").findall(".//w:sectPr", NS)
    assert sect_prs[0].find("w:footerReference", NS) is None
    assert sect_prs[1].find("w:footerReference", NS) is not None
    assert sect_prs[1].find("w:pgNumType", NS).get(W + "start") == "1"
    assert "— " in numbered.footer.paragraphs[0].text and first.footer.is_linked_to_previous


def test_footer_holds_a_page_field_between_em_dashes(package):
    footer = xml_part(package, "word/footer1.xml")
    instructions = [t.text.strip() for t in footer.iter(W + "instrText")]
    texts = [t.text for t in footer.iter(W + "t")]
    assert instructions == ["PAGE"] and texts == ["— ", "1", " —"]
    assert {f.get(W + "eastAsia") for f in footer.iter(W + "rFonts")} == {"宋体"}
    assert {s.get(W + "val") for s in footer.iter(W + "sz")} == {"28"}


def test_listed_headings_are_bookmarked_in_order_and_carry_no_tc_fields(package):
    marks = []
    for paragraph in body_paragraphs(package):
        starts = paragraph.findall("w:bookmarkStart", NS)
        if starts:
            assert [e.get(W + "id") for e in paragraph.findall("w:bookmarkEnd", NS)] == [starts[0].get(W + "id")]
            marks.append((starts[0].get(W + "name"), "".join(t.text for t in paragraph.iter(W + "t"))))
    assert marks == [("_Toc000000001", "第一部分 概况"), ("_Toc000000002", "一、本单位职责"),
                     ("_Toc000000003", "第二部分 2026年单位预算报表"), ("_Toc000000004", "2026年预算收支总表")]
    instructions = [t.text.strip() for t in xml_part(package, "word/document.xml").iter(W + "instrText")]
    assert not any(i.startswith("TC") for i in instructions)
    table_title = next(p for p in body_paragraphs(package) if "".join(t.text for t in p.iter(W + "t")) == "2026年预算收支总表")
    assert table_title.find("w:pPr/w:outlineLvl", NS) is None          # the style's level 2 is its 目录 level


def toc_entry_paragraphs(package: bytes) -> list:
    return [p for p in body_paragraphs(package) if p.find("w:pPr/w:pStyle", NS) is not None
            and p.find("w:pPr/w:pStyle", NS).get(W + "val").startswith("TOC")]


def test_toc_is_a_field_over_outline_levels_whose_lines_link_to_the_headings(package):
    entries = toc_entry_paragraphs(package)
    instructions = [t.text.strip() for p in entries for t in p.iter(W + "instrText")]
    assert instructions == ['TOC \\o "1-3" \\f C \\h \\z \\u'] + [f"PAGEREF _Toc00000000{n} \\h" for n in range(1, 5)]
    assert [p.find("w:pPr/w:pStyle", NS).get(W + "val") for p in entries] == ["TOC1", "TOC2", "TOC1", "TOC2"]
    links = [p.find("w:hyperlink", NS) for p in entries]
    assert [link.get(W + "anchor") for link in links] == [f"_Toc00000000{n}" for n in range(1, 5)]
    assert ["".join(t.text for t in link.iter(W + "t")) for link in links] == [
        "第一部分 概况1", "一、本单位职责1", "第二部分 2026年单位预算报表2", "表一2026年预算收支总表2"]
    kinds = [c.get(W + "fldCharType") for p in entries for c in p.iter(W + "fldChar")]
    assert kinds == ["begin", "separate"] + ["begin", "separate", "end"] * 4 + ["end"]
    tab = xml_part(package, "word/styles.xml").find(
        "w:style[@w:styleId='TOC2']/w:pPr/w:tabs/w:tab", NS)
    assert (tab.get(W + "val"), tab.get(W + "leader")) == ("right", "dot")


def test_word_is_asked_to_update_fields_only_while_the_toc_has_no_page_numbers(package):
    assert xml_part(package, "word/settings.xml").find("w:updateFields", NS) is None
    blocks = tuple(Toc(tuple(TocEntry(e.level, e.text) for e in b.entries)) if isinstance(b, Toc) else b
                   for b in sample_document().blocks)
    unfilled = docx_bytes(Document(blocks, "t", "a", "2026-01-01T00:00:00Z"))
    assert xml_part(unfilled, "word/settings.xml").find("w:updateFields", NS).get(W + "val") == "true"
    results = [p.findall(".//w:hyperlink/w:r", NS)[-2] for p in toc_entry_paragraphs(unfilled)]
    assert all(run.find("w:t", NS) is None for run in results)        # PAGEREF fields with blank results


def test_a_look_without_page_numbers_prints_none_in_the_footer_or_the_toc():
    """``page_number: false`` (a pack whose originals print no page numbers): no footer, and the 目录
    lines are their texts alone, in a TOC field told to leave page numbers out (\\n); nothing is left
    for Word to fill in, so it is not asked to update the fields."""
    look = replace(GB_T_9704, page=replace(GB_T_9704.page, number_format=""))
    blocks = tuple(Toc(tuple(TocEntry(e.level, e.text) for e in b.entries)) if isinstance(b, Toc) else b
                   for b in sample_document().blocks)
    data = docx_bytes(Document(blocks, "t", "a", "2026-01-01T00:00:00Z", look=look))
    assert not [name for name in zipfile.ZipFile(io.BytesIO(data)).namelist() if "footer" in name]
    assert xml_part(data, "word/document.xml").find(".//w:footerReference", NS) is None
    entries = toc_entry_paragraphs(data)
    assert [t.text.strip() for p in entries for t in p.iter(W + "instrText")] == ['TOC \\o "1-3" \\f C \\n \\h \\z \\u']
    assert ["".join(t.text for t in p.iter(W + "t")) for p in entries] == [
        "第一部分 概况", "一、本单位职责", "第二部分 2026年单位预算报表", "表一2026年预算收支总表"]
    assert [p.find("w:hyperlink", NS).get(W + "anchor") for p in entries] == [f"_Toc00000000{n}" for n in range(1, 5)]
    assert xml_part(data, "word/settings.xml").find("w:updateFields", NS) is None


def test_table_meta_puts_the_unit_at_a_right_tab(package):
    meta = next(p for p in body_paragraphs(package)
                if "".join(t.text for t in p.iter(W + "t")).startswith("单位名称"))
    assert [t.text for t in meta.iter(W + "t")] == [f"单位名称：{UNIT}", "单位：万元"]
    assert meta.find("w:pPr/w:tabs/w:tab", NS).get(W + "val") == "right"
    style_id = meta.find("w:pPr/w:pStyle", NS).get(W + "val")
    styles = xml_part(package, "word/styles.xml")
    for kept in (style_id, "TableLabel", "TableTitle", "Heading1", "Heading2"):
        assert styles.find(f"w:style[@w:styleId='{kept}']/w:pPr/w:keepNext", NS) is not None


def test_table_merges_headers_and_widths(package):
    table = docx.Document(io.BytesIO(package)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["项目", "本年预算", "本年预算", "本年预算"]
    assert [c.text for c in table.rows[1].cells] == ["项目", "合计", "基本支出", "项目支出"]
    assert table.cell(2, 1).text == "10.00" and table.cell(4, 3).text == ""
    tbl = xml_part(package, "word/document.xml").find(".//w:tbl", NS)
    assert tbl.find("w:tblPr/w:tblLayout", NS).get(W + "type") == "fixed"
    assert [g.get(W + "w") for g in tbl.iterfind("w:tblGrid/w:gridCol", NS)] == [
        "3402", "1814", "1814", "1814"]
    rows = tbl.findall("w:tr", NS)
    assert [r.find("w:trPr/w:tblHeader", NS) is not None for r in rows] == [True, True] + [False] * 3
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    first, second = rows[0].findall("w:tc", NS), rows[1].findall("w:tc", NS)
    assert first[1].find("w:tcPr/w:gridSpan", NS).get(W + "val") == "3"
    assert first[0].find("w:tcPr/w:vMerge", NS).get(W + "val") == "restart"
    assert second[0].find("w:tcPr/w:vMerge", NS).get(W + "val") == "continue"
    assert all(tc.find("w:tcPr/w:tcW", NS) is not None for tc in tbl.iter(W + "tc"))
    assert {f.get(W + "eastAsia") for f in tbl.iter(W + "rFonts")} == {"宋体"}
    assert {s.get(W + "val") for s in tbl.iter(W + "sz")} == {"21"}


def test_cell_alignment_and_bold(package):
    tbl = xml_part(package, "word/document.xml").find(".//w:tbl", NS)
    header_cell_xml, number_cell = tbl.findall("w:tr", NS)[0][1], tbl.findall("w:tr", NS)[2][2]
    assert header_cell_xml.find(".//w:jc", NS).get(W + "val") == "center"
    assert header_cell_xml.find(".//w:r/w:rPr/w:b", NS) is not None
    assert number_cell.find(".//w:jc", NS).get(W + "val") == "right"
    assert number_cell.find(".//w:r/w:rPr/w:b", NS) is None


def test_rows_copied_from_one_template_keep_their_own_texts():
    body = tuple((Cell(text), Cell(f"{index}.00", align="right"))
                 for index, text in enumerate(("甲", "<&>\"'", "第一行\n第二行", "左\t右")))
    table = Table((40, 30), ((header_cell("项目"), header_cell("金额")),), body)
    data = docx_bytes(Document((table, table), "t", "a", "2026-01-01T00:00:00Z"))
    for read in docx.Document(io.BytesIO(data)).tables:
        assert [[c.text for c in row.cells] for row in read.rows] == [
            ["项目", "金额"], ["甲", "0.00"], ["<&>\"'", "1.00"], ["第一行\n第二行", "2.00"],
            ["左\t右", "3.00"]]
    cells = xml_part(data, "word/document.xml").find(".//w:tbl", NS).findall("w:tr/w:tc", NS)
    assert len(cells[6].findall("w:p/w:r/w:br", NS)) == 1
    assert len(cells[8].findall("w:p/w:r/w:tab", NS)) == 1
    assert all(tc.find("w:p/w:r/w:rPr/w:rFonts", NS) is not None for tc in cells)


def test_malformed_table_is_refused():
    table = Table((20, 20), (), ((Cell("a"), Cell("b"), Cell("c")),))
    with pytest.raises(ValueError, match="超出"):
        docx_bytes(Document((table,), "t", "a", "2026-01-01T00:00:00Z"))


def test_landscape_table_gets_its_own_section():
    data = docx_bytes(sample_document(landscape=True))
    sections = docx.Document(io.BytesIO(data)).sections
    orientations = [s.page_width > s.page_height for s in sections]
    assert orientations == [False, False, True, False]
    landscape_body = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "预算公开表1" in landscape_body
    sect_prs = xml_part(data, "word/document.xml").findall(".//w:sectPr", NS)
    assert all(s.find("w:footerReference", NS) is not None for s in sect_prs[1:])
    assert [s.find("w:pgNumType", NS).get(W + "start") for s in sect_prs[1:]] == ["1", None, None]


def test_chart_is_a_native_chart_with_embedded_workbook(package):
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names = archive.namelist()
        content_types = archive.read("[Content_Types].xml").decode()
        chart = etree.fromstring(archive.read("word/charts/chart1.xml"))
        chart_rels = etree.fromstring(archive.read("word/charts/_rels/chart1.xml.rels"))
        workbook = archive.read("word/embeddings/Microsoft_Excel_Sheet1.xlsx")
    assert "drawingml.chart+xml" in content_types and "word/charts/chart1.xml" in names
    categories = [v.text for v in chart.iterfind(".//c:cat//c:pt/c:v", NS)]
    values = [v.text for v in chart.iterfind(".//c:val//c:pt/c:v", NS)]
    assert categories == ["一般公共服务支出", "社会保障和就业支出"] and values == ["475.31", "38.71"]
    assert "".join(chart.find("c:chart/c:title", NS).itertext()) == "一般公共预算当年拨款结构图"
    assert chart.find(".//c:dLbls/c:showCatName", NS).get("val") == "1"
    assert chart.find(".//c:txPr//a:ea", NS).get("typeface") == "宋体"
    external = chart.find("c:externalData", NS).get("{{{}}}id".format(NS["r"]))
    target = chart_rels.find(f"rel:Relationship[@Id='{external}']", NS).get("Target")
    assert target == "../embeddings/Microsoft_Excel_Sheet1.xlsx"
    with zipfile.ZipFile(io.BytesIO(workbook)) as sheet:
        assert "社会保障和就业支出" in sheet.read("xl/sharedStrings.xml").decode()


def test_chart_is_inline_in_the_body(package):
    document = xml_part(package, "word/document.xml")
    graphic = document.find(".//wp:inline/a:graphic/a:graphicData", NS)
    assert graphic.get("uri") == "http://schemas.openxmlformats.org/drawingml/2006/chart"
    rid = graphic.find("c:chart", NS).get("{{{}}}id".format(NS["r"]))
    rels = xml_part(package, "word/_rels/document.xml.rels")
    assert rels.find(f"rel:Relationship[@Id='{rid}']", NS).get("Target") == "charts/chart1.xml"
    extent = document.find(".//wp:inline/wp:extent", NS)
    assert (extent.get("cx"), extent.get("cy")) == ("5400000", "3240000")


def test_page_breaks_and_keep_with_next(package):
    paragraphs = {"".join(t.text for t in p.iter(W + "t")): p for p in body_paragraphs(package)}
    assert paragraphs["第二部分 2026年单位预算报表"].find("w:pPr/w:pageBreakBefore", NS) is not None
    third = paragraphs["第三部分 情况说明"]
    assert third.find("w:pPr/w:pageBreakBefore", NS) is not None
    assert third.find("w:pPr/w:keepNext", NS) is not None


def test_core_properties(package):
    props = docx.Document(io.BytesIO(package)).core_properties
    assert (props.title, props.author, props.language) == ("2026年度单位预算公开", UNIT, "zh-CN")
    assert props.created.isoformat().startswith("2026-01-01T00:00:00")
    assert props.modified == props.created == props.last_printed and props.revision == 1
    assert props.comments == "" and props.last_modified_by == UNIT


def test_same_document_gives_identical_bytes(package):
    assert docx_bytes(sample_document()) == package
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}
    assert all(i.extra == b"" and i.compress_type == zipfile.ZIP_DEFLATED for i in infos)


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Shanghai"])
def test_bytes_do_not_depend_on_time_zone_or_hash_seed(package, zone):
    script = ("import sys, test_writer; "
              "sys.stdout.buffer.write(test_writer.docx_bytes(test_writer.sample_document()))")
    env = {**os.environ, "TZ": zone, "PYTHONHASHSEED": "12345",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent),
                                          str(Path(__file__).parents[1])])}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env,
                            check=True)
    assert result.stdout == package


def test_write_docx_writes_the_file(tmp_path, package):
    target = tmp_path / "out.docx"
    write_docx(sample_document(), target)
    assert target.read_bytes() == package
    assert target.stat().st_mode & 0o777 == 0o644 and os.listdir(tmp_path) == ["out.docx"]


def test_failed_build_leaves_the_old_file_untouched(tmp_path):
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    broken = Table((20,), (), ((Cell("a", colspan=2),),))
    with pytest.raises(ValueError):
        write_docx(Document((broken,), "t", "a", "2026-01-01T00:00:00Z"), target)
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.docx"]


def test_failed_rename_removes_the_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")

    def refuse(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_docx(sample_document(), target)
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.docx"]


XML_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff",
                                 max_codepoint=0x2FFF).filter(lambda c: c >= " " or c in "\t\n\r"),
                   max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(XML_TEXT, XML_TEXT), min_size=1, max_size=4), st.booleans())
def test_table_text_is_what_lxml_would_write(rows, bold):
    """Tables are written as text; read back, re-serialized by lxml, they are the same text, and
    every cell holds its own text (escaping, line breaks, tabs and carriage returns included)."""
    table = Table((40, 30), ((header_cell("项目"), header_cell("金额")),),
                  tuple((Cell(a, bold=bold), Cell(b, align="right")) for a, b in rows))
    text = table_xml(table, style_sheet(GB_T_9704)["table_text"])
    wrapped = f'<w:body xmlns:w="{NS["w"]}">{text}</w:body>'
    parsed = etree.fromstring(wrapped.encode("utf-8"))
    assert etree.tostring(parsed, encoding="unicode") == wrapped
    read = [["".join(t.text or ("\n" if t.tag == W + "br" else "\t") for t in tc.iter(W + "t", W + "br", W + "tab"))
             for tc in tr.findall("w:tc", NS)] for tr in parsed[0].findall("w:tr", NS)]
    assert read == [["项目", "金额"]] + [[a, b] for a, b in rows]


def test_cell_marks_keep_the_tables_size_but_not_the_styles_faces():
    """An empty cell is as tall as its paragraph mark: the mark has the table's size (9 pt here),
    and the faces come from the TableText style rather than being repeated in every cell."""
    small = Table((40, 30), ((header_cell("项目"), header_cell("金额")),), ((Cell("甲"), Cell("")),),
                  font_size_pt=9)
    data = docx_bytes(Document((small, revenue_table()), "t", "a", "2026-01-01T00:00:00Z"))
    first, second = xml_part(data, "word/document.xml").findall(".//w:tbl", NS)
    marks = [tc.find("w:p/w:pPr/w:rPr", NS) for tc in first.iter(W + "tc")]
    assert [m.find("w:sz", NS).get(W + "val") for m in marks] == ["18"] * 4
    assert [m.find("w:b", NS) is not None for m in marks] == [True, True, False, False]
    assert all(m.find("w:rFonts", NS) is None for m in marks)
    body_cells = second.findall("w:tr", NS)[2].findall("w:tc", NS)
    assert all(tc.find("w:p/w:pPr/w:rPr", NS) is None for tc in body_cells)     # 10.5 pt, not bold: the style's
    styles = xml_part(data, "word/styles.xml")
    table_text = styles.find("w:style[@w:styleId='TableText']/w:rPr", NS)
    assert table_text.find("w:rFonts", NS).get(W + "eastAsia") == "宋体"
    assert table_text.find("w:sz", NS).get(W + "val") == "21"


def test_chart_axes_have_positive_ids_and_the_chart_its_alt_text():
    bar = Chart("bar", "三公经费分布图", ("公务接待费", "公务用车运行维护费"), ("0.50", "3.50"),
                alt_text="柱形图：三公经费分布图，单位万元：公务接待费0.50、公务用车运行维护费3.50。")
    data = docx_bytes(Document((bar,), "t", "a", "2026-01-01T00:00:00Z"))
    chart = xml_part(data, "word/charts/chart1.xml")
    axis_ids = [e.get("val") for e in chart.iter(f"{{{NS['c']}}}axId", f"{{{NS['c']}}}crossAx")]
    assert axis_ids == ["100000001", "100000002", "100000001", "100000002", "100000002", "100000001"]
    frame = xml_part(data, "word/document.xml").find(".//wp:inline/wp:docPr", NS)
    assert frame.get("title") == "三公经费分布图" and frame.get("descr") == bar.alt_text


def test_font_table_describes_each_face_and_its_windows_substitute(package):
    fonts = {f.get(W + "name"): f for f in xml_part(package, "word/fontTable.xml").findall("w:font", NS)}
    alt = {name: f.find("w:altName", NS).get(W + "val") for name, f in fonts.items() if f.find("w:altName", NS) is not None}
    assert alt["仿宋_GB2312"] == "仿宋" and alt["楷体_GB2312"] == "楷体" and alt["方正小标宋简体"] == "宋体"
    assert alt["黑体"] == "SimHei" and alt["宋体"] == "SimSun"
    for name in ("仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体", "宋体", "仿宋", "楷体"):
        assert len(fonts[name].find("w:panose1", NS).get(W + "val")) == 20
        assert fonts[name].find("w:charset", NS).get(W + "val") == "86"
        assert fonts[name].find("w:sig", NS).get(W + "csb0") in ("00040000", "00040001")   # GB2312 code page
    used = {f.get(W + "eastAsia") for f in xml_part(package, "word/styles.xml").iter(W + "rFonts")}
    assert used <= set(fonts)


def test_the_document_language_is_chinese_for_every_script(package):
    lang = xml_part(package, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert (lang.get(W + "val"), lang.get(W + "eastAsia")) == ("zh-CN", "zh-CN")
    theme_lang = xml_part(package, "word/settings.xml").find("w:themeFontLang", NS)
    assert (theme_lang.get(W + "val"), theme_lang.get(W + "eastAsia")) == ("zh-CN", "zh-CN")


def title_size(data: bytes, text: str) -> str:
    paragraph = next(p for p in body_paragraphs(data) if "".join(t.text for t in p.iter(W + "t")) == text)
    return paragraph.find("w:r/w:rPr/w:sz", NS).get(W + "val")


def test_a_table_title_too_long_for_one_line_is_set_smaller_to_fit():
    short, long = "2026年预算收支总表", "2026年一般公共预算安排基本支出分经济科目表（不含上年结转）"
    blocks = (Paragraph(short, "table_title"), Paragraph(long, "table_title"))
    data = docx_bytes(Document(blocks, "t", "a", "2026-01-01T00:00:00Z"))
    assert title_size(data, short) == "36"                   # 小二, as the style says
    assert title_size(data, long) == "29"                    # 29 ems in 156 mm: 14.5 pt
    from generator.docmodel import text_width_mm
    assert text_width_mm(long, 14.5) <= 156 * 0.97 < text_width_mm(long, 15)


def cell_sizes(data: bytes) -> set[str]:
    return {size.get(W + "val") for size in xml_part(data, "word/document.xml").iterfind(".//w:tc//w:r/w:rPr/w:sz", NS)}


def test_a_table_whose_figure_would_wrap_in_its_cell_is_set_smaller_until_every_figure_fits():
    """Shanghai's 公用经费 column (25.6 mm) printed "1,467,842.0" above "0" at 11.5 pt: 12 half-em
    characters are 24.3 mm, and the cell leaves 23.6 mm inside its margins. The table is set at the
    largest half-point size at which every figure fits (10.5 pt: 22.2 mm ≤ 97 % of 23.6 mm); a text
    cell may wrap and changes nothing; a table whose figures fit keeps its size."""
    from generator.docmodel import text_width_mm

    def table(figure: str, label: str = "一般公共服务支出") -> Table:
        return Table((30, 25.6), (), ((Cell(label), Cell(figure, "right", amount=Decimal("1467842"))),), font_size_pt=11.5)

    def sizes(one: Table) -> set[str]:
        return cell_sizes(docx_bytes(Document((one,), "t", "a", "2026-01-01T00:00:00Z")))

    assert sizes(table("1,467,842.00")) == {"21"}
    assert text_width_mm("1,467,842.00", 10.5) <= 23.6 * 0.97 < text_width_mm("1,467,842.00", 11)
    assert sizes(table("146,784.20")) == {"23"}
    assert sizes(table("146,784.20", label="一般公共服务支出" * 4)) == {"23"}


def test_a_title_that_fits_at_no_size_is_reported():
    from generator.core.problems import PackError
    title = "2026年" + "很长的表标题" * 8
    with pytest.raises(PackError, match="排不进一行.*请在模板包中给它一个较短的写法"):
        docx_bytes(Document((Paragraph(title, "table_title"),), "t", "a", "2026-01-01T00:00:00Z"))


def test_a_toc_entry_without_a_heading_links_to_where_its_paragraph_starts_and_keeps_a_tc_mark():
    """``toc_before``: a 目录 line with no heading of its own (a pack's @toc_entry) has an empty
    bookmark at the start of the paragraph it is listed on, and a TC field, so that an update of the
    目录 keeps it; the headings after it are numbered on. A level-1 TC has no \\l switch (Word reads
    it as 1, and so does LibreOffice, which files \\l 1 one level deeper)."""
    before = (TocEntry(1, "附件"), TocEntry(2, "附表"))
    blocks = (Toc((*before, TocEntry(1, "一、说明"))),
              Paragraph("一、说明", "heading1", toc_level=1, toc_before=before))
    data = docx_bytes(Document(blocks, "t", "a", "2026-01-01T00:00:00Z"))
    heading = next(p for p in body_paragraphs(data) if p.find("w:pPr/w:pStyle", NS).get(W + "val") == "Heading2")
    starts = [(b.get(W + "name"), b.getnext().tag == W + "bookmarkEnd") for b in heading.iter(W + "bookmarkStart")]
    assert starts == [("_Toc000000001", True), ("_Toc000000002", True), ("_Toc000000003", False)]
    assert [t.text.strip() for t in heading.iter(W + "instrText")] == ['TC "附件" \\f C', 'TC "附表" \\f C \\l 2']
    assert "".join(t.text for t in heading.iter(W + "t")) == "一、说明"


@pytest.mark.parametrize("unit", ["units/datong-ggzyjy/2026.yaml", "units/datong-xzsp-dept/2026.yaml",
                                  "units/putuo-commerce-dept/2025.yaml"])
def test_the_finished_docx_from_the_drafts_parts_is_the_docx_written_whole(unit, tmp_path):
    """with_toc: the draft's parts with the 目录's page numbers filled in give the bytes that writing the
    finished document whole gives (a unit's and a department's, numbered pages and unnumbered)."""
    from generator.build import units
    from generator.build.outcome import BuildOptions
    from generator.docx.writer import docx_parts, with_toc
    draft = units.prepared_unit(str(ROOT / unit), BuildOptions(str(tmp_path)))
    [toc] = [b for b in draft.doc.blocks if isinstance(b, Toc)]
    finished = units.with_toc_pages(draft.doc, tuple(str(n) for n in range(3, 3 + len(toc.entries))))
    parts = docx_parts(draft.doc)
    assert parts.data == docx_bytes(draft.doc)
    assert with_toc(parts, finished) == docx_bytes(finished)
    numbered = bool(draft.doc.footer_page_format)
    assert (with_toc(parts, finished) != parts.data) == numbered
    stored = docx_parts(draft.doc, compressed=False)       # the build's draft, which only LibreOffice reads
    with zipfile.ZipFile(io.BytesIO(stored.data)) as package, zipfile.ZipFile(io.BytesIO(parts.data)) as deflated:
        assert {i.compress_type for i in package.infolist()} == {zipfile.ZIP_STORED}
        assert {i.compress_type for i in deflated.infolist()} == {zipfile.ZIP_DEFLATED}
        assert [(i.filename, package.read(i)) for i in package.infolist()] == \
            [(i.filename, deflated.read(i)) for i in deflated.infolist()]
    assert with_toc(stored, finished) == docx_bytes(finished)
    assert with_toc(stored, draft.doc) == docx_bytes(draft.doc)     # a draft without page numbers to fill in
