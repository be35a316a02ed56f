"""A 部门预算 from its units' files (DESIGN.md §10.5): every figure is the sum over the units' facts.

    load the department file → analyse each unit file it lists (load → validate → construct → derive
    → check) → the department's facts are the union of the units' (each fact keeps its unit and the
    unit's kind, so 机关运行经费 counts only 行政 and 参公 units) → one Budget of the department for
    the templates: the units' leaves together, the department's own texts, its priors (or the
    units' priors summed).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from generator.analysis.cube import FactSet
from generator.analysis.figures import Figures
from generator.analysis.measures import STANDARD
from generator.analysis.pipeline import Analysis, analyse, loaded
from generator.core.model import THREE_PUBLIC_PARTS, Budget, Department, Unit, sum_funds
from generator.core.money import total
from generator.core.problems import Problem, error, has_errors, sort_problems
from generator.source.department import build_department, unit_file, validate_department


@dataclass(frozen=True)
class Member:
    """A unit of the department as its documents list it."""
    slug: str
    name: str
    kind: str
    merged: bool = False           # 不单列预算，并入本部: no file, its figures are in the 本部's
    organisation: tuple = ()       # its 机构设置 paragraphs (a unit with a file)


UnitReader = Callable[[Path, str], Analysis]


def read_unit(path: Path, display: str) -> Analysis:
    """A department's unit file, analysed for its figures (its lints are its own file's business)."""
    return analyse(path, display, lints=False)


def analyse_department(path: Path, display: str | None = None, reader: UnitReader = read_unit) -> Analysis:
    """The department's analysis: its problems, and when sound the department's Budget and facts.
    `reader` analyses each unit file (a build passes one that reuses what the units' builds stored)."""
    result = Analysis(display or str(path))
    source, result.problems = loaded(path, result.file, validate_department)
    if source is None:
        return result
    department = build_department(source)
    units, problems = unit_analyses(path, department, reader)
    result.problems = sort_problems(problems)
    if has_errors(problems):
        return result
    budgets = [u.budget for u in units if u.budget is not None]
    facts = union(u.facts for u in units if u.facts is not None)
    budget = department_budget(department, budgets)
    result.budget, result.facts, result.figures = budget, facts, Figures(facts, budget)
    result.department, result.members = department, members_of(department, budgets)
    result.problems = sort_problems(problems + sum_problems(department, result.figures, [u.figures for u in units])
                                    + department_lints(department, budget, result.figures))
    return result


def department_lints(department: Department, budget: Budget, figures: Figures) -> list[Problem]:
    """The lints of the department's own texts (its explanations, notes, 职能, 机构设置): the units'
    texts are linted in their own files."""
    from generator.analysis.lints import lint_unexplained_changes
    from generator.analysis.lints.figures import lint_text_figures
    from generator.analysis.lints.names import lint_classification_names
    own = replace(budget, projects=(), project_notes=(),
                  unit=replace(budget.unit, duties=department.duties, organisation=department.organisation,
                               profile=department.profile))
    return [p for lint in (lint_unexplained_changes, lint_text_figures, lint_classification_names) for p in lint(own, figures)]


def unit_analyses(path: Path, department: Department, reader: UnitReader) -> tuple[list[Analysis], list[Problem]]:
    """Each listed unit analysed (without its lints: the unit's own check reports them), and what is
    wrong with the list: a missing file, a unit with errors, another year, another pack, another code."""
    analyses, problems = [], []
    for i, slug in enumerate(department.units):
        where = department.pos("units", i)
        if slug in department.units[:i]:
            problems.append(error(where, f"单位“{slug}”在 units 中重复出现"))
            continue
        file = unit_file(path, slug, department.year)
        shown = file.as_posix() if not file.is_absolute() else str(file)
        if not file.is_file():
            problems.append(error(where, f"找不到单位“{slug}”的文件 {shown}；部门的每个单位都应有 {department.year} 年的单位预算文件"))
            continue
        unit = reader(file, shown)
        problems += member_problems(department, i, unit, shown)
        analyses.append(unit)
    return analyses, problems


def member_problems(department: Department, i: int, unit: Analysis, shown: str) -> list[Problem]:
    where = department.pos("units", i)
    if unit.budget is None or has_errors(unit.problems):
        return [error(where, f"单位“{department.units[i]}”的文件 {shown} 有错误，部门预算无法推算；"
                             f"请先修正该单位（budgetdoc check {shown}）")]
    budget = unit.budget
    problems = []
    if budget.year != department.year:
        problems.append(error(where, f"单位“{budget.unit.slug}”的预算年度是 {budget.year}，部门是 {department.year}", budget.pos("year")))
    if budget.template != department.template:
        problems.append(error(where, f"单位“{budget.unit.slug}”用模板包“{budget.template}”，部门用“{department.template}”；"
                                     "部门预算的各单位应使用同一模板包", budget.pos("template")))
    if department.code and budget.unit.department_code and budget.unit.department_code != department.code:
        problems.append(error(budget.pos("unit", "department", "code"),
                              f"本单位的主管部门编码是 {budget.unit.department_code}，而部门 {department.file} "
                              f"的编码是 {department.code}；二者应一致",
                              department.pos("department", "code")))
    return problems


def union(sets) -> FactSet:
    """The facts of several units as one set (the first unit's names win where two name a code)."""
    found = list(sets)
    codes: dict = {}
    for facts in found:
        for axis, listed in facts.codes.items():
            codes.setdefault(axis, []).extend(listed)
    names = {k: v for facts in reversed(found) for k, v in facts.names.items()}
    return FactSet([f for facts in found for f in facts.facts], codes, names)


def members_of(department: Department, budgets: list[Budget]) -> tuple[Member, ...]:
    merged = department.merged if department.merged is not None else tuple(m for b in budgets for m in b.unit.merged_units)
    return (tuple(Member(b.unit.slug, b.unit.name, b.unit.kind, False, b.unit.organisation) for b in budgets)
            + tuple(Member("", name, kind, merged=True) for name, kind in merged))


def kind_counts(members: tuple[Member, ...]) -> tuple[tuple[str, int], ...]:
    """(kind, count) of the department's units, in the order 行政单位, 参公, 事业单位."""
    counts = Counter(m.kind for m in members)
    return tuple((kind, counts[kind]) for kind in ("行政单位", "参照公务员法管理事业单位", "事业单位") if counts[kind])


def department_budget(department: Department, budgets: list[Budget]) -> Budget:
    """One Budget of the department: the units' leaves together, the department's texts and priors."""
    main = budgets[0]
    unit = Unit(
        name=department.name, slug=department.slug, code=department.code, kind=main.unit.kind, level=department.level,
        department_code=department.code, department_name=department.name,
        staff=summed_staff(budgets),
        duties=department.duties or main.unit.duties, organisation=department.organisation or main.unit.organisation,
        profile=department.profile or main.unit.profile, merged_units=department.merged or (),
    )
    joined = lambda attr: tuple(x for b in budgets for x in getattr(b, attr))  # noqa: E731
    return replace(
        main, year=department.year, template=department.template, unit=unit,
        basic_by_function=joined("basic_by_function"), basic_by_economic=joined("basic_by_economic"),
        projects=tuple(replace(p, unit=b.unit.name) for b in budgets for p in b.projects),
        project_by_function=joined("project_by_function"),
        three_public={p: sum_funds(b.three_public[p] for b in budgets) for p in THREE_PUBLIC_PARTS},
        government_fund_income=joined("government_fund_income"), state_capital_income=joined("state_capital_income"),
        prior_year=department.prior_year if department.prior_year is not None else summed_priors(budgets),
        explanations=department.explanations,
        procurement={k: total(b.procurement[k] for b in budgets) for k in main.procurement},
        procurement_reserves=summed_dicts([b.procurement_reserves for b in budgets]),
        overall_performance=None if all(b.overall_performance is None for b in budgets)
        else total(b.overall_performance or Decimal(0) for b in budgets),
        assets=summed_dicts([b.assets for b in budgets], keep_first=("as_of",)),
        other_notes=department.other_notes, glossary=department.glossary, waivers=(),
        usage={k: v for b in reversed(budgets) for k, v in b.usage.items()},
        project_notes=joined("project_notes"),
        performance_targets=summed_targets(budgets),
        source=department.source,
    )


def summed_staff(budgets: list[Budget]) -> int | None:
    staff = [b.unit.staff for b in budgets]
    return None if any(s is None for s in staff) else sum(s for s in staff if s is not None)


def summed_targets(budgets: list[Budget]) -> tuple | None:
    """绩效目标 count and amount of the department: the units' summed (None when no unit gives them)."""
    given = [b.performance_targets for b in budgets if b.performance_targets is not None]
    return (sum(t[0] for t in given), total(t[1] for t in given)) if given else None


def summed_priors(budgets: list[Budget]) -> dict:
    """Last year's figures of the department: each measure every unit gives, summed."""
    result: dict = {}
    for period in ("budget", "executed"):
        given = [b.prior_year.get(period, {}) for b in budgets]
        common = set.intersection(*(set(g) for g in given)) if given else set()
        result[period] = {m: total(g[m] for g in given) for m in sorted(common)}
    return result


def summed_dicts(dicts: list[dict], keep_first: tuple = ()) -> dict:
    """Mappings of counts (assets, reserves) added key by key; text keys (as_of) kept from the first."""
    result: dict = {}
    for d in dicts:
        for key, value in (d or {}).items():
            if key in keep_first or isinstance(value, str):
                result.setdefault(key, value)
            elif isinstance(value, dict):
                result[key] = summed_dicts([result.get(key, {}), value])
            elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                result[key] = result.get(key, 0) + value
            else:
                result.setdefault(key, value)
    return result


def sum_problems(department: Department, figures: Figures | None, units: list) -> list[Problem]:
    """Department figure = Σ its units' figures, for every standard measure (by construction; checked
    anyway, so that a derivation bug cannot publish)."""
    if figures is None:
        return []
    wrong = [name for name in STANDARD if figures.amount(name) != total(u.amount(name) for u in units if u is not None)]
    return [error(department.pos("units"), f"内部核对失败：部门的 {name} 不等于各单位之和，请报告此问题") for name in wrong]


def units_in_two_departments(analyses) -> list[Problem]:
    """No unit belongs to two departments of one year (checked across the files of a run)."""
    first: dict = {}
    problems = []
    for analysis in analyses:
        department = analysis.department
        if not isinstance(department, Department):
            continue
        for i, slug in enumerate(department.units):
            key = (department.year, slug)
            if key in first and first[key][0] is not department:
                other, j = first[key]
                problems.append(error(department.pos("units", i), f"单位“{slug}”已列在部门 {other.file} 中；一个单位只能属于一个部门",
                                      other.pos("units", j)))
            first.setdefault(key, (department, i))
    return problems
