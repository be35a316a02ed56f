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


# The Word style of each style key of a pack's look: (docs/packs.md)
STYLE_IDS = {
    "cover_title": "CoverTitle", "cover_subtitle": "CoverSubtitle", "toc_title": "TocTitle", "part": "Heading1",
    "heading1": "Heading2", "heading2": "Heading3", "body": "BodyText", "table_label": "TableLabel",
    "table_title": "TableTitle", "note": "TableNote", "chart_title": "ChartTitle", "form_title": "FormTitle",
    "form_subtitle": "FormSubtitle", "table_meta": "TableMeta", "table_text": "TableText", "figure": "Figure",
    "footer": "Footer", "toc1": "TOC1", "toc2": "TOC2", "toc3": "TOC3",
}
ALIGNMENTS = {0: "left", 1: "center", 2: "right", 3: "justify"}


def style_look(style) -> dict:
    """A paragraph style as python-docx reads it, in the units of a pack's look: faces, size and
    spacing in pt, indents in pt (the first line's in characters too), line in pt or "single"."""
    fonts = style.element.rPr.rFonts
    paragraph = style.paragraph_format
    rule = style.element.pPr.spacing.get(qn("w:lineRule"))
    spacing = style.element.rPr.find(qn("w:spacing"))
    return {
        "face": fonts.get(qn("w:eastAsia")), "latin": fonts.get(qn("w:ascii")), "size": style.font.size.pt,
        "bold": bool(style.font.bold), "align": ALIGNMENTS[int(paragraph.alignment or 0)],
        "indent": round((paragraph.first_line_indent or 0) / style.font.size, 2),
        "left_indent": round((paragraph.left_indent or 0) / style.font.size, 2),
        "line": "single" if rule == "auto" else paragraph.line_spacing.pt,
        "before": paragraph.space_before.pt, "after": paragraph.space_after.pt,
        "spacing": int(spacing.get(qn("w:val"))) / 20 if spacing is not None else 0,
    }


def styles_looks(path: Path) -> dict[str, dict]:
    """The look of every style key of a pack's look:, as the document's styles part gives it."""
    document = docx.Document(str(path))
    by_id = {style.style_id: style for style in document.styles}
    return {key: style_look(by_id[style_id]) for key, style_id in STYLE_IDS.items()}


def section_looks(path: Path) -> list[dict]:
    """Every section's page: orientation, paper (mm, as printed: width × height), margins (mm)."""
    def mm(length) -> float:
        return round(length.mm, 1)
    return [{"orientation": "landscape" if s.orientation else "portrait", "paper": [mm(s.page_width), mm(s.page_height)],
             "margins": {"top": mm(s.top_margin), "bottom": mm(s.bottom_margin), "left": mm(s.left_margin),
                         "right": mm(s.right_margin), "header": mm(s.header_distance), "footer": mm(s.footer_distance)}}
            for s in docx.Document(str(path)).sections]
