"""Stage 6c — the wording: the pack's Jinja2 templates rendered from the derived facts.

A template pack is a folder ``templates/<name>/`` with pack.yaml (settings and words), tables.yaml
(the 13 tables' titles and headers), glossary.yaml (名词解释) and document.j2 (the document, one
block per line). Templates get typed objects — ``budget``, ``tables``, ``facts``, ``pack`` — and
format figures only through the filters below. StrictUndefined: a misspelled name is an error.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import jinja2
import yaml

from .derive import Tables
from .facts import Facts
from .model import Budget
from .places import TEMPLATES_DIR
from .money import format_pct, format_wan, format_yuan
from .problems import Problem, error

CN_DIGITS = "零一二三四五六七八九"


class PackError(Exception):
    pass


def cn_num(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 30 → 三十 (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones or not head else "")


def cn_date(iso: str) -> str:
    """'2025-12-31' → '2025年12月31日'."""
    year, month, day = str(iso).split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def pct(value: Decimal | None) -> str:
    return format_pct(value)


def pct_trim(value: Decimal | None) -> str:
    return format_pct(value, trim=True)


def wan(value: Decimal) -> str:
    return format_wan(Decimal(value))


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
    env.filters.update(wan=wan, pct=pct, pct_trim=pct_trim, yuan=format_yuan, cn_num=cn_num, cn_date=cn_date)
    return env


def glossary_terms(pack: Pack, budget: Budget) -> list:
    """The pack's terms with the unit's overrides applied (same term replaced, new ones appended).

    The pack's texts are templates (they may name the unit's level of government through
    ``departments``); a unit's own texts are taken as written.
    """
    departments = pack.settings["level_words"][budget.unit.level]
    terms = {term: [template.render(departments=departments) for template in templates]
             for term, templates in pack.glossary_templates}
    terms.update({term: as_paragraphs(text) for term, text in budget.glossary})
    return list(terms.items())


def compile_glossary(glossary: list, env: jinja2.Environment) -> tuple:
    """The glossary as (term, compiled template of each paragraph): compiled once, with the pack."""
    return tuple((t["term"], tuple(env.from_string(p) for p in as_paragraphs(t["text"]))) for t in glossary)


def as_paragraphs(text) -> list:
    return [text] if isinstance(text, str) else list(text)


def render_document(pack: Pack, budget: Budget, tables: Tables, facts: Facts) -> list[tuple[str, str]]:
    """The document as (directive, text) pairs, continuation lines joined to their block."""
    text = pack.env.get_template("document.j2").render(
        budget=budget, tables=tables, facts=facts, pack=pack.settings, glossary=glossary_terms(pack, budget))
    return parse_directives(text)


def parse_directives(text: str) -> list[tuple[str, str]]:
    blocks: list[list[str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("@"):
            head, _, rest = stripped[1:].partition(" ")
            blocks.append([head, rest.strip()])
        elif blocks:
            blocks[-1][1] += stripped
        else:
            raise PackError(f"document.j2 的第一行应为“@指令”，实际为：{stripped[:30]}")
    return [(head, body) for head, body in blocks]
