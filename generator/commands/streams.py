"""The standard streams of a command, made safe for whatever they are connected to.

    a closed descriptor (`2>&-`, `>&-`)     opened on /dev/null first, so that no file the program opens
                                            later takes its number and receives its output
    a terminal that cannot show Chinese    (ASCII, Latin-1: PYTHONIOENCODING, LANG=C) the characters
                                            are written as \\uXXXX escapes instead of failing
    a reader that went away (`| head -1`)   output stops quietly, the work goes on, the exit code stands
    a stream that cannot be written        (`> /dev/full`) output stops, and the command says so on
                                            stderr and ends with exit 1
"""
from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


class SafeStream:
    """A text stream whose writes never raise; `failure` keeps the first error."""

    def __init__(self, stream):
        self.stream = stream
        self.failure: OSError | None = None

    def write(self, text: str) -> int:
        if self.failure is None:
            try:
                self.stream.write(text)
            except UnicodeEncodeError:
                self.write_escaped(text)
            except (OSError, ValueError) as exc:
                self.fail(exc)
        return len(text)

    def write_escaped(self, text: str) -> None:
        encoding = getattr(self.stream, "encoding", None) or "ascii"
        try:
            self.stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        except (OSError, ValueError) as exc:
            self.fail(exc)

    def flush(self) -> None:
        if self.failure is None:
            try:
                self.stream.flush()
            except (OSError, ValueError) as exc:
                self.fail(exc)

    def fail(self, exc: Exception) -> None:
        self.failure = exc if isinstance(exc, OSError) else OSError(errno.EBADF, str(exc))
        silence(self.stream)

    @property
    def broken_pipe(self) -> bool:
        return self.failure is not None and self.failure.errno == errno.EPIPE

    def __getattr__(self, name):
        return getattr(self.stream, name)


def silence(stream) -> None:
    """Point the stream's descriptor at /dev/null: what it still holds is flushed there at exit, not lost
    in a second error message."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


def open_standard_descriptors() -> None:
    """Give each closed standard descriptor (0, 1, 2) /dev/null."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def usable(stream, fd: int):
    """The stream for descriptor `fd`: the one Python made (told to escape what it cannot encode), or a
    new one when Python found the descriptor closed at start-up."""
    if stream is None:
        return open(fd, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    try:
        stream.reconfigure(errors="backslashreplace")
    except (AttributeError, ValueError, io.UnsupportedOperation):
        pass
    return stream


@contextmanager
def safe_streams() -> Iterator[tuple[SafeStream, SafeStream]]:
    """sys.stdout and sys.stderr as SafeStreams for the duration."""
    open_standard_descriptors()
    saved = sys.stdout, sys.stderr
    out, err = SafeStream(usable(sys.stdout, 1)), SafeStream(usable(sys.stderr, 2))
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        out.flush()
        err.flush()
        sys.stdout, sys.stderr = saved
