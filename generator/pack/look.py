"""The pack's look (pack.yaml ``look:``): faces, sizes, spacing and the page, over the GB/T 9704 base.

The schema has checked the shape; this turns the YAML into ``docmodel.Look`` — each style the base's
look with what the pack writes over it, key by key — and checks what a schema cannot: that the
margins leave a text block on the page, in both orientations. A department's document takes the
pack's ``department: look:`` over the unit's look, key by key as well (a shallow override, as
``Pack.words`` gives the other settings, would forget the unit's look wherever the department
changes one key).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from generator.core.positions import Source
from generator.core.problems import Problem, error
from generator.docmodel import GB_T_9704, Look, PageLook, TextLook

PAPERS: dict[str, tuple[float, float]] = {"A3": (297, 420), "A4": (210, 297), "A5": (148, 210), "B5": (176, 250)}
STYLE_FIELDS = {"face": "face", "latin": "latin", "size": "size_pt", "bold": "bold", "align": "align",
                "indent": "indent_chars", "left_indent": "left_chars", "line": "line_pt",
                "before": "before_pt", "after": "after_pt", "spacing": "spacing_pt"}
SMALLEST_TEXT_MM = 20            # the text block left between the margins, each way


def compiled_looks(source: Source) -> tuple[Look, Look, list[Problem]]:
    """The unit's and the department's look of pack.yaml, and the problems of each."""
    settings = source.data
    unit = look_of(settings.get("look"), GB_T_9704)
    department_spec = (settings.get("department") or {}).get("look")
    department = look_of(department_spec, unit)
    problems = page_problems(unit.page, source, ("look", "page"))
    if department_spec and "page" in department_spec:
        problems += page_problems(department.page, source, ("department", "look", "page"))
    return unit, department, problems


def look_of(spec: Mapping[str, Any] | None, base: Look) -> Look:
    """`base` with the look: of a pack written over it."""
    if not spec:
        return base
    latin = {"latin": spec["latin"]} if "latin" in spec else {}
    written = spec.get("styles") or {}
    styles = tuple((key, text_look(look, {**latin, **written.get(key, {})})) for key, look in base.styles)
    chart = text_look(base.chart, {**latin, **(spec.get("chart") or {})})
    return Look(styles, page_look(base.page, spec.get("page") or {}), chart)


def text_look(base: TextLook, written: Mapping[str, Any]) -> TextLook:
    """`base` with the keys of one style of look.styles written over it."""
    changes: dict[str, Any] = {}
    for key, value in written.items():
        if key == "line":
            value = None if value == "single" else float(value)
        elif key in ("size", "indent", "left_indent", "before", "after", "spacing"):
            value = float(value)
        changes[STYLE_FIELDS[key]] = value
    return replace(base, **changes) if changes else base


def page_look(base: PageLook, written: Mapping[str, Any]) -> PageLook:
    """`base` with look.page written over it."""
    paper = written.get("paper", None)
    paper_mm: tuple[float, float]
    if isinstance(paper, str):
        paper_mm = PAPERS[paper]
    elif isinstance(paper, Mapping):
        paper_mm = (float(paper["width"]), float(paper["height"]))
    else:
        paper_mm = base.paper_mm
    margins = base.margins._replace(**{k: float(v) for k, v in (written.get("margins") or {}).items()})
    landscape = written["orientation"] == "landscape" if "orientation" in written else base.landscape
    number = written.get("page_number", base.number_format)      # true: the default format; false: none
    return PageLook(paper_mm, landscape, margins, PageLook().number_format if number is True else number or "")


def page_problems(page: PageLook, source: Source, at: tuple) -> list[Problem]:
    """The margins leave a text block at least SMALLEST_TEXT_MM wide and high on every page the
    document can have — landscape ones, and portrait ones unless the body is landscape —, reported
    at the margins (or the page) that take it."""
    short, long = sorted(page.paper_mm)
    m = page.margins
    where = source.pos(at + ("margins",))          # or the nearest place written: the page, the look
    problems = []
    sheets = ((short, long, False), (long, short, True))
    for across, down, landscape in sheets[1:] if page.landscape else sheets:
        width, height = across - m.left - m.right, down - m.top - m.bottom
        if min(width, height) < SMALLEST_TEXT_MM:
            paper = f"{'横向' if landscape else '纵向'}的 {format_mm(across)}×{format_mm(down)} 毫米纸"
            margins = f"上{format_mm(m.top)}、下{format_mm(m.bottom)}、左{format_mm(m.left)}、右{format_mm(m.right)}毫米"
            problems.append(error(where, f"页边距（{margins}）在{paper}上只留下 {format_mm(width)}×{format_mm(height)} 毫米的"
                                         f"版心；版心的宽和高至少应为 {SMALLEST_TEXT_MM} 毫米"))
            break
    return problems


def format_mm(value: float) -> str:
    return f"{value:g}"
