"""Writing a file so that it is either the old one or the whole new one, never half of either."""
from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomic(path: Path, data: bytes, scratch: Path | None = None) -> None:
    """Write `data` to a temporary file, then rename it over `path`. The temporary file is made next to
    `path`, or in `scratch` (a folder on the same file system that is cleaned up should the process be
    killed: the output folder then never holds a half-written file)."""
    mode = existing_mode(path)
    with written_beside(path, data, scratch) as temporary:
        os.chmod(temporary, mode)
        os.replace(temporary, path)


def write_new(path: Path, data: bytes) -> None:
    """Write `data` as the new file `path`, whole, never over another: FileExistsError when `path`
    exists, or appears meanwhile."""
    with written_beside(path, data) as temporary:
        os.link(temporary, path)


@contextmanager
def written_beside(path: Path, data: bytes, folder: Path | None = None) -> Iterator[Path]:
    """`data` in a temporary file (.<name>.<random>.tmp) next to `path`, or in `folder`, flushed to the
    disk, and removed on leaving unless it was moved into place meanwhile: to check a file as it
    will be (as `path`) before putting it there (os.link, os.replace)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder or path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        yield Path(temporary)
    finally:
        Path(temporary).unlink(missing_ok=True)


def existing_mode(path: Path) -> int:
    """The permissions of the regular file at `path`, kept by the new one; 0o644 for anything else."""
    try:
        info = os.lstat(path)
    except OSError:
        return 0o644
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else 0o644
