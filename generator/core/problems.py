"""Problems are values: where, what, how bad. Every stage returns them; the CLI prints them once."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal, NamedTuple, TextIO

Severity = Literal["error", "warning", "info"]

SEVERITY_WORD = {"error": "错误", "warning": "警告", "info": "提示"}


class Pos(NamedTuple):
    """A place in a YAML file; line and column count from 1 (a named tuple: the loader makes one
    for every key and value)."""
    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    pos: Pos
    message: str
    severity: Severity = "error"
    rule: str = ""                     # a lint's code, e.g. "L101"; empty for errors of the data
    related: tuple[Pos, ...] = ()      # other lines involved (identities)
    path: tuple = ()                   # the data path it is about, e.g. ("explanations", "total"): a waiver's field

    def format(self) -> str:
        label = SEVERITY_WORD[self.severity] + (f" {self.rule}" if self.rule else "")
        text = f"{self.pos}: {label}：{self.message}"
        if self.related:
            text += "（相关行：" + "、".join(related_place(self.pos, p) for p in self.related) + "）"
        return text

    def as_json(self) -> dict:
        return {
            "file": self.pos.file, "line": self.pos.line, "column": self.pos.col,
            "severity": self.severity, "rule": self.rule, "message": self.message,
            "related": [{"file": p.file, "line": p.line, "column": p.col} for p in self.related],
            "field": dotted_path(self.path),
        }


def dotted_path(path: tuple) -> str:
    """("projects", 3, "performance", "overview") → "projects.3.performance.overview"."""
    return ".".join(str(p) for p in path)


def related_place(origin: Pos, other: Pos) -> str:
    """Another line, written short when it is in the same file."""
    if other.file == origin.file:
        return f"第{other.line}行"
    return str(other)


def error(pos: Pos, message: str, *related: Pos) -> Problem:
    return Problem(pos, message, "error", "", tuple(related))


def sort_problems(problems) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.pos.file, p.pos.line, p.pos.col, p.message))


def has_errors(problems) -> bool:
    return any(p.severity == "error" for p in problems)


class Exit(IntEnum):
    """The exit codes of every command: the one table."""
    OK = 0              # no error (warnings allowed unless --strict)
    DATA = 1            # the data (a unit file, a pack, a workbook) has errors, or --strict found warnings
    USAGE = 2           # the command was used wrongly: a missing file, a bad option
    INSTALL = 3         # budgetdoc's installation is incomplete: a package it needs is missing or broken
    INTERRUPTED = 130   # Ctrl-C


class BudgetdocError(Exception):
    """The one base of the exceptions a stage raises when it cannot go on: its problems (each at
    its file:line) or, when they have no place, a message; and the exit code the command ends with."""
    exit_code = Exit.DATA

    def __init__(self, what: str | Sequence[Problem]):
        self.problems = [] if isinstance(what, str) else list(what)
        super().__init__(what if isinstance(what, str) else "\n".join(p.format() for p in self.problems))


class UsageError(BudgetdocError):
    """The command was used wrongly (a missing file, a bad option): shown, exit 2."""
    exit_code = Exit.USAGE


class PackError(BudgetdocError):
    """A template pack that cannot be used as it is."""


class RenderError(BudgetdocError):
    """LibreOffice or poppler is missing, or a conversion failed."""


def print_problems(problems: Iterable[Problem], stream: TextIO) -> None:
    """The one place problems are printed: one line each, file:line:col first."""
    for problem in problems:
        print(problem.format(), file=stream)
