"""Rules across the unit files of one run — the same in `check` and in `build`.

A build analyses its units in separate processes and takes unchanged ones from its cache, so
these rules work on a `UnitSummary`: the little of each unit they need (small, picklable, kept in
the cache), never on whole budgets.

    check_same_output   two files with the same unit.slug and year would make the same
                        <slug>-<year>.docx: the later one (in run order) is an error
    L07                 the same code named differently in two units (lints/__init__.py)
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.core.catalogue import name_key
from generator.core.model import Budget
from generator.core.problems import Pos, Problem, error


@dataclass(frozen=True)
class UnitSummary:
    file: str
    slug: str
    year: int
    slug_pos: Pos
    names: tuple[tuple[str, str, str, Pos], ...]     # (功能科目 | 经济科目, code, name, where the name is)

    @property
    def output_name(self) -> str:
        return f"{self.slug}-{self.year}"

    def as_json(self) -> dict:
        return {"file": self.file, "slug": self.slug, "year": self.year, "slug_pos": list(self.slug_pos),
                "names": [[kind, code, name, list(pos)] for kind, code, name, pos in self.names]}

    @classmethod
    def from_json(cls, data) -> UnitSummary | None:
        """The summary kept in a cache entry; None when it is not one."""
        try:
            names = tuple((str(k), str(c), str(n), json_pos(p)) for k, c, n, p in data["names"])
            summary = cls(str(data["file"]), str(data["slug"]), data["year"], json_pos(data["slug_pos"]), names)
        except (KeyError, TypeError, ValueError):
            return None
        return summary if isinstance(summary.year, int) and not isinstance(summary.year, bool) else None


def json_pos(value) -> Pos:
    file, line, col = value
    if not (isinstance(file, str) and type(line) is int and type(col) is int):
        raise ValueError(value)
    return Pos(file, line, col)


def summary_of(budget: Budget, department: bool = False) -> UnitSummary:
    """A unit's summary; a department's names none (they are its units', compared in their files)."""
    names = () if department else tuple(
        (kind, item.code, item.name, budget.pos(item.path, "name"))
        for kind, items in (("功能科目", budget.basic_by_function), ("经济科目", budget.basic_by_economic))
        for item in items)
    return UnitSummary(budget.file, budget.unit.slug, budget.year, budget.pos("unit", "slug"), names)


def check_same_output(summaries: Sequence[UnitSummary]) -> list[Problem]:
    """Each unit whose <slug>-<year> an earlier unit of the run already has: an error at its slug."""
    first: dict[str, UnitSummary] = {}
    problems = []
    for summary in summaries:
        earlier = first.setdefault(summary.output_name, summary)
        if earlier is not summary:
            problems.append(error(summary.slug_pos,
                                  f"unit.slug“{summary.slug}”和年度 {summary.year} 与 {earlier.file} 相同：二者都会生成 "
                                  f"{summary.output_name}.docx，后一个会覆盖前一个；一个单位一年只能有一个文件，请核对 unit.slug",
                                  earlier.slug_pos))
    return problems


def lint_names_across_units(summaries: Sequence[UnitSummary]) -> list[Problem]:
    """L07: the same function or economic code named differently in two units of one run.

    Compared within a budget year (the catalogue renames codes between years), full- and half-width
    forms and spaces aside. The name most units use (the first one met on a tie) is the reference;
    every other name is reported where it stands.
    """
    uses: dict = {}
    for summary in summaries:
        for kind, code, name, pos in summary.names:
            uses.setdefault((summary.year, kind, code), []).append((summary, name, pos))
    problems = []
    for (_year, kind, code), found in sorted(uses.items(), key=lambda kv: kv[0]):
        keys = [name_key(name) for _, name, _ in found]
        if len(set(keys)) < 2:
            continue
        usual = max(dict.fromkeys(keys), key=keys.count)
        reference = next(use for use, key in zip(found, keys) if key == usual)
        for (_, name, pos), key in zip(found, keys):
            if key != usual:
                problems.append(Problem(pos, f"{kind} {code} 在本单位名为“{name}”，在 {reference[0].file} 中名为“{reference[1]}”；"
                                             "同一科目在各单位应使用同一名称（以《政府收支分类科目》为准），请核对",
                                        "warning", "L07", (reference[2],)))
    return problems


def problems_across_units(summaries: Sequence[UnitSummary]) -> list[Problem]:
    return check_same_output(summaries) + lint_names_across_units(summaries)
