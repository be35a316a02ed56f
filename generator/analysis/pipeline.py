"""The whole data flow of DESIGN.md §2 for one unit file, up to (not including) the document.

    load → validate → construct → derive → check → waivers

Each stage returns problems as values; a stage runs only when the ones before it left no error.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.analysis.checks import run_checks
from generator.analysis.cube import FactSet
from generator.analysis.derive import derive_facts
from generator.analysis.figures import Figures
from generator.analysis.lints import run_lints
from generator.analysis.waivers import apply_waivers
from generator.core.catalogue import load_catalogue
from generator.core.model import Budget
from generator.core.positions import Source
from generator.core.problems import BudgetdocError, has_errors, sort_problems
from generator.source.construct import build_budget
from generator.source.load import load_file
from generator.source.validate import validate_source


@dataclass
class Analysis:
    """What one unit file gave: its problems and, when it was sound enough, the derived figures."""
    file: str
    problems: list = field(default_factory=list)
    budget: Budget | None = None
    facts: FactSet | None = None
    figures: Figures | None = None      # with the standard measures and wording (the pack makes its own)
    waived: list = field(default_factory=list)      # waivers.Waived: warnings the unit switched off, with the reason
    department: object = None                        # a department file's Department (analysis/department.py)
    members: tuple = ()                              # and its units, as its documents list them

    @property
    def ok(self) -> bool:
        return self.facts is not None and not has_errors(self.problems)


def analyse(path: Path, display: str | None = None, lints: bool = True) -> Analysis:
    """Load, validate, model, derive and check one unit file; never raises for bad data. Without
    `lints` only the errors are looked for (a department reads its units so)."""
    source, problems = loaded(path, display or str(path), validate_source)
    if source is None:
        return Analysis(display or str(path), problems)
    return analysed_source(source, lints)


def loaded(path: Path, name: str, validate: Callable[[Source], list]) -> tuple[Source | None, list]:
    """The file's data and its positions once the loader and `validate` found no error; else the errors."""
    try:
        source = load_file(path, name)
    except BudgetdocError as exc:
        return None, sort_problems(exc.problems)
    problems = validate(source)
    return (None, sort_problems(problems)) if has_errors(problems) else (source, problems)


def analysed_source(source: Source, lints: bool = True, checks: bool = True) -> Analysis:
    """Model, derive and check data that the schema accepted (without `checks`: data that passed
    them already — a unit's data its own build kept for its department's)."""
    result = Analysis(source.file)
    catalogue = load_catalogue()
    budget = build_budget(source)
    facts = derive_facts(budget, catalogue)
    figures = Figures(facts, budget)
    warnings, result.waived = apply_waivers(budget, run_lints(budget, figures)) if lints else ([], [])
    result.problems = sort_problems((run_checks(budget, catalogue, figures) if checks else []) + warnings)
    result.budget, result.facts, result.figures = budget, facts, figures
    return result
