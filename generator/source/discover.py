"""Which unit files a command works on: the files named, and the *.yaml files found in the folders named.

A folder is searched without following symbolic links to folders (as ``Path.rglob``); a file that
cannot be read is still listed — the loader says why — and a folder that cannot be searched is a
problem of its own, never skipped in silence. The same file named twice (``units`` and
``./units/x/2026.yaml``, or through a link) is taken once.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.files import os_error_words
from generator.core.problems import Pos, Problem, UsageError, error


@dataclass
class UnitFiles:
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)     # folders that could not be searched


def find_unit_files(paths: list[str]) -> UnitFiles:
    """Files as given; folders searched for *.yaml, sorted so runs are stable. A path that does not
    exist is a usage error."""
    found = UnitFiles()
    for text in paths:
        path = Path(text)
        try:
            is_folder = path.is_dir()
            path.stat()
        except FileNotFoundError:
            raise UsageError(f"找不到文件或文件夹：{text}") from None
        except OSError:
            is_folder = False            # the loader says why it cannot be read
        if is_folder:
            found.files += files_in(path, found.problems)
        else:
            found.files.append(path)
    found.files = distinct(found.files)
    if not found.files and not found.problems:
        raise UsageError(f"在 {'、'.join(paths)} 中没有找到单位预算文件（*.yaml）")
    return found


def files_in(folder: Path, problems: list[Problem]) -> list[Path]:
    """The *.yaml files under `folder` (not starting with "." or "_"), searched without recursion (any
    depth); a folder that cannot be searched is added to `problems`."""
    found, folders = [], [folder]
    while folders:
        current = folders.pop()
        try:
            with os.scandir(current) as entries:
                listed = list(entries)
        except OSError as exc:
            problems.append(error(Pos(str(current)), f"无法读取文件夹：{os_error_words(exc)}，其中的单位预算文件没有检查"))
            continue
        for entry in listed:
            if is_folder(entry):
                folders.append(Path(entry.path))
            elif entry.name.endswith(".yaml") and not entry.name.startswith((".", "_")):
                found.append(Path(entry.path))
    return sorted(found)


def is_folder(entry: os.DirEntry) -> bool:
    """A folder to search: a real one, not a link to one (as Path.rglob; links can make loops)."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def distinct(files: list[Path]) -> list[Path]:
    """`files` in order, each file once however it was named."""
    seen: set[str] = set()
    kept = []
    for path in files:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            kept.append(path)
    return kept
