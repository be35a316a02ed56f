"""Classification names in free text (L12, L13).

    L12  a former name of a 类 or 款 (医疗卫生与计划生育支出, since 2019 卫生健康支出), from
         generator/catalogue/function-former-names.csv: each renaming with its year and source
    L13  a code written beside a name that is not that name's code: （208类）卫生健康支出,
         卫生健康支出（210）, 2101101 行政单位医疗 — function codes (2…) and economic codes (3… 部门,
         5… 政府), against generator/catalogue/

A former name is looked for on its own only when it reads as a classification name (it ends in
支出 or 事务); a short one that is also an ordinary word (20701 文化 → 文化和旅游) only beside its
code. Titles (《…》) and document numbers are not read: an old document keeps its old title.
"""
from __future__ import annotations

import re
from functools import lru_cache

from generator.analysis.lints.text import TextField, text_fields, text_warning
from generator.analysis.lints.written import normalise
from generator.core.catalogue import Catalogue, FormerName, load_catalogue
from generator.core.model import Budget
from generator.core.problems import Problem

CODE = r"(?P<code>[235]\d{2}(?:\d{2}){0,2})(?!\d)\s*(?P<level>类|款|项)?"
CODE_BEFORE = re.compile(rf"(?<![\d.])[（(【\[［]?{CODE}[）)】\]］]?[ \t:：、\-—]*")
CODE_AFTER = re.compile(rf"[（(]{CODE}[）)]")
LEVEL_WORDS = {3: "类", 5: "款", 7: "项"}
KIND_OF_DIGIT = {"2": "function", "3": "economic", "5": "gov"}
LONGEST_NAME = 30


@lru_cache(maxsize=1)
def name_index() -> tuple[dict, dict, dict]:
    """(kind -> code -> name, kind -> name -> codes, former name -> FormerName)."""
    catalogue: Catalogue = load_catalogue()
    names = {"function": catalogue.function_names, "economic": catalogue.economic_names,
             "gov": catalogue.gov_economic_names}
    codes: dict = {kind: {} for kind in names}
    for kind, table in names.items():
        for code, name in table.items():
            codes[kind].setdefault(name, []).append(code)
    return names, codes, {f.former: f for f in catalogue.former_names}


def searched_alone(former: FormerName) -> bool:
    return former.former.endswith(("支出", "事务"))


def level_word(code: str) -> str:
    return LEVEL_WORDS.get(len(code), "")


def former_message(field: TextField, former: FormerName) -> str:
    return (f"{field.label}中的“{former.former}”是{level_word(former.code)} {former.code} 的旧称："
            f"自{former.year}年起（{former.source}）名为“{former.name}”；应为“{former.name}”")


@lru_cache(maxsize=1)
def former_pattern() -> re.Pattern:
    """The former names looked for on their own, longest first: 其他医疗卫生与计划生育支出 before
    医疗卫生与计划生育支出, so that one place is read once."""
    formers = sorted((f.former for f in name_index()[2].values() if searched_alone(f)), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, formers)))


def former_names_in(text: str) -> list[tuple[int, FormerName]]:
    """(index, former name) of every former name written on its own."""
    formers = name_index()[2]
    return [(m.start(), formers[m.group()]) for m in former_pattern().finditer(text)]


def name_at(text: str, start: int, kind: str, before: bool = False) -> str | None:
    """The longest catalogue name (current or former) starting at ``start`` (ending there: ``before``)."""
    names, codes, formers = name_index()
    for length in range(min(LONGEST_NAME, start if before else len(text) - start), 1, -1):
        candidate = text[start - length:start] if before else text[start:start + length]
        if candidate in codes[kind] or candidate in formers:
            return candidate
    return None


def coded_names(text: str) -> list[tuple[int, str, int, str]]:
    """(code index, code, name index, name) for each code written beside a catalogue name."""
    found = []
    for m in CODE_BEFORE.finditer(text):
        kind = KIND_OF_DIGIT[m.group("code")[0]]
        name = name_at(text, m.end(), kind)
        if name:
            found.append((m.start("code"), m.group("code"), m.end(), name))
    for m in CODE_AFTER.finditer(text):
        kind = KIND_OF_DIGIT[m.group("code")[0]]
        name = name_at(text, m.start(), kind, before=True)
        if name:
            found.append((m.start("code"), m.group("code"), m.start() - len(name), name))
    return sorted(set(found))


def code_problem(field: TextField, code: str, name: str) -> tuple[str, str] | None:
    """(rule, message) when a code and the name beside it do not belong together."""
    names, codes, formers = name_index()
    kind = KIND_OF_DIGIT[code[0]]
    own = names[kind].get(code)
    former = formers.get(name)
    if own is None or own == name:
        return None
    if former is not None and former.code == code:
        return "L12", former_message(field, former)
    current = former.name if former is not None else name
    owners = codes[kind].get(current, [])
    if code in owners:
        return None
    renamed = f"（今名“{current}”）" if former is not None else ""
    listed = "、".join(owners[:3]) + (f"等{len(owners)}个" if len(owners) > 3 else "")
    of_name = f"“{name}”{renamed}" + (f"的编码是 {listed}" if owners else "不在目录中")
    return "L13", (f"{field.label}中编码 {code} 与名称“{name}”不符：{code} 是“{own}”，{of_name}；"
                   "编码与名称应一致，请核对")


def lint_classification_names(budget: Budget, figures) -> list[Problem]:
    """L12 and L13 over every hand-written text of the unit."""
    problems = []
    for field in text_fields(budget):
        plain = normalise(field.text)
        reported = set()
        for index, code, at_name, name in coded_names(plain):
            found = code_problem(field, code, name)
            if found:
                rule, message = found
                at = at_name if rule == "L12" else index
                if rule == "L12":
                    reported.add(at_name)
                problems.append(text_warning(budget, field, at, message, rule))
        for index, former in former_names_in(plain):
            if index not in reported:
                problems.append(text_warning(budget, field, index, former_message(field, former), "L12"))
    return problems
