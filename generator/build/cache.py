"""Incremental builds: which documents are already up to date, judged by hashing bytes only.

A document's key is the SHA-256 of everything that can change it:

    yaml        the unit file's bytes
    pack        the template pack the unit was last built with (the YAML is not parsed: a change of
                `template:` changes the YAML's bytes anyway), and every file of that pack's folder
    catalogue   every file under generator/catalogue/
    tool        generator.__version__, every generator/**/*.py and schema/unit-budget.schema.json
    options     --pdf, whether the 目录 gets page numbers (asked for and LibreOffice found),
                SOURCE_DATE_EPOCH (it sets the document's dates)

The keys live in <output>/.budgetdoc-cache.json, one entry per unit file, written atomically with
sorted keys. Only units that were built are entered; a unit with errors is taken out.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__
from generator.core.atomic import write_atomic
from generator.core.catalogue import CATALOGUE_DIR
from generator.core.places import SCHEMA_PATH, pack_folder  # light: an up-to-date run still starts quickly

CACHE_NAME = ".budgetdoc-cache.json"
CACHE_FORMAT = 1
GENERATOR_DIR = Path(__file__).resolve().parent.parent


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_files(folder: Path, pattern: str = "*") -> str:
    """One hash over the names and bytes of the files under `folder`, in sorted order."""
    total = hashlib.sha256()
    files = sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        total.update(path.relative_to(folder).as_posix().encode() + b"\0")
        total.update(sha256(path.read_bytes()).encode())
    return total.hexdigest()


def tool_digest() -> str:
    schema = sha256(SCHEMA_PATH.read_bytes()) if SCHEMA_PATH.is_file() else ""
    return sha256(f"{__version__}\0{digest_files(GENERATOR_DIR, '*.py')}\0{schema}".encode())


@dataclass
class KeyMaker:
    """The parts of the key shared by every unit of one run; each pack is hashed once."""
    shared: dict
    packs: dict = field(default_factory=dict)

    @classmethod
    def for_run(cls, pdf: bool, toc_pages: bool) -> KeyMaker:
        options = {"pdf": pdf, "toc_pages": toc_pages,
                   "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "").strip()}
        return cls({"format": CACHE_FORMAT, "tool": tool_digest(),
                    "catalogue": digest_files(CATALOGUE_DIR), "options": options})

    def key(self, yaml_digest: str, pack: str) -> str:
        if pack not in self.packs:
            folder = pack_folder(pack) if isinstance(pack, str) else None
            self.packs[pack] = digest_files(folder) if folder is not None else ""
        parts = {**self.shared, "yaml": yaml_digest, "pack": pack, "pack_files": self.packs[pack]}
        return sha256(json.dumps(parts, sort_keys=True).encode())


DEPARTMENT_UNITS = re.compile(rb"^units\s*:(.*?)(?=^\S|\Z)", re.M | re.S)
LIST_ITEM = re.compile(rb"^\s*-\s*([a-z0-9][a-z0-9-]*)\s*(?:#.*)?$", re.M)
YEAR = re.compile(rb"^year\s*:\s*(\d{4})\b", re.M)


def file_digest(path: Path, data: bytes) -> str:
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
            parts.append(slug.decode() + ":" + sha256(unit.read_bytes()))
        except OSError:
            parts.append(slug.decode() + ":missing")
    return sha256("\0".join(parts).encode())


def cache_id(path: Path) -> str:
    """A unit file's entry name: its absolute path, so `units` and `./units/x/2026.yaml` agree."""
    return Path(path).resolve().as_posix()


def load_cache(out_dir: Path) -> dict[str, dict]:
    """The entries of the cache file; an unreadable or older cache counts as empty."""
    try:
        data = json.loads((out_dir / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or not isinstance(data.get("units"), dict):
        return {}
    return data["units"]


def save_cache(out_dir: Path, updates: dict[str, dict | None]) -> None:
    """Apply `updates` (None removes an entry) to the cache as it is on disk now, then write it atomically.

    Reading again just before writing keeps the entries of units this run did not touch, even when
    another run (another shard) wrote the file meanwhile.
    """
    before = load_cache(out_dir)
    units = {**before, **updates}
    units = {name: entry for name, entry in units.items() if entry is not None}
    if units == before:
        return
    text = json.dumps({"format": CACHE_FORMAT, "units": units}, ensure_ascii=False, sort_keys=True, indent=1)
    write_atomic(out_dir / CACHE_NAME, (text + "\n").encode("utf-8"))


def is_up_to_date(entry: dict | None, key: str, out_dir: Path, strict: bool) -> bool:
    """The entry was made with this key, its outputs are all there, and --strict has no warning to refuse."""
    if not entry or entry.get("key") != key:
        return False
    if strict and entry.get("warnings"):
        return False
    return all((out_dir / name).is_file() for name in entry.get("outputs", ()))
