"""Stage 5a — rules across fields: catalogue, uniqueness and the identities of DESIGN.md §5.

Each ``check_*`` is a pure function ``(budget, catalogue, figures) -> iterable of Problem``; CHECKS
lists them all. A violation is an error that names the YAML lines involved.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from generator.analysis.figures import Figures
from generator.core.catalogue import Catalogue
from generator.core.model import FUND_SOURCES, GENERAL, SOURCES, THREE_PUBLIC_PARTS, Budget, sum_funds
from generator.core.money import ZERO, format_wan, format_yuan, total
from generator.core.problems import Pos, Problem, error


def wan(value) -> str:
    return format_wan(value) + "万元"


def check_file_name(budget: Budget, catalogue, tables) -> list[Problem]:
    """units/<slug>/<year>.yaml: the folder is the slug, the file name is the year."""
    path = Path(budget.file)
    problems = []
    if path.stem.isdigit() and int(path.stem) != budget.year:
        problems.append(error(budget.pos("year"), f"year 为 {budget.year}，但文件名是 {path.name}，二者应一致"))
    if path.parent.name and path.parent.name not in (".", budget.unit.slug) and path.stem.isdigit():
        problems.append(error(budget.pos("unit", "slug"),
                              f"unit.slug 为“{budget.unit.slug}”，但文件在文件夹“{path.parent.name}”中，二者应一致"))
    return problems


def check_function_codes(budget: Budget, catalogue: Catalogue, tables) -> list[Problem]:
    problems = []
    for item in budget.basic_by_function:
        problems += check_function_code(budget, catalogue, item.code, item.path + ("code",), item.name)
    for project in budget.projects:
        problems += check_function_code(budget, catalogue, project.function, project.path + ("function",), None)
    return problems


def check_function_code(budget, catalogue: Catalogue, code: str, path: tuple, name: str | None) -> list[Problem]:
    for prefix, word in ((code[:3], "类"), (code[:5], "款")):
        if catalogue.function_name(prefix) is None:
            return [error(budget.pos(path), f"功能科目编码 {code} 的{word} {prefix} 不在《政府收支分类科目》目录中，"
                                            "请核对编码")]
    known = catalogue.function_name(code)
    if name is None and known is None:
        return [error(budget.pos(path), f"功能科目 {code} 不在目录中；请在 basic.by_function 中写明其名称，或核对编码")]
    if name is not None and known is not None and name != known:
        return [error(budget.pos(path[:-1] + ("name",)),
                      f"功能科目 {code} 的名称应为“{known}”，这里写的是“{name}”")]
    return []


def check_economic_codes(budget: Budget, catalogue: Catalogue, tables) -> list[Problem]:
    problems = []
    for item in budget.basic_by_economic:
        known = catalogue.economic_name(item.code)
        if catalogue.economic_name(item.code[:3]) is None or known is None:
            problems.append(error(budget.pos(item.path + ("code",)),
                                  f"经济科目编码 {item.code} 不在部门预算支出经济分类目录中，请核对编码"))
        elif known != item.name:
            problems.append(error(budget.pos(item.path + ("name",)),
                                  f"经济科目 {item.code} 的名称应为“{known}”，这里写的是“{item.name}”"))
    return problems


def duplicates(items, key, budget: Budget, what: str) -> list[Problem]:
    counts = Counter(key(i) for i in items)
    seen: dict = {}
    problems = []
    for item in items:
        k = key(item)
        if counts[k] > 1 and k in seen:
            problems.append(error(budget.pos(item.path), f"{what}“{k}”重复出现，每个只能写一次",
                                  budget.pos(seen[k].path)))
        seen.setdefault(k, item)
    return problems


def check_unique(budget: Budget, catalogue, tables) -> list[Problem]:
    return (duplicates(budget.basic_by_function, lambda i: i.code, budget, "基本支出功能科目")
            + duplicates(budget.basic_by_economic, lambda i: i.code, budget, "基本支出经济科目")
            + duplicates(budget.projects, lambda p: p.name, budget, "项目"))


def check_basic_function_equals_economic(budget: Budget, catalogue, tables) -> list[Problem]:
    """基本支出 by function = 基本支出 by economic classification, for every fund source."""
    by_function = sum_funds(i.funds for i in budget.basic_by_function)
    by_economic = sum_funds(i.funds for i in budget.basic_by_economic)
    problems = []
    for source, f, e in zip(FUND_SOURCES, by_function.values, by_economic.values):
        if f != e:
            problems.append(error(budget.pos("basic", "by_function"),
                                  f"基本支出（{source}）按功能分类合计 {f} 元（{wan(f)}），按经济分类合计 {e} 元"
                                  f"（{wan(e)}），相差 {f - e} 元；二者应相等",
                                  budget.pos("basic", "by_economic")))
    return problems


def check_performance_amounts(budget: Budget, catalogue, tables) -> list[Problem]:
    """The 绩效目标表's 年度资金总额 = the project's amount in 表十二; each column adds up."""
    problems = []
    for p in budget.projects:
        perf = p.performance
        if perf is None:
            continue
        path = perf.path + ("funding",)
        if perf.annual_total != p.funds.total:
            problems.append(error(budget.pos(path, "annual_total"),
                                  f"项目“{p.name}”绩效目标表的年度资金总额为 {format_yuan(perf.annual_total)} 元，"
                                  f"与项目预算 {format_yuan(p.funds.total)} 元（表十二）不一致",
                                  budget.pos(p.path, "funds")))
        for column, label in (("period", "实施期"), ("annual", "年度")):
            parts = getattr(perf, f"{column}_funding")
            stated = getattr(perf, f"{column}_total")
            added = total(v or ZERO for v in vars(parts).values())
            if added != stated:
                problems.append(error(budget.pos(path, column),
                                      f"项目“{p.name}”绩效目标表{label}资金各项合计 {format_yuan(added)} 元，"
                                      f"与{label}资金总额 {format_yuan(stated)} 元不一致"))
    return problems


def check_derived_identities(budget: Budget, catalogue, figures: Figures) -> list[Problem]:
    """The identities that hold by construction — checked anyway, so a derivation bug cannot publish."""
    f = figures
    by_source = total(f.amount("total", source=s) for s in SOURCES.top)
    classes = total(f.amount("total", code=c) for c in {code[:3] for code in f.facts.codes.get("function", ())})
    pairs = (
        ("收入总计 = 支出总计", by_source, f.amount("total")),
        ("合计 = 基本支出 + 项目支出", f.amount("total"), f.amount("basic") + f.amount("project")),
        ("项目支出 = Σ 项目", f.amount("project", period="本年"),
         total(p.funds.total for p in budget.projects) + total(i.funds.total for i in budget.project_by_function)),
        ("基本支出（经济分类） = 人员经费 + 公用经费", f.amount("general_personnel") + f.amount("general_public"),
         total(i.funds.get(GENERAL) for i in budget.basic_by_economic)),
        ("三公合计 = 出国 + 接待 + 公务用车", f.amount("three_public"),
         total(f.amount(f"three_public.{p}") for p in THREE_PUBLIC_PARTS)),
        ("合计 = Σ 类", f.amount("total"), classes),
    )
    return [error(Pos(budget.file, 1, 1), f"内部核对失败：{name}（{a} ≠ {b}），请报告此问题")
            for name, a, b in pairs if a != b]


def check_government_fund_income(budget: Budget, catalogue, figures: Figures) -> list[Problem]:
    """表七 收入 = 政府性基金预算 expenditure (and 表九 likewise for 国有资本经营预算)."""
    problems = []
    for rows, income, spent, path, label in (
        (budget.government_fund_income, "fund_income", "government_fund", ("government_fund_income",), "政府性基金"),
        (budget.state_capital_income, "state_capital_income", "state_capital", ("state_capital", "income"), "国有资本经营"),
    ):
        if rows and figures.amount(income) != figures.amount(spent):
            problems.append(error(budget.pos(path), f"{label}预算收入 {wan(figures.amount(income))} 与{label}预算支出 "
                                                    f"{wan(figures.amount(spent))} 不相等"))
    return problems


def amount_maps(data, path: tuple = ()):
    """(path, mapping) of every fund-source amount mapping in the data (funds:, carryover:, 三公 parts)."""
    if isinstance(data, dict):
        if data and all(key in FUND_SOURCES for key in data):
            yield path, data
        for key, value in data.items():
            yield from amount_maps(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from amount_maps(value, path + (i,))


def check_unit_funds_whole_or_parts(budget: Budget, catalogue, figures) -> list[Problem]:
    """单位资金 is written whole or by its parts, never both in one mapping (the sum would count it twice)."""
    parts = [s for s in SOURCES.groups["单位资金"] if s != "单位资金"]
    problems = []
    for path, mapping in amount_maps(budget.source.data):
        given = [p for p in parts if p in mapping]
        if "单位资金" in mapping and given:
            problems.append(error(budget.source.key_pos(path + ("单位资金",)),
                                  f"这里既写了单位资金（整笔），又写了其中的{'、'.join(given)}；单位资金应整笔写，"
                                  "或只按事业收入、事业单位经营收入、上级补助收入、附属单位上缴收入、其他收入分项写"))
    return problems


def check_personnel_split(budget: Budget, catalogue, figures) -> list[Problem]:
    """A function 项 split into 人员经费 and 公用经费 gives no `funds` besides; where every item is split,
    the split agrees with the economic classification's, source by source."""
    problems = []
    for item in budget.basic_by_function:
        data = budget.source.data["basic"]["by_function"][item.path[-1]]
        if item.personnel is not None and "funds" in data:
            problems.append(error(budget.source.key_pos(item.path + ("funds",)),
                                  f"功能科目 {item.code} 已按 personnel、public 分列人员经费和公用经费，不应再写 funds（合计由程序计算）"))
    items = budget.basic_by_function
    if not items or any(i.personnel is None for i in items):
        return problems
    for category, attr in (("人员经费", "personnel"), ("公用经费", "public")):
        by_function = sum_funds(getattr(i, attr) for i in items)
        by_economic = sum_funds(i.funds for i in budget.basic_by_economic if i.category == category)
        for source, f, e in zip(FUND_SOURCES, by_function.values, by_economic.values):
            if f != e:
                problems.append(error(budget.pos("basic", "by_function"),
                                      f"基本支出{category}（{source}）按功能分类合计 {f} 元（{wan(f)}），按经济分类合计 {e} 元"
                                      f"（{wan(e)}），相差 {f - e} 元；二者应相等", budget.pos("basic", "by_economic")))
    return problems


CHECKS = (
    check_file_name,
    check_personnel_split,
    check_unit_funds_whole_or_parts,
    check_function_codes,
    check_economic_codes,
    check_unique,
    check_basic_function_equals_economic,
    check_performance_amounts,
    check_government_fund_income,
    check_derived_identities,
)


def run_checks(budget: Budget, catalogue: Catalogue, figures: Figures) -> list[Problem]:
    return [p for check in CHECKS for p in check(budget, catalogue, figures)]
