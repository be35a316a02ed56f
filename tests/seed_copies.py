"""Copies of the seed unit under other slugs, for tests that build several units."""
from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "units" / "datong-ggzyjy" / "2026.yaml"


def seed_copies(root: Path, names) -> list[str]:
    """The seed as <root>/units/<name>/2026.yaml for each name, each with its own slug; their paths."""
    text = SEED.read_text(encoding="utf-8")
    files = []
    for name in names:
        path = root / "units" / name / "2026.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(text.replace("slug: datong-ggzyjy", f"slug: {name}", 1), encoding="utf-8")
        files.append(str(path))
    return files
