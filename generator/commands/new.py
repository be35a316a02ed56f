"""`budgetdoc new`: start a unit's file for a year — a commented skeleton, or last year's file carried on.

    new <slug> --year 2027                        skeleton: placeholders (待填写) and zeros
    new <slug> --from units/x/2026.yaml           last year's file: texts and leaf figures kept,
                                                  its derived totals moved into prior_year

First the data is built and written as commented YAML text, then checked with ``analyse`` in a
temporary file, and only then linked into place: an existing file is never overwritten.

Placeholders contain “待填”, which lint L05 reports, so ``budgetdoc check`` lists what is left to fill.
The skeleton passes the schema and the checks; only those warnings remain.

cli.make_parser imports this module for ``add_new_parser``; the pipeline is imported where it is
used, so that the other commands and ``--help`` stay fast.
"""
from __future__ import annotations

import os
import re
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import yaml

from generator.commands.arguments import path_argument
from generator.core.atomic import written_beside
from generator.core.files import os_error_words
from generator.core.model import THREE_PUBLIC_PARTS
from generator.core.money import format_wan
from generator.core.problems import BudgetdocError, Exit, UsageError, has_errors, print_problems

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/unit-budget.schema.json"
BY_USE = ("领导用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "事业单位业务用车", "其他公务用车")
PART_WORDS = {"outbound": "因公出国（境）费", "reception": "公务接待费",
              "vehicle_purchase": "①公务用车购置费", "vehicle_operation": "②公务用车运行维护费"}
EXPLANATION_KEYS = ("total", "general_budget", "three_public", "office_operation")
COMMENT_COLUMN = 32
DEFAULT_TEMPLATE = "shanxi-datong"


# The data ---------------------------------------------------------------------------------------

def skeleton_data(slug: str, year: int, template: str) -> dict:
    """A minimal valid file: every required part, empty lists, zero figures, 待填写 texts."""
    return {
        "year": year,
        "template": template,
        "unit": {"name": "（待填写：单位全称）", "slug": slug, "kind": "行政单位", "level": "市级",
                 "department": {"code": "000", "name": "（待填写：主管部门全称）"}, "staff": 0,
                 "duties": ["（待填写：本单位的一项职责，每项职责一段，不写序号）"],
                 "organisation": ["（待填写：机构设置情况，如内设科室、在职人员数）"]},
        "basic": {"by_function": [], "by_economic": []},
        "projects": [],
        "three_public": {part: {} for part in THREE_PUBLIC_PARTS},
        "government_fund_income": [],
        "state_capital": {"income": []},
        "prior_year": {"total": 0, "general_budget": 0, "three_public": {p: 0 for p in THREE_PUBLIC_PARTS},
                       "office_operation": 0},
        "explanations": {key: "" for key in EXPLANATION_KEYS},
        "procurement": {"goods": 0, "works": 0, "services": 0},
        "overall_performance": None,
        "assets": {"as_of": f"{year - 1}-12-31",
                   "vehicles": {"quota": 0, "actual": 0, "by_use": dict.fromkeys(BY_USE, 0)},
                   "office_area": 0, "equipment_over_500k": 0, "equipment_over_1m": 0},
        "other_notes": {"purchase_catalogue": "（待填写：政府购买服务指导性目录的执行情况）",
                        "other": "（待填写：其他需要说明的事项；没有写“我部门无其他专项资金。”）"},
        "glossary": [],
    }


def prior_year_of(figures) -> dict:
    """This year's derived figures as next year's prior_year block (元, exact)."""
    return {
        "total": figures.amount("total"),
        "general_budget": figures.amount("general_budget"),
        "three_public": {p: figures.amount(f"three_public.{p}") for p in THREE_PUBLIC_PARTS},
        "office_operation": figures.amount("office_operation"),
    }


def carried_data(source: dict, facts, slug: str, year: int, template: str | None) -> dict:
    """Last year's file for ``year``: texts and leaf figures kept, prior_year from its facts,
    the year's own texts (explanations, 填报日期) emptied, the asset date moved on."""
    data = dict(source)
    data["year"] = year
    data["template"] = template or source["template"]
    data["unit"] = {**source["unit"], "slug": slug}
    data["projects"] = [without_contact_date(p) for p in source["projects"]]
    data["prior_year"] = prior_year_of(facts)
    data["explanations"] = {key: "" for key in EXPLANATION_KEYS}
    data.pop("waivers", None)               # a waiver confirms one year's text: confirmed anew each year
    if "assets" in source:
        data["assets"] = {**source["assets"], "as_of": f"{year - 1}-12-31"}
    return data


def without_contact_date(project: dict) -> dict:
    perf = project.get("performance")
    if not perf or "contact" not in perf:
        return project
    return {**project, "performance": {**perf, "contact": {**perf["contact"], "date": ""}}}


# The comments -----------------------------------------------------------------------------------

SECTION_NOTES = {
    "year": ["预算年度与模板包（templates/<名称>/）"],
    "unit": ["单位信息：kind 为 行政单位 | 参照公务员法管理事业单位 | 事业单位；level 为 省级 | 市级 | 县级",
             "duties、organisation：每段一项，不写（一）（二）序号"],
    "basic": ["基本支出：by_function 按支出功能分类“项”（7位编码，加引号），by_economic 按经济分类“款”（5位编码）",
              "两者合计必须相等。例：- {code: \"2010301\", name: 行政运行, funds: {一般公共预算: 1892900}}",
              "      - {code: \"30101\", name: 基本工资, category: 人员经费, funds: {一般公共预算: 829800}}"],
    "projects": ["项目支出，按表十二的顺序。例：- {name: Z专家评审费, function: \"2010302\", kind: 其他运转类,",
                 "funds: {一般公共预算: 250000}}；公开绩效目标的项目另写 performance（见 docs/format.md）"],
    "three_public": ["财政拨款安排的“三公”经费（表十），按资金来源；没有写 {}"],
    "government_fund_income": ["表七 政府性基金预算收入、表九 国有资本经营预算收入：[{code, name, amount}]，没有写 []"],
    "prior_year": ["上年预算数（用于增减比较），单位：元"],
    "explanations": ["增减变动原因，接在“主要原因是”之后，不写“主要原因是”和句末“。”；与上年持平可留空"],
    "procurement": ["政府采购预算（元）"],
    "overall_performance": ["整体绩效目标：未编报写 null，编报了写 {amount: 金额}"],
    "assets": ["国有资产占有使用情况（截至上年年底）：公务用车（辆）、办公用房（平方米）、大型设备（台/套）"],
    "other_notes": ["十二、其他说明"],
    "glossary": ["名词解释：覆盖或增加模板包的词条，[{term, text}]；沿用模板包写 []"],
}

CARRIED_NOTES = {
    "basic": ["以下金额沿用上年预算，仅作起点：请按本年预算逐项核改"],
    "projects": ["项目名称、类别、绩效目标表文字和金额均沿用上年，请逐项核改；填报日期已清空"],
    "three_public": ["金额沿用上年，请核改"],
    "procurement": ["金额沿用上年，请核改"],
    "assets": ["截止日期已改为上年年底，数量沿用，请核对"],
}

FIELD_NOTES = {
    ("unit", "slug"): "须与文件夹名相同",
    ("unit", "kind"): "单位性质：请核对",
    ("unit", "level"): "预算级次：请核对",
    ("unit", "department", "code"): "待填写：主管部门编码",
    ("unit", "staff"): "在职人员（名）",
    ("procurement", "goods"): "货物",
    ("procurement", "works"): "工程",
    ("procurement", "services"): "服务",
    ("assets", "office_area"): "办公用房建筑总面积（平方米）",
    ("assets", "equipment_over_500k"): "单价50万元以上通用设备（台/套）",
    ("assets", "equipment_over_1m"): "单价100万元以上通用设备（台/套）",
}


def prior_year_notes(prior: dict, origin: str) -> dict:
    """Comments on the prior_year figures: what each is and, when carried, its 万元 and origin."""
    def note(label: str, value) -> str:
        return f"{label}：{format_wan(Decimal(value))}万元" if origin else label
    total_label = "上年收入总计（=支出总计）" if not origin else "上年收入总计"
    notes: dict[tuple[str, ...], str] = {("prior_year", "total"): note(total_label, prior["total"]),
             ("prior_year", "general_budget"): note("上年一般公共预算当年支出", prior["general_budget"]),
             ("prior_year", "office_operation"): note("上年机关运行经费", prior["office_operation"])}
    notes.update({("prior_year", "three_public", p): note(PART_WORDS[p], prior["three_public"][p])
                  for p in THREE_PUBLIC_PARTS})
    if origin:
        notes[("prior_year",)] = f"由 {origin} 推算"
    return notes


# The YAML text ----------------------------------------------------------------------------------

def scalar_text(value) -> str:
    """One YAML scalar as it would be written after ``key: ``; amounts as plain numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
        return str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")
    text = str(value)
    style = '"' if ("\n" in text or "\t" in text) else None
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10**9, default_style=style)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def is_flow(value) -> bool:
    """Mappings of amounts ({一般公共预算: 250000}) are written on one line."""
    return isinstance(value, dict) and all(v is None or isinstance(v, (int, Decimal)) for v in value.values())


def inline_text(value) -> str | None:
    if isinstance(value, (dict, list)) and not value:
        return "{}" if isinstance(value, dict) else "[]"
    if is_flow(value):
        return "{" + ", ".join(f"{scalar_text(k)}: {scalar_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (dict, list)):
        return None
    return scalar_text(value)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def with_comment(line: str, comment: str | None) -> str:
    """``line`` with ``# comment`` aligned at COMMENT_COLUMN (Chinese characters count double)."""
    if not comment:
        return line
    return line + " " * max(COMMENT_COLUMN - 1 - display_width(line), 1) + f"# {comment}"


def mapping_lines(data: dict, path: tuple, indent: int, notes: dict) -> list[str]:
    lines = []
    for key, value in data.items():
        here = path + (key,)
        head = f"{' ' * indent}{scalar_text(key)}:"
        flat = inline_text(value)
        if flat is not None and not any(p[:len(here)] == here and len(p) > len(here) for p in notes):
            lines.append(with_comment(f"{head} {flat}", notes.get(here)))
            continue
        lines.append(with_comment(head, notes.get(here)))
        lines += (mapping_lines(value, here, indent + 2, notes) if isinstance(value, dict)
                  else sequence_lines(value, here, indent + 2, notes))
    return lines


def sequence_lines(items: list, path: tuple, indent: int, notes: dict) -> list[str]:
    lines = []
    for i, item in enumerate(items):
        flat = inline_text(item)
        if flat is not None:
            lines.append(f"{' ' * indent}- {flat}")
            continue
        inner = (mapping_lines(item, path + (i,), indent + 2, notes) if isinstance(item, dict)
                 else sequence_lines(item, path + (i,), indent + 2, notes))
        lines.append(f"{' ' * indent}- {inner[0][indent + 2:]}")
        lines += inner[1:]
    return lines


def yaml_text(data: dict, header: list[str], sections: dict, notes: dict) -> str:
    """The file: schema line, header comments, then each top-level key under its comment lines."""
    lines = [SCHEMA_LINE] + [f"# {h}" for h in header]
    for key, value in data.items():
        if sections.get(key):
            lines += [""] + [f"# {note}" for note in sections[key]]
        lines += mapping_lines({key: value}, (), 0, notes)
    return "\n".join(lines) + "\n"


# The command ------------------------------------------------------------------------------------

def new_file_text(slug: str, year: int | None, origin: Path | None, template: str | None) -> tuple[str, int]:
    """(YAML text, year) of the new file. UsageError: a usage problem; BudgetdocError: the
    --from file has errors."""
    if origin is not None:
        return carried_text(slug, year, origin, template)
    if year is None:
        raise UsageError("请用 --year 指定预算年度（如 --year 2027），或用 --from 指定上年文件")
    return skeleton_text(slug, year, template or DEFAULT_TEMPLATE), year


def skeleton_text(slug: str, year: int, template: str) -> str:
    data = skeleton_data(slug, year, template)
    header = [f"{year}年度单位预算（新建骨架）。金额单位：元；只填末级数据，合计、小计、占比、增减由程序计算。",
              "写有“待填写”的地方都要换成实际内容；运行 budgetdoc check 可列出尚未填写之处。"]
    notes = {**FIELD_NOTES, **prior_year_notes(data["prior_year"], "")}
    return yaml_text(data, header, SECTION_NOTES, notes)


def carried_text(slug: str, year: int | None, origin: Path, template: str | None) -> tuple[str, int]:
    from generator.analysis.pipeline import analyse
    analysis = analyse(origin)
    if has_errors(analysis.problems) or analysis.figures is None or analysis.budget is None:
        raise BudgetdocError(analysis.problems)
    last = analysis.budget.year
    year = year or last + 1
    data = carried_data(analysis.budget.source.data, analysis.figures, slug, year, template)
    header = [f"{data['unit']['name']}{year}年度单位预算。金额单位：元；只填末级数据。",
              f"由 {origin} 结转生成：文字和末级金额沿用{last}年，仅作起点，请逐项核改；",
              f"prior_year 为{last}年预算推算所得；增减原因（explanations）已清空，请按本年情况填写。"]
    sections = {k: SECTION_NOTES.get(k, []) + CARRIED_NOTES.get(k, []) for k in data}
    notes = {**FIELD_NOTES, **prior_year_notes(data["prior_year"], str(origin))}
    notes.pop(("unit", "department", "code"))
    return yaml_text(data, header, sections, notes), year


def write_new(target: Path, text: str) -> list:
    """Check the text as the file it will be, then link it into place; never overwrites."""
    from generator.analysis.pipeline import analyse
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with written_beside(target, text.encode("utf-8")) as temporary:
            analysis = analyse(temporary, str(target))
            if has_errors(analysis.problems):
                raise BudgetdocError(analysis.problems)
            try:
                os.link(temporary, target)      # fails if the file appeared meanwhile
            except FileExistsError:
                raise UsageError(f"{target} 已存在，不会覆盖；如需重建请先删除或改名") from None
    except OSError as exc:
        raise cannot_create(target, exc) from None
    return analysis.problems


def cannot_create(target: Path, exc: OSError) -> UsageError:
    return UsageError(f"无法在 {target.parent} 中新建文件：{os_error_words(exc)}")


def planned_file(args) -> tuple[Path, str]:
    """Where the new file goes and its text; UsageError for anything the user must change."""
    origin = Path(args.origin) if args.origin else None
    if not SLUG.match(args.slug):
        raise UsageError(f"单位标识“{args.slug}”无效：只能用小写字母、数字和连字符，且以字母或数字开头")
    from generator.source.schema import load_schema  # the schema's own limit; imported only here (jsonschema)
    longest = load_schema()["properties"]["unit"]["properties"]["slug"]["maxLength"]
    if len(args.slug) > longest:
        raise UsageError(f"单位标识过长：最多 {longest} 个字符，这里有 {len(args.slug)} 个")
    if args.year is not None and not 2000 <= args.year <= 2100:
        raise UsageError(f"预算年度 {args.year} 无效：应为2000至2100之间的四位年份")
    if origin is not None and not origin.is_file():
        raise UsageError(f"找不到上年文件：{origin}")
    text, year = new_file_text(args.slug, args.year, origin, args.template)
    target = Path(args.units_dir) / args.slug / f"{year}.yaml"
    if target.exists():
        raise UsageError(f"{target} 已存在，不会覆盖；如需重建请先删除或改名")
    return target, text


def command_new(args) -> int:
    try:
        target, text = planned_file(args)
        problems = write_new(target, text)
    except UsageError:
        raise
    except BudgetdocError as exc:
        print_problems(exc.problems, sys.stdout)
        print(f"budgetdoc: 未生成：{args.origin or args.slug} 有错误", file=sys.stderr)
        return Exit.DATA
    print(f"已生成 {target}" + ("，以下各处还需填写或核对：" if problems else ""), file=sys.stderr)
    print_problems(problems, sys.stdout)
    return Exit.OK


def add_new_parser(subparsers) -> None:
    new = subparsers.add_parser(
        "new", help="新建单位预算文件：空白骨架，或由上年文件结转",
        description="新建 <单位文件夹>/<单位标识>/<年度>.yaml。不带 --from 时生成带注释的空白骨架（“待填写”处需替换）；"
                    "带 --from 时沿用上年文件的文字和末级金额，并把上年的收支总计、一般公共预算、“三公”经费和"
                    "机关运行经费写入 prior_year。已存在的文件不会被覆盖。")
    new.add_argument("slug", metavar="单位标识", help="单位标识（小写字母、数字、连字符），即文件夹名")
    new.add_argument("--year", type=int, metavar="年度", help="预算年度；带 --from 时默认为上年文件的年度加一")
    new.add_argument("--from", dest="origin", type=path_argument, metavar="上年文件", help="由这个单位文件结转（如 units/x/2026.yaml）")
    new.add_argument("--units-dir", default="units", type=path_argument, metavar="文件夹", help="单位文件夹（默认 units/）")
    new.add_argument("--template", metavar="模板包", help=f"模板包名称（默认 {DEFAULT_TEMPLATE}，带 --from 时沿用上年文件的）")
    new.set_defaults(run=command_new)
