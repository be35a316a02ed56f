"""The output folder of `budgetdoc build`: checked before anything is built, and held by one build at a time.

    check    -o must be a folder, or a path where one can be made: a file, a path below a file,
             /dev/full or /proc/x are a usage error (exit 2), as is a folder that cannot be written
    lock     flock on the folder itself (nothing is left in it): a second build into the same folder
             waits for the first, so the cache never vouches for a document the other build wrote
    stage    documents are written to a hidden staging folder inside it (the same file system) and
             moved into place once every unit of the run is known (two units may claim one name);
             the guardian removes the staging folder if the build is killed
"""
from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.core.files import os_error_words
from generator.core.guard import guarded_folder
from generator.core.problems import BudgetdocError, UsageError

try:
    import fcntl
except ImportError:                          # not POSIX: no lock
    fcntl = None  # type: ignore[assignment]

STAGING_PREFIX = ".budgetdoc-staging-"
USAGE_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.ENOENT, errno.EEXIST, errno.ENAMETOOLONG,
                errno.ELOOP, errno.EINVAL}


@dataclass(frozen=True)
class OutputFolder:
    path: Path
    staging: Path


def made_folder(out_dir: Path) -> None:
    """Make `out_dir` (and its parents) or say, in Chinese, why it cannot be the output folder."""
    if (out_dir.exists() or out_dir.is_symlink()) and not out_dir.is_dir():
        raise UsageError(f"输出位置“{out_dir}”已存在，但不是文件夹；请用 -o 指定一个文件夹")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise folder_error(out_dir, "无法创建输出文件夹", exc) from None


def folder_error(out_dir: Path, what: str, exc: OSError) -> BudgetdocError:
    message = f"{what}“{out_dir}”：{os_error_words(exc)}"
    return UsageError(message + "；请用 -o 指定另一个文件夹") if exc.errno in USAGE_ERRORS else BudgetdocError(message)


@contextmanager
def locked(out_dir: Path, stream) -> Iterator[None]:
    """Hold an exclusive lock on the folder for the duration; wait, saying so, if another build holds it."""
    if fcntl is None:
        yield
        return
    fd = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"另一个 budgetdoc build 正在写入 {out_dir}，等待它完成……", file=stream, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:                      # a file system without locks: go on unlocked
            pass
        yield
    finally:
        os.close(fd)


def sweep_leftovers(out_dir: Path) -> None:
    """Remove what a killed build may have left (the lock is held: no other build is writing here)."""
    for entry in out_dir.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        elif is_temporary_file(entry):
            entry.unlink(missing_ok=True)


def is_temporary_file(entry: Path) -> bool:
    """One of write_atomic's temporary files for a document or the cache: .<name>.<random>.tmp"""
    name = entry.name
    return (name.startswith(".") and name.endswith(".tmp") and any(f"{kind}." in name for kind in (".docx", ".pdf", ".json"))
            and entry.is_file() and not entry.is_symlink())


@contextmanager
def output_folder(out_dir: Path, stream) -> Iterator[OutputFolder]:
    """The output folder, made if need be, locked, cleared of a killed build's leftovers, with a
    staging folder inside it; a folder that cannot be used is a usage error."""
    made_folder(out_dir)
    with ExitStack() as stack:
        try:
            stack.enter_context(locked(out_dir, stream))
            sweep_leftovers(out_dir)
            staging = stack.enter_context(guarded_folder(STAGING_PREFIX, out_dir))
        except OSError as exc:
            raise folder_error(out_dir, "输出文件夹无法写入", exc) from None
        yield OutputFolder(out_dir, staging)
