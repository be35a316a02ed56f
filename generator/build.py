"""`budgetdoc build`: first gather and check all data, then write each document atomically.

    analyse (load → validate → derive → check) → assemble (wording + tables) → write .docx
    → with LibreOffice: render once, fill the 目录's page numbers, write again; --pdf keeps the PDF

A unit with errors is reported and skipped; the others are still built. The summary names failures.
"""
from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from .assemble import assemble
from .docmodel import Document, Toc, TocEntry
from .narrative import PackError, load_pack
from .pipeline import Analysis, analyse
from .problems import Pos, error, has_errors
from . import render
from .writer import write_atomic, write_docx

EXIT_OK, EXIT_DATA = 0, 1


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


def build_all(files: list[Path], out_dir: Path, pdf: bool = False, strict: bool = False,
              toc_pages: bool = True, stream=None) -> int:
    stream = stream or sys.stderr
    started = time.monotonic()
    out_dir.mkdir(parents=True, exist_ok=True)
    built, failed = [], []
    for n, path in enumerate(files, 1):
        analysis = analyse(path)
        for problem in analysis.problems:
            print(problem.format(), file=sys.stdout)
        blocked = has_errors(analysis.problems) or (strict and analysis.problems and
                                                    any(p.severity == "warning" for p in analysis.problems))
        if blocked or analysis.facts is None:
            failed.append(str(path))
            print(f"[{n}/{len(files)}] 未生成 {path}：数据有错误", file=stream)
            continue
        try:
            outputs = build_unit(analysis, out_dir, pdf, toc_pages)
        except (PackError, render.RenderError) as exc:
            print(error(Pos(str(path)), str(exc)).format(), file=sys.stdout)
            failed.append(str(path))
            continue
        built.append(str(path))
        print(f"[{n}/{len(files)}] 已生成 " + "、".join(str(o) for o in outputs), file=stream)
    elapsed = time.monotonic() - started
    print(f"完成：生成 {len(built)} 个，失败 {len(failed)} 个，用时 {elapsed:.1f} 秒", file=stream)
    if failed:
        print("失败的单位：" + "、".join(failed), file=stream)
    return EXIT_DATA if failed else EXIT_OK
