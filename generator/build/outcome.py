"""What `budgetdoc build` does with each unit file, as small picklable values passed between processes.

Kept apart from build.py (which imports the whole pipeline and the writer), so that a run where
every document is up to date starts quickly.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.analysis.across import UnitSummary

BUILT, UNCHANGED, FAILED = "built", "unchanged", "failed"


@dataclass(frozen=True)
class BuildOptions:
    """What every unit of one run is built with."""
    out_dir: str
    pdf: bool = False
    strict: bool = False
    toc_pages: bool = True
    staging: str = ""                # where documents are written before batch.py moves them to out_dir
    keep_data: bool = False          # units keep their validated data for the run's departments


@dataclass(frozen=True)
class UnitResult:
    """What became of one unit file: its status, the problems to print, the files written."""
    file: str
    status: str                      # BUILT, UNCHANGED or FAILED
    lines: tuple[str, ...] = ()      # problems, formatted as file:line:col: …
    outputs: tuple[str, ...] = ()
    pack: str = ""
    warnings: int = 0
    reason: str = ""                 # why it failed, for the progress line
    staged: tuple[str, ...] = ()     # where each of `outputs` was written, when not in place already
    summary: UnitSummary | None = None   # what the rules across units need (analysis/across.py)
    across: tuple[str, ...] = ()     # their problems, formatted: not the unit's own, never cached
