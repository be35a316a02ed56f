"""The writer stage: a ``docmodel.Document`` becomes a .docx (DESIGN.md §8).

It lays out what it is given — it never computes a number and never chooses wording or look (the
faces, sizes and page are the Document's ``look``, threaded through every function here). The output
is byte-reproducible (fixed dates, fixed zip entry order and timestamps, sequential ids) and is
written atomically (a temporary file in the target directory, renamed into place).
"""
from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from lxml import etree

from generator.core.atomic import write_atomic
from generator.docmodel import Chart, Document, Look, PageBreak, Paragraph, Table, TableMeta, Toc
from generator.docx import charts
from generator.docx.blocks import (
    footer_paragraph,
    meta_paragraph,
    page_break_paragraph,
    paragraph_element,
    section_break_paragraph,
    spacer_paragraph,
    toc_paragraphs,
)
from generator.docx.ooxml import el
from generator.docx.sections import SectionPlan, plan_sections, section_properties
from generator.docx.styles import (
    StyleSheet,
    build_font_table_children,
    build_settings_children,
    build_styles_children,
    style_sheet,
)
from generator.docx.table import table_xml

KEPT_DOCUMENT_RELS = {RT.STYLES, RT.SETTINGS}
KEPT_PACKAGE_RELS = {RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES}
THEME_NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
DOCUMENT_PART = "word/document.xml"
# zlib level 3: a synthetic unit's 3.8 MB of XML compresses in ~12 ms to 181 KB, where level 6 takes
# ~30 ms for 146 KB (levels 1–3 are zlib's fast strategy; `python benchmarks/bench.py` measures it).
ZIP_LEVEL = 3
TABLE_PLACEHOLDER = b"<w:tbl/>"
TOC_PLACEHOLDER = b"<w:customXml/>"          # an element the body has nowhere else
SETTINGS_PART = "word/settings.xml"
BODY_TAG = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"
CORE_TEXT_LIMIT = 255          # python-docx refuses a longer core property (the schema keeps names far shorter)
FONTS_XML = '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'


def write_docx(doc: Document, path: Path) -> None:
    """Write `doc` to `path` atomically; on failure an existing file at `path` is untouched."""
    write_atomic(Path(path), docx_bytes(doc))


def docx_bytes(doc: Document) -> bytes:
    """Return the .docx of `doc`; the same Document always gives the same bytes."""
    return docx_parts(doc).data


@dataclass(frozen=True)
class Written:
    """A written .docx, and the parts that the same document with other 目录 page numbers shares
    (with_toc): its zip entries, and its document.xml with a placeholder where each 目录 is."""
    data: bytes
    entries: dict[str, bytes]
    without_tocs: bytes
    date_time: tuple


def docx_parts(doc: Document, compressed: bool = True) -> Written:
    """Return the .docx of `doc`, kept in parts (see Written). Not `compressed`: its parts are stored
    as they are, for a draft that only LibreOffice reads (a build compresses the finished file once,
    with_toc; compressing the draft too cost ~8 ms of a unit's ~150 ms of Python in `build --pdf`)."""
    created = parse_created(doc.created)
    document = new_document(doc.language, needs_field_update(doc), doc.look)
    tables, tocs = fill_body(document, doc, created)
    set_core_properties(document, doc, created)
    entries = package_entries(document.part.package)
    without_tocs = filled(entries[DOCUMENT_PART], TABLE_PLACEHOLDER, tables)
    entries[DOCUMENT_PART] = filled(without_tocs, TOC_PLACEHOLDER, tocs)
    date_time = zip_date_time(created)
    return Written(normalized_zip(entries, date_time, compressed), entries, without_tocs, date_time)


def with_toc(draft: Written, doc: Document) -> bytes:
    """Return the .docx of `doc`, which is the document `draft` was written from with its 目录's page
    numbers filled in: the draft's parts with the new 目录 and settings (no prompt to update the
    fields once they are filled), the same bytes as docx_bytes(doc) at a fraction of its cost."""
    sheet = style_sheet(doc.look)
    tocs = [toc_xml(block, sheet, doc.look.page.numbered) for block in doc.blocks if isinstance(block, Toc)]
    entries = {**draft.entries, DOCUMENT_PART: filled(draft.without_tocs, TOC_PLACEHOLDER, tocs),
               SETTINGS_PART: settings_part(doc.language, needs_field_update(doc), doc.look)}
    return normalized_zip(entries, draft.date_time)


@lru_cache(maxsize=16)
def settings_part(language: str, update_fields: bool, look: Look) -> bytes:
    """settings.xml as written for a document of `language` and `look`."""
    return package_entries(new_document(language, update_fields, look).part.package)[SETTINGS_PART]


@lru_cache(maxsize=1)
def document_namespaces() -> dict:
    """The prefixes that python-docx's document root declares (the root of every document written here)."""
    return dict(docx.Document().element.nsmap)


def toc_xml(toc: Toc, sheet: StyleSheet, numbered: bool) -> str:
    """The 目录's paragraphs as document.xml holds them: serialized under an element that declares
    the namespaces python-docx's document root does, so that none is declared again."""
    holder = etree.Element(BODY_TAG, nsmap=document_namespaces())
    holder.extend(toc_paragraphs(toc, sheet, numbered))
    text = etree.tostring(holder, encoding="unicode")
    return text[text.index(">") + 1:text.rindex("</")]


def parse_created(created: str) -> dt.datetime:
    """Return `created` (ISO 8601; no zone means UTC) as a naive UTC datetime."""
    moment = dt.datetime.fromisoformat(created.strip().replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def needs_field_update(doc: Document) -> bool:
    """True when the document has a 目录 without its page numbers: then Word is told to update the
    fields on opening (and asks the reader first); a 目录 that is filled in needs no prompt, nor
    one of a document whose pages are not numbered."""
    return doc.look.page.numbered and any(
        isinstance(block, Toc) and not all(entry.page for entry in block.entries) for block in doc.blocks)


def new_document(language: str, update_fields: bool, look: Look):
    """Return a fresh document opened from the template package of `language` and `look`."""
    return docx.Document(io.BytesIO(template_package(language, update_fields, look)))


@lru_cache(maxsize=8)
def template_package(language: str, update_fields: bool, look: Look) -> bytes:
    """Return python-docx's default document stripped of its template parts and restyled, saved.

    Built once per language and look: reopening these few small parts is much quicker than parsing
    python-docx's template and rebuilding the styles for every document.
    """
    document = docx.Document()
    theme = chinese_theme(document.part.part_related_by(RT.THEME), look)
    drop_relationships(document.part.package.rels, KEPT_PACKAGE_RELS)
    drop_relationships(document.part.rels, KEPT_DOCUMENT_RELS)
    document.part.relate_to(theme, RT.THEME)
    replace_children(document.styles.element, build_styles_children(language, look))
    replace_children(document.settings.element, build_settings_children(language, update_fields))
    fonts = parse_xml(FONTS_XML)
    replace_children(fonts, build_font_table_children(look))
    font_part = XmlPart(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, fonts,
                        document.part.package)
    document.part.relate_to(font_part, RT.FONT_TABLE)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def chinese_theme(template_theme, look: Look) -> XmlPart:
    """Return the template's theme with the look's faces: the headings' (part) as its heading font,
    the tables' (table_text) as its body font — the faces Word gives text that names no face."""
    theme = parse_xml(template_theme.blob)
    for kind, style in (("majorFont", look.style("part")), ("minorFont", look.style("table_text"))):
        fonts = theme.find(f"a:themeElements/a:fontScheme/a:{kind}", THEME_NS)
        fonts.find("a:latin", THEME_NS).set("typeface", style.latin)
        fonts.find("a:ea", THEME_NS).set("typeface", style.face)
    return XmlPart(template_theme.partname, template_theme.content_type, theme,
                   template_theme.package)


def drop_relationships(rels, kept_types: set[str]) -> None:
    """Remove every relationship whose type is not in `kept_types` (its part is not saved)."""
    for rid in [rid for rid, rel in rels.items() if rel.reltype not in kept_types]:
        del rels[rid]


def replace_children(element, children: list) -> None:
    del element[:]
    element.extend(children)


def fill_body(document, doc: Document, created: dt.datetime) -> tuple[list[str], list[str]]:
    """Write every section of `doc` into the document body; return the texts of its tables and of its
    目录s, whose places in the body hold placeholders (see `filled`)."""
    body = document.element.body
    replace_children(body, [])
    page, sheet = doc.look.page, style_sheet(doc.look)
    plans = plan_sections(fold_page_breaks(doc.blocks), page.landscape)
    footer_rid = add_footer(document, doc.footer_page_format, sheet) if page.numbered and any(
        plan.numbered for plan in plans) else None
    chart_numbers, headings, tables, tocs = itertools.count(1), itertools.count(1), list[str](), list[str]()
    for index, plan in enumerate(plans):
        append_section(body, plan, SectionContext(plan.blocks, page.text_width_mm(plan.landscape), document.part,
                                                  chart_numbers, headings, created, tables, tocs, doc.look, sheet))
        properties = section_properties(plan, footer_rid, page)
        last = index == len(plans) - 1
        body.append(properties if last else section_break_paragraph(properties, sheet))
    return tables, tocs


def filled(document_xml: bytes, placeholder: bytes, texts: list[str]) -> bytes:
    """Put `texts` in place of the placeholders of the serialized body, in order.

    Tables are written as text (docx/table.py): most of a document's cells, at a fraction of the
    cost of building and serializing their elements. So are the 目录s, so that the same document
    with its page numbers filled in can be written from the draft (with_toc).
    """
    pieces = document_xml.split(placeholder)
    if len(pieces) != len(texts) + 1:
        raise ValueError(f"正文中有 {len(pieces) - 1} 个 {placeholder.decode()} 位置，应为 {len(texts)} 个")
    out = [pieces[0]]
    for text, piece in zip(texts, pieces[1:]):
        out += (text.encode("utf-8"), piece)
    return b"".join(out)


def fold_page_breaks(blocks: tuple) -> tuple:
    """Turn a PageBreak followed by a paragraph into that paragraph's page_break_before."""
    folded: list = []
    for block in blocks:
        if isinstance(block, Paragraph) and folded and isinstance(folded[-1], PageBreak):
            folded[-1] = replace(block, page_break_before=True)
        else:
            folded.append(block)
    return tuple(folded)


def add_footer(document, page_format: str, sheet: StyleSheet) -> str:
    """Add the page-number footer part; return its relationship id."""
    footer_part, rid = document.part.add_footer_part()
    replace_children(footer_part.element, [footer_paragraph(page_format, sheet)])
    return rid


@dataclass(frozen=True)
class SectionContext:
    """What a block needs besides itself: the section's blocks, width, package and date, the
    numbers of the next chart and the next listed heading, and the document's look and styles."""
    blocks: tuple
    text_mm: float
    part: object
    chart_numbers: Iterator[int]
    headings: Iterator[int]         # the n-th 目录 entry links to bookmark _Toc<n>
    created: dt.datetime
    tables: list[str]               # the texts of the tables written so far, in body order
    tocs: list[str]                 # the texts of the 目录s written so far
    look: Look
    sheet: StyleSheet


def append_section(body, plan: SectionPlan, context: SectionContext) -> None:
    """Append the body elements of one section's blocks to `body`."""
    for index, block in enumerate(plan.blocks):
        append_block(body, block, index, context)


def append_block(body, block, index: int, context: SectionContext) -> None:
    """Append the body elements of the block at `index` of its section to `body`."""
    if isinstance(block, Paragraph):
        entries = len(block.toc_before) + (1 if block.toc_level else 0)
        body.append(paragraph_element(block, context.text_mm, context.sheet,
                                      [next(context.headings) for _ in range(entries)]))
    elif isinstance(block, TableMeta):
        table_mm = next_table_width(context.blocks, index)
        body.append(meta_paragraph(block, table_mm, context.text_mm, context.sheet))
    elif isinstance(block, Table):
        body.append(el("w:tbl"))
        context.tables.append(table_xml(block, context.sheet["table_text"]))
        following = context.blocks[index + 1:index + 2]
        if following and isinstance(following[0], Table):
            body.append(spacer_paragraph(context.sheet))
    elif isinstance(block, Chart):
        number = next(context.chart_numbers)
        body.append(charts.add_chart(context.part, block, number, context.created, context.look.chart, context.sheet))
    elif isinstance(block, Toc):
        body.append(el("w:customXml"))
        context.tocs.append(toc_xml(block, context.sheet, numbered=context.look.page.numbered))
    elif isinstance(block, PageBreak):
        body.append(page_break_paragraph(context.sheet))
    else:
        raise TypeError(f"未知的文档块类型：{type(block).__name__}")


def next_table_width(blocks: tuple, index: int) -> float | None:
    """Return the width of the table that a TableMeta at `index` introduces, if any."""
    for block in itertools.islice(blocks, index + 1, None):
        if isinstance(block, Table):
            return sum(block.widths_mm)
        if not isinstance(block, Paragraph):
            return None
    return None


def set_core_properties(document, doc: Document, created: dt.datetime) -> None:
    """Set title, author, language and fixed dates; clear the template's metadata."""
    props = document.core_properties
    title, author = doc.title[:CORE_TEXT_LIMIT], doc.author[:CORE_TEXT_LIMIT]
    props.title, props.author, props.last_modified_by = title, author, author
    props.language, props.comments, props.revision = doc.language, doc.description[:CORE_TEXT_LIMIT], 1
    props.created = props.modified = props.last_printed = created


def zip_date_time(created: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """Return the zip entry timestamp: `created`, but within the years a zip entry can carry (1980–2107)."""
    moment = min(max(created, dt.datetime(1980, 1, 1)), dt.datetime(2107, 12, 31, 23, 59, 58))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute,
            moment.second - moment.second % 2)


class EntryCollector:
    """Stands in for python-docx's zip writer: keeps each entry that ``PackageWriter`` writes."""

    def __init__(self):
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def package_entries(package) -> dict[str, bytes]:
    """Return the zip entries (name → bytes) that python-docx's ``save`` would write.

    Collected rather than saved, so that the package is compressed once, by `normalized_zip`.
    """
    for part in package.parts:
        part.before_marshal()
    collector = EntryCollector()
    writer: Any = PackageWriter        # its private writers take any object with write(pack_uri, blob)
    writer._write_content_types_stream(collector, package.parts)
    writer._write_pkg_rels(collector, package.rels)
    writer._write_parts(collector, package.parts)
    return collector.entries


def normalized_zip(entries: dict[str, bytes], date_time: tuple, compressed: bool = True) -> bytes:
    """Return the zip of `entries` with fixed timestamps, order, compression (none unless `compressed`)
    and attributes."""
    first = ["[Content_Types].xml", "_rels/.rels"]
    names = [name for name in first if name in entries] + sorted(set(entries) - set(first))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time)
            info.create_system, info.external_attr = 0, 0
            if compressed:
                target.writestr(info, entries[name], zipfile.ZIP_DEFLATED, ZIP_LEVEL)
            else:
                target.writestr(info, entries[name], zipfile.ZIP_STORED)
    return stream.getvalue()
