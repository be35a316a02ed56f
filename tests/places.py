"""Where things stand in a fixture: expected positions are found in the text, never typed."""
from __future__ import annotations

import re

KEY_LINE = re.compile(r"^( *)(- )?[A-Za-z_][\w-]*:")


def line_of(needle: str, text: str) -> int:
    """The line (from 1) where needle first occurs in text."""
    assert needle in text, needle
    return text[: text.index(needle)].count("\n") + 1


def at(anchor: str, sub: str, text: str) -> str:
    """"line:col" of `sub` inside the first `anchor` of `text` (of the anchor itself when `sub` is "")."""
    assert anchor in text and sub in anchor, (anchor, sub)
    i = text.index(anchor) + (anchor.index(sub) if sub else 0)
    return f"{text[:i].count(chr(10)) + 1}:{i - text.rfind(chr(10), 0, i)}"


def key_blocks(lines: list[str], indents: tuple[int, ...]) -> list[tuple[int, int]]:
    """(first, end) of each YAML key's block among `lines` whose key stands at one of `indents` (a list
    item's key, `- id:`, at its text's): the key's line and the lines indented deeper than its text."""
    blocks = []
    for first, line in enumerate(lines):
        key = KEY_LINE.match(line)
        indent = len(key.group(1)) + (2 if key.group(2) else 0) if key else -1
        if indent not in indents:
            continue
        end = first + 1
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
            end += 1
        blocks.append((first, end))
    return blocks
