"""A unit's tables as a workbook, and its facts as open data (DESIGN.md §10.6).

    workbook_bytes   one sheet per table of the pack, from the document's own table blocks
    fact_records     every fact with its coordinates and names, its exact amount in 元
    csv_text / json_text

Nothing here adds numbers: a sheet's figures are the document's cells (pack.tables.table_body over
the pack's declarations), the records are the facts themselves.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

from generator.analysis.cube import Fact, FactSet
from generator.analysis.pipeline import Analysis
from generator.core.catalogue import load_catalogue
from generator.pack.assemble import document_created, table_blocks
from generator.pack.loading import Pack
from generator.pack.tables import Context
from generator.pack.unit import department_view
from generator.workbook.layout import Sheet, sheet_name, sheet_of
from generator.workbook.xlsx import xlsx_bytes

RECORD_FIELDS = ("unit", "unit_kind", "year", "axis", "code", "class_code", "class_name", "item_code", "item_name",
                 "subject_code", "subject_name", "source", "nature", "category", "period", "project", "amount")


def unit_sheets(analysis: Analysis, pack: Pack) -> list[Sheet]:
    """One sheet per table of the pack, in the pack's order; a department's as its document shows
    them (the pack's `department:` overrides, its units' rows)."""
    budget, facts = analysis.budget, analysis.facts
    assert budget is not None and facts is not None
    view = department_view(analysis)
    kind = "unit" if view is None else "department"
    units = view.units if view is not None else ((budget.unit.slug, budget.unit.name),)
    context = Context(facts, budget.unit.name, budget.year, load_catalogue(), units)
    size = pack.look_of(kind).style("table_text").size_pt
    return [sheet_of(sheet_name(decl.number), table_blocks(decl, pack.words(kind), budget, context, size), decl.money)
            for decl in pack.tables_of(kind)]


def workbook_bytes(analysis: Analysis, pack: Pack) -> bytes:
    budget = analysis.budget
    assert budget is not None
    created = dt.datetime.fromisoformat(document_created(budget).replace("Z", "+00:00")).replace(tzinfo=None)
    kind = "unit" if analysis.department is None else "department"
    title = pack.words(kind)["document_title"].format(unit=budget.unit.name, year=budget.year)
    return xlsx_bytes(unit_sheets(analysis, pack), title, budget.unit.name, created)


# open data ------------------------------------------------------------------------------------

def code_levels(facts: FactSet, axis: str, code: str) -> dict[str, str]:
    """The code at each level with its name: 类/款/项 of a function code, 类/款 of an economic one."""
    widths = {"function": (3, 5, 7), "economic": (3, 5)}.get(axis, ())
    levels = {}
    for key, width in zip(("class", "item", "subject"), widths):
        if len(code) >= width:
            levels[f"{key}_code"] = code[:width]
            levels[f"{key}_name"] = facts.name(axis, code[:width])
    if not widths:
        levels["subject_code"], levels["subject_name"] = code, facts.name(axis, code)
    return levels


def fact_records(analysis: Analysis) -> Iterator[dict[str, str]]:
    """Every fact of the unit, in the order it was derived: coordinates, names, amount (元, exact)."""
    budget, facts = analysis.budget, analysis.facts
    assert budget is not None and facts is not None
    for fact in facts.facts:
        yield record_of(fact, facts, budget.year)


def record_of(fact: Fact, facts: FactSet, year: int) -> dict[str, str]:
    record = dict.fromkeys(RECORD_FIELDS, "")
    record.update(unit=fact.unit, unit_kind=fact.unit_kind, year=str(year), axis=fact.axis, code=fact.code,
                  source=fact.source, nature=fact.nature, category=fact.category, period=fact.period,
                  project=fact.project, amount=format(fact.amount, "f"))
    record.update(code_levels(facts, fact.axis, fact.code))
    return record


def csv_text(records: list[dict[str, str]]) -> str:
    """CSV with a header line; a byte-order mark so that Excel opens it as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=RECORD_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def json_text(analysis: Analysis, records: list[dict[str, str]]) -> str:
    """{"unit": …, "facts": [...]} with amounts as decimal strings (never floats)."""
    budget = analysis.budget
    assert budget is not None
    head = {"name": budget.unit.name, "slug": budget.unit.slug, "kind": budget.unit.kind, "year": budget.year,
            "template": budget.template, "amount_unit": "元"}
    return json.dumps({"unit": head, "facts": records}, ensure_ascii=False, indent=1) + "\n"
