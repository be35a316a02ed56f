"""Reading a .docx back independently of the writer: paragraphs, table cells (merges expanded)."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn


def paragraph_texts(path: Path) -> list[str]:
    """Every paragraph of the body (outside tables), including the 目录 field's cached entries."""
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs]


def table_grid(table) -> list[list[str]]:
    """Rows of a table, one string per grid column; a horizontally merged cell is its text then blanks."""
    rows = []
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
            span = tc.tcPr.gridSpan.val if tc.tcPr is not None and tc.tcPr.gridSpan is not None else 1
            row += [text] + [""] * (span - 1)
        rows.append(row)
    return rows


def tables(path: Path) -> list[list[list[str]]]:
    return [table_grid(t) for t in docx.Document(str(path)).tables]


def header_row_count(table) -> int:
    return sum(1 for tr in table._tbl.tr_lst if tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None)


def header_counts(path: Path) -> list[int]:
    return [header_row_count(t) for t in docx.Document(str(path)).tables]
