"""Where the project's own folders are: ``templates/`` and ``schema/``.

Beside the package in a checkout (or an editable install); otherwise in the current folder — a
units repository (units/, templates/, schema/) with budgetdoc installed by ``pip install .``,
as in CI or a pre-commit hook.
"""
from __future__ import annotations

from pathlib import Path


def project_folder(name: str) -> Path:
    beside = Path(__file__).resolve().parents[2] / name
    return beside if beside.is_dir() else Path.cwd() / name


TEMPLATES_DIR = project_folder("templates")
SCHEMA_PATH = project_folder("schema") / "unit-budget.schema.json"
