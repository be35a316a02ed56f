"""Sections: the unnumbered front matter, landscape tables, page setup and the page-number footer.

Rules (documented for render.toc_pages):

- Front matter: when the document has a ``Toc``, every block up to the first page break after it
  (a ``PageBreak`` or a paragraph with ``page_break_before``) forms a first section without a
  footer: the cover and the 目录 carry no page number, and numbering restarts at 1 on the page
  that follows (the seed's 目录 numbers 第一部分 as page 1).
- A landscape ``Table`` gets its own landscape section, together with the blocks that keep with it
  (a TableMeta, table label/title, headings that keep with next — back to a page break) and the
  notes right after it. Portrait is restored after it; the footer and the numbering continue.
  When the look's body is landscape (``PageLook.landscape``), every section is.
- A section always starts on a new page, so a page break at a section boundary is dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from lxml import etree

from generator.docmodel import Block, PageBreak, PageLook, Paragraph, Table, TableMeta, Toc
from generator.docx.ooxml import copy_of, el, mm_to_twips
from generator.docx.styles import PARAGRAPH_ROLES

MARGIN_ORDER = ("top", "right", "bottom", "left", "header", "footer")     # as w:pgMar lists them


@dataclass(frozen=True)
class SectionPlan:
    blocks: tuple[Block, ...]
    landscape: bool = False
    numbered: bool = True
    restart: bool = False               # page numbering starts at 1 here


def plan_sections(blocks: tuple[Block, ...], body_landscape: bool = False) -> list[SectionPlan]:
    """Split the blocks into sections (front matter, portrait and landscape runs); with a landscape
    body, every section is landscape."""
    front, rest = split_front_matter(blocks)
    plans = [SectionPlan(front, body_landscape, numbered=False)] if front else []
    for index, (landscape, group) in enumerate(group_by_orientation(rest, body_landscape)):
        plans.append(SectionPlan(group, landscape, True, restart=index == 0))
    return plans or [SectionPlan((), body_landscape)]


def split_front_matter(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    """Return (front matter, rest): the blocks through the 目录 up to the next page break."""
    toc_index = next((i for i, block in enumerate(blocks) if isinstance(block, Toc)), None)
    if toc_index is None:
        return (), blocks
    for index in range(toc_index + 1, len(blocks)):
        block = blocks[index]
        if isinstance(block, PageBreak):
            return blocks[:index], blocks[index + 1:]
        if isinstance(block, Paragraph) and block.page_break_before:
            return blocks[:index], blocks[index:]
    return blocks, ()


def group_by_orientation(blocks: tuple[Block, ...], body_landscape: bool = False) -> list[tuple[bool, tuple[Block, ...]]]:
    """Return runs of (landscape, blocks), page breaks at run boundaries dropped."""
    groups: list[tuple[bool, list[Block]]] = []
    flags = [True] * len(blocks) if body_landscape else landscape_flags(blocks)
    for block, flag in zip(blocks, flags):
        if groups and groups[-1][0] == flag:
            groups[-1][1].append(block)
        else:
            groups.append((flag, [block]))
    merged: list[tuple[bool, tuple[Block, ...]]] = []
    for flag, group in groups:
        trimmed = strip_page_breaks(group)
        if merged and merged[-1][0] == flag:
            merged[-1] = (flag, merged[-1][1] + trimmed)
        elif trimmed:
            merged.append((flag, trimmed))
    return merged


def landscape_flags(blocks: tuple[Block, ...]) -> list[bool]:
    """Mark every block that belongs to a landscape table's section."""
    flags = [False] * len(blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Table) and block.landscape:
            for covered in attached_range(blocks, index):
                flags[covered] = True
    for index in range(1, len(blocks) - 1):
        if isinstance(blocks[index], PageBreak) and flags[index - 1] and flags[index + 1]:
            flags[index] = True
    return flags


def attached_range(blocks: tuple[Block, ...], index: int) -> range:
    """Return the indexes of the table at `index` with the blocks that keep with it."""
    start = index
    while start > 0 and keeps_with_next(blocks[start - 1]) and not starts_page(blocks[start]):
        start -= 1
    end = index + 1
    while end < len(blocks) and is_note(blocks[end]):
        end += 1
    return range(start, end)


def is_note(block: Block) -> bool:
    return isinstance(block, Paragraph) and block.style == "note"


def keeps_with_next(block: Block) -> bool:
    """True for a TableMeta and for paragraphs kept with what follows."""
    if isinstance(block, TableMeta):
        return True
    return isinstance(block, Paragraph) and (
        block.keep_with_next or PARAGRAPH_ROLES[block.style].keep_next)


def starts_page(block: Block) -> bool:
    return isinstance(block, Paragraph) and block.page_break_before


def strip_page_breaks(group: list[Block]) -> tuple[Block, ...]:
    """Drop page breaks at both ends; the section break already starts a new page."""
    while group and isinstance(group[0], PageBreak):
        group = group[1:]
    while group and isinstance(group[-1], PageBreak):
        group = group[:-1]
    first = group[0] if group else None
    if isinstance(first, Paragraph) and first.page_break_before:
        group = [replace(first, page_break_before=False), *group[1:]]
    return tuple(group)


def section_properties(plan: SectionPlan, footer_rid: str | None, page: PageLook) -> etree._Element:
    """Return the ``w:sectPr`` of a section: the look's paper and margins, footer, numbering."""
    footer = footer_rid if plan.numbered else None
    return copy_of(section_properties_template(plan.landscape, plan.restart, footer, page))


@lru_cache(maxsize=64)
def section_properties_template(landscape: bool, restart: bool, footer_rid: str | None,
                                page: PageLook) -> etree._Element:
    short, long = sorted(page.paper_mm)
    width, height = (long, short) if landscape else (short, long)
    size: dict[str, object] = {"w:w": mm_to_twips(width), "w:h": mm_to_twips(height)}
    if landscape:
        size["w:orient"] = "landscape"
    margins: dict[str, object] = {f"w:{name}": mm_to_twips(getattr(page.margins, name)) for name in MARGIN_ORDER}
    margins["w:gutter"] = 0
    numbering = {"w:fmt": "decimal", **({"w:start": 1} if restart else {})}
    footer = None
    if footer_rid:
        footer = el("w:footerReference", {"w:type": "default", "r:id": footer_rid})
    return el("w:sectPr", None, footer, el("w:pgSz", size), el("w:pgMar", margins),
              el("w:pgNumType", numbering), el("w:cols", {"w:space": 425}),
              el("w:docGrid", {"w:linePitch": 312}))
