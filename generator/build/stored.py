"""What a unit's build keeps for its department's build: the unit file's validated data, as JSON.

A department of 50 units would otherwise load, parse and validate 50 YAML files its units' own
builds have just read. In a run with departments, each unit that builds stores its data under
<output>/.budgetdoc-cache/data/,
named by the SHA-256 of the file's bytes and the tool's digest; a department's build reads a unit
from there when the file is unchanged, and from the file itself otherwise. Like the build cache it
is a hint: anything odd about an entry means reading the file.
"""
from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from generator.analysis.department import read_unit
from generator.analysis.pipeline import Analysis, analysed_source
from generator.build.cache import sha256, tool_digest
from generator.core.atomic import write_atomic
from generator.core.files import MAX_UNIT_FILE_BYTES, FileRefused, read_regular_file
from generator.core.positions import Source

FOLDER = Path(".budgetdoc-cache") / "data"
MAX_ENTRY_BYTES = 8 * 1024 * 1024


def encoded(value):
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(type(value).__name__)


def decoded(mapping: dict):
    return Decimal(mapping["$decimal"]) if set(mapping) == {"$decimal"} else mapping


@lru_cache(maxsize=1)
def program_digest() -> str:
    """The tool's digest, taken once per process (it hashes every source file of the program)."""
    return tool_digest()


def entry_path(out_dir: Path, data: bytes) -> Path:
    return out_dir / FOLDER / f"{sha256(data + program_digest().encode())}.json"


def store_unit(out_dir: Path, file: Path, source: Source) -> None:
    """Keep a unit's validated data for its department's build (a failure to keep it costs only time)."""
    try:
        path = entry_path(out_dir, read_regular_file(file, MAX_UNIT_FILE_BYTES))
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(source.data, default=encoded, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    except (OSError, FileRefused, TypeError, ValueError):
        pass


def stored_reader(out_dir: Path):
    """A department's unit reader that takes a unit's data from its build when the file is unchanged."""
    def read(file: Path, display: str) -> Analysis:
        try:
            path = entry_path(out_dir, read_regular_file(file, MAX_UNIT_FILE_BYTES))
            data = json.loads(read_regular_file(path, MAX_ENTRY_BYTES).decode("utf-8"), object_hook=decoded)
            if isinstance(data, dict):
                return analysed_source(Source(display, data), lints=False, checks=False)   # checked when stored
        except Exception:  # noqa: BLE001 — a stored entry is a hint: on any doubt, read the file
            pass
        return read_unit(file, display)
    return read
