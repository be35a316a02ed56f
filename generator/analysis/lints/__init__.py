"""Stage 5b — lints: warnings about free text and plausibility, each with a rule code.

Each ``lint_*`` is a pure function ``(budget, figures) -> list[Problem]``; LINTS lists them all.
A lint never stops the build: its problems are warnings (``--strict`` makes them fail) or, for
L09, information. A unit switches one off only with a reason (``waivers:``, applied by the
pipeline: analysis/waivers.py), and ``check`` lists what it switched off.

    L01  a stale year in free text                         lint_text.lint_stale_years
    L02  a project named differently, near-duplicate names  lint_projects.lint_project_names
    L03  indicator direction, cost amount, unit words       lint_projects.lint_indicator_direction,
                                                            lint_cost_indicators, lint_indicator_units
    L04  a change without a reason, a reason without one    lint_unexplained_changes
    L05  a doubled word, a placeholder                      lint_text.lint_doubled_words
    L06  another level of government's boilerplate          lint_text.lint_government_level
    L07  a code named differently in two units              lint_across_units (takes several budgets)
    L08  a 三公 component vs the economic item carrying it   lint_three_public_items
    L09  printed shares adding up to other than 100.00%     lint_rounded_shares (severity info)
    L10  a direction in a text against the derived change   lint_figures.lint_text_figures
    L11  a figure in a text that is not the unit's          lint_figures.lint_text_figures
    L12  a former name of a 类 or 款 in a text                lint_names.lint_classification_names
    L13  a code in a text beside another code's name        lint_names.lint_classification_names

L10–L13 read the texts a finance office writes itself (explanations, profile, duties, organisation,
other notes, 绩效目标表 texts, usage, glossary overrides; project_notes for L12 and L13 only); L10 and
L11 compare them with ``derived_figures`` (lints/derived.py), the one function through which they read
the derivation. tests/golden/free-texts.yaml is a corpus of such sentences with their expected findings.
"""
from __future__ import annotations

from generator.analysis.across import lint_names_across_units, summary_of
from generator.analysis.figures import FigureError, Figures
from generator.analysis.lints.figures import lint_text_figures
from generator.analysis.lints.names import lint_classification_names
from generator.analysis.lints.projects import lint_cost_indicators, lint_indicator_direction, lint_indicator_units, lint_project_names
from generator.analysis.lints.text import EXPLANATION_LABELS, lint_doubled_words, lint_government_level, lint_stale_years
from generator.core.model import FISCAL_SOURCES, SOURCES, THREE_PUBLIC_PARTS, Budget
from generator.core.money import format_pct, format_wan, format_yuan, round_half_up, to_wan, total
from generator.core.problems import Problem

PART_LABELS = {"outbound": "因公出国（境）费", "reception": "公务接待费",
               "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费"}
THREE_PUBLIC_ECONOMIC = {"outbound": "30212", "reception": "30217",
                         "vehicle_purchase": "31013", "vehicle_operation": "30231"}


# L04 ------------------------------------------------------------------------------------------

CHANGES_BY_KEY = {
    "total": [("预算收支总计", "total")],
    "general_budget": [("一般公共预算当年支出", "general_budget")],
    "fiscal": [("财政拨款收支", "fiscal")],
    "three_public": [("“三公”经费合计", "three_public")] + [(PART_LABELS[p], f"three_public.{p}") for p in THREE_PUBLIC_PARTS],
    "office_operation": [("机关运行经费", "office_operation")],
}


def changes_by_key(figures: Figures) -> dict:
    """explanations key -> the (label, Change) pairs whose change it explains (those with a prior)."""
    found: dict = {}
    for key, pairs in CHANGES_BY_KEY.items():
        for label, measure in pairs:
            try:
                change = figures.change(measure)
            except FigureError:
                continue
            found.setdefault(key, []).append((label, change))      # a key none of whose figures has a prior: none
    return found


def change_words(label: str, change) -> str:
    verb = "增加" if change.direction == "up" else "减少"
    return f"{label}比上年{verb}{format_wan(change.size)}万元"


def explained_by_total(key: str, changes: dict, budget: Budget) -> bool:
    """一般公共预算 changed by exactly what the total (or 财政拨款) changed by, as printed, and that change
    is explained: the same reason applies, so section 五(一) may go without one of its own."""
    if key != "general_budget":
        return False
    own = to_wan(changes["general_budget"][0][1].delta)
    return any(other in budget.explanations and other in changes and to_wan(changes[other][0][1].delta) == own
               for other in ("total", "fiscal"))


def lint_unexplained_changes(budget: Budget, figures: Figures) -> list[Problem]:
    """L04: a change from last year with no explanation, or an explanation where nothing changed.

    Changes are judged as printed (万元, two decimals). explanations.three_public covers the 三公
    total and its four components. The general_budget change needs no reason of its own when it
    equals the total change and that one is explained (see ``explained_by_total``): so the seed,
    whose 五(一) gives no reason for its −25.96万元 (the same as the total's, explained in 一), is
    not warned; a general_budget change that differs from the total's is.
    """
    changes = changes_by_key(figures)
    problems = []
    for key, pairs in changes.items():
        changed = [(label, c) for label, c in pairs if c.direction != "same"]
        label = EXPLANATION_LABELS[key]
        if changed and key not in budget.explanations and not explained_by_total(key, changes, budget):
            words = "、".join(change_words(lb, c) for lb, c in changed)
            problems.append(Problem(budget.source.key_pos(("explanations",)),
                                    f"{words}，但没有写变动原因；请在 explanations.{key} 中写明主要原因"
                                    "（不写“主要原因是”和句末句号）", "warning", "L04",
                                    (budget.pos("prior_year", key),)))
        elif key in budget.explanations and not changed:
            problems.append(Problem(budget.pos("explanations", key),
                                    f"{label}与上年相同，却写了变动原因“{budget.explanations[key]}”；"
                                    f"没有增减时不必说明原因，请删去 explanations.{key}", "warning", "L04"))
    return problems


# L08 ------------------------------------------------------------------------------------------

def lint_three_public_items(budget: Budget, figures: Figures) -> list[Problem]:
    """L08: a 三公 component (财政拨款) other than the basic-expenditure economic item that carries it.

    Only basic expenditure has economic items, and a 三公 component may also be spent in projects;
    so a component smaller than its item is surely wrong, a larger one is wrong unless projects
    carry the difference — both are reported, with that explanation. No item, no comparison.
    """
    items = {i.code: i for i in budget.basic_by_economic}
    problems = []
    for part, code in THREE_PUBLIC_ECONOMIC.items():
        item = items.get(code)
        if item is None:
            continue
        spent, basic = figures.amount(f"three_public.{part}"), item.funds.fiscal
        if spent == basic:
            continue
        if spent < basic:
            advice = f"“三公”经费应包含基本支出中的这笔经费，不应少于 {format_yuan(basic)} 元；请核对二者"
        else:
            advice = f"若多出的 {format_yuan(spent - basic)} 元安排在项目支出中，可不修改；否则请核对二者"
        problems.append(Problem(budget.pos("three_public", part),
                                f"“三公”经费{PART_LABELS[part]}为 {format_yuan(spent)} 元（财政拨款），"
                                f"基本支出经济科目 {code} {item.name} 为 {format_yuan(basic)} 元，二者不一致；{advice}",
                                "warning", "L08", (budget.pos(item.path, "funds"),)))
    return problems


# L09 ------------------------------------------------------------------------------------------

def lint_rounded_shares(budget: Budget, figures: Figures) -> list[Problem]:
    """L09 (info): the shares of a whole, each printed rounded, that add up to other than 100.00%."""
    f = figures
    partitions = (
        ("收入预算", [f.share("current", source=s) for s in SOURCES.top] + [f.share("carry")]),
        ("支出预算（基本支出、项目支出）", (f.share("basic"), f.share("project"))),
        ("一般公共预算支出结构", f.classes("general_budget")),
        ("财政拨款收支（按资金来源）", [f.share("fiscal", of="fiscal", source=s) for s in FISCAL_SOURCES]),
    )
    problems = []
    for label, shares in partitions:
        printed = [s.pct for s in shares if s.pct is not None]
        added = total(round_half_up(p) for p in printed)
        if not printed or added == 100:
            continue
        terms = " + ".join(format_pct(p) + "%" for p in printed if round_half_up(p))
        problems.append(Problem(budget.pos("basic"),
                                f"{label}各项占比合计为 {added:.2f}%（{terms}），因四舍五入不等于100%，可酌情调整说明",
                                "info", "L09"))
    return problems


# L07 ------------------------------------------------------------------------------------------

def lint_across_units(budgets) -> list[Problem]:
    """L07: the same function or economic code named differently in two units (analysis/across.py)."""
    return lint_names_across_units([summary_of(budget) for budget in budgets])


LINTS = (
    lint_stale_years,
    lint_project_names,
    lint_indicator_direction,
    lint_cost_indicators,
    lint_indicator_units,
    lint_unexplained_changes,
    lint_doubled_words,
    lint_government_level,
    lint_three_public_items,
    lint_rounded_shares,
    lint_text_figures,
    lint_classification_names,
)


def run_lints(budget: Budget, figures: Figures) -> list[Problem]:
    return [p for lint in LINTS for p in lint(budget, figures)]
