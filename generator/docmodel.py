"""The document as data: what the writer receives.

Everything here is already worded and formatted (strings); the writer only lays it out. Tables use
the HTML model: a row lists its cells left to right, a cell spanning several columns or rows is
given once with ``colspan``/``rowspan``, and the positions it covers are simply absent from the
following rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

Align = Literal["left", "center", "right", "justify"]

# Paragraph styles the writer knows (GB/T 9704 manner, DESIGN.md §8):
#   cover_title  方正小标宋简体 二号, centred (unit name on the cover)
#   cover_subtitle 方正小标宋简体 二号, centred ("2026年度单位预算公开")
#   toc_title    黑体 三号 centred, its characters spaced ("目录")
#   part         黑体 三号 centred ("第一部分 概况")     — Heading 1, level 1 in the TOC
#   heading1     黑体 三号, indented 2 chars ("一、本单位职责") — Heading 2, level 2 in the TOC
#   heading2     楷体_GB2312 三号, indented ("（一）…")    — Heading 3, level 3 in the TOC
#   body         仿宋_GB2312 三号, first line indent 2 chars, justified
#   table_label  黑体 小四, left ("预算公开表1")
#   table_title  方正小标宋简体 小二/三号 centred ("2026年预算收支总表") — TOC level 2
#   table_meta   仿宋 小四: "单位名称：…" left and "单位：万元" right (see TableMeta)
#   note         仿宋 小四 ("注：本表无数据")
#   chart_title  黑体 四号 centred
#   form_title   方正小标宋简体 小二 centred (绩效目标表 heading, not in the TOC)
#   form_subtitle 仿宋 小四 centred ("(2026年度)")
ParagraphStyle = Literal[
    "cover_title", "cover_subtitle", "toc_title", "part", "heading1", "heading2", "body",
    "table_label", "table_title", "note", "chart_title", "form_title", "form_subtitle",
]


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
    font_size_pt: float = 10.5            # 五号
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
    footer_page_format: str = "— {PAGE} —"
