"""Shared fixtures: the seed disclosure (golden data), the seed unit analysed once, and a folder
holding a copy of the seed unit for command-line tests."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SEED_UNIT = ROOT / "units" / "datong-ggzyjy" / "2026.yaml"


# The published disclosure the tool reproduces (golden data): the text of the real 2026 单位预算公开 of
# 大同市公共资源交易中心, as the project received it (shared/seed/000_f677152ddfc31562.txt).
SEED_TEXT = Path(__file__).resolve().parent / "golden" / "000_f677152ddfc31562.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_analysis():
    from generator.analysis.pipeline import analyse
    return analyse(SEED_UNIT, "units/datong-ggzyjy/2026.yaml")


@pytest.fixture
def seed_folder(tmp_path, monkeypatch) -> Path:
    """The current folder: a fresh one with a copy of the seed unit as units/unit-a/2026.yaml, no
    SOURCE_DATE_EPOCH, and the tool's digest pinned (so the cache does not hash the source tree)."""
    from seed_copies import seed_copies

    from generator.build import cache
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(cache, "tool_digest", lambda: "pinned")
    seed_copies(tmp_path, ["unit-a"])
    return tmp_path
