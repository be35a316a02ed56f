"""Body blocks as WordprocessingML: paragraphs, the 目录 field, table meta lines, page and section
breaks, and the page-number footer.

The 目录 is a TOC field built from outline levels, as Word writes one: the n-th paragraph the
document lists (``toc_level``) is a heading at outline level ``toc_level - 1`` inside bookmark
``_Toc<n>``, and the field's n-th line is a hyperlink to that bookmark ending in a PAGEREF field to
it. So Word and LibreOffice rebuild the same lines at the same levels ("update index"), a click
on a line goes to its heading, and a PDF gets the links and bookmarks.
"""
from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from generator.docmodel import Paragraph, TableMeta, Toc, TocEntry
from generator.docx.fit import fitted_font
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
    text_run,
)
from generator.docx.styles import SECTION_BREAK, StyleSheet, StyleSpec

TOC_INSTRUCTION = ' TOC \\o "1-3" \\f C \\h \\z \\u '
UNNUMBERED_TOC_INSTRUCTION = ' TOC \\o "1-3" \\f C \\n \\h \\z \\u '     # \n: no page numbers


def toc_bookmark(number: int) -> str:
    """The bookmark around the `number`-th listed heading (1-based), as Word names its own."""
    return f"_Toc{number:09d}"


def paragraph_style(paragraph: Paragraph, sheet: StyleSheet) -> StyleSpec:
    """The paragraph's style; a heading the 目录 does not list takes its unlisted variant."""
    spec = sheet[paragraph.style]
    if spec.outline is not None and not paragraph.toc_level:
        return sheet[f"{paragraph.style}_unlisted"]
    return spec


def paragraph_element(paragraph: Paragraph, text_mm: float, sheet: StyleSheet,
                      bookmarks: Sequence[int] = ()) -> etree._Element:
    """Return the ``w:p`` of a model paragraph; a listed one (``toc_level``) is at outline level
    ``toc_level - 1``. `bookmarks` numbers its 目录 entries (see toc_bookmark): first those without a
    heading (``toc_before``), then its own, whose bookmark holds its text. A one-line title is set
    small enough to fit `text_mm`."""
    spec = paragraph_style(paragraph, sheet)
    font = fitted_font(paragraph.text, spec.font, text_mm, spec.char_spacing) if spec.one_line else spec.font
    outline = None
    if paragraph.toc_level and paragraph.toc_level - 1 != spec.outline:
        outline = paragraph.toc_level - 1
    element = new_paragraph(spec.style_id, keep_next=paragraph.keep_with_next,
                            page_break_before=paragraph.page_break_before, outline=outline)
    numbers = iter(bookmarks)
    for entry, number in zip(paragraph.toc_before, numbers):
        element.extend(heading_less_entry(entry, number, spec.font))
    own = next(numbers, None) if paragraph.toc_level else None
    if own is not None:
        element.append(el("w:bookmarkStart", {"w:id": own, "w:name": toc_bookmark(own)}))
    if paragraph.text:
        element.append(text_run(paragraph.text, font))
    if own is not None:
        element.append(el("w:bookmarkEnd", {"w:id": own}))
    return element


def heading_less_entry(entry: TocEntry, number: int, font) -> list:
    """A 目录 entry without a heading of its own (``toc_before``): an empty bookmark where the paragraph
    starts (its page) and a TC field, so that an update of the 目录 lists it too."""
    return [el("w:bookmarkStart", {"w:id": number, "w:name": toc_bookmark(number)}), el("w:bookmarkEnd", {"w:id": number}),
            field_char("begin", font), instruction_run(tc_instruction(entry), font), field_char("end", font)]


def tc_instruction(entry: TocEntry) -> str:
    """The TC field of `entry`. Word reads ``\\l n`` as level n and a missing switch as 1; LibreOffice's
    importer (7.4, and its source today) passes n on as its 0-based level, so it files ``\\l n`` at
    level n + 1, but a TC without the switch at 1. A level-1 entry therefore has no switch, and both
    list it at level 1; a deeper one keeps ``\\l n`` (Word's level; LibreOffice's update lists it
    one deeper)."""
    level = f"\\l {entry.level} " if entry.level > 1 else ""
    return f" TC {quote_field_text(entry.text)} \\f C {level}"


def quote_field_text(text: str) -> str:
    """Quote `text` as a field argument: backslashes and double quotes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toc_paragraphs(toc: Toc, sheet: StyleSheet, numbered: bool = True) -> list:
    """Return the 目录 as one complex TOC field whose cached result lists `toc.entries`, the n-th
    linked to the n-th listed heading; unless the pages are `numbered`, without page numbers (Word
    then leaves them out when it updates the 目录 too; LibreOffice 7.4 puts them back)."""
    paragraphs = [toc_entry_paragraph(entry, number, sheet, numbered)
                  for number, entry in enumerate(toc.entries, start=1)]
    if not paragraphs:
        paragraphs = [new_paragraph(toc_style(1, sheet).style_id)]
    font = toc_style(1, sheet).font
    first, last = paragraphs[0], paragraphs[-1]
    begin = [field_char("begin", font), instruction_run(TOC_INSTRUCTION if numbered else UNNUMBERED_TOC_INSTRUCTION, font),
             field_char("separate", font)]
    for offset, run in enumerate(begin, start=1):
        first.insert(offset, run)
    last.append(field_char("end", font))
    return paragraphs


def toc_style(level: int, sheet: StyleSheet) -> StyleSpec:
    """Return the style spec of 目录 level `level` (clamped to 1–3)."""
    return sheet[f"toc{min(max(level, 1), 3)}"]


def toc_entry_paragraph(entry: TocEntry, number: int, sheet: StyleSheet, numbered: bool = True) -> etree._Element:
    """Return one cached 目录 line: a hyperlink to heading `number` holding its text, then (when the
    pages are `numbered`) a right tab with dot leader (from the style) and a PAGEREF field whose
    result is the page (may be blank)."""
    spec = toc_style(entry.level, sheet)
    bookmark = toc_bookmark(number)
    page = field_runs(f"PAGEREF {bookmark} \\h", entry.page, spec.font) if numbered else []
    link = el("w:hyperlink", {"w:anchor": bookmark, "w:history": 1},
              text_run(f"{entry.text}\t" if numbered else entry.text, spec.font), *page)
    paragraph = new_paragraph(spec.style_id)
    paragraph.append(link)
    return paragraph


def meta_paragraph(meta: TableMeta, table_width_mm: float | None, text_mm: float, sheet: StyleSheet) -> etree._Element:
    """Return the line above a table: `meta.left` at its left edge, `meta.right` at its right."""
    spec = sheet["table_meta"]
    width = table_width_mm if table_width_mm else text_mm
    inset = mm_to_twips((text_mm - width) / 2)
    right_edge = inset + mm_to_twips(width)
    properties = paragraph_properties(spec.style_id, tabs=[tab_stop(right_edge)],
                                      indent={"w:left": inset, "w:right": inset})
    return el("w:p", None, properties, text_run(f"{meta.left}\t{meta.right}", spec.font))


def page_break_paragraph(sheet: StyleSheet) -> etree._Element:
    """Return a minimal paragraph holding a page break (used where no paragraph follows)."""
    spec = sheet[SECTION_BREAK]
    run = el("w:r", None, run_properties(spec.font), el("w:br", {"w:type": "page"}))
    return el("w:p", None, paragraph_properties(spec.style_id, mark_font=spec.font), run)


def spacer_paragraph(sheet: StyleSheet) -> etree._Element:
    """Return a minimal empty paragraph (keeps two adjacent tables apart)."""
    spec = sheet[SECTION_BREAK]
    return new_paragraph(spec.style_id, mark_font=spec.font)


def section_break_paragraph(section_properties: etree._Element, sheet: StyleSheet) -> etree._Element:
    """Return a minimal paragraph that ends a section (its pPr holds the ``w:sectPr``)."""
    spec = sheet[SECTION_BREAK]
    paragraph = new_paragraph(spec.style_id, mark_font=spec.font)
    paragraph[0].append(section_properties)         # into the ``w:pPr``
    return paragraph


def footer_paragraph(page_format: str, sheet: StyleSheet) -> etree._Element:
    """Return the footer line: `page_format` with ``{PAGE}`` as a PAGE field ("— 1 —")."""
    spec = sheet["footer"]
    before, _, after = page_format.partition("{PAGE}")
    paragraph = new_paragraph(spec.style_id)
    if before:
        paragraph.append(text_run(before, spec.font))
    if "{PAGE}" in page_format:
        paragraph.extend(field_runs("PAGE", "1", spec.font))
    if after:
        paragraph.append(text_run(after, spec.font))
    return paragraph
