"""A template pack: the folder ``templates/<name>/`` that holds everything a region words or lays
out its own way — pack.yaml (settings and words), tables.yaml (the tables' titles, headers and
widths), glossary.yaml (名词解释) and document.j2 (the document, one block per line).

Loaded once per process; its Jinja2 templates use StrictUndefined, so a misspelled name is an error.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
import yaml

from generator.core.model import Budget
from generator.core.places import TEMPLATES_DIR
from generator.core.problems import PackError, Problem, error
from generator.pack.wording import FILTERS, as_paragraphs


@dataclass(frozen=True)
class Pack:
    name: str
    settings: dict
    tables: list
    glossary: list
    env: jinja2.Environment
    glossary_templates: tuple = ()        # (term, paragraph templates), from compile_glossary


def check_pack_exists(budget: Budget) -> list[Problem]:
    """The unit's `template:` names a pack that is there."""
    if (TEMPLATES_DIR / budget.template / "pack.yaml").is_file():
        return []
    return [error(budget.pos("template"), f"模板包“{budget.template}”不存在（templates/{budget.template}/pack.yaml），"
                                          f"可用的模板包：{'、'.join(pack_names())}")]


def pack_names() -> list[str]:
    return sorted(p.name for p in TEMPLATES_DIR.iterdir() if (p / "pack.yaml").is_file())


@lru_cache(maxsize=8)
def load_pack(name: str) -> Pack:
    folder = TEMPLATES_DIR / name
    if not (folder / "pack.yaml").is_file():
        raise PackError(f"模板包“{name}”不存在（templates/{name}/pack.yaml），可用的模板包：{'、'.join(pack_names())}")
    read = lambda f: yaml.safe_load((folder / f).read_text(encoding="utf-8"))  # noqa: E731
    glossary, env = read("glossary.yaml"), make_env(folder)
    return Pack(name, read("pack.yaml"), read("tables.yaml"), glossary, env, compile_glossary(glossary, env))


def make_env(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined,
                             trim_blocks=False, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters.update(FILTERS)
    return env


def compile_glossary(glossary: list, env: jinja2.Environment) -> tuple:
    """The glossary as (term, compiled template of each paragraph): compiled once, with the pack."""
    return tuple((t["term"], tuple(env.from_string(p) for p in as_paragraphs(t["text"]))) for t in glossary)
