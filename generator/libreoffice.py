"""Render a .docx with LibreOffice and read the 目录's page numbers back from the PDF.

Page numbers are read, not computed from page indexes: the writer (writer_sections) prints
"— n —" in the footer of every numbered page, the cover and the 目录 form an unnumbered front
section, and numbering restarts at 1 after it. So the page of a heading is the number printed in
the footer of the first numbered page, at or after the previous heading's page, on which the
heading's text starts a line. Pages without a footer number (cover, 目录) are skipped.
"""
from __future__ import annotations

import contextlib
import ctypes.util
import functools
import hashlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator import libreoffice_profile
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


def docx_to_pdfs(docxs: list[Path], out_dir: Path, timeout: float = 180,
                 options: dict | None = None) -> list[Path | RenderError]:
    """Convert each file to ``out_dir/<stem>.pdf`` in one LibreOffice run (private profile); for each,
    its PDF or why it has none. Raises RenderError when LibreOffice is missing or the run times out
    (`timeout` seconds a file). `options`: writer_pdf_Export's (PDF_OPTIONS for a published PDF)."""
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
            libreoffice_profile.seed(Path(profile), soffice)
            command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                       "--norestore", "--convert-to", convert_to_pdf(options), "--outdir", str(out_dir),
                       *map(str, present)]
            name = present[0].name if len(present) == 1 else f"{len(present)} 个文件"
            returncode, errors = run_with_timeout(command, layout_environment(Path(profile)),
                                                  timeout * len(present), name)
            if returncode == 0:
                libreoffice_profile.keep(Path(profile), soffice)
    return [conversion_outcome(docx, pdf, returncode, errors) for docx, pdf in zip(docxs, pdfs)]


def convert_to_pdf(options: dict | None) -> str:
    """``--convert-to``'s argument: pdf, or pdf with the export filter's options as JSON."""
    if not options:
        return "pdf"
    typed = {name: {"type": "boolean" if isinstance(value, bool) else "long", "value": str(value).lower()}
             for name, value in options.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(typed, separators=(",", ":"))


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
    return {**os.environ, "FONTCONFIG_FILE": str(config), "TMPDIR": str(profile),   # its temporary files go with the profile
            "TZ": "UTC"}


def layout_environment(profile: Path) -> dict[str, str]:
    """The environment budgetdoc runs LibreOffice in: conversion_environment's, with an allocator that
    keeps its speed. With glibc's malloc, a LibreOffice that lays out one document after another
    slows down as its heap fragments: measured on LibreOffice 7.4 (40 seed-size documents, laid out
    and exported by one process), each ten took 8.5, 9.8, 10.6 and 10.8 s of processor time, and
    malloc's and free's share of it rose from 18 % to 31 % (perf). With jemalloc (Debian libjemalloc2), where it
    is installed, 6.8–6.9 s each; else with glibc's per-thread cache enlarged (ALLOCATOR_TUNABLES),
    7.6–8.4 s. The documents come out the same (their text and pages, compared). A variable the
    environment sets already is left as it is."""
    return {**faster_allocator(), **conversion_environment(profile)}


ALLOCATOR_TUNABLES = "glibc.malloc.tcache_count=65535"     # the most that glibc allows (7 by default)


@functools.lru_cache(maxsize=1)
def faster_allocator() -> dict[str, str]:
    """The variables that give LibreOffice a faster allocator (layout_environment); none but on Linux."""
    if not sys.platform.startswith("linux"):
        return {}
    jemalloc = ctypes.util.find_library("jemalloc")
    return {"LD_PRELOAD": jemalloc} if jemalloc else {"GLIBC_TUNABLES": ALLOCATOR_TUNABLES}


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


# One LibreOffice for a whole build -----------------------------------------------------------------

UNO_HELPER = Path(__file__).with_name("libreoffice_uno.py")
SYSTEM_PYTHON = "/usr/bin/python3"
START_TIMEOUT = 90                  # seconds for LibreOffice to start and listen
CLOSE_TIMEOUT = 15                  # seconds for the helper to end LibreOffice at the end of its input
# writer_pdf_Export's options for a published PDF: PDF/A-2b (archival: fonts embedded, XMP metadata),
# PDF/UA (accessible: tagged, with the document's title and language), the headings as bookmarks.
PDF_OPTIONS = {"SelectPdfVersion": 2, "PDFUACompliance": True, "UseTaggedPDF": True, "ExportBookmarks": True,
               "ExportNotes": False, "ExportFormFields": False}


def socket_file(pipe: str) -> Path:
    """The socket file LibreOffice makes for its pipe named `pipe` (osl/unx/pipe.cxx), which stays when
    LibreOffice is killed (libreoffice_uno.pipe_file, which cannot import this, names it the same way)."""
    return Path(f"/tmp/OSL_PIPE_{os.getuid()}_{pipe}")


def second_start_socket(profile: Path) -> Path:
    """The socket file on which a LibreOffice started on `profile` (as the UNO helper starts it, with
    UserInstallation file://PROFILE) listens for a second start: named after the MD5 of that URL's
    UTF-16 code units, each byte in hex without padding (desktop/source/app/officeipcthread.cxx,
    CreateMD5FromString). Known before LibreOffice starts; the helper also reports the sockets it
    finds (libreoffice_uno.socket_files), should the name ever be made otherwise."""
    digest = hashlib.md5(f"file://{profile}".encode("utf-16-le"), usedforsecurity=False).digest()
    return socket_file("SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest))


def find_uno_python() -> str | None:
    """The system's python3 when it has LibreOffice's UNO bridge (Debian python3-uno), else None."""
    if not Path(SYSTEM_PYTHON).is_file():
        return None
    found = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    return SYSTEM_PYTHON if found else None


class LayoutServer:
    """One LibreOffice, started on first use and kept for every document after: each is loaded and
    laid out once, its 目录 pages read from that layout, and its PDF exported from it.

    It runs in a process group of its own (the UNO helper libreoffice_uno.py and soffice) with a
    private profile folder. A document that takes longer than `timeout` seconds, or makes
    LibreOffice fail, fails alone: the group is killed and the next document starts a new one.
    `close()` ends the group and removes the profile; so does the helper when this process is gone.

    A server may be launched by one process and used by another forked from it (a build's worker,
    build/servers.py): it speaks to the helper only through the pipes, and tells the guardian of
    the process that launched it (`keeper`) what to clean up, so neither needs to be the helper's
    parent. The launching process then lets go of its ends of the pipes (`let_go`).
    """

    def __init__(self, soffice: str, python: str = SYSTEM_PYTHON, timeout: float = 180, helper: Path = UNO_HELPER):
        self.soffice, self.python, self.timeout, self.helper = soffice, python, timeout, helper
        self.process: subprocess.Popen | None = None
        self.keeper: guard.Guardian | None = None     # the guardian told of its groups and profile
        self.soffice_group: int | None = None       # LibreOffice's own process group, as the helper reports it
        self.sockets: list[str] = []                # LibreOffice's socket files: foreseen at launch, and as the helper reports them
        self.profile: Path | None = None
        self.buffer = b""
        self.starts = 0
        self.ready = False
        self.last_seconds: dict = {}
        self.in_process = False
        self.main_thread = False

    def lay_out(self, docx: Path, pdf: Path | None = None, toc_pages: bool = True) -> tuple[str, ...]:
        """The printed page of each 目录 heading of `docx` (none unless `toc_pages`); with `pdf`,
        its PDF there, the 目录 filled in. Raises RenderError, this document's failure."""
        request = {"docx": str(Path(docx).resolve()), "toc_pages": toc_pages,
                   "pdf": str(Path(pdf).resolve()) if pdf else None, "pdf_options": PDF_OPTIONS}
        if self.process is not None and self.ready and self.has_ended():
            self.stop()                         # the helper ended (LibreOffice went away after the last document)
        if self.process is None:
            self.launch()
        if not self.ready:
            self.wait_ready()
        reply = self.ask(request, self.timeout, Path(docx).name)
        self.last_seconds = reply.get("seconds", {})     # LibreOffice's own time: loading, the rest
        self.in_process = reply.get("in_process", False)  # whether LibreOffice ran the layout script itself
        self.main_thread = reply.get("main_thread", False)  # and did it in its main thread (in_main_thread)
        if reply.get("restart"):
            self.stop()
        if "error" in reply:
            raise RenderError(f"LibreOffice 未能排版 {Path(docx).name}：{reply['error']}")
        return tuple(reply["pages"])

    def launch(self) -> None:
        """Start LibreOffice without waiting for it (it takes a second or two, which the first
        document's own work can overlap)."""
        self.keeper = keeper = guard.guardian()   # should this process be killed, it ends the helper and LibreOffice
        self.profile = Path(tempfile.mkdtemp(prefix="budgetdoc-soffice-"))
        keeper.tell("path", self.profile)
        libreoffice_profile.seed(self.profile, self.soffice)
        mark, value = keeper.mark
        self.process = subprocess.Popen([self.python, str(self.helper), self.soffice, str(self.profile)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        env={**layout_environment(self.profile), mark: value}, start_new_session=True)
        keeper.tell("group", self.process.pid)
        self.sockets = [str(socket_file(f"budgetdoc-layout-{self.process.pid}")), str(second_start_socket(self.profile))]
        for socket in self.sockets:             # told before LibreOffice makes them: a kill before "ready" leaves neither
            keeper.tell("path", socket)
        self.buffer, self.starts, self.ready = b"", self.starts + 1, False

    def wait_ready(self) -> None:
        assert self.keeper is not None
        reply = self.ask(None, START_TIMEOUT, "LibreOffice 启动")
        self.soffice_group = reply["ready"]
        self.keeper.tell("group", self.soffice_group)
        for socket in reply.get("sockets", []):     # removed by the helper as it ends LibreOffice; by stop, or the guardian, if not
            if socket not in self.sockets:
                self.sockets.append(socket)
                self.keeper.tell("path", socket)
        self.ready = True
        if self.profile is not None:
            libreoffice_profile.keep(self.profile, self.soffice)

    def has_ended(self) -> bool:
        """True when the helper has gone since its last reply. It writes nothing between replies, so
        its output being readable means its end (or that it is out of step, which is as bad). Read
        from the pipe rather than asked of the process: a worker that adopted this server from the
        build process is not the helper's parent, and cannot wait for it."""
        assert self.process is not None and self.process.stdout is not None
        return bool(select.select([self.process.stdout.fileno()], [], [], 0)[0])

    def ask(self, request: dict | None, timeout: float, name: str) -> dict:
        """Send `request` (None: only read), return the reply; on a timeout or a lost helper, stop it
        all and raise RenderError."""
        assert self.process is not None and self.process.stdin is not None
        try:
            if request is not None:
                self.process.stdin.write((json.dumps(request, ensure_ascii=False) + "\n").encode("utf-8"))
                self.process.stdin.flush()
            line = self.read_line(timeout)
        except (OSError, ValueError):
            line = None
        if line is None:
            self.stop()
            raise RenderError(f"LibreOffice 排版 {name} 超过 {timeout:g} 秒或意外退出，已终止")
        return json.loads(line)

    def read_line(self, timeout: float) -> bytes | None:
        """The helper's next line, or None at its end or after `timeout` seconds."""
        assert self.process is not None and self.process.stdout is not None
        stream = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stream], [], [], left)[0]:
                return None
            chunk = os.read(stream, 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def stop(self) -> None:
        """Kill the helper's and LibreOffice's process groups and remove LibreOffice's sockets and the profile."""
        keeper = self.keeper or guard.guardian()
        for group in (self.soffice_group, self.process and self.process.pid):
            if group:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(group, signal.SIGKILL)
                keeper.tell("ended", group)
        self.soffice_group, self.ready = None, False
        if self.process is not None:
            self.process.wait()                         # at once where this process is not its parent
            for stream in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    stream and stream.close()
            self.process = None
        for socket in self.sockets:
            with contextlib.suppress(OSError):
                os.unlink(socket)
            keeper.tell("done", socket)
        self.sockets = []
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            keeper.tell("done", self.profile)
            self.profile = None

    def close(self) -> None:
        """Let the helper end LibreOffice (end of input) and wait for it to go (its output ends: asked
        of the pipe, as a worker that adopted the server cannot wait for the helper), then make sure
        the whole group is gone."""
        if self.process is not None and self.has_pipes():
            assert self.process.stdin is not None
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            if self.read_to_end(CLOSE_TIMEOUT) and self.soffice_group and self.keeper:
                self.keeper.tell("ended", self.soffice_group)
                self.soffice_group = None           # the helper ended LibreOffice: its group id may be reused
        self.stop()

    def read_to_end(self, timeout: float) -> bool:
        """Read what is left of the helper's output: True when it ends (the helper has gone), False when
        `timeout` seconds pass first."""
        if self.process is None or self.process.stdout is None or self.process.stdout.closed:
            return False
        stream = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0 and select.select([stream], [], [], left)[0]:
            if not os.read(stream, 65536):
                return True
        return False

    def has_pipes(self) -> bool:
        """True while this process holds its ends of the helper's pipes (see let_go)."""
        return self.process is not None and not (self.process.stdin is None or self.process.stdin.closed)

    def let_go(self) -> None:
        """Close this process's ends of the helper's pipes and leave the server to the process that
        adopted it: the helper and LibreOffice go on. (The process that launched the server still
        reaps the helper when it ends: `reap`.)"""
        if self.process is not None:
            for stream in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    stream and stream.close()

    def reap(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """In the process that launched the server and let it go: wait for the helper to end (its
        users are gone, so it ends LibreOffice), then kill what is left of its group."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        else:                                   # its group went with it (LibreOffice has one of its own)
            (self.keeper or guard.guardian()).tell("ended", self.process.pid)
            self.process = None
        self.stop()


@functools.lru_cache(maxsize=1)
def uno_python() -> str | None:
    """find_uno_python, asked once per process."""
    return find_uno_python()


# Reproducible PDF metadata -------------------------------------------------------------------------
# LibreOffice stamps a PDF with the moment of export (Info /CreationDate, XMP xmp:CreateDate) and an
# /ID derived from it; it has no SOURCE_DATE_EPOCH. The stamps are rewritten in place, each by a
# string of the same length (so no offset in the file moves): the document's own date (its
# `created`: SOURCE_DATE_EPOCH, or 1 January of the budget year) and an /ID digested from the .docx
# it was made from. The rest of the file is not byte-identical from one export to the next
# (LibreOffice's embedded font programs differ); its text, pages and metadata are.
# LibreOffice runs with TZ=UTC (conversion_environment), so that its dates end in Z.
INFO_DATE = re.compile(rb"/(?:CreationDate|ModDate) ?\(D:(\d{14})Z")
XMP_DATE = re.compile(rb"<xmp:(?:CreateDate|ModifyDate|MetadataDate)>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)Z<")
FILE_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]")
# Each stamp: the text it starts with, found by bytes.find (a regex search of the 2 MB file for all
# of them took ~15 ms of a unit's ~200 ms of Python), its pattern, and what each of its groups becomes.
STAMPS = ((b"/CreationDate", INFO_DATE, "info"), (b"/ModDate", INFO_DATE, "info"), (b"<xmp:", XMP_DATE, "xmp"),
          (b"/ID", FILE_ID, "id"))


def reproducible_pdf(data: bytes, created: str, source: bytes) -> bytes:
    """`data` with its dates set to `created` (ISO 8601, UTC) and its /ID digested from `source`."""
    moment = re.sub(r"\D", "", created)[:14].ljust(14, "0").encode()
    values = {"info": moment,
              "xmp": b"%s-%s-%sT%s:%s:%s" % (moment[:4], moment[4:6], moment[6:8], moment[8:10], moment[10:12], moment[12:14]),
              "id": hashlib.md5(source, usedforsecurity=False).hexdigest().upper().encode()}
    spans = sorted((match.span(group), values[kind]) for start, stamp, kind in STAMPS
                   for match in matches_from(data, start, stamp) for group in range(1, stamp.groups + 1))
    view, done = memoryview(data), 0
    pieces: list[bytes | memoryview] = []
    for (begin, end), value in spans:
        pieces += [view[done:begin], value]             # `value` is as long as what it replaces
        done = end
    return b"".join(pieces + [view[done:]])


def matches_from(data: bytes, start: bytes, pattern: re.Pattern) -> Iterator[re.Match]:
    """Each match of `pattern` in `data` at a place where `start` is."""
    at = data.find(start)
    while at != -1:
        match = pattern.match(data, at)
        if match:
            yield match
        at = data.find(start, at + 1)
