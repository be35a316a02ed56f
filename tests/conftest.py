"""Shared fixtures: the seed disclosure (golden data) and the seed unit analysed once."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SEED_UNIT = ROOT / "units" / "datong-ggzyjy" / "2026.yaml"


def seed_text_path() -> Path:
    """The published disclosure: ../shared/seed beside the checkout (or $BUDGETDOC_SEED)."""
    candidates = [Path(os.environ["BUDGETDOC_SEED"])] if os.environ.get("BUDGETDOC_SEED") else []
    candidates += [ROOT.parent / "shared" / "seed" / "000_f677152ddfc31562.txt",
                   ROOT / "tests" / "golden" / "seed.txt"]
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError("seed text not found: " + ", ".join(map(str, candidates)))


@pytest.fixture(scope="session")
def seed_text() -> str:
    return seed_text_path().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_analysis():
    from generator.analysis.pipeline import analyse
    return analyse(SEED_UNIT, "units/datong-ggzyjy/2026.yaml")
