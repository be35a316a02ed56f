"""The Shanghai pack against two real published documents of 上海市普陀区商务委员会, 2025
(tests/golden/shanghai-putuo-2025/, read from the PDFs): its 单位预算, built from
units/putuo-commerce/2025.yaml, and its 部门预算, built from units/putuo-commerce-dept/2025.yaml plus
the same unit file — nothing retyped — with templates/shanghai-putuo, read back from the .docx.

Every paragraph of each original and every row of its 9 tables must be found, cell for cell. Where an
original is itself wrong or inconsistent, CORRECTIONS names its text and the text we print instead.
The originals' empty ruled rows (a different number under each table) are not compared.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx_read import header_counts, paragraph_texts, tables

from generator.docx.writer import write_docx
from generator.pack.unit import analysed_file, check_unit, document_of

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "shanghai-putuo-2025"
UNIT = ROOT / "units" / "putuo-commerce" / "2025.yaml"
FILES = {"unit": "units/putuo-commerce/2025.yaml", "dept": "units/putuo-commerce-dept/2025.yaml"}

# (the original's text, what we print) — its slips, and the forms it uses in some places only
CORRECTIONS = (
    ("（款)", "（款）"), ("（类)", "（类）"),                          # half-width closing brackets (items 11–16)
    ("”3136.40万元", "”3,136.40万元"), ("11381.60万元", "11,381.60万元"),   # thousands separators everywhere else
    ("机关人员经费支出 。", "机关人员经费支出。"), ("运行费和人员经费 。", "运行费和人员经费。"),   # a space before 。
    ("公务接待费1.00万元。与2024年预算持平", "公务接待费1.00万元，与2024年预算持平"),          # 。 where a comma belongs
    ("注:本单位", "注：本单位"), ("注:本部门", "注：本部门"), ("因公出国(境)费", "因公出国（境）费"),   # half-width in tables only
)


LAST_TOC = {"unit": "六、其他相关情况说明", "dept": "七、项目经费情况说明"}


def corrected(text: str) -> str:
    for theirs, ours in CORRECTIONS:
        text = text.replace(theirs, ours)
    return text


def golden(name: str):
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=sorted(FILES))
def doc(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def built(doc, tmp_path_factory) -> Path:
    analysis = analysed_file(ROOT / FILES[doc], FILES[doc])
    assert analysis.ok, [p.format() for p in analysis.problems]
    path = tmp_path_factory.mktemp("shanghai") / f"{doc}.docx"
    write_docx(document_of(analysis), path)
    return path


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_files_check_clean(name):
    assert [p.format() for p in check_unit(ROOT / FILES[name], FILES[name]).problems] == []


def test_every_paragraph_of_the_original_in_order(doc, built):
    ours = [t for t in paragraph_texts(built) if t]
    body = ours[ours.index(LAST_TOC[doc]) + 1:]                # after the 目录
    theirs = [corrected(p["text"]) for p in golden(f"{doc}-paragraphs.json")
              if p["kind"] in ("paragraph", "subheading", "heading", "table_title", "table_note") and p["text"] != "目  录"]
    position = 0
    for text in theirs:
        assert text in body[position:], text
        position = body.index(text, position) + 1


def test_cover_and_目录(doc, built):
    ours = [t for t in paragraph_texts(built) if t]
    cover = [p["text"] for p in golden(f"{doc}-paragraphs.json") if p["kind"] == "cover"]
    assert ours[:3] == cover + ["目录"]
    toc = [p["text"] for p in golden(f"{doc}-paragraphs.json") if p["kind"] == "toc"]
    entries = ours[3:3 + len(toc)]                               # no page numbers, as in the original
    assert entries == [t.replace("．", ". ") for t in toc]        # the original numbers 4．…8． unlike 1. 2. 3. 9.


def meaningful(rows: list[list[str]]) -> list[list[str]]:
    return [[corrected(c.strip()) for c in row] for row in rows if any(c.strip() for c in row)]


@pytest.mark.parametrize("n", range(1, 10))
def test_every_table_row_cell_for_cell(n, doc, built):
    table = golden(f"{doc}-tables.json")[n - 1]
    grid = tables(built)[n - 1]
    heads = header_counts(built)[n - 1]
    assert heads == len(table["header"])
    header_texts = [[c for c in row if c] for row in grid[:heads]]
    assert header_texts == [[corrected(c["text"]) for c in row] for row in table["header"]]
    assert meaningful(grid[heads:]) == meaningful(table["rows"])


def test_every_table_has_its_title_unit_line_and_money_unit(doc, built):
    texts = paragraph_texts(built)
    for table in golden(f"{doc}-tables.json"):
        at = texts.index(table["title"])
        assert texts[at + 1] == f"{table['unit_name']}\t{corrected(table['money_unit']).replace('单位:', '单位：')}"


def test_what_the_schema_leaves_optional_the_pack_does_not_require(tmp_path):
    """A unit without the optional parts of its assets (no 车辆用途 split, no planned purchases, no
    设备 count) builds: the pack words them as none, where the 2025 commission's file gives them."""
    text = (ROOT / "units" / "putuo-commerce" / "2025.yaml").read_text(encoding="utf-8")
    start, end = text.index("    by_use: {部级"), text.index("\nproject_notes:")
    bare = text[:start] + "\n" + text[end:]
    path = tmp_path / "units" / "putuo-commerce" / "2025.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(bare, encoding="utf-8")
    analysis = check_unit(path)
    assert analysis.budget is not None and "planned" not in analysis.budget.assets
    assert not [p for p in analysis.problems if p.severity == "error"], [p.format() for p in analysis.problems]
    paragraphs = [b.text for b in document_of(analysis).blocks if hasattr(b, "text")]
    assert "2025年单位预算安排购置车辆0辆，其中：部级领导干部用车0辆、" in "".join(paragraphs)
    assert any(p.endswith("预算安排购置单价100万元（含）以上设备（不含车辆）0台（套）。") for p in paragraphs)


def test_every_prior_the_pack_compares_with_is_asked_for_at_once(tmp_path):
    """Without its 上年预算执行数, the commission's file gets one error per prior the pack compares with
    (not only the first the templates meet), at its prior_year, each naming the template's line."""
    text = (ROOT / "units" / "putuo-commerce" / "2025.yaml").read_text(encoding="utf-8")
    start = text.index("  executed:")
    bare = text[:start] + text[text.index("\nexplanations:"):]
    path = tmp_path / "units" / "putuo-commerce" / "2025.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(bare, encoding="utf-8")
    errors = [p for p in check_unit(path).problems if p.severity == "error"]
    assert [p.message.split("：")[0] for p in errors] == [
        "缺少上年数 prior_year.executed.fiscal", "缺少上年数 prior_year.executed.government_fund",
        "缺少上年数 prior_year.executed.state_capital"]
    assert {p.pos.line for p in errors} == {bare[:bare.index("prior_year:")].count("\n") + 1}
    assert all(p.related and p.related[0].file.endswith("body.j2") for p in errors)


def test_the_pages_print_no_number_as_in_the_original(doc, built):
    """The originals print no page number, in the footer or the 目录 (the pack's page_number: false)."""
    import zipfile
    assert not [n for n in zipfile.ZipFile(built).namelist() if n.startswith("word/footer")]


def test_without_pdf_nothing_is_laid_out_for_a_toc_without_page_numbers(tmp_path, monkeypatch):
    """No page numbers to read and no PDF asked: the build writes the document without LibreOffice."""
    from generator.build import units
    from generator.build.outcome import BUILT, BuildOptions

    def no_layout(*args, **kwargs):
        raise AssertionError("LibreOffice was asked to lay out a document with nothing to lay out")
    monkeypatch.setattr(units.libreoffice.LayoutServer, "lay_out", no_layout)
    monkeypatch.setattr(units.libreoffice, "docx_to_pdfs", no_layout)
    [result] = units.build_group([str(UNIT)], BuildOptions(str(tmp_path)))
    assert result.status == BUILT and [Path(p).name for p in result.outputs] == ["putuo-commerce-2025.docx"]
