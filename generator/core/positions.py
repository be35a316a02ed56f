"""Where each part of a loaded file stands: the data of a YAML file and the mark of every node.

The loader (source/load.py) records the marks; the model keeps the Source so that any check can
point at the YAML line of the data it speaks of.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from generator.core.problems import Pos

Path_ = tuple  # a data path: ("projects", 3, "funds", "一般公共预算")


@dataclass
class Source:
    """The loaded file: its data and where each part of it stands."""
    file: str
    data: dict                                   # the top level is a mapping (the loader refuses anything else)
    values: dict = field(default_factory=dict)   # data path -> YAML mark of the value
    keys: dict = field(default_factory=dict)     # data path -> YAML mark of the mapping key

    def pos(self, path: Path_) -> Pos:
        """The nearest known position for a data path (walking up to the parent if needed)."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return pos_of_mark(self.file, self.values[path]) if path in self.values else Pos(self.file, 1, 1)

    def key_pos(self, path: Path_) -> Pos:
        mark = self.keys.get(tuple(path))
        return pos_of_mark(self.file, mark) if mark else self.pos(path)


def pos_of_mark(file: str, mark) -> Pos:
    """The Pos of a YAML mark (marks count from 0). Marks are kept, and turned into Pos only when
    a problem needs one: a file has thousands of nodes and few problems."""
    return Pos(file, mark.line + 1, mark.column + 1)


