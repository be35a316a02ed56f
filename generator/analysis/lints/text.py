"""Lints on free text: stale years (L01), doubled words and placeholders (L05), another level of
government's boilerplate (L06).

``text_fields`` walks every text a unit writes by hand — duties, organisation, explanations, other
notes, project names, the 绩效目标表 texts and indicators, glossary overrides — once, each with its
data path and a Chinese label saying where it is. Dates (contact.date, assets.as_of) are not text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from generator.core.model import Budget
from generator.core.problems import Pos, Problem

PERFORMANCE_TEXTS = {
    "overview": "项目概况", "basis": "立项依据", "necessity": "项目设立必要性",
    "safeguards": "保证项目实施的制度、措施", "plan": "项目实施计划",
    "goal_period": "实施期目标", "goal_annual": "年度目标",
}
TEXT_SCOPE = {"basis": "basis", "plan": "period", "goal_period": "period", "goal_annual": "annual"}
EXPLANATION_LABELS = {"total": "收支总计", "general_budget": "一般公共预算当年支出", "fiscal": "财政拨款收支",
                      "three_public": "“三公”经费", "office_operation": "机关运行经费"}
OTHER_NOTE_LABELS = {"purchase_catalogue": "政府购买服务指导性目录", "other": "其他"}
NOTE_SECTIONS = {"overview": ("项目概述", ""), "basis": ("立项依据", "basis"), "implementer": ("实施主体", ""),
                 "plan": ("实施方案", "period"), "period": ("实施周期", "period"), "budget": ("年度预算安排", ""),
                 "goals": ("绩效目标", "")}       # project_notes sections: label, scope


@dataclass(frozen=True)
class TextField:
    path: tuple
    text: str
    label: str          # where it stands, e.g. 项目“Z专家评审费”的年度目标
    scope: str = ""     # "annual" (年度目标, 年度指标), "period" (实施期), "basis" (立项依据) or ""


def text_fields(budget: Budget) -> list[TextField]:
    """Every hand-written text of the unit file that is not empty, in file order."""
    unit = budget.unit
    fields = [TextField(("unit", "profile", i), t, f"单位简介第{i + 1}段") for i, t in enumerate(unit.profile)]
    fields += [TextField(("unit", "duties", i), t, f"本单位职责第{i + 1}段") for i, t in enumerate(unit.duties)]
    fields += [TextField(("unit", "organisation", i), t, f"机构设置情况第{i + 1}段")
               for i, t in enumerate(unit.organisation)]
    for project in budget.projects:
        fields += project_fields(project)
    fields += usage_fields(budget)
    fields += [TextField(("explanations", k), t, f"{EXPLANATION_LABELS.get(k, k)}的变动原因")
               for k, t in budget.explanations.items()]
    fields += [TextField(("other_notes", k), t, f"其他说明（{OTHER_NOTE_LABELS.get(k, k)}）")
               for k, t in budget.other_notes.items()]
    for i, (term, text) in enumerate(budget.glossary):
        fields += [TextField(("glossary", i, "term"), term, "名词解释的词条名"),
                   TextField(("glossary", i, "text"), text, f"名词解释“{term}”")]
    fields += note_fields(budget.project_notes)
    return [f for f in fields if isinstance(f.text, str) and f.text.strip()]


def usage_fields(budget: Budget) -> list[TextField]:
    """What each 项 is used for (“主要用于…”), at the item (basic.by_function[i].usage) or in the file's usage map."""
    items = budget.basic_by_function + budget.project_by_function
    own = [TextField(r.path + ("usage",), budget.source.value_at(r.path + ("usage",)), f"{r.code} {r.name}的用途")
           for r in items]
    given = budget.source.value_at(("usage",)) or {}
    return own + [TextField(("usage", code), text, f"{code}的用途") for code, text in given.items()]


def note_fields(notes: tuple) -> list[TextField]:
    """The paragraphs of each 项目经费情况说明 (上海 部门预算), section by section."""
    fields = []
    for i, note in enumerate(notes):
        for key, (label, scope) in NOTE_SECTIONS.items():
            fields += [TextField(("project_notes", i, key, j), text, f"项目经费情况说明“{note['name']}”的{label}第{j + 1}段", scope)
                       for j, text in enumerate(note.get(key) or ())]
    return fields


def project_fields(project) -> list[TextField]:
    fields = [TextField(project.path + ("name",), project.name, "项目名称")]
    perf = project.performance
    if perf is None:
        return fields
    where = f"项目“{project.name}”的"
    path = perf.path
    if perf.name != project.name:
        fields.append(TextField(path + ("name",), perf.name, where + "绩效目标表项目名称"))
    fields += [TextField(path + (k,), perf.texts.get(k) or "", where + label, TEXT_SCOPE.get(k, ""))
               for k, label in PERFORMANCE_TEXTS.items()]
    for ind in perf.indicators:
        fields += indicator_fields(ind, where + f"{ind.level2}“{ind.name}”")
    return fields


def indicator_fields(ind, where: str) -> list[TextField]:
    """Name and value; the 年度 column is a field of its own only when it differs from 实施期."""
    fields = []
    for key, label in (("name", "三级指标名称"), ("value", "指标值")):
        period, annual = getattr(ind, key), getattr(ind, f"annual_{key}")
        if annual != period:
            fields += [TextField(ind.path + (key,), period, f"{where}的实施期{label}", "period"),
                       TextField(ind.path + (f"annual_{key}",), annual, f"{where}的年度{label}", "annual")]
        else:
            fields.append(TextField(ind.path + (key,), period, f"{where}的{label}", "annual"))
    return fields


def text_warning(budget: Budget, field: TextField, index: int, message: str, rule: str) -> Problem:
    """A warning at character ``index`` of a field's text."""
    return Problem(text_place(budget, field, index), message, "warning", rule, path=field.path)


def text_place(budget: Budget, field: TextField, index: int) -> Pos:
    """The file position of character ``index`` of a field's text — the column of a figure or a name
    inside it (the model may have stripped the text: the shift is found in the file's own value)."""
    raw = budget.source.value_at(field.path)
    shift = raw.find(field.text) if isinstance(raw, str) else 0
    return budget.source.char_pos(field.path, max(shift, 0) + index)


def warning(budget: Budget, path: tuple, message: str, rule: str) -> Problem:
    return Problem(budget.pos(path), message, "warning", rule, path=path)


# L01 ------------------------------------------------------------------------------------------

YEAR = re.compile(r"(?<![\d.])(20\d{2})(?:\s*[-—–~～至到]\s*(20\d{2}))?\s*年")
REFERENCE = re.compile(r"《[^》]*》"                                                # a document's title
                       r"|[【〔\[［(（{｛]\s*(?:19|20)\d{2}\s*[】〕\]］)）}｝]"         # a document number
                       r"|[(（]\s*(?:19|20)\d{2}\s*年\s*(?:修订|修正|修改)?版?\s*[)）]")  # （2018年修正）


def years_in(text: str) -> list[int]:
    """The years written as 20xx年 (or 20xx—20xx年), leaving out titles and document numbers."""
    plain = REFERENCE.sub(lambda m: " " * len(m.group()), text)
    years: list[int] = []
    for m in YEAR.finditer(plain):
        years += [int(y) for y in m.groups() if y and int(y) not in years]
    return years


def lint_stale_years(budget: Budget, figures) -> list[Problem]:
    """L01: a year other than the budget year and the year before; the year before in a 年度 target.

    立项依据 (basis) is skipped: it cites old documents. Years in 《titles》 and document numbers
    (【2025】, 〔2021〕, （2020）, {2018}) are references, not stale. Later years are allowed only
    in 实施期 texts (实施期目标, 实施计划, 实施期指标), where a multi-year project plans ahead.
    """
    year = budget.year
    problems = []
    for f in text_fields(budget):
        if f.scope == "basis":
            continue
        for y in years_in(f.text):
            if y < year - 1:
                message = (f"{f.label}写的是“{y}年”，早于上年（{year - 1}年），像是沿用了往年的旧文字；"
                           f"请改为“{year}年”，若是引用旧文件请写明文件名（《…》）或文号（【{y}】）")
            elif y > year and f.scope != "period":
                message = f"{f.label}写的是“{y}年”，晚于预算年度（{year}年）；应为“{year}年”"
            elif y == year - 1 and f.scope == "annual":
                message = f"{f.label}写的是“{y}年”，这是{year}年度的目标，应为“{year}年”"
            else:
                continue
            problems.append(warning(budget, f.path, message, "L01"))
    return problems


# L05 ------------------------------------------------------------------------------------------

DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,}?)\1")
PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:XX+|xx+)(?![A-Za-z])|×{2,}|待填|某某|待补充|(?<![A-Za-z])TODO(?![A-Za-z])")


def lint_doubled_words(budget: Budget, figures) -> list[Problem]:
    """L05: a word of two or more characters written twice in a row (管理管理), and placeholders.

    One-character reduplications (常常, 人人, 认认真真) are ordinary Chinese and never matched.
    """
    problems = []
    for f in text_fields(budget):
        for word in dict.fromkeys(m.group(1) for m in DOUBLED.finditer(f.text)):
            problems.append(warning(budget, f.path, f"{f.label}中“{word}{word}”重复了“{word}”，应为“{word}”", "L05"))
        for mark in dict.fromkeys(m.group() for m in PLACEHOLDER.finditer(f.text)):
            problems.append(warning(budget, f.path, f"{f.label}中有占位文字“{mark}”，请换成实际内容", "L05"))
    return problems + comment_placeholders(budget)


COMMENT_MARK = "待填写"


def comment_placeholders(budget: Budget) -> list[Problem]:
    """L05 too: a comment that begins with 待填写 (``# 待填写：上年收入总计``) — `budgetdoc import` and
    `new` mark so a value their source did not carry (a prior-year figure, a project's kind): reported
    until it is filled and the comment deleted. Only real comments count: a # inside a text is text."""
    text = budget.source.text
    if COMMENT_MARK not in text:
        return []
    problems = []
    for index, comment in yaml_comments(text):
        if comment.startswith(COMMENT_MARK):
            problems.append(Problem(budget.source.pos_of_index(index),
                                    f"注释{comment}——填写或核对这里的数据后，删去这条注释", "warning", "L05"))
    return problems


def yaml_comments(text: str) -> list[tuple[int, str]]:
    """(index of the #, the comment's text) of every comment of a YAML text that mentions 待填写
    (a # that begins a comment: at the line's start or after a blank, outside every scalar)."""
    import yaml
    scalars = sorted((t.start_mark.index, t.end_mark.index) for t in yaml.scan(text, Loader=yaml.SafeLoader)
                     if isinstance(t, yaml.ScalarToken))
    starts = [s for s, _ in scalars]
    found = []
    line_start = 0
    for line in text.split("\n"):
        at = line.find("#")
        while at >= 0 and COMMENT_MARK in line[at:]:
            index = line_start + at
            n = bisect_right(starts, index) - 1
            inside = n >= 0 and scalars[n][0] <= index < scalars[n][1]
            if (at == 0 or line[at - 1] in " \t") and not inside:
                found.append((index, line[at + 1:].strip()))
                break
            at = line.find("#", at + 1)
        line_start += len(line) + 1
    return found


# L06 ------------------------------------------------------------------------------------------

LEVEL_CHAR = {"省级": "省", "市级": "市", "县级": "县"}
LEVEL_OF_CHAR = {c: level for level, c in LEVEL_CHAR.items()}
DIRECT_UNITS = re.compile(r"本[省市县]直(?![接辖管达通])属?(?:各?(?:部门|单位|机关))?|[省市县]直属?各?(?:部门|单位|机关)")


def lint_government_level(budget: Budget, figures) -> list[Problem]:
    """L06: 省直部门 in a 市级 or 县级 unit's text, 市直部门 in a 省级 or 县级 unit's, and so on.

    Only the unit's own texts and glossary overrides; the pack's glossary is not the unit's to fix.
    立项依据 is skipped, as it cites documents of other levels.
    """
    level = budget.unit.level
    own = LEVEL_CHAR.get(level)
    if own is None:
        return []
    problems = []
    for f in text_fields(budget):
        if f.scope == "basis":
            continue
        for mark in dict.fromkeys(m.group() for m in DIRECT_UNITS.finditer(f.text)):
            other = next(c for c in mark if c in LEVEL_OF_CHAR)
            if other == own:
                continue
            fixed = mark.replace(other, own, 1)
            problems.append(warning(budget, f.path,
                                    f"本单位是{level}单位，{f.label}却写有“{mark}”，像是套用了{LEVEL_OF_CHAR[other]}的文字；"
                                    f"应为“{fixed}”", "L06"))
    return problems
