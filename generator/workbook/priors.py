"""Which prior-year figures a pack's document compares: its templates are rendered once with every
prior read as zero, and each one asked for is recorded (the workbook has none of them)."""
from __future__ import annotations

from decimal import Decimal

from generator.analysis.figures import Figures
from generator.analysis.pipeline import Analysis
from generator.core.problems import BudgetdocError
from generator.pack.loading import Pack
from generator.pack.wording import render_document


class RecordingFigures(Figures):
    """Figures whose every prior is zero, remembering which were asked for."""

    asked: dict[str, None]

    def prior(self, measure: str, period: str = "budget") -> Decimal:
        self.asked[f"{'executed.' if period == 'executed' else ''}{measure}"] = None
        return Decimal(0)


def priors_asked(analysis: Analysis, pack: Pack) -> list[str]:
    """The prior_year keys (total, three_public.outbound, executed.fiscal …) the document compares."""
    budget, facts = analysis.budget, analysis.facts
    assert budget is not None and facts is not None
    usage = {**(pack.settings.get("usage") or {}), **budget.usage}
    figures = RecordingFigures(facts, budget, pack.measures, pack.text_money, pack.settings.get("change_rounding", "exact"), usage)
    figures.asked = {}
    try:
        render_document(pack, budget, figures)
    except BudgetdocError:
        pass                                  # what else the draft lacks, check reports
    return list(figures.asked)
