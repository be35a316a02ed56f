"""The document as data: what the writer receives.

Everything here is already worded and formatted (strings); the writer only lays it out. Tables use
the HTML model: a row lists its cells left to right, a cell spanning several columns or rows is
given once with ``colspan``/``rowspan``, and the positions it covers are simply absent from the
following rows. The look — faces, sizes, spacing, the page — is data too (`Look`): the pack's
``look:`` over the GB/T 9704 base below, which is the one place its values are written.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal, NamedTuple

Align = Literal["left", "center", "right", "justify"]

# Paragraph styles the writer knows (their look: GB_T_9704 below, or the pack's look:):
#   cover_title, cover_subtitle   the cover (unit name; "2026年度单位预算公开")
#   toc_title    "目录", its characters spaced
#   part         "第一部分 概况"         — Heading 1, level 1 in the TOC
#   heading1     "一、本单位职责"        — Heading 2, level 2 in the TOC
#   heading2     "（一）…"               — Heading 3, level 3 in the TOC
#   body         running text
#   table_label  "预算公开表1"; table_title "2026年预算收支总表" (TOC level 2)
#   note         "注：本表无数据"; chart_title a chart's title
#   form_title, form_subtitle     绩效目标表 heading (not in the TOC) and "(2026年度)"
ParagraphStyle = Literal[
    "cover_title", "cover_subtitle", "toc_title", "part", "heading1", "heading2", "body",
    "table_label", "table_title", "note", "chart_title", "form_title", "form_subtitle",
]
LATIN_FACE = "Times New Roman"


@dataclass(frozen=True)
class TextLook:
    """How the text of one style looks: a pack's ``look.styles.<key>`` (docs/packs.md)."""
    face: str                             # the East Asian face: 仿宋_GB2312, 宋体, …
    size_pt: float
    bold: bool = False
    align: Align = "left"
    indent_chars: float = 0               # first-line indent, in characters of the style's size
    left_chars: float = 0                 # left indent of every line (the 目录's levels)
    line_pt: float | None = None          # exact line height; None: single
    before_pt: float = 0                  # space before and after the paragraph
    after_pt: float = 0
    spacing_pt: float = 0                 # extra space after each character
    latin: str = LATIN_FACE               # letters and digits


class Margins(NamedTuple):
    """Page margins and the header and footer distances from the edge, in mm."""
    top: float = 37
    bottom: float = 35
    left: float = 28
    right: float = 26
    header: float = 15
    footer: float = 23


@dataclass(frozen=True)
class PageLook:
    paper_mm: tuple[float, float] = (210, 297)  # the sheet upright (A4): width, height
    landscape: bool = False               # the body's pages; a Table can ask for landscape ones
    margins: Margins = Margins()          # as the page is read, in either orientation
    number_format: str = "— {PAGE} —"     # the footer's page number; {PAGE} is the number; "": none printed

    @property
    def numbered(self) -> bool:
        """Whether the pages print their numbers (in the footer, and so in the 目录's lines)."""
        return bool(self.number_format)

    def text_width_mm(self, landscape: bool) -> float:
        """The width between the left and right margins of a portrait or landscape page."""
        width = max(self.paper_mm) if landscape else min(self.paper_mm)
        return width - self.margins.left - self.margins.right


FANGSONG, KAITI, HEITI, SONGTI, XIAOBIAOSONG = "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"
BODY_LINE = 28.9                          # exact 28.9 pt: 22 lines in the 225 mm text block

# The GB/T 9704 manner (DESIGN.md §8): what a pack's look: leaves out.
GB_T_9704_STYLES: tuple[tuple[str, TextLook], ...] = (
    ("cover_title", TextLook(XIAOBIAOSONG, 22, align="center", line_pt=40, before_pt=180)),
    ("cover_subtitle", TextLook(XIAOBIAOSONG, 22, align="center", line_pt=40, before_pt=60)),
    # "目录" spaced by 5 pt: read back as one word (8 pt reads "目 录")
    ("toc_title", TextLook(HEITI, 16, align="center", line_pt=BODY_LINE, after_pt=15.6, spacing_pt=5)),
    ("part", TextLook(HEITI, 16, align="center", line_pt=BODY_LINE)),
    ("heading1", TextLook(HEITI, 16, align="justify", indent_chars=2, line_pt=BODY_LINE)),
    ("heading2", TextLook(KAITI, 16, align="justify", indent_chars=2, line_pt=BODY_LINE)),
    ("body", TextLook(FANGSONG, 16, align="justify", indent_chars=2, line_pt=BODY_LINE)),
    ("table_label", TextLook(HEITI, 12)),
    ("table_title", TextLook(XIAOBIAOSONG, 18, align="center", after_pt=6)),
    ("note", TextLook(FANGSONG, 12, before_pt=3)),
    ("chart_title", TextLook(HEITI, 14, align="center", before_pt=6)),
    ("form_title", TextLook(XIAOBIAOSONG, 18, align="center", before_pt=6, after_pt=3)),
    ("form_subtitle", TextLook(FANGSONG, 12, align="center", after_pt=3)),
    ("table_meta", TextLook(FANGSONG, 12, after_pt=3)),
    ("table_text", TextLook(SONGTI, 10.5)),
    ("figure", TextLook(FANGSONG, 12, align="center")),
    ("footer", TextLook(SONGTI, 14, align="center")),
    ("toc1", TextLook(HEITI, 14, line_pt=26)),
    ("toc2", TextLook(FANGSONG, 14, line_pt=26, left_chars=2)),
    ("toc3", TextLook(FANGSONG, 14, line_pt=26, left_chars=4)),
)
STYLE_KEYS = tuple(key for key, _ in GB_T_9704_STYLES)


@dataclass(frozen=True)
class Look:
    """The document's look: every style's text, the page, the charts' text (a small frozen value: it
    keys the writer's caches). `styles` has an entry for every key of STYLE_KEYS, in that order."""
    styles: tuple[tuple[str, TextLook], ...] = GB_T_9704_STYLES
    page: PageLook = PageLook()
    chart: TextLook = TextLook(SONGTI, 10.5)   # a chart's labels, legend and axes; its title is chart_title

    def style(self, key: str) -> TextLook:
        for name, look in self.styles:
            if name == key:
                return look
        raise KeyError(key)

    def with_styles(self, changed: dict[str, TextLook]) -> Look:
        return replace(self, styles=tuple((key, changed.get(key, look)) for key, look in self.styles))


GB_T_9704 = Look()
TABLE_TEXT_PT = GB_T_9704.style("table_text").size_pt

# How wide a line of text is, estimated from its characters: a CJK or full-width character is one em
# (the face's size), an ASCII one half an em, plus the style's character spacing. A title must stay on
# one line (text read back from a PDF sees a wrapped title as two); the pack checks its table titles
# with this when it loads, and the writer sets a title smaller with it (docx/fit.py).
MM_PER_PT = 25.4 / 72
ONE_LINE_ALLOWANCE = 0.97       # of the text width: the real faces are not exactly one em wide
SMALLEST_TITLE_PT = 12.0        # 小四: a title is not set smaller than this
SIZE_STEP_PT = 0.5              # sizes are whole half-points (w:sz)


def text_width_mm(text: str, size_pt: float, spacing_pt: float = 0) -> float:
    """The estimated width of `text` set on one line at `size_pt`."""
    ems = sum(0.5 if " " <= char <= "~" else 1.0 for char in text)
    return (ems * size_pt + len(text) * spacing_pt) * MM_PER_PT


def one_line_size(text: str, size_pt: float, width_mm: float, spacing_pt: float = 0) -> float | None:
    """`size_pt`, or the largest smaller size (by half-points, down to SMALLEST_TITLE_PT) at which
    `text` fits on one line of `width_mm`; None when it fits at none."""
    size = size_pt
    while text_width_mm(text, size, spacing_pt) > width_mm * ONE_LINE_ALLOWANCE:
        size -= SIZE_STEP_PT
        if size < SMALLEST_TITLE_PT:
            return None
    return size


def too_long_message(text: str, width_mm: float, spacing_pt: float = 0, written: str | None = None) -> str:
    """Why `text` cannot be a title (quoted as `written`, a pack's title before its year is filled in)."""
    estimate = text_width_mm(text, SMALLEST_TITLE_PT, spacing_pt)
    return (f"标题“{written or text}”在{SMALLEST_TITLE_PT:g}磅字下也排不进一行（约{estimate:.0f}毫米，版心宽{width_mm:.0f}毫米）；"
            "请在模板包中给它一个较短的写法")


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: ParagraphStyle = "body"
    page_break_before: bool = False
    keep_with_next: bool = False
    toc_level: int | None = None          # listed in the 目录 at this level (1 part, 2, 3); a heading
                                          # style without it is still a heading, but not listed
    toc_text: str | None = None           # the 目录's wording when it differs ("表一2026年…"); an
                                          # update of the 目录 (Word, LibreOffice) lists `text` instead
    toc_before: tuple[TocEntry, ...] = ()  # 目录 entries without a heading of their own, on this paragraph's page


@dataclass(frozen=True)
class TableMeta:
    """The line above a table: unit name on the left, the money unit on the right."""
    left: str
    right: str


class Cell(NamedTuple):
    """A table cell (a named tuple: documents hold thousands, and tuples are made fastest).

    A figure's cell also carries `amount`, the exact 元 its text shows (None for a text cell and a
    row without figures): the writers of other formats (a workbook) store the number, never re-derive it."""
    text: str = ""
    align: Align = "left"
    bold: bool = False
    colspan: int = 1
    rowspan: int = 1
    amount: Decimal | None = None


@dataclass(frozen=True)
class Table:
    widths_mm: tuple[float, ...]          # one per grid column; fixed layout
    header: tuple[tuple[Cell, ...], ...]  # repeated on every page (w:tblHeader)
    body: tuple[tuple[Cell, ...], ...]
    font_size_pt: float = TABLE_TEXT_PT   # the look's table_text size, 五号, unless the pack says otherwise
    landscape: bool = False               # put the table in its own landscape section
    name: str = ""                        # what a reviewer calls it ("表三", "绩效目标表：…"); not printed


@dataclass(frozen=True)
class Chart:
    kind: Literal["pie", "bar"]
    title: str
    categories: tuple[str, ...]
    values: tuple[str, ...]               # decimal strings as printed, e.g. "87.31"
    series_name: str = ""
    number_format: str = "0.00"
    width_mm: float = 150
    height_mm: float = 90
    alt_text: str = ""                    # what the chart shows and its figures, for screen readers


@dataclass(frozen=True)
class TocEntry:
    level: int                            # 1 part, 2 section / table, 3 subsection
    text: str
    page: str = ""                        # filled from a rendering when one is available


@dataclass(frozen=True)
class Toc:
    entries: tuple[TocEntry, ...]         # what the field shows until Word/LibreOffice updates it


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Paragraph | TableMeta | Table | Chart | Toc | PageBreak


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    title: str
    author: str
    created: str                          # ISO 8601, e.g. "2026-01-01T00:00:00Z"
    language: str = "zh-CN"
    description: str = ""                 # where its figures come from (a department: its units, its priors)
    look: Look = GB_T_9704

    @property
    def footer_page_format(self) -> str:
        """The page number in the footer ("— {PAGE} —"); LibreOffice's pages are read back by it. Empty
        when the pages are not numbered: then neither the footer nor the 目录 prints one."""
        return self.look.page.number_format
