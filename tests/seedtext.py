"""Reading the published seed disclosure as golden data: its tables and its sentences."""
from __future__ import annotations

SEED_HEADER_LINES = (2, 2, 2, 3, 2, 2, 2, 1, 3, 2, 2, 3, 3)   # header rows of tables 1–13 in the seed


def cells(line: str) -> list[str]:
    """A tab-separated seed row without its trailing empty cells."""
    parts = [p.strip() for p in line.split("\t")]
    while parts and not parts[-1]:
        parts.pop()
    return parts


def table_rows(seed: str, titles: list[str]) -> dict[int, list[list[str]]]:
    """Data rows of each of the 13 tables, found under its title (header rows dropped)."""
    lines = seed.splitlines()
    starts = [lines.index(title) for title in titles]
    ends = starts[1:] + [next(i for i, l in enumerate(lines) if l.startswith("第三部分") and i > starts[-1])]
    result = {}
    for n, (start, end) in enumerate(zip(starts, ends), 1):
        rows = [cells(l) for l in lines[start:end] if "\t" in l]
        result[n] = rows[SEED_HEADER_LINES[n - 1]:]
    return result


def paragraphs(seed: str, start: str, end: str | None) -> list[str]:
    """Non-empty lines of the seed from the line ``start`` up to the line ``end``."""
    lines = [l.strip() for l in seed.splitlines()]
    first = max(i for i, l in enumerate(lines) if l == start)
    last = next((i for i, l in enumerate(lines) if i > first and l == end), len(lines)) if end else len(lines)
    return [l for l in lines[first:last] if l and "\t" not in l]
