"""LibreOffice as a real client: the .docx converts, its Chinese text is set in a CJK font, the
chart renders, and the 目录's page numbers are read back from the footers.

Skipped when LibreOffice or poppler is missing — except under CI (``CI`` set), where it fails.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from seed_copies import seed_copies

from generator import libreoffice as render
from generator.docmodel import Cell, Chart, Document, PageBreak, Paragraph, Table, TableMeta, Toc, TocEntry
from generator.docx.writer import write_docx
from generator.libreoffice import RenderError, docx_to_pdfs, heading_texts, printed_page_number, starts_a_line, toc_pages

CATEGORIES = ("一般公共服务支出", "社会保障和就业支出", "卫生健康支出")


def require_tools() -> None:
    """Skip without LibreOffice/poppler; under CI their absence is a failure."""
    missing = [tool for tool, found in (("soffice", render.find_soffice()),
                                        ("pdftotext", shutil.which("pdftotext")),
                                        ("pdffonts", shutil.which("pdffonts")),
                                        ("pdfinfo", shutil.which("pdfinfo")))
               if not found]
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI 环境缺少 {', '.join(missing)}")
    if missing:
        pytest.skip(f"缺少 {', '.join(missing)}")


def small_document() -> Document:
    table = Table((70, 40, 40), ((Cell("科目", "center", True), Cell("金额", "center", True,
                                                                    colspan=2)),),
                  ((Cell("行政运行"), Cell("87.31", "right"), Cell("12.00", "right")),),
                  landscape=True)
    blocks = (
        Paragraph("大同市公共资源交易中心", "cover_title"), PageBreak(),
        Paragraph("目 录", "toc_title"),
        Toc((TocEntry(1, "第一部分 概况"), TocEntry(2, "一、本单位职责"),
             TocEntry(1, "第二部分 预算报表"), TocEntry(2, "表一预算收支总表"),
             TocEntry(1, "第三部分 情况说明"))),
        PageBreak(),
        Paragraph("第一部分 概况", "part", toc_level=1),
        Paragraph("一、本单位职责", "heading1", toc_level=2),
        Paragraph("负责市级公共资源交易平台的运行服务和维护工作。"),
        Chart("pie", "一般公共预算当年拨款结构图", CATEGORIES, ("475.31", "38.71", "20.10")),
        Paragraph("第二部分 预算报表", "part", toc_level=1, page_break_before=True),
        Paragraph("预算收支总表", "table_title", toc_level=2, toc_text="表一预算收支总表"),
        TableMeta("单位名称：大同市公共资源交易中心", "单位：万元"), table,
        Paragraph("第三部分 情况说明", "part", toc_level=1, page_break_before=True),
    )
    return Document(blocks, "测试", "测试单位", "2026-01-01T00:00:00Z")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    require_tools()
    folder = tmp_path_factory.mktemp("render")
    source = folder / "small.docx"
    write_docx(small_document(), source)
    [pdf] = docx_to_pdfs([source], folder / "pdf")
    assert isinstance(pdf, Path), pdf
    return pdf


def pdf_text(pdf_path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_chinese_text_is_set_in_a_cjk_font(pdf):
    text = re.sub(r"\s+", "", pdf_text(pdf))
    assert "负责市级公共资源交易平台的运行服务和维护工作。" in text
    assert "单位名称：大同市公共资源交易中心" in text and "单位：万元" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert re.search(r"CJK", fonts), fonts


def test_chart_renders_with_its_labels(pdf):
    text = re.sub(r"\s+", "", pdf_text(pdf))
    assert "一般公共预算当年拨款结构图" in text
    assert all(category in text for category in CATEGORIES) and "475.31" in text


def test_landscape_table_page_is_landscape(pdf):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    sizes = re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", info)
    landscape = [int(page) for page, width, height in sizes if float(width) > float(height)]
    assert landscape == [4]


def test_toc_pages_are_read_from_the_footers(pdf):
    pages = toc_pages(pdf, heading_texts(small_document()))
    assert pages == ("1", "1", "2", "2", "3")


def test_printed_page_number_reads_the_last_line():
    assert printed_page_number("正文\n\n          — 12 —\n\n", "— {PAGE} —") == "12"
    assert printed_page_number("目 录\n第一部分 概况 ……… 1\n", "— {PAGE} —") is None
    assert printed_page_number("text\n  - 3 -\n", "- {PAGE} -") == "3"


def test_heading_must_start_a_line_and_may_wrap():
    page = "    第六部分 2026年一般公共预算安排基本支出分经济\n    科目表\n说明第一部分概况如下"
    assert starts_a_line(page, "第六部分 2026年一般公共预算安排基本支出分经济科目表")
    assert not starts_a_line(page, "第一部分 概况")


def test_missing_libreoffice_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "find_soffice", lambda: None)
    with pytest.raises(RenderError, match="未安装 LibreOffice"):
        docx_to_pdfs([tmp_path / "x.docx"], tmp_path)


def test_missing_input_is_that_files_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "find_soffice", lambda: "/usr/bin/soffice")   # not run: nothing to convert
    [outcome] = docx_to_pdfs([tmp_path / "missing.docx"], tmp_path / "pdf")
    assert isinstance(outcome, RenderError) and re.search("找不到要转换的文件：.*missing.docx", str(outcome))


def test_one_libreoffice_lays_out_every_document_once_and_each_is_as_if_built_alone(tmp_path, monkeypatch):
    """The process's LibreOffice is started once for all its units (not once per group), each
    document is laid out once, with or without --pdf, and a unit built among others gives the
    same bytes as built alone."""
    require_tools()
    require_uno()
    from generator.build import units
    from generator.build.outcome import BUILT, BuildOptions
    files = seed_copies(tmp_path, ("unit-a", "unit-b", "unit-c"))
    calls = []
    real = render.LayoutServer.lay_out
    monkeypatch.setattr(render.LayoutServer, "lay_out", lambda self, *a, **k: calls.append(a) or real(self, *a, **k))
    for folder in ("together", "alone"):
        (tmp_path / folder).mkdir()
    try:
        together = units.build_group(files[:2], BuildOptions(str(tmp_path / "together")))
        together += units.build_group(files[2:], BuildOptions(str(tmp_path / "together"), pdf=True))
        server = units.SERVERS[render.find_soffice()]
        assert [r.status for r in together] == [BUILT] * 3 and len(calls) == 3 and server.starts == 1
    finally:
        units.close_layout_server()
    assert not units.SERVERS and server.process is None and server.profile is None
    alone = units.build_group(files[1:2], BuildOptions(str(tmp_path / "alone")))
    units.close_layout_server()
    assert alone[0].status == BUILT and len(calls) == 4
    docx = "unit-b-2026.docx"
    assert (tmp_path / "together" / docx).read_bytes() == (tmp_path / "alone" / docx).read_bytes()
    entries = toc_lines(tmp_path / "together" / docx)
    assert len(entries) > 30 and all(re.search(r"\t\d+$", p) for p in entries)   # the 目录 has its page numbers
    assert (tmp_path / "together" / "unit-c-2026.pdf").is_file()


def toc_lines(path: Path) -> list[str]:
    import docx
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("toc ")]


def test_a_document_that_does_not_convert_fails_alone(tmp_path, monkeypatch):
    require_tools()
    from generator.build import units
    from generator.build.outcome import BUILT, FAILED, BuildOptions
    files = seed_copies(tmp_path, ("unit-a", "unit-b", "unit-c"))
    Path(files[2]).write_text(Path(files[2]).read_text(encoding="utf-8").replace("year: 2026", "year: 二〇二六", 1),
                              encoding="utf-8")
    (tmp_path / "out").mkdir()

    class Server:
        def lay_out(self, docx, pdf=None, toc_pages=True):
            if len(calls) == 1:
                raise RenderError("LibreOffice 未能转换")
            calls.append(docx)
            if pdf:
                pdf.write_bytes(b"%PDF-1.7\n")
            return ()
    calls: list = []
    monkeypatch.setattr(render, "uno_python", lambda: "/usr/bin/python3")
    monkeypatch.setattr(units, "process_layout_server", lambda soffice: Server())
    a, b, c = units.build_group(files, BuildOptions(str(tmp_path / "out"), pdf=True))
    assert a.status == BUILT and [Path(o).name for o in a.outputs] == ["unit-a-2026.docx", "unit-a-2026.pdf"]
    assert b.status == FAILED and b.lines[-1] == f"{files[1]}: 错误：LibreOffice 未能转换" and b.reason == "生成失败"
    assert c.status == FAILED and c.reason == "数据有错误"
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == ["unit-a-2026.docx", "unit-a-2026.pdf"]


def test_without_uno_when_a_group_run_fails_each_document_is_laid_out_alone(tmp_path, monkeypatch):
    """Without python3-uno, groups are converted by soffice runs: a document that hangs LibreOffice
    times the whole run out; then each is converted alone."""
    from generator.build.units import layouts
    calls = []

    def fake(docxs, out_dir):
        calls.append([d.name for d in docxs])
        if len(docxs) > 1 or docxs[0].name == "b.docx":
            raise RenderError(f"LibreOffice 转换 {len(docxs)} 个文件超过 720 秒，已终止")
        return [out_dir / docxs[0].with_suffix(".pdf").name]

    monkeypatch.setattr(render, "docx_to_pdfs", fake)
    a, b, c = layouts([tmp_path / "a.docx", tmp_path / "b.docx", tmp_path / "c.docx"], tmp_path)
    assert calls == [["a.docx", "b.docx", "c.docx"], ["a.docx"], ["b.docx"], ["c.docx"]]
    assert (a.name, c.name) == ("a.pdf", "c.pdf") and isinstance(b, RenderError) and "1 个文件" in str(b)


SYSTEM_PYTHON = "/usr/bin/python3"


def require_uno() -> None:
    """LibreOffice's UNO bridge (Debian python3-uno, for the system's python3); CI must have it."""
    found = os.path.exists(SYSTEM_PYTHON) and subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    if not found and os.environ.get("CI"):
        pytest.fail("CI 环境缺少 python3-uno（LibreOffice 的 Python 接口）")
    if not found:
        pytest.skip("缺少 python3-uno")


def test_libreoffice_rebuilds_the_toc_from_the_outline_levels_at_the_same_levels(tmp_path):
    """A reader who updates the 目录 in LibreOffice gets the same lines back at the same levels, a
    line without a heading of its own (a pack's @toc_entry, a TC field) included; a line whose 目录
    wording differs from its heading ("表一预算收支总表" for the title "预算收支总表") then reads as
    the heading does."""
    require_tools()
    require_uno()
    blocks = list(small_document().blocks)
    toc = next(i for i, b in enumerate(blocks) if isinstance(b, Toc))
    extra = TocEntry(1, "附：预算报表说明")
    blocks[toc] = Toc(blocks[toc].entries[:-1] + (extra, blocks[toc].entries[-1]))
    blocks[-1] = replace(blocks[-1], toc_before=(extra,))
    source = tmp_path / "small.docx"
    write_docx(replace(small_document(), blocks=tuple(blocks)), source)
    lines = updated_toc(source)
    texts = lambda key: [text.split("\t")[0] for _, text in lines[key]]  # noqa: E731
    levels = lambda key: [style for style, _ in lines[key]]  # noqa: E731
    assert texts("before") == ["第一部分 概况", "一、本单位职责", "第二部分 预算报表", "表一预算收支总表", "附：预算报表说明",
                               "第三部分 情况说明"]
    assert texts("after") == ["第一部分 概况", "一、本单位职责", "第二部分 预算报表", "预算收支总表", "附：预算报表说明",
                              "第三部分 情况说明"]
    assert levels("before") == levels("after") == ["Contents 1", "Contents 2", "Contents 1", "Contents 2", "Contents 1",
                                                   "Contents 1"]


def updated_toc(source: Path) -> dict:
    """The 目录's lines [style, text] as LibreOffice opens `source` and after it updates every index."""
    script = Path(__file__).resolve().parent / "clients" / "libreoffice_toc.py"
    done = subprocess.run([SYSTEM_PYTHON, str(script), str(source)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_uno_the_published_pdf_is_still_tagged_and_archival(tmp_path, monkeypatch):
    """Without python3-uno the build runs soffice --convert-to (the draft, then the finished file):
    the export filter's options are given on its command line."""
    require_tools()
    from generator.build import units
    from generator.build.outcome import BUILT, BuildOptions
    monkeypatch.setattr(render, "uno_python", lambda: None)
    [file] = seed_copies(tmp_path, ("unit-a",))
    (tmp_path / "out").mkdir()
    [result] = units.build_group([file], BuildOptions(str(tmp_path / "out"), pdf=True))
    assert result.status == BUILT and not units.SERVERS
    pdf = tmp_path / "out" / "unit-a-2026.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M) and re.search(r"^CreationDate:\s+Thu Jan  1 00:00:00 2026 UTC$", info, re.M)
    meta = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "<pdfaid:part>2</pdfaid:part>" in meta
    assert all(re.search(r"\t\d+$", line) for line in toc_lines(tmp_path / "out" / "unit-a-2026.docx"))


def test_pdf_options_go_on_the_command_line_as_json():
    assert render.convert_to_pdf(None) == "pdf"
    assert render.convert_to_pdf({"SelectPdfVersion": 2, "UseTaggedPDF": True}) == (
        'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
        '"UseTaggedPDF":{"type":"boolean","value":"true"}}')


def test_pdf_stamps_become_the_documents_date_and_an_id_of_its_source():
    """In place, each by a string of the same length: no offset in the file moves."""
    exported = (b"%PDF-1.7\n1 0 obj<</CreationDate(D:20261201113814Z')/Producer(LibreOffice 7.4)>>endobj\n"
                b"2 0 obj<</IDTree 3 0 R/ModDate (D:20261201113815Z')>>endobj\n"
                b"<xmp:CreatorTool>LibreOffice</xmp:CreatorTool><xmp:CreateDate>2026-12-01T11:38:14Z</xmp:CreateDate>\n"
                b"<xmp:MetadataDate>2026-12-01T11:38:16Z</xmp:MetadataDate>\n"
                b"trailer<</ID [ <A759E8AA649FDEDCB01DC4522564734E>\n<A759E8AA649FDEDCB01DC4522564734E> ]>>\n")
    fixed = render.reproducible_pdf(exported, "2027-03-04T05:06:07Z", b"the .docx")
    assert len(fixed) == len(exported)
    assert b"/CreationDate(D:20270304050607Z')" in fixed and b"/ModDate (D:20270304050607Z')" in fixed
    assert b"<xmp:CreateDate>2027-03-04T05:06:07Z</xmp:CreateDate>" in fixed
    assert b"<xmp:MetadataDate>2027-03-04T05:06:07Z</xmp:MetadataDate>" in fixed
    assert b"<xmp:CreatorTool>LibreOffice</xmp:CreatorTool>" in fixed and b"/IDTree 3 0 R" in fixed
    ids = re.findall(rb"<([0-9A-F]{32})>", fixed)
    assert len(set(ids)) == 1 and ids[0] != b"A759E8AA649FDEDCB01DC4522564734E"
    assert render.reproducible_pdf(exported, "2027-03-04T05:06:07Z", b"the .docx") == fixed
    assert render.reproducible_pdf(exported, "2027-03-04T05:06:07Z", b"another .docx") != fixed
