"""Put the document together: the pack's wording + its tables + charts + 绩效目标表 → docmodel.

Reads the directives of the pack's document.j2 and turns each into blocks. Computes nothing: every
figure is a lookup of the unit's facts, shown as the pack says.
"""
from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime, timezone
from typing import cast

from generator.analysis.cube import FactSet
from generator.analysis.figures import Figures
from generator.core.catalogue import Catalogue
from generator.core.model import Budget
from generator.core.money import format_pct
from generator.core.problems import PackError
from generator.docmodel import Cell, Chart, Document, PageBreak, Paragraph, ParagraphStyle, Table, TableMeta, Toc, TocEntry
from generator.pack.loading import Pack, TableDecl
from generator.pack.performance import performance_blocks
from generator.pack.tables import Context, has_figures, table_body
from generator.pack.wording import DepartmentView, cn_num, render_document

PARAGRAPH_STYLES = {"cover_title", "cover_subtitle", "part", "heading1", "heading2", "body",
                    "note", "form_title", "form_subtitle"}
KEPT_WITH_NEXT = {"part", "heading1", "heading2"}


def document_created(budget: Budget) -> str:
    """SOURCE_DATE_EPOCH when given (reproducible builds), else 1 January of the budget year."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{budget.year}-01-01T00:00:00Z"


def pack_figures(pack: Pack, budget: Budget, facts: FactSet) -> Figures:
    """The unit's figures as this pack measures and words them."""
    usage = {**(pack.settings.get("usage") or {}), **budget.usage}
    return Figures(facts, budget, pack.measures, pack.text_money, pack.settings.get("change_rounding", "exact"), usage)


def assemble(pack: Pack, budget: Budget, facts: FactSet, catalogue: Catalogue, department: DepartmentView | None = None) -> Document:
    """The document of a unit, or of a department (`department`: its units, as the templates list them)."""
    kind = "department" if department is not None else "unit"
    figures = pack_figures(pack, budget, facts)
    units = department.units if department is not None else ((budget.unit.slug, budget.unit.name),)
    context = Context(facts, budget.unit.name, budget.year, catalogue, units)
    blocks: list = []
    waiting: list[TocEntry] = []                 # @toc_entry lines: listed on the next paragraph
    for directive, text, toc in render_document(pack, budget, figures, department):
        if directive.partition(":")[0] == "toc_entry":
            waiting.append(TocEntry(int(directive.partition(":")[2] or 1), text))
            continue
        found = blocks_for(directive, text, toc, pack, budget, figures, context, kind)
        if waiting:
            found, waiting = with_entries_before(found, waiting), [] if any_paragraph(found) else waiting
        blocks += found
    entries = tuple(e for b in blocks if isinstance(b, Paragraph)
                    for e in b.toc_before + ((TocEntry(b.toc_level, b.toc_text or b.text),) if b.toc_level else ()))
    blocks = [Toc(entries) if isinstance(b, Toc) else b for b in blocks]
    title = pack.words(kind)["document_title"].format(unit=budget.unit.name, year=budget.year)
    return Document(tuple(blocks), title=title, author=budget.unit.name, created=document_created(budget),
                    description=department.description if department is not None else "", look=pack.look_of(kind))


def any_paragraph(blocks: list) -> bool:
    return any(isinstance(b, Paragraph) for b in blocks)


def with_entries_before(blocks: list, entries: list[TocEntry]) -> list:
    """The first paragraph of `blocks` carries `entries` (the 目录 lists them before its own entry)."""
    for i, b in enumerate(blocks):
        if isinstance(b, Paragraph):
            return blocks[:i] + [replace(b, toc_before=tuple(entries))] + blocks[i + 1:]
    return blocks


def blocks_for(directive: str, text: str, toc: str, pack: Pack, budget: Budget, figures: Figures,
               context: Context, kind: str = "unit") -> list:
    style, _, level = directive.partition(":")
    if style in PARAGRAPH_STYLES:
        toc_level = int(level) if level.isdigit() else None
        return [Paragraph(text, cast(ParagraphStyle, style), keep_with_next=style in KEPT_WITH_NEXT,
                          toc_level=toc_level, toc_text=toc or None)]
    if style == "pagebreak":
        return [PageBreak()]
    if style == "toc":
        return [Paragraph(pack.words(kind)["toc_title"], "toc_title"), Toc(())]
    if style == "table":
        size = pack.look_of(kind).style("table_text").size_pt
        return table_blocks(pack.table(text, kind), pack.words(kind), budget, context, size)
    if style == "chart":
        chart = chart_block(text, pack, figures)
        return [chart] if chart.categories else [Paragraph(pack.settings["empty_chart_note"].format(title=chart.title), "note")]
    if style == "performance_tables":
        return performance_blocks(budget, pack.words(kind), pack.name)
    raise PackError(f"模板包“{pack.name}”的 document.j2 中有未知的指令 @{directive}")


def table_blocks(decl: TableDecl, settings: dict, budget: Budget, context: Context, text_size: float) -> list:
    """A table with its label, title, unit line and notes; its text at `text_size` unless it has its own font_size."""
    title = decl.title.format(year=budget.year)
    body = table_body(decl.sides, context, decl.money, decl.min_rows)
    cn = cn_num(decl.number)
    table = Table(widths_mm=decl.widths, header=header_rows(decl.header, budget.year), body=body,
                  font_size_pt=text_size if decl.font_size is None else decl.font_size,
                  landscape=decl.landscape, name=f"表{cn}")
    label = settings["table_label"].format(n=decl.number, cn=cn)
    toc = (decl.toc or settings["table_toc"]).format(n=decl.number, cn=cn, title=title, year=budget.year)
    blocks: list = [Paragraph(label, "table_label", keep_with_next=True)] if label else []
    blocks += [
        Paragraph(title, "table_title", keep_with_next=True, toc_level=2, toc_text=toc),
        TableMeta(settings["unit_name_label"] + budget.unit.name, decl.unit_label.format(unit=decl.money.unit)),
        table,
    ]
    if decl.note == "rounding":
        blocks.append(Paragraph(settings["rounding_note"], "note"))
    if not has_figures(body):
        blocks.append(Paragraph(decl.empty_note.format(year=budget.year, unit=budget.unit.name), "note"))
    return blocks


def header_rows(header: tuple, year: int) -> tuple:
    def cell(item) -> Cell:
        if isinstance(item, str):
            return Cell(item.format(year=year), align="center", bold=True)
        return Cell(str(item["text"]).format(year=year), align="center", bold=True,
                    colspan=item.get("colspan", 1), rowspan=item.get("rowspan", 1))
    return tuple(tuple(cell(item) for item in row) for row in header)


def chart_block(name: str, pack: Pack, figures: Figures) -> Chart:
    """A chart of the pack: the 类 of a measure (each its share or amount), or fixed items."""
    charts = pack.settings.get("charts") or {}
    if name not in charts:
        raise PackError(f"模板包“{pack.name}”引用了未知的图表“{name}”，可用：{'、'.join(charts)}")
    spec = charts[name]
    data = spec["data"]
    show = data.get("show", "amount")
    if "classes" in data:
        shares = figures.classes(data["classes"])
        pairs = [(s.key, format_pct(s.pct) if show == "share" else pack.text_money.format(s.amount)) for s in shares]
    else:
        pairs = [(item["label"], format_pct(figures.share(item["measure"], of=data.get("of", "total")).pct)
                  if show == "share" else pack.text_money.format(figures.amount(item["measure"])))
                 for item in data.get("items", ())]
    return Chart(kind=spec["kind"], title=spec["title"], categories=tuple(k for k, _ in pairs),
                 values=tuple(v for _, v in pairs), series_name=spec.get("series", ""),
                 number_format=spec.get("number_format", "0.00"), alt_text=chart_alt_text(spec, pairs, pack))


def chart_alt_text(spec: dict, pairs: list, pack: Pack) -> str:
    """The pack's alt text of a chart: its title and each point as printed ("一般公共服务支出87.31%")."""
    point = spec.get("point", "{category}{value}")
    points = spec.get("point_separator", "、").join(point.format(category=category, value=value) for category, value in pairs)
    return spec.get("alt", "{title}：{points}").format(title=spec["title"], points=points)
