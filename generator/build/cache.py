"""Incremental builds: which documents are already up to date, judged by hashing bytes only.

A document's key is the SHA-256 of everything that can change it:

    yaml        the unit file's bytes
    pack        the template pack the unit was last built with (the YAML is not parsed: a change of
                `template:` changes the YAML's bytes anyway), and every file of that pack's folder
    catalogue   every file under generator/catalogue/
    tool        generator.__version__, every generator/**/*.py and every schema/*.json
    libraries   the versions of Python, zlib and the libraries that shape the output (python-docx,
                python-pptx, Jinja2, …) and, when it lays the document out, LibreOffice's
    options     --pdf, whether the 目录 gets page numbers (asked for and LibreOffice found),
                SOURCE_DATE_EPOCH (it sets the document's dates)

The keys live in <output>/.budgetdoc-cache.json, one entry per unit file, written atomically with
sorted keys. Only units that were built are entered; a unit with errors is taken out.

The cache is a hint. Whatever is doubtful about it — not a regular file, too large, not JSON, nested
too deep, an entry of the wrong shape, a pack name that is not one, an output name with a folder in
it — counts as no entry, and the unit is built again; it is never a reason to fail or to read
anything outside the project's folders.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import zlib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from generator import __version__
from generator.analysis.across import UnitSummary
from generator.core.atomic import write_atomic
from generator.core.catalogue import CATALOGUE_DIR
from generator.core.files import MAX_UNIT_FILE_BYTES as MAX_FILE_BYTES
from generator.core.files import FileRefused, os_error_words, read_regular_file
from generator.core.places import SCHEMA_PATH, pack_folder  # light: an up-to-date run still starts quickly

__all__ = ["MAX_FILE_BYTES", "KeyMaker", "cache_id", "is_up_to_date", "load_cache", "save_cache", "sha256", "source_digest"]

CACHE_NAME = ".budgetdoc-cache.json"
CACHE_FORMAT = 2
MAX_CACHE_BYTES = 64 * 1024 * 1024
MAX_SOURCE_BYTES = 64 * 1024 * 1024      # a file hashed into the key (a pack's, the program's)
GENERATOR_DIR = Path(__file__).resolve().parent.parent
LIBRARIES = ("python-docx", "python-pptx", "Jinja2", "MarkupSafe", "pypinyin", "XlsxWriter", "lxml", "PyYAML",
             "jsonschema", "fastjsonschema")
PACK_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
OUTPUT_NAME = re.compile(r"[^/\\\0]+\.(docx|pdf)")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    try:
        return sha256(read_regular_file(path, MAX_SOURCE_BYTES))
    except FileRefused as exc:           # a FIFO or a device among the sources: hashed as what it is
        return f"refused:{exc}"


def digest_files(folder: Path, pattern: str = "*") -> str:
    """One hash over the names and bytes of the files under `folder`, in sorted order."""
    total = hashlib.sha256()
    files = sorted(p for p in folder.rglob(pattern) if not p.is_dir() and "__pycache__" not in p.parts)
    for path in files:
        total.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        total.update(file_digest(path).encode())
    return total.hexdigest()


def tool_digest() -> str:
    schema = digest_files(SCHEMA_PATH.parent, "*.json") if SCHEMA_PATH.parent.is_dir() else ""
    return sha256(f"{__version__}\0{digest_files(GENERATOR_DIR, '*.py')}\0{schema}".encode())


def library_versions(layout: bool) -> dict[str, str]:
    """The versions of what shapes the output besides our own files."""
    versions = {"python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    if layout:
        versions["libreoffice"] = libreoffice_version()
    return versions


def libreoffice_version() -> str:
    """LibreOffice's build, from the versionrc beside its program (its layout sets the 目录's page numbers)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        return ""
    program = Path(os.path.realpath(found)).parent
    for name in ("versionrc", "version.ini"):
        if (program / name).is_file():
            return file_digest(program / name)
    return os.path.realpath(found)


def is_pack_name(pack) -> bool:
    return isinstance(pack, str) and PACK_NAME.fullmatch(pack) is not None


@dataclass
class KeyMaker:
    """The parts of the key shared by every unit of one run; each pack is hashed once."""
    shared: dict
    packs: dict = field(default_factory=dict)

    @classmethod
    def for_run(cls, pdf: bool, toc_pages: bool) -> KeyMaker:
        options = {"pdf": pdf, "toc_pages": toc_pages,
                   "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "").strip()}
        return cls({"format": CACHE_FORMAT, "tool": tool_digest(), "libraries": library_versions(pdf or toc_pages),
                    "catalogue": digest_files(CATALOGUE_DIR), "options": options})

    def key(self, yaml_digest: str, pack: str) -> str:
        if pack not in self.packs:
            folder = pack_folder(pack) if is_pack_name(pack) else None
            self.packs[pack] = digest_files(folder) if folder is not None else ""
        parts = {**self.shared, "yaml": yaml_digest, "pack": pack, "pack_files": self.packs[pack]}
        return sha256(json.dumps(parts, sort_keys=True).encode())


DEPARTMENT_UNITS = re.compile(rb"^units\s*:(.*?)(?=^\S|\Z)", re.M | re.S)
LIST_ITEM = re.compile(rb"^\s*-\s*([a-z0-9][a-z0-9-]*)\s*(?:#.*)?$", re.M)
YEAR = re.compile(rb"^year\s*:\s*(\d{4})\b", re.M)


def source_digest(path: Path, data: bytes) -> str:
    """What a file's documents depend on: its bytes; a department file's also its units' files' bytes
    (so that a change to one unit rebuilds that unit and its department, nothing else). A department
    file is read without parsing the YAML: its `units:` list, in block or flow style."""
    block = DEPARTMENT_UNITS.search(data)
    year = YEAR.search(data)
    if block is None or year is None:
        return sha256(data)
    parts = [sha256(data)]
    flow = re.match(rb"\s*\[(.*?)\]", block.group(1), re.S)
    slugs = re.findall(rb"[a-z0-9][a-z0-9-]*", flow.group(1)) if flow else LIST_ITEM.findall(block.group(1))
    for slug in slugs:
        unit = path.parent.parent / slug.decode() / f"{year.group(1).decode()}.yaml"
        try:
            parts.append(slug.decode() + ":" + sha256(read_regular_file(unit, MAX_FILE_BYTES)))
        except FileRefused:
            parts.append(slug.decode() + ":missing")
    return sha256("\0".join(parts).encode())


def cache_id(path: Path) -> str:
    """A unit file's entry name: its absolute path, so `units` and `./units/x/2026.yaml` agree."""
    return Path(path).resolve().as_posix()


def load_cache(out_dir: Path) -> dict[str, dict]:
    """The sound entries of the cache file; anything doubtful counts as no entry."""
    try:
        data = json.loads(read_regular_file(out_dir / CACHE_NAME, MAX_CACHE_BYTES).decode("utf-8", "surrogateescape"))
    except (FileRefused, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or not isinstance(data.get("units"), dict):
        return {}
    return {name: entry for name, entry in data["units"].items() if isinstance(name, str) and is_sound(entry)}


def is_sound(entry) -> bool:
    """An entry as this version writes it (cache_updates in batch.py)."""
    if not isinstance(entry, dict):
        return False
    return (isinstance(entry.get("key"), str) and is_pack_name(entry.get("pack")) and isinstance(entry.get("file"), str)
            and isinstance(entry.get("outputs"), list) and bool(entry["outputs"])
            and all(isinstance(n, str) and OUTPUT_NAME.fullmatch(n) and not n.startswith(".") for n in entry["outputs"])
            and isinstance(entry.get("problems"), list) and all(isinstance(line, str) for line in entry["problems"])
            and type(entry.get("warnings")) is int and entry["warnings"] >= 0
            and UnitSummary.from_json(entry.get("summary")) is not None)


def save_cache(out_dir: Path, updates: dict[str, dict | None], stream, scratch: Path | None = None,
               replaced: frozenset[str] = frozenset()) -> None:
    """Apply `updates` (None removes an entry) to the cache as it is on disk now, then write it atomically.

    Reading again just before writing keeps the entries of units this run did not touch, except those
    whose outputs another unit file has just written (two trees built into one folder) or is about to
    write (`replaced`: no entry may vouch for a document while it is being replaced). When it cannot
    be written (a full disk), the old cache is removed rather than left to vouch for documents this run
    replaced; either way it is said, and the build goes on.
    """
    before = load_cache(out_dir)
    claimed = {output: name for name, entry in updates.items() if entry for output in entry["outputs"]}
    units = {**before, **updates}
    units = {name: entry for name, entry in units.items()
             if entry is not None and all(claimed.get(output, name) == name and (output in claimed or output not in replaced)
                                          for output in entry["outputs"])}
    if units == before:
        return
    text = json.dumps({"format": CACHE_FORMAT, "units": units}, ensure_ascii=False, sort_keys=True, indent=1)
    path = out_dir / CACHE_NAME
    try:
        write_atomic(path, (text + "\n").encode("utf-8", "surrogateescape"), scratch)   # file names as the system gave them
    except OSError as exc:
        try:
            path.unlink(missing_ok=True)
            outcome = "已删除旧的缓存，下次将重新生成全部单位"
        except OSError:
            outcome = "请删除它，否则下次可能不会重新生成已变化的单位"
        print(f"budgetdoc: 警告：无法写入构建缓存 {path}：{os_error_words(exc)}；{outcome}", file=stream)


def is_up_to_date(entry: dict | None, key: str, out_dir: Path, strict: bool) -> bool:
    """The entry was made with this key, its outputs are all there, and --strict has no warning to refuse."""
    if not entry or entry.get("key") != key:
        return False
    if strict and entry.get("warnings"):
        return False
    return all((out_dir / name).is_file() for name in entry.get("outputs", ()))
