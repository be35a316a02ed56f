"""The seed document rendered by a real client (LibreOffice): text, CJK fonts, charts, pages.

Skips on a machine without LibreOffice — but never in CI (CI=true), where it must run.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent


def need_tools():
    missing = [t for t in ("soffice", "pdftotext", "pdffonts", "pdfinfo") if shutil.which(t) is None]
    if missing and os.environ.get("CI"):
        pytest.fail("CI must have LibreOffice and poppler-utils: missing " + ", ".join(missing))
    if missing:
        pytest.skip("LibreOffice / poppler-utils not installed: " + ", ".join(missing))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    need_tools()
    out = tmp_path_factory.mktemp("render")
    assert main(["build", str(ROOT / "units" / "datong-ggzyjy" / "2026.yaml"), "-o", str(out), "--pdf"]) == 0
    return out / "datong-ggzyjy-2026.pdf"


TEXTS: dict[Path, str] = {}


def pdf_text(pdf: Path) -> str:
    """`pdftotext -layout` of the PDF, read once (a tagged PDF takes pdftotext a few seconds)."""
    if pdf not in TEXTS:
        TEXTS[pdf] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                    check=True).stdout
    return TEXTS[pdf]


def pdf_pages(pdf: Path) -> list[str]:
    return [re.sub(r"\s+", "", page) for page in pdf_text(pdf).split("\f")]


def test_chinese_text_is_there(pdf):
    joined = "".join(pdf_pages(pdf))
    for phrase in ("2026年度单位预算公开", "比上年减少25.96万元，下降4.09%", "基本支出266.58万元，占43.77%",
                   "比2025年预算24.17万元增加3.27万元，增长13.53%", "预算公开表13"):
        assert phrase in joined


def test_text_is_set_in_a_cjk_font(pdf):
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"CJK|Noto Sans SC|Noto Serif|WenQuanYi|Droid Sans Fallback", fonts), fonts


def test_both_charts_are_drawn(pdf):
    pages = pdf_pages(pdf)
    structure = next(i for i, p in enumerate(pages) if "一般公共预算当年拨款结构图" in p)
    three = next(i for i, p in enumerate(pages) if "三公经费分布图" in p)
    # the charts' own labels are drawn by LibreOffice next to their captions
    assert any("一般公共服务支出" in p and "87.31" in p for p in pages[structure:structure + 2])
    assert any("公务用车运行维护费" in p for p in pages[three:three + 2])


def test_page_count_is_plausible(pdf):
    pages = pdf_pages(pdf)
    glossary = next(i for i, p in enumerate(pages) if "第四部分名词解释" in p and "基本支出：" in p)
    assert 25 <= glossary + 1 <= 45          # the seed's 名词解释 starts on its page 34
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert 25 <= int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 50


def test_toc_lists_page_numbers(pdf):
    toc = next(p for p in pdf_pages(pdf) if "目录" in p)
    assert re.search(r"第一部分概况\.*\d+", toc), toc[:200]


# The published PDF: archival (PDF/A-2b), accessible (tagged, PDF/UA), its metadata, its text ------

def pdf_info(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdfinfo", *options, str(pdf)], capture_output=True, text=True, check=True).stdout


def test_pdf_is_tagged_and_archival(pdf):
    info = pdf_info(pdf)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Title:\s+大同市公共资源交易中心（大同市政府采购中心）2026年度单位预算公开$", info, re.M)
    assert re.search(r"^Author:\s+大同市公共资源交易中心（大同市政府采购中心）$", info, re.M)
    meta = pdf_info(pdf, "-meta")
    assert "<pdfaid:part>2</pdfaid:part>" in meta and "<pdfaid:conformance>B</pdfaid:conformance>" in meta
    assert "<pdfuaid:part>1</pdfuaid:part>" in meta
    assert re.search(rb"/Lang\s*\(zh-CN\)", pdf.read_bytes())          # the catalog's language


def test_pdf_has_the_headings_as_bookmarks_and_the_toc_as_links(pdf):
    data = pdf.read_bytes()
    outlines = re.search(rb"/Type\s*/Outlines\s*/Count\s*(\d+)|/Count\s*(\d+)\s*/First", data)
    assert outlines and b"/Outlines" in data
    titles = len(re.findall(rb"/Title\s*<FEFF|/Title\s*\(", data))
    assert titles >= 33                                                 # one bookmark per 目录 line
    assert len(re.findall(rb"/Subtype\s*/Link", data)) >= 33             # each 目录 line links to its heading


def test_pdf_dates_are_the_documents_own(pdf):
    """LibreOffice stamps the moment of export; the build sets the document's date instead
    (1 January of the budget year here; SOURCE_DATE_EPOCH when it is set)."""
    assert re.search(r"^CreationDate:\s+Thu Jan  1 00:00:00 2026 UTC$", pdf_info(pdf), re.M)
    assert "<xmp:CreateDate>2026-01-01T00:00:00Z</xmp:CreateDate>" in pdf_info(pdf, "-meta")


def squeezed_lines(pdf: Path) -> list[str]:
    return [re.sub(r"\s+", "", line) for line in pdf_text(pdf).splitlines()]


def test_text_read_back_finds_the_toc_heading_and_each_table_title_on_one_line(pdf):
    from generator.pack.loading import load_pack
    assert re.search(r"^\s*目录\s*$", pdf_text(pdf), re.M)                       # one word, not "目 录"
    lines = squeezed_lines(pdf)
    titles = [decl.title.format(year=2026) for decl in load_pack("shanxi-datong").tables]
    assert [t for t in titles if t not in lines] == []


def test_toc_page_numbers_are_those_of_the_headings(pdf):
    """The 目录 in the PDF, and in the .docx, gives each heading the page whose footer it is on."""
    from generator import libreoffice
    from generator.libreoffice import toc_pages
    docx = pdf.with_suffix(".docx")
    import docx as python_docx
    entries = [p.text for p in python_docx.Document(str(docx)).paragraphs if p.style.name.startswith("toc ")]
    numbers = tuple(entry.rsplit("\t", 1)[1] for entry in entries)
    headings = [p.text for p in python_docx.Document(str(docx)).paragraphs
                if p.style.name in ("Heading 1", "Heading 2", "Heading 3", "表标题")]
    pages = pdf_text(pdf).split("\f")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(libreoffice, "pdf_page_texts", lambda path: pages[:-1] if not pages[-1].strip() else pages)
        assert toc_pages(pdf, headings) == numbers and numbers[:4] == ("1", "1", "2", "3")
    toc_page = next(page for page in pdf_pages(pdf) if page.startswith("目录"))
    assert all(re.sub(r"\s+", "", e.replace("\t", "")) in toc_page.replace(".", "") for e in entries[:10])


def test_updating_the_toc_in_libreoffice_keeps_its_levels_and_page_numbers(pdf):
    """A reader who updates the 目录 (LibreOffice's "update index") gets the lines back at the same
    levels with the same page numbers; a table's line then reads as its title does ("2026年预算收支
    总表" where the pack's 目录 wording is "表一2026年预算收支总表")."""
    from test_render import require_uno, updated_toc
    require_uno()
    lines = updated_toc(pdf.with_suffix(".docx"))
    before, after = lines["before"], lines["after"]
    assert len(before) == len(after) == 33
    assert [style for style, _ in after] == [style for style, _ in before]
    assert [text.rsplit("\t", 1)[1] for _, text in after] == [text.rsplit("\t", 1)[1] for _, text in before]
    changed = [(b, a) for (_, b), (_, a) in zip(before, after) if b != a]
    assert all(re.fullmatch(r"表[一二三四五六七八九十]+", b.split("\t")[0].removesuffix(a.split("\t")[0]))
               for b, a in changed) and len(changed) == 13


def test_pdf_id_is_digested_from_the_docx_so_the_same_inputs_give_the_same_metadata(pdf):
    import hashlib
    digest = hashlib.md5(pdf.with_suffix(".docx").read_bytes()).hexdigest().upper().encode()
    assert re.findall(rb"/ID\s*\[\s*<([0-9A-F]{32})>\s*<([0-9A-F]{32})>", pdf.read_bytes()) == [(digest, digest)]
