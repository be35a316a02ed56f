"""The generated .docx against the published seed: every sentence of 第一、三、四部分 and every row
of the 13 tables, read back from the file (not from the writer's data).

Where the seed itself is wrong, SEED_CORRECTIONS names the seed's text and the text we expect.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx_read import header_counts, paragraph_texts, tables
from seedtext import SEED_HEADER_LINES, cells, paragraphs

from generator.docx.writer import write_docx
from generator.pack.unit import document_of

PERFORMANCE_TITLE = "大同市市级预算部门（单位）项目支出绩效目标表"

# (seed's text, what we print instead) — DESIGN.md §9 and the seed's quirks.
SEED_CORRECTIONS = {
    "纳入绩效管理管理的二级项目": "纳入绩效管理的二级项目",   # doubled word in the boilerplate
    "2026预算数": "2026年预算数",                            # 表十一 header lacks 年
    "指省直部门用财政拨款": "指市直部门用财政拨款",          # a 市级 unit's glossary named the province
}

# Header rows the seed's text extraction collapsed: 表九's income heading spans its three columns.
SEED_HEADER_CORRECTIONS = {
    (9, 0): (["国有资本经营预算收入", "", "国有资本经营预算支出"], ["国有资本经营预算收入", "", "", "国有资本经营预算支出"]),
}


def correct(text: str) -> str:
    for seed, ours in SEED_CORRECTIONS.items():
        text = text.replace(seed, ours)
    return text


@pytest.fixture(scope="module")
def built(seed_analysis, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("golden") / "datong-ggzyjy-2026.docx"
    write_docx(document_of(seed_analysis), path)
    return path


@pytest.fixture(scope="module")
def our_paragraphs(built) -> list[str]:
    return paragraph_texts(built)


def seed_table6_order(seed_text: str) -> list[str]:
    """表六's item names in the seed's own table order (the sentence lists follow it in our document)."""
    block = seed_text.split("2026年一般公共预算安排基本支出分经济科目表（不含上年结转）")[2].split("2026年政府性基金预算收入表")[0]
    return [cells(l)[0] for l in block.splitlines() if "\t" in l and cells(l)[1:2] and cells(l)[1] and cells(l)[0] != "部门预算支出经济科目名称"]


def reorder_lists(text: str, order: list[str]) -> str:
    """The seed lists 表六 items in no discernible order; we list them as 表六 does."""
    def sort(match):
        items = match.group(2).split("、")
        return match.group(1) + "、".join(sorted(items, key=order.index)) + match.group(3)
    return re.sub(r"(经费[\d.]+万元，主要包括：)(.+?)(等[；。])", sort, text)


def expected_paragraphs(seed_text: str) -> list[str]:
    part1 = paragraphs(seed_text, "第一部分 概况", "第二部分 2026年单位预算报表")
    part3 = paragraphs(seed_text, "第三部分 2026年度单位预算情况说明", "第四部分 名词解释")
    before, after = part3.index("（项目绩效目标表公开情况见附件）"), part3.index("十一、国有资产占有使用情况")
    part3 = part3[: before + 1] + part3[after:]
    part4 = paragraphs(seed_text, "第四部分 名词解释", None)
    order = seed_table6_order(seed_text)
    return [reorder_lists(correct(p), order) for p in part1 + part3 + part4 if p not in CHART_CAPTIONS]


CHART_CAPTIONS = ("一般公共预算当年拨款结构图", "三公经费分布图")   # in our document, the charts' own titles


def test_charts_are_native_and_titled_as_the_seeds_captions(seed_text, built):
    import zipfile
    with zipfile.ZipFile(built) as z:
        charts = [z.read(n).decode("utf-8") for n in sorted(z.namelist()) if re.fullmatch(r"word/charts/chart\d+\.xml", n)]
    titles = [re.sub(r"<[^>]+>", "", re.search(r"<c:title>.*?</c:title>", c, re.S).group(0)) for c in charts]
    assert titles == [t for t in CHART_CAPTIONS if t in seed_text]
    assert "一般公共服务支出" in charts[0] and "87.31" in charts[0]
    assert "公务用车运行维护费" in charts[1] and "3.50" in charts[1]


def test_every_seed_sentence_is_in_the_document(seed_text, our_paragraphs):
    missing = [p for p in expected_paragraphs(seed_text) if p not in our_paragraphs]
    assert missing == []


def test_sentences_come_in_the_seeds_order(seed_text, our_paragraphs):
    expected = expected_paragraphs(seed_text)
    positions = [our_paragraphs.index(p) for p in expected]
    assert positions == sorted(positions)


def test_cover_and_toc_entries(seed_text, our_paragraphs):
    assert our_paragraphs[:2] == ["大同市公共资源交易中心（大同市政府采购中心）", "2026年度单位预算公开"]
    toc_block = seed_text.split("目 录")[1].split("\n第一部分 概况\n")[0]
    entries = [re.sub(r"[.…]+$", "", line.split("\t")[0]).strip() for line in toc_block.splitlines()]
    entries = [e for e in entries if e]
    assert len(entries) == 33
    ours = [re.sub(r"[.…\s\d]+$", "", p).strip() for p in our_paragraphs]
    assert [e for e in entries if e not in ours] == []


def normalise(row: list[str]) -> list[str]:
    row = [re.sub(r"\s+", "", c) for c in row]
    while row and not row[-1]:
        row.pop()
    return row


@pytest.mark.parametrize("n", range(1, 14))
def test_table_rows_and_headers_match_seed(n, seed_text, built, seed_analysis):
    from generator.pack.loading import load_pack
    title = load_pack("shanxi-datong").tables[n - 1].title.format(year=2026)
    lines = seed_text.splitlines()
    start = lines.index(title)
    following = [i for i in range(start + 1, len(lines)) if lines[i].startswith(("2026年", "第三部分", "预算公开表", "部门公开表"))
                 and "\t" not in lines[i] and lines[i] != title]
    block = [normalise(cells(correct(l))) for l in lines[start:following[0]] if "\t" in l]
    for (table, row), (seed_row, ours_row) in SEED_HEADER_CORRECTIONS.items():
        if table == n:
            assert block[row] == seed_row
            block[row] = ours_row
    ours = [normalise(r) for r in tables(built)[n - 1]]
    assert ours == block
    assert header_counts(built)[n - 1] == SEED_HEADER_LINES[n - 1]


def test_table_labels_are_consistent(our_paragraphs):
    labels = [p for p in our_paragraphs if re.fullmatch(r"(预算|部门)公开表\d+", p)]
    assert labels == [f"预算公开表{n}" for n in range(1, 14)]   # the seed mixes 部门公开表9 in


def seed_performance_blocks(seed_text: str) -> list[list[str]]:
    body = seed_text.split("（项目绩效目标表公开情况见附件）")[1].split("十一、国有资产占有使用情况")[0]
    blocks = body.split(PERFORMANCE_TITLE)[1:]
    return [[t.strip() for line in b.splitlines() for t in line.split("\t") if t.strip()] for b in blocks]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def test_performance_tables_hold_every_seed_cell(seed_text, built, our_paragraphs):
    """Each seed cell (cut short by the extraction) starts a cell of the matching 绩效目标表."""
    perf_tables = tables(built)[13:]
    seed_blocks = seed_performance_blocks(seed_text)
    assert len(perf_tables) == len(seed_blocks) == 12
    assert our_paragraphs.count(PERFORMANCE_TITLE) == 12 and our_paragraphs.count("(2026年度)") == 12
    for seed_cells, table in zip(seed_blocks, perf_tables):
        ours = [squeeze(c) for row in table for c in row if c]
        for token in seed_cells[1:]:                  # [0] is "(2026年度)"
            assert any(c.startswith(squeeze(token)) for c in ours), (seed_cells[2], token)
