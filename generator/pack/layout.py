"""Stage 6a — the bodies of the 13 tables: derived figures placed in rows and formatted.

Nothing is computed here: each cell is a figure of ``derive.Tables`` shown in 万元 (blank for zero).
The pack's tables.yaml gives titles, headers and widths, its pack.yaml the row labels (``w``);
BODIES maps a table's ``kind`` to a function ``(tables, budget, w) -> rows``.
"""
from __future__ import annotations

from generator.analysis.derive import FunctionRow, Tables
from generator.core.model import FISCAL_SOURCES, FUND_SOURCES, GENERAL, GOV_FUND, STATE_CAPITAL, Budget
from generator.core.money import ZERO, format_wan
from generator.docmodel import Align, Cell

THREE_PUBLIC_ROWS = ("outbound", "reception", None, "vehicle_purchase", "vehicle_operation")   # None: 购置及运行费


def num(value) -> Cell:
    return Cell(format_wan(value if value is not None else ZERO, blank_zero=True), align="right")


def text(value: str, align: Align = "left", bold: bool = False) -> Cell:
    return Cell(value, align=align, bold=bold)


def code_cells(row: FunctionRow) -> tuple:
    return (text(row.code), text(row.name))


def total_cells(label: str) -> tuple:
    return (text(label, "center", True), text(""))


def summary(t: Tables, budget: Budget, w: dict) -> tuple:
    """表一: income by source on the left, the 30 类 on the right."""
    income = [(label, t.grand.current.get(s)) for label, s in zip(w["income_sources"], FUND_SOURCES)]
    rows = []
    for i, line in enumerate(t.class_lines):
        left = income[i] if i < len(income) else ("", None)
        r = line.row
        rows.append((text(left[0]), num(left[1]), text(f"{line.order_cn}、{line.name}"),
                     num(r and r.total), num(r and r.current.total), num(r and r.carry.total)))
    g = t.grand
    rows.append((text(w["income_total"], "center"), num(g.current.total), text(w["expenditure_total"], "center"),
                 num(g.total), num(g.current.total), num(g.carry.total)))
    rows.append((text(w["carry_in"], "center"), num(g.carry.total), text(w["carry_out"], "center"), num(ZERO), num(ZERO), num(ZERO)))
    rows.append((text(w["income_grand"], "center"), num(g.total), text(w["expenditure_grand"], "center"),
                 num(g.total), num(g.current.total), num(g.carry.total)))
    return tuple(rows)


def income(t: Tables, budget: Budget, w: dict) -> tuple:
    """表二: every 类/款/项 by fund source, then 上年结转."""
    def cells(r: FunctionRow, lead: tuple) -> tuple:
        return lead + (num(r.total),) + tuple(num(r.current.get(s)) for s in FUND_SOURCES) + (num(r.carry.total),)
    return (cells(t.grand, total_cells(w["total"])),) + tuple(cells(r, code_cells(r)) for r in t.function_rows)


def expenditure_rows(t: Tables, w: dict, pick) -> tuple:
    """Rows of 合计/基本/项目 with ``pick(row) -> (total, basic, project)``; rows all zero are left out."""
    def cells(r: FunctionRow, lead: tuple) -> tuple:
        return lead + tuple(num(v) for v in pick(r))
    body = tuple(cells(r, code_cells(r)) for r in t.function_rows if pick(r)[0])
    return (cells(t.grand, total_cells(w["total"])),) + body


def expenditure(t: Tables, budget: Budget, w: dict) -> tuple:
    return expenditure_rows(t, w, lambda r: (r.total, r.basic_total, r.project_total))


def general_expenditure(t: Tables, budget: Budget, w: dict) -> tuple:
    return expenditure_rows(t, w, lambda r: (r.current.get(GENERAL), r.basic.get(GENERAL), r.project.get(GENERAL)))


def fund_expenditure(t: Tables, budget: Budget, w: dict) -> tuple:
    return expenditure_rows(t, w, lambda r: (r.current.get(GOV_FUND), r.basic.get(GOV_FUND), r.project.get(GOV_FUND)))


def fiscal_summary(t: Tables, budget: Budget, w: dict) -> tuple:
    """表四: 财政拨款 income by source; the 30 类 by 财政拨款 source (this year and carried over)."""
    g = t.grand
    rows = []
    for i, line in enumerate(t.class_lines):
        left = (w["income_sources"][i], g.current.get(FISCAL_SOURCES[i])) if i < 3 else ("", None)
        f = line.row.all_funds if line.row else None
        rows.append((text(left[0]), num(left[1]), text(f"{line.order_cn}、{line.name}"),
                     num(f and f.fiscal), *(num(f and f.get(s)) for s in FISCAL_SOURCES)))
    rows.append((text(w["income_total"], "center"), num(g.current.fiscal), text(w["expenditure_total"], "center"),
                 num(g.all_funds.fiscal), *(num(g.all_funds.get(s)) for s in FISCAL_SOURCES)))
    rows.append((text(w["fiscal_carry_in"], "center"), num(g.carry.fiscal), text(w["carry_out"], "center"),
                 *(num(ZERO) for _ in range(4))))
    rows += [(text(w["income_sources"][i]), num(g.carry.get(s)), text(""), *(num(ZERO) for _ in range(4)))
             for i, s in enumerate(FISCAL_SOURCES)]
    rows.append((text(w["income_grand"], "center"), num(g.all_funds.fiscal), text(w["expenditure_grand"], "center"),
                 num(g.all_funds.fiscal), *(num(g.all_funds.get(s)) for s in FISCAL_SOURCES)))
    return tuple(rows)


def economic(t: Tables, budget: Budget, w: dict) -> tuple:
    """表六: economic 类 and 款 with 部门 and 政府 names."""
    if not t.economic_rows:
        return ()
    g = t.economic_grand
    rows = [(text(w["total"], "center", True), text(""), num(g.total), num(g.personnel), num(g.public))]
    rows += [(text(r.name, bold=r.level == 1), text(r.gov_name), num(r.total), num(r.personnel), num(r.public))
             for r in t.economic_rows]
    return tuple(rows)


def fund_income(t: Tables, budget: Budget, w: dict) -> tuple:
    total_row = (text(w["total"], "center", True), text(""), num(t.government_fund_income_total))
    return (total_row,) + tuple((text(r.code), text(r.name), num(r.amount)) for r in t.government_fund_income)


def state_capital(t: Tables, budget: Budget, w: dict) -> tuple:
    """表九: income rows beside 国有资本经营预算 expenditure rows."""
    left = [(r.code, r.name, r.amount) for r in t.state_capital_income]
    right = [r for r in t.function_rows if r.current.get(STATE_CAPITAL)]
    g = t.grand
    rows = [(*total_cells(w["total"]), num(t.state_capital_income_total), text(""), text(""),
             num(g.current.get(STATE_CAPITAL)), num(g.basic.get(STATE_CAPITAL)), num(g.project.get(STATE_CAPITAL)))]
    for i in range(max(len(left), len(right))):
        code, name, amount = left[i] if i < len(left) else ("", "", None)
        r = right[i] if i < len(right) else None
        pick = (r.basic.get(STATE_CAPITAL), r.project.get(STATE_CAPITAL)) if r else (None, None)
        rows.append((text(code), text(name), num(amount), text(r.code if r else ""), text(r.name if r else ""),
                     num(r and r.current.get(STATE_CAPITAL)), num(pick[0]), num(pick[1])))
    return tuple(rows)


def three_public(t: Tables, budget: Budget, w: dict) -> tuple:
    rows = []
    for label, part in zip(w["three_public"] + [w["total"]], THREE_PUBLIC_ROWS + ("total",)):
        funds = {None: t.vehicle_total, "total": t.three_public_total}.get(part) or t.three_public[part]
        rows.append((text(label, "center" if part == "total" else "left"), num(funds.fiscal),
                     *(num(funds.get(s)) for s in FISCAL_SOURCES)))
    return tuple(rows)


def office_operation(t: Tables, budget: Budget, w: dict) -> tuple:
    f = t.office_operation
    figures = (num(f.fiscal), *(num(f.get(s)) for s in FISCAL_SOURCES))
    return ((text(w["department_total"], "center"),) + figures, (text(budget.unit.name),) + figures)


def projects(t: Tables, budget: Budget, w: dict) -> tuple:
    if not t.projects:
        return ()
    def cells(name: str, funds) -> tuple:
        return (text(name), num(funds.total), *(num(funds.get(s)) for s in FUND_SOURCES))
    return (cells(budget.unit.name, t.projects_total),) + tuple(cells(p.name, p.funds) for p in t.projects)


def carry_projects(t: Tables, budget: Budget, w: dict) -> tuple:
    def cells(name: str, funds) -> tuple:
        return (text(name), num(funds.fiscal), *(num(funds.get(s)) for s in FISCAL_SOURCES))
    body = tuple(cells(p.name, p.carryover) for p in t.carry_projects)
    return ((cells(budget.unit.name, t.projects_carry_total),) + body) if body else ()


BODIES = {
    "summary": summary, "income": income, "expenditure": expenditure, "fiscal_summary": fiscal_summary,
    "general_expenditure": general_expenditure, "economic": economic, "fund_income": fund_income,
    "fund_expenditure": fund_expenditure, "state_capital": state_capital, "three_public": three_public,
    "office_operation": office_operation, "projects": projects, "carry_projects": carry_projects,
}
