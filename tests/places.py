"""Where things stand in a fixture: expected positions are found in the text, never typed."""
from __future__ import annotations


def line_of(needle: str, text: str) -> int:
    """The line (from 1) where needle first occurs in text."""
    assert needle in text, needle
    return text[: text.index(needle)].count("\n") + 1


def at(anchor: str, sub: str, text: str) -> str:
    """"line:col" of `sub` inside the first `anchor` of `text` (of the anchor itself when `sub` is "")."""
    assert anchor in text and sub in anchor, (anchor, sub)
    i = text.index(anchor) + (anchor.index(sub) if sub else 0)
    return f"{text[:i].count(chr(10)) + 1}:{i - text.rfind(chr(10), 0, i)}"
