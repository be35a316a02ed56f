"""Small WordprocessingML builders shared by the writer modules: elements, runs, fields.

Every run written here carries its fonts explicitly (``w:rFonts`` with ``w:eastAsia``), so no
text can fall back to a theme or Japanese face whatever the reader's defaults are.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from functools import cache
from typing import NamedTuple

from docx.oxml.ns import nsmap, qn
from lxml import etree

from generator.docmodel import LATIN_FACE

LATIN_FONT = LATIN_FACE
TWIPS_PER_MM = 1440 / 25.4


class Font(NamedTuple):
    """The character formatting of a run: East Asian face, size in points, weight (a named tuple:
    fonts key the cached templates, and tuples compare fastest)."""
    east_asia: str
    size_pt: float
    bold: bool = False
    latin: str = LATIN_FONT


def el(tag: str, attrs: Mapping[str, object] | None = None, *children) -> etree._Element:
    """Return a new ``w:``/``a:``/… element with prefixed attribute names and children.

    A plain lxml element declaring its own prefix (python-docx's ``OxmlElement`` gives the same
    XML, several times slower); lxml drops the declaration when it is added to the document.
    """
    prefix = tag.partition(":")[0]
    attributes = {qn(key) if ":" in key else key: str(value) for key, value in (attrs or {}).items()}
    element = etree.Element(qn(tag), attributes, nsmap={prefix: nsmap[prefix]})
    element.extend(child for child in children if child is not None)
    return element


def copy_of(template: etree._Element) -> etree._Element:
    """Return a fresh copy of a cached template (copying is far quicker than building anew)."""
    return copy.copy(template)              # lxml copies the whole subtree


NAMESPACE_DECLARATIONS = re.compile(r' xmlns:\w+="[^"]*"')


def fragment_xml(element: etree._Element) -> str:
    """Return `element` as the XML text it has inside a part: the namespace declarations that it
    carries standing alone, on its start tag, are left out (the part's root declares them)."""
    text = etree.tostring(element, encoding="unicode")
    start_tag_end = text.index(">")
    return NAMESPACE_DECLARATIONS.sub("", text[:start_tag_end]) + text[start_tag_end:]


def escape_text(text: str) -> str:
    """Escape `text` for element content exactly as lxml serializes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def mm_to_twips(mm: float) -> int:
    """Convert millimetres to twentieths of a point, rounded to the nearest twip."""
    return int(round(mm * TWIPS_PER_MM))


def half_points(size_pt: float) -> str:
    """Return a ``w:sz`` value (half-points) for a size in points."""
    return str(int(round(size_pt * 2)))


def font_elements(font: Font) -> list:
    """Return the ``w:rPr`` children for `font`, in schema order."""
    fonts = {"w:ascii": font.latin, "w:hAnsi": font.latin, "w:eastAsia": font.east_asia,
             "w:cs": font.latin, "w:hint": "eastAsia"}
    children = [el("w:rFonts", fonts)]
    if font.bold:
        children += [el("w:b"), el("w:bCs")]
    children += [el("w:sz", {"w:val": half_points(font.size_pt)}),
                 el("w:szCs", {"w:val": half_points(font.size_pt)})]
    return children


def run_properties(font: Font) -> etree._Element:
    """Return a ``w:rPr`` for `font`."""
    return copy_of(run_properties_template(font))


@cache
def run_properties_template(font: Font) -> etree._Element:
    """The ``w:rPr`` of `font`, built once and only ever copied."""
    return el("w:rPr", None, *font_elements(font))


def text_run(text: str, font: Font) -> etree._Element:
    """Return a ``w:r`` holding `text`; newlines become ``w:br``, tabs ``w:tab``."""
    if text and "\n" not in text and "\t" not in text:
        return filled_run(font, "w:t", text)
    run = copy_of(run_template(font, None))
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(el("w:br"))
        for part_index, piece in enumerate(line.split("\t")):
            if part_index:
                run.append(el("w:tab"))
            if piece:
                run.append(text_element(piece))
    return run


def filled_run(font: Font, tag: str, text: str) -> etree._Element:
    """Return a run of `font` holding `text` in one `tag` element (``w:t``, ``w:instrText``)."""
    run = copy_of(run_template(font, tag))
    run[-1].text = text
    return run


@cache
def run_template(font: Font, tag: str | None) -> etree._Element:
    """The ``w:r`` of `font`, empty or holding one empty `tag` element; only ever copied."""
    return el("w:r", None, run_properties(font), text_element("", tag) if tag else None)


def text_element(text: str, tag: str = "w:t") -> etree._Element:
    """Return a ``w:t`` (or ``w:instrText``) that keeps its spaces."""
    element = el(tag)
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    element.text = text
    return element


def field_char(kind: str, font: Font) -> etree._Element:
    """Return a run holding a ``w:fldChar`` of `kind` (begin, separate, end)."""
    return copy_of(field_char_template(kind, font))


@cache
def field_char_template(kind: str, font: Font) -> etree._Element:
    return el("w:r", None, run_properties(font), el("w:fldChar", {"w:fldCharType": kind}))


def instruction_run(instruction: str, font: Font) -> etree._Element:
    """Return a run holding a field instruction."""
    return filled_run(font, "w:instrText", instruction)


def field_runs(instruction: str, result: str, font: Font) -> list:
    """Return the runs of a complex field with a cached `result` (e.g. PAGE → "1")."""
    return [field_char("begin", font), instruction_run(f" {instruction} ", font),
            field_char("separate", font), text_run(result, font), field_char("end", font)]


def paragraph_properties(style_id: str | None = None, *, keep_next: bool = False,
                         page_break_before: bool = False, tabs: list | None = None,
                         spacing: dict | None = None, indent: dict | None = None,
                         align: str | None = None, outline: int | None = None,
                         mark_font: Font | None = None) -> etree._Element:
    """Return a ``w:pPr`` with its children in schema order."""
    return el(
        "w:pPr", None,
        el("w:pStyle", {"w:val": style_id}) if style_id else None,
        el("w:keepNext") if keep_next else None,
        el("w:pageBreakBefore") if page_break_before else None,
        el("w:tabs", None, *tabs) if tabs else None,
        el("w:spacing", spacing) if spacing else None,
        el("w:ind", indent) if indent else None,
        el("w:jc", {"w:val": WORD_ALIGN[align]}) if align else None,
        el("w:outlineLvl", {"w:val": outline}) if outline is not None else None,
        run_properties(mark_font) if mark_font else None,
    )


def new_paragraph(style_id: str, *, keep_next: bool = False, page_break_before: bool = False,
                  outline: int | None = None, mark_font: Font | None = None) -> etree._Element:
    """Return a ``w:p`` holding only its ``w:pPr`` (a copy of the cached template)."""
    return copy_of(paragraph_template(style_id, keep_next, page_break_before, outline, mark_font))


@cache
def paragraph_template(style_id: str, keep_next: bool, page_break_before: bool,
                       outline: int | None, mark_font: Font | None) -> etree._Element:
    return el("w:p", None, paragraph_properties(
        style_id, keep_next=keep_next, page_break_before=page_break_before, outline=outline,
        mark_font=mark_font))


def tab_stop(position_twips: int, kind: str = "right", leader: str | None = None) -> etree._Element:
    """Return a ``w:tab`` stop."""
    attrs: dict[str, object] = {"w:val": kind, "w:pos": position_twips}
    if leader:
        attrs["w:leader"] = leader
    return el("w:tab", attrs)


WORD_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
