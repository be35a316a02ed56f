"""Where each part of a loaded file stands: the data of a YAML file and the mark of every node.

The loader (source/load.py) records the marks; the model keeps the Source so that any check can
point at the YAML line of the data it speaks of.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from generator.core.problems import Pos
from generator.core.scalars import value_places

Path_ = tuple  # a data path: ("projects", 3, "funds", "一般公共预算")


@dataclass
class Source:
    """The loaded file: its data and where each part of it stands."""
    file: str
    data: dict                                   # the top level is a mapping (the loader refuses anything else)
    values: dict = field(default_factory=dict)   # data path -> YAML mark of the value
    keys: dict = field(default_factory=dict)     # data path -> YAML mark of the mapping key
    text: str = field(default="", repr=False)    # the file as composed (for places inside a text)
    _line_starts: list = field(default_factory=list, repr=False, compare=False)

    def pos(self, path: Path_) -> Pos:
        """The nearest known position for a data path (walking up to the parent if needed)."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return pos_of_mark(self.file, self.values[path]) if path in self.values else Pos(self.file, 1, 1)

    def key_pos(self, path: Path_) -> Pos:
        mark = self.keys.get(tuple(path))
        return pos_of_mark(self.file, mark) if mark else self.pos(path)

    def value_at(self, path: Path_):
        """The data at a path (None when there is none)."""
        node = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def char_pos(self, path: Path_, offset: int) -> Pos:
        """The position of the ``offset``-th character of the text at ``path`` — inside a quoted,
        multi-line or block scalar too; the scalar's start when it cannot be told."""
        path = tuple(path)
        value, mark = self.value_at(path), self.values.get(path)
        if not isinstance(value, str) or mark is None or not self.text or not 0 <= offset < len(value):
            return self.pos(path)
        start = self.index_of(mark.line, mark.column)
        places = value_places(self.text, start, value)
        if places is None:
            return self.pos(path)
        return self.pos_of_index(places[offset])

    def line_starts(self) -> list:
        if not self._line_starts:
            self._line_starts.append(0)
            self._line_starts.extend(i + 1 for i, ch in enumerate(self.text) if ch == "\n")
        return self._line_starts

    def index_of(self, line: int, column: int) -> int:
        """The index in the text of a mark's line and column (both from 0)."""
        return self.line_starts()[line] + column

    def pos_of_index(self, index: int) -> Pos:
        line = bisect_right(self.line_starts(), index) - 1
        return Pos(self.file, line + 1, index - self.line_starts()[line] + 1)


def pos_of_mark(file: str, mark) -> Pos:
    """The Pos of a YAML mark (marks count from 0). Marks are kept, and turned into Pos only when
    a problem needs one: a file has thousands of nodes and few problems."""
    return Pos(file, mark.line + 1, mark.column + 1)


