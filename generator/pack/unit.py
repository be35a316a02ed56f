"""One unit through its pack: the analysis plus what the pack asks of it, and then its document.

    check_unit:  analyse (load → validate → construct → derive → check) → the unit's pack is there
    document_of: wording (document.j2) + tables + charts + 绩效目标表 → the document model
"""
from __future__ import annotations

from pathlib import Path

from generator.analysis.pipeline import Analysis, analyse
from generator.core.problems import sort_problems
from generator.docmodel import Document
from generator.pack.assemble import assemble
from generator.pack.loading import check_pack_exists, load_pack


def check_unit(path: Path, display: str | None = None) -> Analysis:
    """Everything `check` reports for one unit file; never raises for bad data."""
    analysis = analyse(path, display)
    if analysis.budget is not None:
        analysis.problems = sort_problems(analysis.problems + check_pack_exists(analysis.budget))
    return analysis


def document_of(analysis: Analysis) -> Document:
    """The finished document model of a unit that passed its checks."""
    assert analysis.budget is not None and analysis.tables is not None and analysis.facts is not None
    pack = load_pack(analysis.budget.template)
    return assemble(pack, analysis.budget, analysis.tables, analysis.facts)
