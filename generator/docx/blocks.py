"""Body blocks as WordprocessingML: paragraphs (with TC marks), the 目录 field, table meta lines,
page and section breaks, and the page-number footer."""
from __future__ import annotations

from lxml import etree

from generator.docmodel import Paragraph, TableMeta, Toc, TocEntry
from generator.docx.ooxml import (
    el,
    field_char,
    field_runs,
    instruction_run,
    mm_to_twips,
    new_paragraph,
    paragraph_properties,
    run_properties,
    tab_stop,
    tc_field_runs,
    text_run,
)
from generator.docx.styles import ALL_STYLES, HELPER_STYLES, PARAGRAPH_STYLES

TOC_INSTRUCTION = ' TOC \\f C \\l "1-3" \\h \\z '


def paragraph_element(paragraph: Paragraph) -> etree._Element:
    """Return the ``w:p`` of a model paragraph; a 目录 entry gets a TC field (its mark) first."""
    spec = PARAGRAPH_STYLES[paragraph.style]
    outline = None
    if paragraph.toc_level and paragraph.toc_level - 1 != spec.outline:
        outline = paragraph.toc_level - 1
    element = new_paragraph(spec.style_id, keep_next=paragraph.keep_with_next,
                            page_break_before=paragraph.page_break_before, outline=outline)
    for entry in paragraph.toc_before:
        element.extend(tc_field_runs(entry.text, entry.level, spec.font))
    if paragraph.toc_level:
        toc_text = paragraph.toc_text or paragraph.text
        element.extend(tc_field_runs(toc_text, paragraph.toc_level, spec.font))
    if paragraph.text:
        element.append(text_run(paragraph.text, spec.font))
    return element


def toc_paragraphs(toc: Toc) -> list:
    """Return the 目录 as one complex TOC field whose cached result lists `toc.entries`."""
    paragraphs = [toc_entry_paragraph(entry) for entry in toc.entries]
    if not paragraphs:
        paragraphs = [new_paragraph(toc_style(1).style_id)]
    font = toc_style(1).font
    first, last = paragraphs[0], paragraphs[-1]
    begin = [field_char("begin", font), instruction_run(TOC_INSTRUCTION, font),
             field_char("separate", font)]
    for offset, run in enumerate(begin, start=1):
        first.insert(offset, run)
    last.append(field_char("end", font))
    return paragraphs


def toc_style(level: int):
    """Return the style spec of 目录 level `level` (clamped to 1–3)."""
    return HELPER_STYLES[f"toc{min(max(level, 1), 3)}"]


def toc_entry_paragraph(entry: TocEntry) -> etree._Element:
    """Return one cached 目录 line: text, right tab with dot leader (from the style), page."""
    spec = toc_style(entry.level)
    paragraph = new_paragraph(spec.style_id)
    paragraph.append(text_run(f"{entry.text}\t{entry.page}", spec.font))
    return paragraph


def meta_paragraph(meta: TableMeta, table_width_mm: float | None, text_mm: float) -> etree._Element:
    """Return the line above a table: `meta.left` at its left edge, `meta.right` at its right."""
    spec = HELPER_STYLES["table_meta"]
    width = table_width_mm if table_width_mm else text_mm
    inset = mm_to_twips((text_mm - width) / 2)
    right_edge = inset + mm_to_twips(width)
    properties = paragraph_properties(spec.style_id, tabs=[tab_stop(right_edge)],
                                      indent={"w:left": inset, "w:right": inset})
    return el("w:p", None, properties, text_run(f"{meta.left}\t{meta.right}", spec.font))


def page_break_paragraph() -> etree._Element:
    """Return a minimal paragraph holding a page break (used where no paragraph follows)."""
    spec = HELPER_STYLES["section_break"]
    run = el("w:r", None, run_properties(spec.font), el("w:br", {"w:type": "page"}))
    return el("w:p", None, paragraph_properties(spec.style_id, mark_font=spec.font), run)


def spacer_paragraph() -> etree._Element:
    """Return a minimal empty paragraph (keeps two adjacent tables apart)."""
    spec = HELPER_STYLES["section_break"]
    return new_paragraph(spec.style_id, mark_font=spec.font)


def section_break_paragraph(section_properties: etree._Element) -> etree._Element:
    """Return a minimal paragraph that ends a section (its pPr holds the ``w:sectPr``)."""
    spec = HELPER_STYLES["section_break"]
    paragraph = new_paragraph(spec.style_id, mark_font=spec.font)
    paragraph[0].append(section_properties)         # into the ``w:pPr``
    return paragraph


def footer_paragraph(page_format: str) -> etree._Element:
    """Return the footer line: `page_format` with ``{PAGE}`` as a PAGE field ("— 1 —")."""
    spec = ALL_STYLES["footer"]
    before, _, after = page_format.partition("{PAGE}")
    paragraph = new_paragraph(spec.style_id)
    if before:
        paragraph.append(text_run(before, spec.font))
    if "{PAGE}" in page_format:
        paragraph.extend(field_runs("PAGE", "1", spec.font))
    if after:
        paragraph.append(text_run(after, spec.font))
    return paragraph
