"""Clean-up that happens even when this process is killed with ``kill -9``.

A process that makes temporary folders or starts LibreOffice gets a guardian: a small Python process
of its own (its own session, so a signal to the build's process group does not reach it) that reads
what to clean from a pipe. When every process holding the pipe's other end is gone — ended, crashed
or killed — the guardian reads end-of-file, kills the process groups it was told of and every
process that carries its mark in the environment (Linux: LibreOffice's own children, even those that
left the group), and removes the paths it was told of (folders, and files: LibreOffice's sockets).
It is started on first use, once per process (a worker forked from the build gets its own), and
holds nothing while all goes well: each path and group is struck off when its owner is done with it.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MARK = "BUDGETDOC_GUARD"

GUARDIAN = r"""
import os, shutil, signal, sys
mark = ("%s=%s" % (sys.argv[1], os.getpid())).encode()
paths, groups, started = set(), set(), []
for line in sys.stdin.buffer:
    verb, _, arg = line.strip().partition(b" ")
    value = bytes.fromhex(arg.decode())
    {b"path": paths.add, b"done": paths.discard, b"group": lambda v: groups.add(int(v)) or started.append(v),
     b"ended": lambda v: groups.discard(int(v))}.get(verb, len)(value)

def marked():
    found = []
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else ():
        try:
            with open("/proc/%s/environ" % pid, "rb") as f:
                if mark in f.read().split(b"\0"):
                    found.append(int(pid))
        except (OSError, ValueError):
            pass
    return found

for _ in range(5 if started else 0):         # only processes it was told of carry its mark
    victims = [("group", g) for g in groups] + [("pid", p) for p in marked()]
    for kind, n in victims:
        try:
            (os.killpg if kind == "group" else os.kill)(n, signal.SIGKILL)
        except OSError:
            pass
    groups = set()
    if not victims:
        break
for name in paths:
    path = os.fsdecode(name)
    try:
        shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.unlink(path)
    except OSError:
        pass
"""


class Guardian:
    """The guardian of one process (see the module's docstring)."""

    def __init__(self):
        self.owner = os.getpid()
        self.fd: int | None = None
        self.pid = 0
        try:
            self.process = subprocess.Popen([sys.executable, "-I", "-S", "-c", GUARDIAN, MARK], stdin=subprocess.PIPE,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:          # no process to spare: clean-up is then only what the program does itself
            return
        assert self.process.stdin is not None
        self.fd, self.pid = self.process.stdin.fileno(), self.process.pid

    @property
    def mark(self) -> tuple[str, str]:
        """The environment variable that marks a process as one the guardian kills."""
        return MARK, str(self.pid)

    def tell(self, verb: str, value: str | int | Path) -> None:
        if self.fd is None:
            return
        data = (str(value).encode() if isinstance(value, int) else os.fsencode(value)).hex()
        try:
            os.write(self.fd, f"{verb} {data}\n".encode())
        except OSError:          # the guardian is gone: there is nothing more it could do
            pass


_guardian: Guardian | None = None


def guardian() -> Guardian:
    """This process's guardian, started on first use (a forked process starts its own)."""
    global _guardian
    if _guardian is None or _guardian.owner != os.getpid():
        _guardian = Guardian()
    return _guardian


@contextmanager
def guarded_folder(prefix: str, parent: str | Path | None = None) -> Iterator[Path]:
    """A new folder, removed on leaving — and by the guardian if this process dies first."""
    base = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    keeper = guardian()
    for _ in range(100):
        path = base / f"{prefix}{secrets.token_hex(6)}"
        keeper.tell("path", path)                # told first: a kill between the two leaves nothing
        try:
            path.mkdir(mode=0o700)
            break
        except FileExistsError:
            keeper.tell("done", path)
        except OSError:
            keeper.tell("done", path)
            raise
    else:
        raise FileExistsError(base)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        keeper.tell("done", path)


def watch_group(pgid: int) -> None:
    """Have the guardian kill the process group `pgid` should this process die."""
    guardian().tell("group", pgid)


def group_ended(pgid: int) -> None:
    guardian().tell("ended", pgid)
