"""The whole data flow of DESIGN.md §2 for one unit file, up to (not including) the document.

    load → validate → construct → derive → check → waivers

Each stage returns problems as values; a stage runs only when the ones before it left no error.
"""
from __future__ import annotations

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

    @property
    def ok(self) -> bool:
        return self.facts is not None and not has_errors(self.problems)


def analyse(path: Path, display: str | None = None, lints: bool = True) -> Analysis:
    """Load, validate, model, derive and check one unit file; never raises for bad data.
    `lints=False` leaves out the warnings on the wording (a workbook export needs only the figures)."""
    name = display or str(path)
    result = Analysis(name)
    try:
        source = load_file(path, name)
    except BudgetdocError as exc:
        result.problems = sort_problems(exc.problems)
        return result
    result.problems = validate_source(source)
    if has_errors(result.problems):
        result.problems = sort_problems(result.problems)
        return result
    catalogue = load_catalogue()
    budget = build_budget(source)
    facts = derive_facts(budget, catalogue)
    figures = Figures(facts, budget)
    warnings, result.waived = apply_waivers(budget, run_lints(budget, figures)) if lints else ([], [])
    result.problems = sort_problems(run_checks(budget, catalogue, figures) + warnings)
    result.budget, result.facts, result.figures = budget, facts, figures
    return result
