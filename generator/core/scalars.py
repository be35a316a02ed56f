"""Where each character of a string value stands in its YAML file.

The loader keeps the position of a scalar's start; a lint that speaks of a figure or a name inside a
text needs the line and column of that figure. ``value_places`` walks the scalar's source text
beside its value, in each of YAML's styles: plain (on one line or several), single-quoted ('' for
'), double-quoted (escapes such as \\u4e2d and escaped line breaks), literal ``|`` and folded ``>``
blocks (the header line skipped, indentation and line folding taken as they come).

Every non-blank character of the value is matched to the same character of the source; only
blanks, line breaks and quoting may lie between them. Blanks of the value (which YAML makes from
line breaks and indentation) are matched loosely. When the walk does not account for the value, the
answer is None and the caller keeps the scalar's start.
"""
from __future__ import annotations

from collections.abc import Iterator

BLANKS = " \t\r\n"
ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
           "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
           "L": "\u2028", "P": "\u2029"}
HEX_DIGITS = {"x": 2, "u": 4, "U": 8}


def value_places(text: str, start: int, value: str) -> list[int] | None:
    """For each character of ``value``, its index in ``text``, the scalar starting at ``start``."""
    source = source_chars(text, skip_properties(text, start))
    pending = next(source, None)
    last = start
    places = []
    for ch in value:
        if ch in BLANKS:
            if pending is not None and pending[0] == ch:
                last = pending[1]
                pending = next(source, None)
            elif pending is not None:
                last = pending[1]
            places.append(last)
            continue
        while pending is not None and pending[0] != ch and pending[0] in BLANKS:
            pending = next(source, None)
        if pending is None or pending[0] != ch:
            return None
        last = pending[1]
        places.append(last)
        pending = next(source, None)
    return places


def skip_properties(text: str, i: int) -> int:
    """Past an anchor (&a) or a tag (!!str) written before the scalar: the node starts there."""
    while i < len(text) and text[i] in "&!":
        while i < len(text) and text[i] not in BLANKS:
            i += 1
        while i < len(text) and text[i] in " \t":
            i += 1
    return i


def source_chars(text: str, start: int) -> Iterator[tuple[str, int]]:
    """(character of the value as the source gives it, its index) from the scalar's start on."""
    first = text[start:start + 1]
    if first in ("|", ">"):
        header_end = text.find("\n", start)
        return ((text[i], i) for i in range(header_end + 1, len(text))) if header_end >= 0 else iter(())
    if first == '"':
        return double_quoted(text, start + 1)
    if first == "'":
        return single_quoted(text, start + 1)
    return ((text[i], i) for i in range(start, len(text)))


def single_quoted(text: str, i: int) -> Iterator[tuple[str, int]]:
    while i < len(text):
        if text[i] == "'":
            if text[i + 1:i + 2] != "'":
                return
            yield "'", i
            i += 2
            continue
        yield text[i], i
        i += 1


def double_quoted(text: str, i: int) -> Iterator[tuple[str, int]]:
    while i < len(text):
        ch = text[i]
        if ch == '"':
            return
        if ch != "\\":
            yield ch, i
            i += 1
            continue
        escape = text[i + 1:i + 2]
        if escape in ("\r", "\n"):             # an escaped line break: nothing in the value
            i += 2
        elif escape in HEX_DIGITS:
            digits = text[i + 2:i + 2 + HEX_DIGITS[escape]]
            try:
                yield chr(int(digits, 16)), i
            except ValueError:
                return
            i += 2 + len(digits)
        else:
            yield ESCAPES.get(escape, escape), i
            i += 2
