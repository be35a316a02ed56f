"""Units' documents: first gather and check all their data, then write them atomically.

    analyse (load → validate → derive → check) → assemble (wording + tables) → write a draft .docx
    → with LibreOffice: lay the draft out once, read the 目录's page numbers from that layout and
      (--pdf) export its PDF, the 目录 filled in → write the .docx with the page numbers

`build_group` does all of that for a few unit files and hands back small picklable `UnitResult`s,
so it can run in a worker process; batch.py runs it over many units. Each process keeps one
LibreOffice for all its units (`process_layout_server`, driven over UNO): starting LibreOffice costs
about as much as laying out a document. Without the UNO bridge (python3-uno), each group is laid out
by `soffice --convert-to pdf` runs instead: a draft run for the page numbers, and with --pdf a
second run of the finished documents.
"""
from __future__ import annotations

import hashlib
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from generator import libreoffice
from generator.analysis.across import UnitSummary, summary_of
from generator.analysis.pipeline import Analysis
from generator.build.outcome import BUILT, FAILED, BuildOptions, UnitResult
from generator.build.servers import SERVERS, close_layout_server, process_layout_server, start_layout_server  # noqa: F401 — this module's interface too
from generator.build.stored import store_unit, stored_reader
from generator.core.atomic import write_atomic
from generator.core.files import os_error_words
from generator.core.guard import guarded_folder
from generator.core.positions import Source
from generator.core.problems import PackError, Pos, RenderError, error
from generator.docmodel import Document, Toc, TocEntry
from generator.docx.writer import Written, docx_bytes, docx_parts, settings_part, with_toc
from generator.pack.unit import checked_document
from generator.source.validate import fast_validator


def warm_up(file: str, options: BuildOptions) -> None:
    """Do the one-time work of a process's first unit: load (or compile) the schema's fast validator,
    and prepare and write `file` (the run's first unit), which leaves its pack loaded, the catalogue
    read, the styles of its look and the finished file's settings made. A parallel build does this
    before forking its workers, which then inherit it all (workers.py), the prepared unit and its
    draft too (WARMED): the worker that builds it does not prepare it again. Whatever goes wrong is
    left for the unit's own build to report."""
    fast_validator()
    draft = prepared_unit(file, options)
    if isinstance(draft, Draft):
        try:
            draft = replace(draft, written=docx_parts(draft.doc, compressed=False))
            settings_part(draft.doc.language, False, draft.doc.look)      # the finished file's (with_toc)
        except Exception:  # noqa: BLE001 — reported when the unit itself is built
            pass
    WARMED[(file, options)] = draft


# The unit that warm_up prepared, by (file, options): taken by the first build of it (prepared_unit).
WARMED: dict[tuple[str, BuildOptions], Draft | UnitResult] = {}


def output_name(analysis: Analysis) -> str:
    budget = analysis.budget
    assert budget is not None
    return f"{budget.unit.slug}-{budget.year}"


def doc_pack(analysis: Analysis) -> str:
    assert analysis.budget is not None
    return analysis.budget.template


def with_toc_pages(doc: Document, pages: tuple) -> Document:
    """`doc` with its 目录's page numbers; as it is without any (its pages are not numbered)."""
    if not pages:
        return doc
    blocks = tuple(
        Toc(tuple(TocEntry(e.level, e.text, p) for e, p in zip(b.entries, pages))) if isinstance(b, Toc) else b
        for b in doc.blocks
    )
    return replace(doc, blocks=blocks)


@dataclass(frozen=True)
class Draft:
    """A unit that passed its checks, with its document, on its way to `target`."""
    file: str
    lines: tuple[str, ...]           # its warnings, formatted
    warnings: int
    pack: str
    doc: Document
    final: Path                      # <out>/<slug>-<year>.docx
    target: Path                     # where it is written: `final`, or its place in the staging folder
    summary: UnitSummary | None = None
    source: Source | None = None     # a unit's loaded file, kept for its department's build once it is built
    written: Written | None = None   # its draft .docx, uncompressed, when warm_up wrote it already

    def built(self, staged: list[Path]) -> UnitResult:
        outputs = tuple(str(self.final.with_suffix(path.suffix)) for path in staged)
        return UnitResult(self.file, BUILT, self.lines, outputs, self.pack, self.warnings,
                          staged=tuple(str(path) for path in staged), summary=self.summary)

    def failed(self, message: str) -> UnitResult:
        return UnitResult(self.file, FAILED, self.lines + (error(Pos(self.file), message).format(),),
                          warnings=self.warnings, reason="生成失败", summary=self.summary)

    def attempt(self, step: Callable):
        """Run one of this unit's steps: a failed conversion or a bug is this unit's failure."""
        try:
            return step()
        except (PackError, RenderError) as exc:
            return self.failed(str(exc))
        except OSError as exc:
            return self.failed(f"无法写入 {self.final.name}：{os_error_words(exc)}")
        except ImportError:             # not this unit's: the installation's (commands.main says so)
            raise
        except Exception:  # noqa: BLE001 — reported as this unit's failure, with the traceback
            return internal_failure(self.file, self.lines, self.warnings)


def build_one(file: str, options: BuildOptions) -> UnitResult:
    return build_group([file], options)[0]


def build_group(files: list[str], options: BuildOptions) -> list[UnitResult]:
    """Analyse and build each unit file; never raises: a unit's bad data, a failed conversion or
    a bug is that unit's failure, and the others are still built."""
    prepared = [prepared_unit(file, options) for file in files]
    drafts = [d for d in prepared if isinstance(d, Draft)]
    laid = [d for d in drafts if options.pdf or (options.toc_pages and has_toc_pages(d.doc))]
    soffice = libreoffice.find_soffice() if laid else None
    if options.pdf and soffice is None:
        done = {d.file: d.failed("未安装 LibreOffice（soffice），无法生成 PDF；请安装 libreoffice-writer-nogui，"
                                 "或去掉 --pdf") for d in laid}
    elif soffice and libreoffice.uno_python():
        server = process_layout_server(soffice)
        done = {d.file: d.attempt(lambda d=d: laid_out_once(d, server, options)) for d in laid}
    elif soffice:
        done = laid_out_or_failed(laid, options.pdf)
    else:
        done = {}
    for draft in drafts:            # nothing to lay out (no PDF, no 目录 page numbers), or no LibreOffice to do it
        if draft.file not in done:
            done[draft.file] = draft.attempt(lambda d=draft: write_plain(d))
    for draft in drafts:
        if options.keep_data and draft.source is not None and done[draft.file].status == BUILT:
            store_unit(Path(options.out_dir), Path(draft.file), draft.source)
    return [done[p.file] if isinstance(p, Draft) else p for p in prepared]


def prepared_unit(file: str, options: BuildOptions) -> Draft | UnitResult:
    """The unit's checked document, or its failure (errors, or warnings under --strict); as warm_up
    prepared it, if it did."""
    warmed = WARMED.pop((file, options), None)
    if warmed is not None:
        return warmed
    try:
        out_dir = Path(options.out_dir)
        analysis, doc = checked_document(Path(file), reader=stored_reader(out_dir))
        lines = tuple(p.format() for p in analysis.problems) + tuple(w.format() for w in analysis.waived)
        warnings = sum(1 for p in analysis.problems if p.severity == "warning")
        summary = summary_of(analysis.budget, analysis.department is not None) if analysis.budget is not None else None
        if doc is None or not analysis.ok or (options.strict and warnings):
            return UnitResult(file, FAILED, lines, warnings=warnings, reason="数据有错误", summary=summary)
        final = Path(options.out_dir) / f"{output_name(analysis)}.docx"
        unit_source = analysis.budget.source if analysis.department is None and analysis.budget is not None else None
        return Draft(file, lines, warnings, doc_pack(analysis), doc, final, staged_path(final, file, options), summary,
                     unit_source)
    except ImportError:                 # not this unit's: the installation's (commands.main says so)
        raise
    except Exception:  # noqa: BLE001 — reported as this unit's failure, with the traceback
        return internal_failure(file)


def staged_path(final: Path, file: str, options: BuildOptions) -> Path:
    """Where a unit's document is written: in the staging folder when the run has one (batch.py moves
    it into place), a folder of its own per unit file, as two files may make the same name."""
    if not options.staging:
        return final
    return Path(options.staging) / hashlib.sha256(file.encode("utf-8", "surrogateescape")).hexdigest()[:16] / final.name


def internal_failure(file: str, lines: tuple[str, ...] = (), warnings: int = 0) -> UnitResult:
    """A bug met while building this unit: its failure, with the traceback to report."""
    message = error(Pos(file), "内部错误，请连同下面的信息报告：\n" + traceback.format_exc().rstrip())
    return UnitResult(file, FAILED, lines + (message.format(),), warnings=warnings, reason="内部错误")


def laid_out_once(draft: Draft, server: libreoffice.LayoutServer, options: BuildOptions) -> UnitResult:
    """Lay the draft out once: its 目录's page numbers go into the .docx, and with --pdf the PDF is
    that same layout, its 目录 filled in as the .docx has it."""
    with guarded_folder("budgetdoc-") as tmp:
        source, pdf = tmp / "draft.docx", tmp / "draft.pdf"
        first = draft.written or docx_parts(draft.doc, compressed=False)
        source.write_bytes(first.data)
        pages = server.lay_out(source, pdf if options.pdf else None, options.toc_pages and has_toc_pages(draft.doc))
        docx = with_toc(first, with_toc_pages(draft.doc, pages))
        outputs = [draft.target]
        draft.target.parent.mkdir(exist_ok=True)
        if options.pdf:
            data = libreoffice.reproducible_pdf(pdf.read_bytes(), draft.doc.created, docx)
            write_atomic(draft.target.with_suffix(".pdf"), data)
            outputs.append(draft.target.with_suffix(".pdf"))
        write_atomic(draft.target, docx)
    return draft.built(outputs)


def has_toc_pages(doc: Document) -> bool:
    """True when `doc` has a 目录 whose lines give page numbers (its pages are numbered)."""
    return doc.look.page.numbered and any(isinstance(block, Toc) and block.entries for block in doc.blocks)


def write_plain(draft: Draft) -> UnitResult:
    """The .docx without LibreOffice: the 目录 lists its entries, Word fills in the page numbers."""
    draft.target.parent.mkdir(exist_ok=True)
    write_atomic(draft.target, docx_bytes(draft.doc))
    return draft.built([draft.target])


def laid_out_or_failed(drafts: list[Draft], pdf: bool) -> dict[str, UnitResult]:
    """laid_out, or every draft's failure when there is no room for its temporary files."""
    try:
        return laid_out(drafts, pdf)
    except OSError as exc:
        message = f"无法在临时文件夹 {tempfile.gettempdir()} 中排版：{os_error_words(exc)}"
        return {d.file: d.failed(message) for d in drafts}


def laid_out(drafts: list[Draft], pdf: bool) -> dict[str, UnitResult]:
    """Lay all drafts out in one LibreOffice run, fill in each 目录's page numbers from its PDF and
    write the .docx; with `pdf`, lay the finished documents out too (again in one run) for their PDFs."""
    done: dict[str, UnitResult] = {}
    with guarded_folder("budgetdoc-") as folder:
        first = written(drafts, folder / "draft", lambda d: d.doc, done)
        layouts = converted(first, folder / "draft-pdf", drafts, done)
        final = written(drafts, folder / "final", lambda d: with_toc_pages(d.doc, toc_pages_of(d, layouts[d.file])), done)
        final_pdfs = converted(final, folder / "final-pdf", drafts, done, libreoffice.PDF_OPTIONS) if pdf else {}
        for d in drafts:
            if d.file not in done:
                done[d.file] = d.attempt(lambda d=d: publish(d, final[d.file], final_pdfs.get(d.file)))
    return done


def written(drafts: list[Draft], folder: Path, document: Callable, done: dict) -> dict[str, Path]:
    """Write `document(draft)` of each draft not yet done into `folder` (numbered names: two units may
    share an output name); a failure goes into `done`."""
    folder.mkdir()
    files = {}
    for n, d in enumerate(drafts):
        if d.file in done:
            continue
        path = folder / f"unit-{n}.docx"
        outcome = d.attempt(lambda d=d, path=path: path.write_bytes(docx_bytes(document(d))))
        if isinstance(outcome, UnitResult):
            done[d.file] = outcome
        else:
            files[d.file] = path
    return files


def converted(files: dict[str, Path], out_dir: Path, drafts: list[Draft], done: dict,
              options: dict | None = None) -> dict[str, Path]:
    """The PDF of each file, all laid out by one LibreOffice run; a file it could not convert is its
    unit's failure in `done`."""
    by_file = {d.file: d for d in drafts}
    pdfs = {}
    for file, pdf in zip(files, layouts(list(files.values()), out_dir, options)):
        if isinstance(pdf, RenderError):
            done[file] = by_file[file].failed(str(pdf))
        else:
            pdfs[file] = pdf
    return pdfs


def layouts(docxs: list[Path], out_dir: Path, options: dict | None = None) -> list[Path | RenderError]:
    """The PDF of each file, or why it has none. When the run as a whole fails (a document that
    hangs LibreOffice past its time), each file is laid out alone, so that only that one fails."""
    if not docxs:
        return []
    try:
        return libreoffice.docx_to_pdfs(docxs, out_dir, options=options) if options else libreoffice.docx_to_pdfs(docxs, out_dir)
    except RenderError as exc:
        if len(docxs) == 1:
            return [exc]
        return [layouts([docx], out_dir, options)[0] for docx in docxs]


def toc_pages_of(draft: Draft, pdf: Path) -> tuple:
    if not has_toc_pages(draft.doc):
        return ()
    return libreoffice.toc_pages(pdf, libreoffice.heading_texts(draft.doc), draft.doc.footer_page_format)


def publish(draft: Draft, docx: Path, pdf: Path | None) -> UnitResult:
    """Move the finished files into the output folder (or the staging folder), each in one piece."""
    draft.target.parent.mkdir(exist_ok=True)
    outputs = [draft.target]
    if pdf is not None:
        data = libreoffice.reproducible_pdf(pdf.read_bytes(), draft.doc.created, docx.read_bytes())
        write_atomic(draft.target.with_suffix(".pdf"), data)
        outputs.append(draft.target.with_suffix(".pdf"))
    write_atomic(draft.target, docx.read_bytes())
    return draft.built(outputs)
