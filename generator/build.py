"""One unit's document: first gather and check all its data, then write it atomically.

    analyse (load → validate → derive → check) → assemble (wording + tables) → write .docx
    → with LibreOffice: render once, fill the 目录's page numbers, write again; --pdf keeps the PDF

`build_one` does all of that for one unit file and hands back a small picklable `UnitResult`, so it
can run in a worker process; batch.py runs it over many units.
"""
from __future__ import annotations

import tempfile
import time
import traceback
from dataclasses import replace
from pathlib import Path

from .assemble import assemble
from .docmodel import Document, Toc, TocEntry
from .narrative import PackError, load_pack
from .outcome import BUILT, FAILED, BuildOptions, UnitResult
from .pipeline import Analysis, analyse
from .problems import Pos, error
from . import render
from .atomic import write_atomic
from .writer import write_docx


def output_name(analysis: Analysis) -> str:
    budget = analysis.budget
    return f"{budget.unit.slug}-{budget.year}"


def document_of(analysis: Analysis) -> Document:
    """The finished document model of a unit that passed its checks."""
    pack = load_pack(analysis.budget.template)
    return assemble(pack, analysis.budget, analysis.tables, analysis.facts)


def with_toc_pages(doc: Document, pages: tuple) -> Document:
    blocks = tuple(
        Toc(tuple(TocEntry(e.level, e.text, p) for e, p in zip(b.entries, pages))) if isinstance(b, Toc) else b
        for b in doc.blocks
    )
    return replace(doc, blocks=blocks)


def build_unit(analysis: Analysis, out_dir: Path, pdf: bool, toc_pages: bool) -> list[Path]:
    """Write <slug>-<year>.docx (and .pdf); nothing is left half-written if anything fails."""
    doc = document_of(analysis)
    target = out_dir / f"{output_name(analysis)}.docx"
    soffice = render.find_soffice() if (pdf or toc_pages) else None
    if pdf and soffice is None:
        raise render.RenderError("未安装 LibreOffice（soffice），无法生成 PDF；请安装 libreoffice-writer-nogui，"
                                 "或去掉 --pdf")
    if soffice is None:
        write_docx(doc, target)
        return [target]
    with tempfile.TemporaryDirectory(prefix="budgetdoc-") as tmp:
        draft = Path(tmp) / target.name
        write_docx(doc, draft)
        rendered = render.docx_to_pdf(draft, Path(tmp))
        doc = with_toc_pages(doc, render.toc_pages(rendered, render.heading_texts(doc), doc.footer_page_format))
        write_docx(doc, draft)
        outputs = [target]
        if pdf:
            final_pdf = render.docx_to_pdf(draft, Path(tmp) / "final")
            write_atomic(target.with_suffix(".pdf"), final_pdf.read_bytes())
            outputs.append(target.with_suffix(".pdf"))
        write_atomic(target, draft.read_bytes())
    return outputs


def build_one(file: str, options: BuildOptions) -> UnitResult:
    """Analyse and build one unit file; never raises (a bug in one unit must not stop the others)."""
    started = time.monotonic()
    try:
        result = analyse_and_build(file, options)
    except Exception:  # noqa: BLE001 — reported as this unit's failure, with the traceback
        message = error(Pos(file), "内部错误，请连同下面的信息报告：\n" + traceback.format_exc().rstrip())
        result = UnitResult(file, FAILED, (message.format(),), reason="内部错误")
    return replace(result, seconds=round(time.monotonic() - started, 3))


def analyse_and_build(file: str, options: BuildOptions) -> UnitResult:
    analysis = analyse(Path(file))
    lines = tuple(p.format() for p in analysis.problems)
    warnings = sum(1 for p in analysis.problems if p.severity == "warning")
    if not analysis.ok or (options.strict and warnings):
        return UnitResult(file, FAILED, lines, warnings=warnings, reason="数据有错误")
    try:
        outputs = build_unit(analysis, Path(options.out_dir), options.pdf, options.toc_pages)
    except (PackError, render.RenderError) as exc:
        return UnitResult(file, FAILED, lines + (error(Pos(file), str(exc)).format(),), reason="生成失败")
    return UnitResult(file, BUILT, lines, tuple(str(o) for o in outputs), analysis.budget.template, warnings)
