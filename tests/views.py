"""The table bodies a unit's pack declares, keyed by table id, as the document shows them."""
from __future__ import annotations

from generator.core.catalogue import load_catalogue
from generator.pack.loading import load_pack
from generator.pack.tables import Context, table_body


def table_bodies(analysis) -> dict:
    pack = load_pack(analysis.budget.template)
    unit = analysis.budget.unit
    context = Context(analysis.facts, unit.name, analysis.budget.year, load_catalogue(), ((unit.slug, unit.name),))
    return {decl.id: table_body(decl.sides, context, decl.money, decl.min_rows) for decl in pack.tables}
