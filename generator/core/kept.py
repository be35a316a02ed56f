"""What one run keeps in the cache folder (places.cache_folder) for the runs after it: a file (or a
folder: the compiled templates, a LibreOffice profile's start), named by the digest of everything
its content depends on, read back whole and written in one piece; a file may be a mark (a pack file
found sound). A cache folder that is missing, relative, unwritable or full of damaged files changes
nothing but speed: whoever reads a kept file checks what it holds, and makes it again when it is
not what was kept."""
from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from generator.core.atomic import write_atomic
from generator.core.files import FileRefused, read_regular_file
from generator.core.places import cache_folder

MAX_KEPT_BYTES = 16 * 1024 * 1024        # the largest, the validator, is about 0.5 MB


def kept_path(kind: str, key: str, suffix: str) -> Path | None:
    """Where a kept `kind` for `key` (the text of everything it depends on) is, or None without a
    cache folder."""
    folder = cache_folder()
    return folder / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:16]}{suffix}" if folder else None


def read_kept(path: Path | None) -> bytes | None:
    """The kept file's bytes, or None when there is none (or none that can be read)."""
    if path is None:
        return None
    with contextlib.suppress(FileRefused):
        return read_regular_file(path, MAX_KEPT_BYTES)
    return None


def keep(path: Path | None, data: bytes) -> None:
    """Keep `data` at `path` for the runs after this one, if the cache folder can take it."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
