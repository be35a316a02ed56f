"""The wording: the pack's Jinja2 templates rendered from the unit's figures.

Templates get typed objects — ``budget`` (the model), ``facts`` (analysis.figures.Figures: amounts,
shares, changes, lists), ``pack`` (pack.yaml) and ``glossary`` — and format figures only through
the filters below.

document.j2 is read line by line: a line "@style[:level] text" starts a block, a line without "@"
continues the block above it; "text @@ 目录文字" gives the 目录 other words than the heading.
User text is data: every value a template prints passes `finalize`, which removes line breaks and
turns "@" into a private-use character that `parse_directives` turns back after reading the lines —
so no text a finance office writes can start a line, become a directive or end a heading's text.
"""
from __future__ import annotations

import copy
import re
import traceback
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.sandbox import SecurityError

from generator.analysis.figures import FigureError, Figures
from generator.core.model import Budget
from generator.core.money import format_pct, format_wan, format_yuan
from generator.core.problems import PackError, Pos, Problem, error

if TYPE_CHECKING:
    from generator.pack.loading import Pack

CN_DIGITS = "零一二三四五六七八九"
CN_PLACES = ("千", "百", "十", "")
CN_UNITS = (("亿", 10 ** 8), ("万", 10 ** 4))
AT = "\ue000"                                     # "@" inside printed values
TOC_TEXT = " @@ "                                 # heading text @@ its 目录 entry
LINE_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


@lru_cache(maxsize=4096)
def cn_num(n: int) -> str:
    """A whole number in Chinese numerals, as numbered headings write it: 1 → 一, 10 → 十, 12 → 十二,
    30 → 三十, 100 → 一百, 101 → 一百零一, 110 → 一百一十, 1005 → 一千零五, 100010 → 十万零一十."""
    if n < 0:
        return "负" + cn_num(-n)
    words = cn_words(n) if n else CN_DIGITS[0]
    return words[1:] if words.startswith("一十") else words


def cn_words(n: int) -> str:
    """0 < n, with 零 wherever places are skipped inside it (the leading 一十 is cn_num's to shorten)."""
    for unit, size in CN_UNITS:
        if n >= size:
            high, low = divmod(n, size)
            return cn_words(high) + unit + ((CN_DIGITS[0] if low < size // 10 else "") + cn_words(low) if low else "")
    words, skipped = "", False
    for place, digit in zip(CN_PLACES, (int(d) for d in f"{n:04d}")):
        if digit == 0:
            skipped = bool(words)
            continue
        words += (CN_DIGITS[0] if skipped else "") + CN_DIGITS[digit] + place
        skipped = False
    return words


def cn_date(iso: str) -> str:
    """'2025-12-31' → '2025年12月31日'."""
    year, month, day = str(iso).split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def pct(value: Decimal | None) -> str:
    return format_pct(value)


def pct_trim(value: Decimal | None) -> str:
    return format_pct(value, trim=True)


def wan(value: Decimal) -> str:
    return format_wan(Decimal(value))


FILTERS = {"wan": wan, "pct": pct, "pct_trim": pct_trim, "yuan": format_yuan, "cn_num": cn_num, "cn_date": cn_date}


def finalize(value: Any) -> Any:
    """Every printed value: line breaks removed, "@" kept apart from the directives."""
    if isinstance(value, str):
        return LINE_BREAKS.sub("", value).replace("@", AT)
    return "" if value is None else value


def glossary_terms(pack: Pack, budget: Budget) -> list:
    """The pack's terms with the unit's overrides applied (same term replaced, new ones appended).

    The pack's texts are templates (they may name the unit's level of government through
    ``departments``); a unit's own texts are taken as written.
    """
    words, level = pack.settings["level_words"], budget.unit.level
    if level not in words:
        raise PackError([error(budget.pos(("unit", "level")),
                               f"模板包“{pack.name}”没有{level}单位的措辞（pack.yaml 的 level_words 只有"
                               f"{'、'.join(words)}）：请核对 unit.level，或换用本级次的模板包")])
    departments = words[level]
    terms = {term: [template.render(departments=departments, level=budget.unit.level) for template in templates]
             for term, templates in pack.glossary_templates}
    terms.update({term: as_paragraphs(text) for term, text in budget.glossary})
    return list(terms.items())


def as_paragraphs(text) -> list:
    return [text] if isinstance(text, str) else list(text)


@dataclass(frozen=True)
class DepartmentView:
    """What a department's templates know of it beside its figures: its units, how many of each kind."""
    name: str
    short_name: str
    units: tuple[tuple[str, str], ...]          # (slug, name) of the units with a file, the 本部 first
    members: tuple                               # analysis.department.Member: every unit, merged ones last
    counts: tuple[tuple[str, int], ...]          # (kind, how many), 行政单位 / 参公 / 事业单位
    description: str = ""                        # where the department's figures come from, for the file's properties


def render_document(pack: Pack, budget: Budget, figures: Figures,
                    department: DepartmentView | None = None) -> list[tuple[str, str, str]]:
    """The document as (directive, text, 目录 text) triples; PackError with the template's line when a
    template asks for what the unit or the pack does not have."""
    kind = "department" if department is not None else "unit"
    missing: list[Problem] = []                   # every prior the templates compare with that the unit lacks
    while True:
        try:
            pack.env.rendering()
            text = pack.env.get_template(pack.template(kind)).render(
                budget=budget, facts=figures, pack=pack.words(kind), glossary=glossary_terms(pack, budget),
                department=department)
            break
        except FigureError as exc:
            missing.append(render_problem(exc, pack, budget))
            if not exc.prior or len(missing) > MAX_MISSING_PRIORS:
                raise PackError(missing) from None
            figures = with_prior(figures, exc.prior)      # rendered again, to find the next one
        except RUNTIME_ERRORS as exc:
            raise PackError(missing + [render_problem(exc, pack, budget)]) from None
    if missing:
        raise PackError(missing)
    return parse_directives(text, pack)


MAX_MISSING_PRIORS = 40

# What a template may do wrong while it runs (a pack's mistake, whatever the unit): in Chinese, the
# template's line beside it. Python's own words are not shown: they speak of its types, not the pack's.
RUNTIME_WORDS: tuple[tuple[type[Exception], str], ...] = (
    (SecurityError, "模板不能使用程序内部的名字（以 _ 开头的属性）"),
    (jinja2.TemplateError, "模板无法运行"),
    (ZeroDivisionError, "除数为零（如用 0 作除数，或用为 0 的合计求占比）"),
    (RecursionError, "宏或模板调用自身，层层嵌套没有尽头"),
    (MemoryError, "生成的文字过多，内存不足"),
    (OverflowError, "数值过大，无法计算"),
    (ArithmeticError, "算术运算无效（如用 0 作除数）"),
    (TypeError, "数据类型不符（如把文字当作数字运算，或调用了不能调用的值）"),
    (ValueError, "取值无效（如把文字转换为数字）"),
    (KeyError, "没有这个键"),
    (IndexError, "下标超出范围"),
    (AttributeError, "没有这个属性"),
)
RUNTIME_ERRORS = tuple(kind for kind, _ in RUNTIME_WORDS)


def with_prior(figures: Figures, key: str) -> Figures:
    """`figures` as if the unit gave the missing prior `key` (prior_year[.executed].<measure>) as 0."""
    *period, measure = key.split(".")[1:]
    name = "executed" if period else "budget"
    priors = {**figures.budget.prior_year, name: {**figures.budget.prior_year.get(name, {}), measure: Decimal(0)}}
    patched = copy.copy(figures)
    patched.budget = replace(figures.budget, prior_year=priors)
    return patched


def render_problem(exc: Exception, pack: Pack, budget: Budget) -> Problem:
    """Where in the pack's templates rendering stopped, and why, worded for the unit."""
    from generator.pack.loading import display
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    place = Pos(display(pack.folder / "document.j2"), 1, 1)
    line = ""
    if frames:
        frame = frames[-1]
        place, line = Pos(frame.filename if not frame.filename.startswith("/") else display_of(frame.filename),
                          frame.lineno or 1, 1), (frame.line or "").strip()
    if isinstance(exc, FigureError) and exc.prior:
        unit_place = budget.source.key_pos(("prior_year",)) if "prior_year" in budget.source.data else Pos(budget.file, 1, 1)
        return error(unit_place, f"{exc}：模板包“{pack.name}”要把本年与上年比较（{line}），请在 {exc.prior} 中写上年数",
                     place)
    elif isinstance(exc, jinja2.UndefinedError):
        what = f"模板用到了 {budget.file} 中没有的数据（{undefined_words(str(exc))}）；请在单位文件中填写，或由模板判断是否存在"
    elif isinstance(exc, jinja2.TemplateNotFound):
        what = f"模板“{exc.name}”不存在（模板包 {pack.name} 中没有这个文件）"
    else:
        what = "模板出错：" + next(words for kind, words in RUNTIME_WORDS if isinstance(exc, kind))
    return error(place, what + (f"：{line}" if line else ""))


def display_of(filename: str) -> str:
    from pathlib import Path

    from generator.pack.loading import display
    return display(Path(filename))


def undefined_words(message: str) -> str:
    """Jinja's "'dict object' has no attribute 'vehicles'" → "没有“vehicles”"."""
    match = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", message)
    return f"没有“{match.group(1) or match.group(2)}”" if match else message


def parse_directives(text: str, pack: Pack | None = None) -> list[tuple[str, str, str]]:
    blocks: list[list[str]] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("@"):
            head, _, rest = stripped[1:].partition(" ")
            blocks.append([head, rest.strip()])
        elif blocks:
            blocks[-1][1] += stripped
        else:
            where = f"模板包“{pack.name}”的 " if pack else ""
            raise PackError(f"{where}document.j2 的第一行应为“@指令”，实际为：{stripped[:30]}")
    result = []
    for head, body in blocks:
        shown, _, toc = body.partition(TOC_TEXT.strip()) if TOC_TEXT.strip() in body else (body, "", "")
        result.append((head, shown.strip().replace(AT, "@"), toc.strip().replace(AT, "@")))
    return result
