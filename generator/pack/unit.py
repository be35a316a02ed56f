"""One unit through its pack: the analysis plus what the pack asks of it, and then its document.

    check_unit:  analyse (load → validate → construct → derive → check) → the unit's pack loads
                 and is sound → the document assembles (every field and prior the templates use)
    document_of: wording (document.j2) + tables + charts + 绩效目标表 → the document model
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.analysis.department import UnitReader, analyse_department, kind_counts, read_unit
from generator.analysis.pipeline import Analysis, analyse
from generator.core.catalogue import load_catalogue
from generator.core.files import FileRefused, read_regular_file
from generator.core.model import SOURCES, Budget, Department
from generator.core.problems import PackError, Pos, Problem, error, has_errors, sort_problems
from generator.docmodel import Document
from generator.pack.assemble import assemble
from generator.pack.loading import Pack, check_pack_exists, load_pack
from generator.pack.wording import DepartmentView
from generator.source.kinds import is_department_file
from generator.source.load import MAX_FILE_BYTES


def check_unit(path: Path, display: str | None = None) -> Analysis:
    """Everything `check` reports for one unit file, the pack's problems included; never raises for
    bad data or a bad pack."""
    return checked_document(path, display)[0]


def analysed_file(path: Path, display: str | None = None, reader: UnitReader = read_unit, lints: bool = True) -> Analysis:
    """A unit file's analysis, or a department file's (it lists its units at the top level); without
    `lints`, a unit's errors only (a workbook export needs only the figures)."""
    try:
        department = is_department_file(read_regular_file(path, MAX_FILE_BYTES))
    except FileRefused:
        department = False                   # the loader words why it cannot be read
    return analyse_department(path, display, reader) if department else analyse(path, display, lints)


def checked_document(path: Path, display: str | None = None,
                     reader: UnitReader = read_unit) -> tuple[Analysis, Document | None]:
    """The analysis of a unit's or a department's file with its pack's problems, and its document
    when there was no error (`reader`: how a department reads its units' files)."""
    analysis = analysed_file(path, display, reader)
    pack = packed(analysis, document_checks)
    if pack is None:
        return analysis, None
    try:
        return analysis, document_of(analysis)
    except PackError as exc:
        analysis.problems = sort_problems(analysis.problems + pack_problems(analysis, exc))
        return analysis, None


def packed(analysis: Analysis, checks: Callable[[Analysis, Pack], list[Problem]]) -> Pack | None:
    """The pack of an analysed unit or department without errors, loaded, when it exists, is sound and
    `checks` (what a unit's file must hold for it; a department's units are checked in their own
    files) find nothing; else None, and the problems are the analysis's."""
    if analysis.budget is None:
        return None
    problems = check_pack_exists(analysis.budget)       # told even beside the unit's own errors
    pack = None
    if not problems and not has_errors(analysis.problems):
        try:
            pack = load_pack(analysis.budget.template)
            problems = checks(analysis, pack) if analysis.department is None else []
        except PackError as exc:
            problems = pack_problems(analysis, exc)
    analysis.problems = sort_problems(analysis.problems + problems)
    return None if problems else pack              # None too when the unit had errors: not loaded


def document_checks(analysis: Analysis, pack: Pack) -> list[Problem]:
    """What a unit's file must hold for its pack's document."""
    assert analysis.budget is not None
    return (required_fields(analysis.budget, pack) + unit_funds_by_parts(analysis, pack)
            + unnamed_government_items(analysis, pack))


def pack_problems(analysis: Analysis, exc: PackError) -> list[Problem]:
    """A bad pack's problems, each at its pack file's line; at the unit's `template` when it has none."""
    assert analysis.budget is not None
    return exc.problems or [error(analysis.budget.pos("template"), str(exc))]


def required_fields(budget: Budget, pack: Pack) -> list[Problem]:
    """The unit fields that the national format leaves optional and this pack's documents need."""
    problems, missing = [], set()
    for dotted in pack.settings.get("requires") or ():
        path = tuple(dotted.split("."))
        node: object = budget.source.data
        for depth, key in enumerate(path):
            if not isinstance(node, dict) or node.get(key) is None:
                gap = path[:depth + 1]            # said once: a missing block, not each field of it
                if gap not in missing:
                    missing.add(gap)
                    where = budget.source.key_pos(path[:depth]) if depth else Pos(budget.file, 1, 1)
                    problems.append(error(where, f"模板包“{pack.name}”要求填写 {'.'.join(gap)}（{field_title(gap)}），"
                                                 "本单位文件没有"))
                break
            node = node[key]
    return problems


def unit_funds_by_parts(analysis: Analysis, pack: Pack) -> list[Problem]:
    """A pack whose tables show 单位资金 by its parts (事业收入 …) cannot show a unit that gives it whole."""
    assert analysis.budget is not None and analysis.facts is not None
    shown = {source for decl in pack.tables for side in decl.sides for column in side.columns
             for key, values in (column.measure or ()) if key == "source" and "单位资金" not in values for source in values}
    parts = sorted(shown & set(SOURCES.groups["单位资金"]))
    whole = [f for f in analysis.facts.facts if f.source == "单位资金" and f.amount]
    if not parts or not whole:
        return []
    from generator.analysis.checks import amount_maps
    path = next(p for p, m in amount_maps(analysis.budget.source.data) if m.get("单位资金"))
    return [error(analysis.budget.source.key_pos(path + ("单位资金",)),
                  f"模板包“{pack.name}”的报表按{'、'.join(parts)}分列单位资金，本单位却整笔写了单位资金；请按这些收入分项填写")]


def unnamed_government_items(analysis: Analysis, pack: Pack) -> list[Problem]:
    """A pack that prints the 政府经济分类 name beside each 部门 款 (表六) warns of a 款 the catalogue
    cannot map for this unit's kind: its cell would be blank."""
    assert analysis.budget is not None and analysis.facts is not None
    if not any(column.key == "gov_name" for decl in pack.tables for side in decl.sides for column in side.columns):
        return []
    return [Problem(analysis.budget.pos(item.path, "code"),
                    f"经济科目 {item.code} {item.name} 在目录中没有对应的政府预算支出经济分类科目（{analysis.budget.unit.kind}），"
                    "表中政府经济科目名称一栏将为空；请在 generator/catalogue/economic-dept-to-gov.csv 中补充对应关系",
                    "warning", "P01")
            for item in analysis.budget.basic_by_economic if not analysis.facts.name("economic_gov", item.code)]


def field_title(path: tuple[str, ...]) -> str:
    """The schema's title of a unit field ("" when the schema does not name it)."""
    from generator.source.validate import load_schema
    node = load_schema()
    for key in path:
        node = node.get("properties", {}).get(key, {})
    return str(node.get("title", ""))


def document_of(analysis: Analysis) -> Document:
    """The finished document model of a unit (or department) that passed its checks; PackError when
    its pack is unsound or its templates ask for what the unit lacks."""
    assert analysis.budget is not None and analysis.facts is not None
    pack = load_pack(analysis.budget.template)
    return assemble(pack, analysis.budget, analysis.facts, load_catalogue(), department_view(analysis))


def department_view(analysis: Analysis) -> DepartmentView | None:
    department = analysis.department
    if not isinstance(department, Department):
        return None
    units = tuple((m.slug, m.name) for m in analysis.members if not m.merged)
    priors = "上年数取自部门文件" if department.prior_year is not None else "上年数为各单位文件上年数之和"
    description = (f"部门预算：由 {len(units)} 个单位的单位预算文件推算（{'、'.join(s for s, _ in units)}）；{priors}")
    return DepartmentView(department.name, department.short_name, units, analysis.members, kind_counts(analysis.members),
                          description)
