"""Run the free-text corpus (tests/golden/free-texts.yaml) through the text lints L10–L13.

Each entry's text is written into its unit's file at its field (a double-quoted scalar in place of
the value there, or a new key), the file is analysed as `check` analyses it, and the L10–L13
findings are read back as (rule, column of the text, from 1). ``python tests/free_texts.py``
prints the misses and false positives of the whole corpus, and their counts.
"""
from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "golden" / "free-texts.yaml"
TEXT_RULES = ("L10", "L11", "L12", "L13")

sys.path.insert(0, str(ROOT))

from generator.analysis.pipeline import analysed_source  # noqa: E402
from generator.source.load import parse_text  # noqa: E402


def load_corpus() -> list[dict]:
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["entries"]


@cache
def unit_text(unit: str) -> str:
    return (ROOT / "units" / unit).read_text(encoding="utf-8")


def scalar_end(text: str, start: int) -> int:
    """Where the scalar that begins at ``start`` ends."""
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.ScalarToken) and token.start_mark.index == start:
            return token.end_mark.index
    raise ValueError(f"no scalar at {start}")


def with_text(text: str, name: str, path: tuple, value: str) -> tuple[str, int]:
    """The file with ``value`` at ``path`` as a one-line double-quoted scalar, and the index of the
    value's first character in the file. A missing key is added under its mapping (or at the end)."""
    source = parse_text(text, name)
    quoted = json.dumps(value, ensure_ascii=False)
    if path in source.values:
        mark = source.values[path]
        start = source.index_of(mark.line, mark.column)
        return text[:start] + quoted + text[scalar_end(text, start):], start + 1
    parent = path[:-1]
    if parent and parent in source.keys:
        mark = source.keys[parent]
        line_end = text.index("\n", source.index_of(mark.line, mark.column))
        line = f"\n{' ' * (mark.column + 2)}{path[-1]}: "
        return text[:line_end] + line + quoted + text[line_end:], line_end + len(line) + 1
    assert len(path) == 2, path
    added = f"\n{path[0]}:\n  {path[1]}: "
    body = text.rstrip("\n")
    return body + added + quoted + "\n", len(body) + len(added) + 1


def findings(entry: dict) -> list[tuple[str, int]]:
    """(rule, column in the text from 1) of each L10–L13 problem of the entry, in order; a problem
    of another field (none should be) is given with column 0."""
    path = tuple(entry["field"])
    name = f"units/{entry['unit']}"
    text, start = with_text(unit_text(entry["unit"]), name, path, entry["text"])
    source = parse_text(text, name)
    first = source.pos_of_index(start)
    found = []
    for p in analysed_source(source).problems:
        if p.rule not in TEXT_RULES:
            continue
        inside = tuple(p.path or ()) == path and p.pos.line == first.line
        found.append((p.rule, p.pos.col - first.col + 1 if inside else 0))
    return sorted(found, key=lambda f: (f[1], f[0]))


def expected(entry: dict) -> list[tuple[str, int]]:
    return sorted(((f["rule"], f["col"]) for f in entry.get("findings") or ()), key=lambda f: (f[1], f[0]))


def measure() -> tuple[int, int, int, list[str]]:
    """(findings expected, misses, false positives, a line per difference) over the corpus."""
    wanted = missed = wrong = 0
    lines = []
    for i, entry in enumerate(load_corpus()):
        want, got = expected(entry), findings(entry)
        wanted += len(want)
        misses = [f for f in want if f not in got]
        extras = [f for f in got if f not in want]
        missed, wrong = missed + len(misses), wrong + len(extras)
        for kind, items in (("漏报", misses), ("误报", extras)):
            for rule, col in items:
                lines.append(f"{i} {kind} {rule} 第{col}字 “{entry['text'][max(col - 1, 0):][:12]}” in {entry['text']}")
    return wanted, missed, wrong, lines


if __name__ == "__main__":
    total, missed, wrong, report = measure()
    print("\n".join(report))
    entries = len(load_corpus())
    print(f"条目 {entries}，应有警告 {total}：漏报 {missed}，误报 {wrong}")
