"""Stage 6 — put the document together: rendered wording + laid-out tables + charts → docmodel.

Reads the directives of the pack's document.j2 and turns each into blocks. Computes nothing.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import cast

from generator.analysis.derive import Tables
from generator.analysis.facts import Facts
from generator.core.model import THREE_PUBLIC_PARTS, Budget
from generator.core.money import format_pct, format_wan
from generator.core.problems import PackError
from generator.docmodel import Cell, Chart, Document, PageBreak, Paragraph, ParagraphStyle, Table, TableMeta, Toc, TocEntry
from generator.pack.layout import BODIES
from generator.pack.loading import Pack
from generator.pack.performance import performance_blocks
from generator.pack.wording import cn_num, render_document

PARAGRAPH_STYLES = {"cover_title", "cover_subtitle", "part", "heading1", "heading2", "body",
                    "note", "form_title", "form_subtitle"}


def document_created(budget: Budget) -> str:
    """SOURCE_DATE_EPOCH when given (reproducible builds), else 1 January of the budget year."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{budget.year}-01-01T00:00:00Z"


def assemble(pack: Pack, budget: Budget, tables: Tables, facts: Facts) -> Document:
    blocks: list = []
    for directive, text in render_document(pack, budget, tables, facts):
        blocks += blocks_for(directive, text, pack, budget, tables, facts)
    entries = tuple(TocEntry(b.toc_level, b.toc_text or b.text) for b in blocks
                    if isinstance(b, Paragraph) and b.toc_level)
    blocks = [Toc(entries) if isinstance(b, Toc) else b for b in blocks]
    return Document(tuple(blocks), title=f"{budget.unit.name}{budget.year}年度单位预算公开",
                    author=budget.unit.name, created=document_created(budget))


def blocks_for(directive: str, text: str, pack: Pack, budget: Budget, tables: Tables, facts: Facts) -> list:
    style, _, level = directive.partition(":")
    if style in PARAGRAPH_STYLES:
        keep = style in ("part", "heading1", "heading2")
        return [Paragraph(text, cast(ParagraphStyle, style), keep_with_next=keep, toc_level=int(level) if level else None)]
    if style == "pagebreak":
        return [PageBreak()]
    if style == "toc":
        return [Paragraph(pack.settings["toc_title"], "toc_title"), Toc(())]
    if style == "table":
        return table_blocks(int(text), pack, budget, tables)
    if style == "chart":
        chart = chart_block(text, pack, tables, facts)
        return [chart] if chart.categories else [Paragraph(pack.settings["empty_chart_note"].format(title=chart.title), "note")]
    if style == "performance_tables":
        return performance_blocks(budget, pack.settings)
    raise PackError(f"模板包“{pack.name}”的 document.j2 中有未知的指令 @{directive}")


def table_blocks(n: int, pack: Pack, budget: Budget, tables: Tables) -> list:
    spec = pack.tables[n - 1]
    settings = pack.settings
    title = spec["title"].format(year=budget.year)
    body = BODIES[spec["kind"]](tables, budget, settings["row_labels"])
    table = Table(widths_mm=tuple(spec["widths"]), header=header_rows(spec, budget.year), body=body,
                  font_size_pt=spec.get("font_size", 10.5), landscape=spec.get("landscape", False),
                  name=f"表{cn_num(n)}")
    blocks = [
        Paragraph(settings["table_label"].format(n=n), "table_label", keep_with_next=True),
        Paragraph(title, "table_title", keep_with_next=True, toc_level=2,
                  toc_text=settings["table_toc"].format(cn=cn_num(n), title=title)),
        TableMeta(settings["unit_name_label"] + budget.unit.name, settings["money_unit"]),
        table,
    ]
    if spec.get("note") == "rounding":
        blocks.append(Paragraph(settings["rounding_note"], "note"))
    if not any(cell.text for row in body for cell in row if cell.align == "right"):
        blocks.append(Paragraph(settings["empty_table_note"], "note"))
    return blocks


def header_rows(spec: dict, year: int) -> tuple:
    def cell(item) -> Cell:
        if isinstance(item, str):
            return Cell(item.format(year=year), align="center", bold=True)
        return Cell(str(item["text"]).format(year=year), align="center", bold=True,
                    colspan=item.get("colspan", 1), rowspan=item.get("rowspan", 1))
    return tuple(tuple(cell(item) for item in row) for row in spec["header"])


def chart_block(name: str, pack: Pack, tables: Tables, facts: Facts) -> Chart:
    spec = pack.settings["charts"][name]
    if name == "general_structure":
        pairs = [(s.key, format_pct(s.pct)) for s in facts.general_classes]
    elif name == "three_public":
        words = pack.settings["three_public_words"]
        pairs = [(words[p], format_wan(tables.three_public[p].fiscal)) for p in THREE_PUBLIC_PARTS]
    else:
        raise PackError(f"模板包“{pack.name}”引用了未知的图表“{name}”")
    return Chart(kind=spec["kind"], title=spec["title"], categories=tuple(k for k, _ in pairs),
                 values=tuple(v for _, v in pairs), series_name=spec.get("series", ""),
                 number_format=spec.get("number_format", "0.00"), alt_text=chart_alt_text(spec, pairs, pack))


def chart_alt_text(spec: dict, pairs: list, pack: Pack) -> str:
    """The pack's alt text of a chart: its title and each point as printed ("一般公共服务支出87.31%")."""
    point = spec.get("point", "{category}{value}")
    points = pack.settings.get("chart_point_separator", "、").join(
        point.format(category=category, value=value) for category, value in pairs)
    return spec.get("alt", "{title}：{points}").format(title=spec["title"], points=points)
