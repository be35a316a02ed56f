"""The Shanghai pack against a real published document: the 2025 单位预算 of 上海市普陀区商务委员会
(tests/golden/shanghai-putuo-2025/, read from putuo-commerce-unit-2025.pdf), built from
units/putuo-commerce/2025.yaml with templates/shanghai-putuo, read back from the .docx.

Every paragraph of the original and every row of its 9 tables must be found, cell for cell. Where the
original is itself wrong or inconsistent, CORRECTIONS names its text and the text we print instead.
The originals' empty ruled rows (a different number under each table) are not compared.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx_read import header_counts, paragraph_texts, tables

from generator.analysis.pipeline import analyse
from generator.docx.writer import write_docx
from generator.pack.unit import document_of

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "shanghai-putuo-2025"
UNIT = ROOT / "units" / "putuo-commerce" / "2025.yaml"

# (the original's text, what we print) — its slips, and the forms it uses in some places only
CORRECTIONS = (
    ("（款)", "（款）"), ("（类)", "（类）"),                          # half-width closing brackets (items 11–16)
    ("”3136.40万元", "”3,136.40万元"), ("11381.60万元", "11,381.60万元"),   # thousands separators everywhere else
    ("机关人员经费支出 。", "机关人员经费支出。"), ("运行费和人员经费 。", "运行费和人员经费。"),   # a space before 。
    ("公务接待费1.00万元。与2024年预算持平", "公务接待费1.00万元，与2024年预算持平"),          # 。 where a comma belongs
    ("注:本单位", "注：本单位"), ("因公出国(境)费", "因公出国（境）费"),                    # half-width in tables only
)


def corrected(text: str) -> str:
    for theirs, ours in CORRECTIONS:
        text = text.replace(theirs, ours)
    return text


def golden(name: str):
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    analysis = analyse(UNIT, "units/putuo-commerce/2025.yaml")
    assert analysis.ok, [p.format() for p in analysis.problems]
    path = tmp_path_factory.mktemp("shanghai") / "putuo-commerce-2025.docx"
    write_docx(document_of(analysis), path)
    return path


def test_the_unit_file_checks_clean():
    analysis = analyse(UNIT, "units/putuo-commerce/2025.yaml")
    assert [p.format() for p in analysis.problems] == []


def test_every_paragraph_of_the_original_in_order(built):
    ours = [t for t in paragraph_texts(built) if t]
    body = ours[ours.index("六、其他相关情况说明\t") + 1:]         # after the 目录
    theirs = [corrected(p["text"]) for p in golden("unit-paragraphs.json")
              if p["kind"] in ("paragraph", "subheading", "heading", "table_title", "table_note") and p["text"] != "目  录"]
    position = 0
    for text in theirs:
        assert text in body[position:], text
        position = body.index(text, position) + 1


def test_cover_and_目录(built):
    ours = [t for t in paragraph_texts(built) if t]
    assert ours[:3] == ["上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区商务委员会", "目录"]
    toc = [p["text"] for p in golden("unit-paragraphs.json") if p["kind"] == "toc"]
    entries = [t.rstrip("\t") for t in ours[3:3 + len(toc)]]
    assert entries == [t.replace("．", ". ") for t in toc]        # the original numbers 4．…8． unlike 1. 2. 3. 9.


def meaningful(rows: list[list[str]]) -> list[list[str]]:
    return [[corrected(c.strip()) for c in row] for row in rows if any(c.strip() for c in row)]


@pytest.mark.parametrize("n", range(1, 10))
def test_every_table_row_cell_for_cell(n, built):
    table = golden("unit-tables.json")[n - 1]
    grid = tables(built)[n - 1]
    heads = header_counts(built)[n - 1]
    assert heads == len(table["header"])
    header_texts = [[c for c in row if c] for row in grid[:heads]]
    assert header_texts == [[corrected(c["text"]) for c in row] for row in table["header"]]
    assert meaningful(grid[heads:]) == meaningful(table["rows"])


def test_every_table_has_its_title_unit_line_and_money_unit(built):
    texts = paragraph_texts(built)
    for table in golden("unit-tables.json"):
        at = texts.index(table["title"])
        assert texts[at + 1] == f"{table['unit_name']}\t{corrected(table['money_unit']).replace('单位:', '单位：')}"
