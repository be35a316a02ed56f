"""The package's shape is the data flow: each stage imports only the stages below it.

    core → source → analysis → docmodel → pack → docx → workbook → libreoffice → build → commands

Every import in generator/ — at the top of a module or inside a function — is read with `ast`
and must name its own stage or one further down the list. libreoffice_uno.py and
libreoffice_profile.py belong to the libreoffice stage: the script the system's python3 runs to
drive LibreOffice (it imports uno and nothing of generator), and the profiles LibreOffice starts on.
"""
from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
STAGES = ("core", "source", "analysis", "docmodel", "pack", "docx", "workbook", "libreoffice", "build", "commands")
TOP_LEVEL = {"__init__", "__main__", "docmodel", "libreoffice", "libreoffice_uno", "libreoffice_profile"}
PART_OF = {"libreoffice_uno": "libreoffice", "libreoffice_profile": "libreoffice"}   # a top-level module of a stage


def stage_of(module: str) -> int | None:
    """The stage of a module named `generator.x.y` (None for the package itself and __main__)."""
    parts = module.split(".")
    if parts[0] != "generator" or len(parts) == 1 or parts[1] == "__main__":
        return None
    return STAGES.index(PART_OF.get(parts[1], parts[1]))


def module_name(path: Path) -> str:
    relative = path.relative_to(GENERATOR.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of a generator module in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, f"relative import (level {node.level})"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.startswith(("generator", "relative"))]


def resolved(name: str) -> str:
    """`generator.core.money.format_wan` → the module part that exists, `generator.core.money`."""
    parts = name.split(".")
    while len(parts) > 1:
        candidate = GENERATOR.parent.joinpath(*parts)
        if candidate.with_suffix(".py").is_file() or (candidate / "__init__.py").is_file():
            return ".".join(parts)
        parts = parts[:-1]
    return ".".join(parts)


def test_no_import_runs_upward():
    upward = []
    for path in sorted(GENERATOR.rglob("*.py")):
        own = stage_of(module_name(path))
        for line, name in imported(path):
            assert not name.startswith("relative"), f"{path}:{line}: {name} — import by the full name"
            target = stage_of(resolved(name))
            if own is not None and target is not None and target > own:
                upward.append(f"{path.relative_to(GENERATOR.parent)}:{line}: {STAGES[own]} imports {resolved(name)}")
    assert upward == []


def test_every_module_belongs_to_a_stage():
    top = {p.stem for p in GENERATOR.glob("*.py")}
    assert top == TOP_LEVEL
    packages = {p.name for p in GENERATOR.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(STAGES) - TOP_LEVEL


def test_the_checker_sees_an_upward_import(tmp_path):
    """The test above can fail: an analysis module that imports the pack is caught."""
    path = GENERATOR / "analysis" / "derive.py"
    source = ast.parse(path.read_text(encoding="utf-8"))
    source.body.insert(0, ast.parse("from generator.pack.loading import load_pack").body[0])
    copy = tmp_path / "derive.py"
    copy.write_text(ast.unparse(source), encoding="utf-8")
    lines = [name for _, name in imported(copy)]
    assert "generator.pack.loading.load_pack" in lines
    assert stage_of(resolved("generator.pack.loading.load_pack")) > stage_of("generator.analysis.derive")
