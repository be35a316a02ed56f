"""Writing a file so that it is either the old one or the whole new one, never half of either."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, scratch: Path | None = None) -> None:
    """Write `data` to a temporary file, then rename it over `path`. The temporary file is made next to
    `path`, or in `scratch` (a folder on the same file system that is cleaned up should the process be
    killed: the output folder then never holds a half-written file)."""
    mode = existing_mode(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=scratch or path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def existing_mode(path: Path) -> int:
    """The permissions of the regular file at `path`, kept by the new one; 0o644 for anything else."""
    try:
        info = os.lstat(path)
    except OSError:
        return 0o644
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else 0o644
