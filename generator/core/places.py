"""Where the project's own folders are: ``templates/`` and ``schema/``, where packs are found, and
where budgetdoc keeps what one run leaves for the next (cache_folder).

Beside the package in a checkout (or an editable install); otherwise in the current folder — a
units repository (units/, templates/, schema/) with budgetdoc installed by ``pip install .``,
as in CI or a pre-commit hook. More pack folders may be named in $BUDGETDOC_PACKS (separated by
``os.pathsep``), searched before templates/: a city can keep its packs apart from the tool.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MAX_PACK_NAME = 64                                  # as the schema's template


def project_folder(name: str) -> Path:
    beside = Path(__file__).resolve().parents[2] / name
    return beside if beside.is_dir() else Path.cwd() / name


TEMPLATES_DIR = project_folder("templates")
SCHEMA_PATH = project_folder("schema") / "unit-budget.schema.json"


def pack_folders() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("BUDGETDOC_PACKS", "").split(os.pathsep) if p.strip()]
    return extra + [TEMPLATES_DIR]


def pack_folder(name: str) -> Path | None:
    """The folder of pack `name` (the first found), or None; a name is a plain folder name, never a path."""
    if not PACK_NAME.match(name) or len(name) > MAX_PACK_NAME:
        return None
    return next((f / name for f in pack_folders() if (f / name / "pack.yaml").is_file()), None)


def pack_names() -> list[str]:
    return sorted({p.name for f in pack_folders() if f.is_dir() for p in f.iterdir()
                   if (p / "pack.yaml").is_file() and PACK_NAME.match(p.name)})


def cache_folder() -> Path | None:
    """Where budgetdoc keeps what one run leaves for the next: $XDG_CACHE_HOME/budgetdoc, or
    ~/.cache/budgetdoc; None when neither names an absolute folder (the XDG rule: a relative one is
    ignored), so that nothing is written into the current folder."""
    for base in (os.environ.get("XDG_CACHE_HOME", ""), os.path.join(os.path.expanduser("~"), ".cache")):
        if os.path.isabs(base):
            return Path(base) / "budgetdoc"
    return None
