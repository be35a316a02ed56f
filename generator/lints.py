"""Stage 5b — lints: warnings about free text and plausibility, each with a rule code."""
from __future__ import annotations

from .derive import Tables
from .model import Budget
from .problems import Problem

LINTS: tuple = ()


def run_lints(budget: Budget, tables: Tables) -> list[Problem]:
    return [p for lint in LINTS for p in lint(budget, tables)]
