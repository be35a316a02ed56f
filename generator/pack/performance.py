"""Stage 6b — one 项目支出绩效目标表 per project, laid out as the seed's (8 grid columns).

Column use: 0 row labels · 1 一级指标 · 2–4 实施期 二级/三级/指标值 · 5–7 年度 二级/三级/指标值.
The pack gives the title, the form's fixed labels (``w``) and the 二级指标 every table shows under
each 一级 (empty ones get a blank row); the indicators come from the YAML, each cell in full.
"""
from __future__ import annotations

import importlib.metadata
import json
from functools import lru_cache
from pathlib import Path

from generator.core.kept import keep, kept_path, read_kept
from generator.core.model import Budget, Performance, Project
from generator.core.money import format_yuan
from generator.core.problems import PackError
from generator.docmodel import Align, Cell, Paragraph, Table

WIDTHS = (22, 16, 19, 24, 19, 18, 22, 16)
FUNDING_KEYS = ("central", "provincial", "local", "self_raised", "other")
TEXT_KEYS = ("overview", "basis", "necessity", "safeguards", "plan")


def c(text: str = "", colspan: int = 1, rowspan: int = 1, align: Align = "center") -> Cell:
    return Cell(text, align=align, colspan=colspan, rowspan=rowspan)


def yuan(value) -> str:
    return "" if value is None else format_yuan(value)


def ordered_projects(projects, order: str) -> list:
    """Projects with a 绩效目标表, in the pack's order ("pinyin" of the name, or "budget" as listed)."""
    published = [p for p in projects if p.performance]
    if order == "pinyin":
        keys = pinyin_keys([p.performance.name for p in published])
        return sorted(published, key=lambda p: keys[p.performance.name])
    return published


def pinyin_keys(names: list[str]) -> dict[str, list[str]]:
    """Each name's pinyin, syllable by syllable in lower case, by pypinyin, whose phrase dictionary
    reads a 多音字 as the word it is in. Loading pypinyin takes about 0.35 s of CPU, a quarter of
    `budgetdoc check` of a unit; so the keys are kept in the cache folder, by pypinyin's version,
    and pypinyin is loaded only for a name no run has seen before."""
    known = kept_pinyin()
    new = {name: pinyin_of(name) for name in dict.fromkeys(names) if name not in known}
    if new:
        known.update(new)
        keep(pinyin_path(), json.dumps(dict(list(known.items())[-MAX_KEPT_NAMES:]), ensure_ascii=False).encode())
    return {name: known[name] for name in names}


MAX_KEPT_NAMES = 50_000                 # the latest; about 2 MB: a city's projects over some years


def pinyin_of(name: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin
    return [syllable.lower() for syllable in lazy_pinyin(name, style=Style.NORMAL)]


@lru_cache(maxsize=1)
def pinyin_path() -> Path | None:
    return kept_path("pinyin", importlib.metadata.version("pypinyin"), ".json")


@lru_cache(maxsize=1)
def kept_pinyin() -> dict[str, list[str]]:
    """The keys kept by the runs before this one (what this one adds goes in too); none when the file
    is missing or damaged."""
    data = read_kept(pinyin_path())
    try:
        kept = json.loads(data) if data is not None else {}
    except ValueError:
        return {}
    if not isinstance(kept, dict):
        return {}
    return {name: key for name, key in kept.items()
            if isinstance(key, list) and all(isinstance(syllable, str) for syllable in key)}


def performance_blocks(budget: Budget, pack: dict, name: str) -> list:
    """Title, subtitle and table for every published project (PackError when the pack `name` has no
    words for them: its schema requires them all once it has a `performance:`)."""
    settings = pack.get("performance")
    if settings is None:
        raise PackError(f"模板包“{name}”的模板用了 @performance_tables，但它的 pack.yaml 中没有 performance"
                        "（绩效目标表的标题和固定文字）；请在 pack.yaml 中写上，或去掉 @performance_tables")
    blocks: list = []
    for project in ordered_projects(budget.projects, pack.get("performance_order", "budget")):
        blocks.append(Paragraph(settings["title"], "form_title", keep_with_next=True))
        blocks.append(Paragraph(settings["subtitle"].format(year=budget.year), "form_subtitle", keep_with_next=True))
        blocks.append(performance_table(budget, project, settings["labels"], settings["level2"]))
    return blocks


def performance_table(budget: Budget, project: Project, w: dict, level2: dict) -> Table:
    perf = project.performance
    assert perf is not None
    rows = head_rows(budget, project, w) + funding_rows(perf, w) + text_rows(perf, w) + goal_rows(perf, w)
    rows += indicator_rows(perf, w, level2) + (contact_row(perf, w),)
    return Table(widths_mm=WIDTHS, header=(), body=tuple(rows), font_size_pt=9, name=f"绩效目标表：{perf.name}")


def head_rows(budget: Budget, project: Project, w: dict) -> tuple:
    """The project, its 主管部门 and the unit that carries it out (in a department's document, its own unit)."""
    unit, perf = budget.unit, project.performance
    assert perf is not None
    return (
        (c(w["name"], 2), c(perf.name, 6, align="left")),
        (c(w["department"], 2), c(f"{unit.department_code}-{unit.department_name}", 2, align="left"),
         c(w["unit"]), c(project.unit or unit.name, 3, align="left")),
        (c(w["attribute"], 2), c(perf.attribute, 2, align="left"), c(w["period"]), c(perf.period, 3, align="left")),
    )


def funding_rows(perf: Performance, w: dict) -> tuple:
    first = (c(w["funding"], rowspan=6), c(w["period_total"], 2), c(yuan(perf.period_total), align="right"),
             c(w["annual_total"], 2), c(yuan(perf.annual_total), 2, align="right"))
    rest = tuple((c(label, 2), c(yuan(getattr(perf.period_funding, key)), align="right"),
                  c(label, 2), c(yuan(getattr(perf.annual_funding, key)), 2, align="right"))
                 for label, key in zip(w["funding_lines"], FUNDING_KEYS))
    return (first,) + rest


def text_rows(perf: Performance, w: dict) -> tuple:
    return tuple((c(label, 2), c(perf.texts[key], 6, align="left")) for label, key in zip(w["texts"], TEXT_KEYS))


def goal_rows(perf: Performance, w: dict) -> tuple:
    return (
        (c(w["goal"], rowspan=2), c(w["goal_period"], 4), c(w["goal_annual"], 3)),
        (c(perf.texts["goal_period"], 4, align="left"), c(perf.texts["goal_annual"], 3, align="left")),
    )


def indicator_groups(perf: Performance, level2: dict) -> list:
    """[(一级, [(二级, [indicators])])] — the pack's 二级 in its order, then any others the YAML names."""
    groups = []
    for first, seconds in level2.items():
        own = [i for i in perf.indicators if i.level1 == first]
        names = list(seconds) + [i.level2 for i in own if i.level2 not in seconds]
        groups.append((first, [(n, [i for i in own if i.level2 == n]) for n in dict.fromkeys(names)]))
    return groups


def indicator_rows(perf: Performance, w: dict, level2: dict) -> tuple:
    groups = indicator_groups(perf, level2)
    height = sum(max(len(items), 1) for _, seconds in groups for _, items in seconds)
    rows = [(c(w["indicators"], rowspan=height + 1), *(c(label) for label in w["indicator_head"]))]
    for first, seconds in groups:
        first_cell = c(first, rowspan=sum(max(len(items), 1) for _, items in seconds))
        for n, (second, items) in enumerate(seconds):
            rows += second_rows(second, items, first_cell if n == 0 else None)
    return tuple(rows)


def second_rows(second: str, items: list, first_cell: Cell | None) -> list:
    span = max(len(items), 1)
    rows = []
    for k in range(span):
        ind = items[k] if items else None
        cells = [first_cell] if (k == 0 and first_cell) else []
        cells += [c(second, rowspan=span)] if k == 0 else []
        cells += [c(ind.name if ind else "", align="left"), c(ind.value if ind else "")]
        cells += [c(second, rowspan=span)] if k == 0 else []
        cells += [c(ind.annual_name if ind else "", align="left"), c(ind.annual_value if ind else "")]
        rows.append(tuple(cells))
    return rows


def contact_row(perf: Performance, w: dict) -> tuple:
    values = (perf.contact[k] for k in ("head", "clerk", "phone", "date"))
    return tuple(cell for label, value in zip(w["contact"], values) for cell in (c(label), c(value)))
