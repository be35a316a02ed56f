"""Render a .docx with LibreOffice and read the 目录's page numbers back from the PDF.

Page numbers are read, not computed from page indexes: the writer (writer_sections) prints
"— n —" in the footer of every numbered page, the cover and the 目录 form an unnumbered front
section, and numbering restarts at 1 after it. So the page of a heading is the number printed in
the footer of the first numbered page, at or after the previous heading's page, on which the
heading's text starts a line. Pages without a footer number (cover, 目录) are skipped.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path

from generator.core import guard
from generator.core.guard import guarded_folder
from generator.core.problems import RenderError
from generator.docmodel import Document, Paragraph

# Fontconfig aliases used for the conversion only: the official faces are rarely installed on a
# build machine; map them to Noto CJK SC (Debian fonts-noto-cjk) in the same manner
# (serif-like faces to Noto Serif CJK, 黑体 to Noto Sans CJK) instead of whatever comes first.
SERIF, SANS = ("Noto Serif CJK SC",), ("Noto Sans CJK SC",)
FONT_ALIASES = {
    "仿宋_GB2312": SERIF, "仿宋": SERIF, "宋体": SERIF, "方正小标宋简体": SERIF,
    "楷体_GB2312": SERIF, "楷体": SERIF, "黑体": SANS,
    "Times New Roman": ("Liberation Serif", "Noto Serif CJK SC"),
}


def find_soffice() -> str | None:
    """Return the path of LibreOffice's ``soffice``, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    mac = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return str(mac) if mac.exists() else None


def docx_to_pdfs(docxs: list[Path], out_dir: Path, timeout: float = 180) -> list[Path | RenderError]:
    """Convert each file to ``out_dir/<stem>.pdf`` in one LibreOffice run (private profile); for each,
    its PDF or why it has none. Raises RenderError when LibreOffice is missing or the run times out
    (`timeout` seconds a file)."""
    soffice = find_soffice()
    if soffice is None:
        raise RenderError("未安装 LibreOffice（soffice），无法生成 PDF")
    docxs = [Path(docx).resolve() for docx in docxs]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdfs = [out_dir / f"{docx.stem}.pdf" for docx in docxs]
    for pdf in pdfs:
        pdf.unlink(missing_ok=True)
    present = [docx for docx in docxs if docx.is_file()]
    returncode, errors = 0, ""
    if present:
        with guarded_folder("budgetdoc-soffice-") as profile:
            command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                       "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, present)]
            name = present[0].name if len(present) == 1 else f"{len(present)} 个文件"
            returncode, errors = run_with_timeout(command, conversion_environment(Path(profile)),
                                                  timeout * len(present), name)
    return [conversion_outcome(docx, pdf, returncode, errors) for docx, pdf in zip(docxs, pdfs)]


def conversion_outcome(docx: Path, pdf: Path, returncode: int, errors: str) -> Path | RenderError:
    if pdf.exists():
        return pdf
    if not docx.is_file():
        return RenderError(f"找不到要转换的文件：{docx}")
    return RenderError(f"LibreOffice 未能把 {docx.name} 转换为 PDF（退出码 {returncode}）：{errors}")


def conversion_environment(profile: Path) -> dict[str, str]:
    """Return the environment for soffice: the system fontconfig plus FONT_ALIASES."""
    aliases = "".join(
        f"<alias binding=\"strong\"><family>{name}</family><prefer>"
        + "".join(f"<family>{target}</family>" for target in targets) + "</prefer></alias>"
        for name, targets in FONT_ALIASES.items())
    config = profile / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                      f'{aliases}<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                      "</fontconfig>", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(config), "TMPDIR": str(profile)}   # its temporary files go with the profile


def run_with_timeout(command: list[str], env: dict, timeout: float, name: str) -> tuple[int, str]:
    """Run `command` in its own process group; kill that group when `timeout` passes, and when the
    command is done (nothing it started outlives it). Should this process be killed meanwhile, its
    guardian kills the group and every process that carries the guardian's mark (core/guard.py)."""
    mark, value = guard.guardian().mark
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**env, mark: value},
                          text=True, errors="replace", start_new_session=True) as process:
        guard.watch_group(process.pid)
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process.pid)
            process.communicate()
            raise RenderError(f"LibreOffice 转换 {name} 超过 {timeout:g} 秒，已终止") from None
        finally:
            kill_group(process.pid)
            guard.group_ended(process.pid)
    return process.returncode, errors.strip()[-500:]


def kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:                # the group has ended already
        pass


def heading_texts(doc: Document) -> tuple[str, ...]:
    """Return the printed text where each 目录 entry points, in document order (an entry without a
    heading of its own points at the paragraph it stands on)."""
    return tuple(block.text for block in doc.blocks if isinstance(block, Paragraph)
                 for _ in range(len(block.toc_before) + (1 if block.toc_level else 0)))


def toc_pages(pdf: Path, headings: Sequence[str],
              page_format: str = "— {PAGE} —") -> tuple[str, ...]:
    """Return the printed page number of each heading ("" when it is not found)."""
    pages = pdf_page_texts(Path(pdf))
    numbers = [printed_page_number(text, page_format) for text in pages]
    found: list[str] = []
    start = 0
    for heading in headings:
        index = find_heading(pages, numbers, heading, start)
        found.append((numbers[index] or "") if index is not None else "")
        start = index if index is not None else start
    return tuple(found)


def pdf_page_texts(pdf: Path) -> list[str]:
    """Return the text of each page (``pdftotext -layout``; pages end with a form feed)."""
    if shutil.which("pdftotext") is None:
        raise RenderError("未安装 poppler-utils（pdftotext），无法读取 PDF 的页码")
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                            capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        raise RenderError(f"pdftotext 无法读取 {pdf.name}：{result.stderr.strip()}")
    pages = result.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def squeeze(text: str) -> str:
    """Remove all white space (pdftotext spaces out CJK text and wraps long lines)."""
    return re.sub(r"\s+", "", text)


def printed_page_number(page_text: str, page_format: str) -> str | None:
    """Return the number printed in the page's footer, or None for an unnumbered page."""
    lines = [squeeze(line) for line in page_text.splitlines() if line.strip()]
    before, _, after = page_format.partition("{PAGE}")
    pattern = re.escape(squeeze(before)) + r"(\d+)" + re.escape(squeeze(after))
    match = re.fullmatch(pattern, lines[-1]) if lines else None
    return match.group(1) if match else None


def find_heading(pages: list[str], numbers: list[str | None], heading: str,
                 start: int) -> int | None:
    """Return the index of the first numbered page from `start` where `heading` starts a line."""
    for index in range(start, len(pages)):
        if numbers[index] is not None and starts_a_line(pages[index], heading):
            return index
    return None


def starts_a_line(page_text: str, heading: str) -> bool:
    """True when `heading` (spacing ignored, possibly wrapped) begins at the start of a line."""
    lines = [squeeze(line) for line in page_text.splitlines()]
    target = squeeze(heading)
    joined = "".join(lines)
    offset = 0
    for line in lines:
        if line and joined.startswith(target, offset):
            return True
        offset += len(line)
    return False
