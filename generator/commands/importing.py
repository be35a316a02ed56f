"""`budgetdoc import`: a unit file from a budget system's workbook (the 公开表, one sheet per table).

    import WORKBOOK [--pack P] [-o units/<slug>/<year>.yaml] [--force]

First the workbook is read through the pack's tables (workbook/importing.py) and every problem is
collected; with an error nothing is written. Then the unit file is composed: the tables' leaves in
元, each with its cells as a comment, and for everything the tables do not carry (texts, 绩效目标表,
prior-year figures, explanations, the unit's details) a placeholder that `check` reports — a
“（待填写：…）” text or a comment beginning with 待填写. The text is checked as the file it will be
(in a temporary file beside it), then linked into place: an existing file is kept unless --force.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from generator.commands.arguments import path_argument
from generator.commands.new import SLUG, cannot_create, skeleton_data, yaml_text
from generator.core.atomic import write_atomic, write_new, written_beside
from generator.core.model import THREE_PUBLIC_PARTS
from generator.core.problems import Exit, Problem, UsageError, has_errors, print_problems

UNIT_TEXTS = {"duties", "organisation"}


def target_of(args, slug_hint: str, year: int) -> tuple[Path, str]:
    """Where the unit file goes and the unit's slug (its folder's name)."""
    if args.output:
        target = Path(args.output)
        slug = target.parent.name
    else:
        slug = slug_hint
        target = Path(args.units_dir) / slug / f"{year}.yaml"
    if not SLUG.match(slug):
        raise UsageError(f"单位标识“{slug}”无效（只能用小写字母、数字和连字符）；请用 -o units/<单位标识>/<年度>.yaml 指定单位文件")
    return target, slug


def slug_from_book(path: Path) -> str:
    """datong-ggzyjy-2026.xlsx → datong-ggzyjy (an export's own name); '' when the name is no slug."""
    stem = re.sub(r"[-_]?\d{4}$", "", path.stem.lower())
    return stem if SLUG.match(stem) else ""


def placeholders(imported, slug: str, year: int) -> tuple[dict, dict]:
    """The parts of a unit file the tables do not carry, as placeholders, with their notes."""
    pack = imported.pack
    skeleton = skeleton_data(slug, year, pack.name)
    unit = skeleton["unit"]
    notes: dict[tuple, str] = {}
    if imported.unit_name:
        unit["name"] = imported.unit_name
        notes[("unit", "name")] = "表头上方的单位名称"
    if imported.kind:
        unit["kind"] = imported.kind
    notes[("unit", "kind")] = imported.kind_note
    notes[("unit", "level")] = "待填写：预算级次（省级、市级、区级或县级，报表中没有）"
    notes[("unit", "department", "code")] = "待填写：主管部门编码"
    notes[("unit", "staff")] = "待填写：在职人员数（报表中没有）"
    data = {"unit": unit, "explanations": {}, "procurement": skeleton["procurement"],
            "overall_performance": None, "assets": skeleton["assets"], "other_notes": skeleton["other_notes"],
            "glossary": []}
    notes[("explanations",)] = "待填写：增减变动的原因（报表中没有；budgetdoc check 指出哪些变动需要说明）"
    notes[("procurement",)] = "待填写：政府采购预算（报表中没有）"
    notes[("overall_performance",)] = "待填写：整体绩效目标（未编报写 null，编报了写 {amount: 金额}）"
    notes[("assets",)] = "待填写：国有资产占有使用情况（报表中没有）"
    if "performance_targets" in (pack.settings.get("requires") or ()):
        data["performance_targets"] = {"count": 0, "amount": 0}
        notes[("performance_targets",)] = "待填写：编报绩效目标的项目个数和金额（报表中没有）"
    return data, notes


def unit_data(imported, slug: str, year: int) -> tuple[dict, dict]:
    """The whole unit file's data in the order of docs/format.md, and the comment of each value."""
    rest, notes = placeholders(imported, slug, year)
    tables = imported.data
    data = {"year": year, "template": imported.pack.name, "unit": rest["unit"], "basic": tables["basic"],
            "projects": tables["projects"]}
    if "project_by_function" in tables:
        data["project_by_function"] = tables["project_by_function"]
    data.update({"three_public": tables["three_public"], "government_fund_income": tables["government_fund_income"],
                 "state_capital": tables["state_capital"], "prior_year": {}})
    data.update({k: v for k, v in rest.items() if k != "unit"})
    notes.update(imported.parts.notes)
    for i in range(len(data["projects"])):
        notes[("projects", i, "name")] = "待填写：项目支出绩效目标表（performance，报表中没有；格式见 docs/format.md）"
    return data, notes


def with_priors(data: dict, notes: dict, asked: list[str]) -> None:
    """prior_year with a zero for each prior the pack's document compares, each marked 待填写."""
    prior: dict = {}
    for key in asked:
        executed = key.startswith("executed.")
        measure = key.removeprefix("executed.")
        into = prior.setdefault("executed", {}) if executed else prior
        base = ("prior_year",) + (("executed",) if executed else ())
        if measure in ("three_public", "three_public.vehicle") or measure.startswith("three_public."):
            parts = into.setdefault("three_public", {})
            names = (THREE_PUBLIC_PARTS if measure == "three_public" else ("vehicle_purchase", "vehicle_operation")
                     if measure == "three_public.vehicle" else (measure.split(".", 1)[1],))
            for part in names:
                parts.setdefault(part, 0)
                notes[base + ("three_public", part)] = f"待填写：上年{'执行数' if executed else '预算数'}（{key}，报表中没有）"
        else:
            into.setdefault(measure, 0)
            notes[base + (measure,)] = f"待填写：上年{'执行数' if executed else '预算数'}（{key}，报表中没有）"
    data["prior_year"] = prior
    notes[("prior_year",)] = "上年数字（元），用于增减比较：模板包比较的各项都要填写"


def header_lines(imported, year: int, book: str) -> list[str]:
    unit = imported.unit_name or "（单位）"
    lines = [f"{unit}{year}年度单位预算，由工作簿 {book} 导入（budgetdoc import，模板包 {imported.pack.name}）。",
             "金额单位：元；只有末级数据，合计、小计、占比、增减由程序计算。每个金额后的注释是它在工作簿中的位置（如 表3!D12）。",
             "注释以“待填写”开头之处，报表中没有这项数据或只给出合计：填写或核对后删去该注释；budgetdoc check 逐条列出。"]
    if imported.rounded:
        lines.append(f"{'、'.join(imported.rounded)} 的金额是万元两位小数：若预算有百元以下的尾数，表中没有，"
                     "由这些表导入的金额只精确到百元，无法还原到元；需要精确到元时，请从预算管理一体化系统导出以元为单位（或精确的万元）的报表。")
    return lines


SECTIONS = {
    "unit": ["单位信息：报表只有单位名称；其余待填写"],
    "basic": ["基本支出：按功能分类“项”和资金来源（表中各行），按经济分类“款”（表六或经济分类表）"],
    "projects": ["项目支出：名称和金额来自项目支出表；类别和绩效目标表待填写"],
    "three_public": ["“三公”经费，按资金来源"],
    "prior_year": ["上年数字：报表中没有"],
    "explanations": ["增减变动原因：接在“主要原因是”之后，不写“主要原因是”和句末“。”"],
    "procurement": ["以下各部分报表中没有，均待填写"],
}


def checked_text(imported, slug: str, year: int, target: Path, book: str) -> tuple[str, list[Problem]]:
    """The unit file's text, with the priors its pack compares, and its problems as `check` sees them."""
    from generator.analysis.pipeline import analyse
    from generator.workbook.priors import priors_asked
    data, notes = unit_data(imported, slug, year)
    text = yaml_text(data, header_lines(imported, year, book), SECTIONS, notes)
    analysis = analyse_text(text, target, lints=False, analyse=analyse)
    if analysis.budget is not None and analysis.facts is not None:
        with_priors(data, notes, priors_asked(analysis, imported.pack))
        text = yaml_text(data, header_lines(imported, year, book), SECTIONS, notes)
        analysis = analyse_text(text, target, lints=True, analyse=analyse)
    return text, analysis.problems


def analyse_text(text: str, target: Path, lints: bool, analyse):
    target.parent.mkdir(parents=True, exist_ok=True)
    with written_beside(target, text.encode("utf-8")) as temporary:
        return analyse(temporary, str(target), lints=lints)


def place(target: Path, text: str, force: bool) -> None:
    """Write the file whole: linked into place when new, renamed over the old one with --force."""
    if force:
        write_atomic(target, text.encode("utf-8"))
        return
    try:
        write_new(target, text.encode("utf-8"))
    except FileExistsError:
        raise UsageError(f"{target} 已存在，不会覆盖；如需覆盖请加 --force") from None


def command_import(args) -> int:
    from generator.workbook.importing import import_workbook, workbook_order
    path = Path(args.workbook)
    book = str(path)
    imported = import_workbook(path, args.pack, book)
    problems = workbook_order(imported)
    year = imported.year or 0
    if has_errors(problems):
        print_problems(problems, sys.stdout)
        count = sum(1 for p in problems if p.severity == "error")
        print(f"budgetdoc: 工作簿 {book} 有 {count} 个错误，未写出单位文件", file=sys.stderr)
        return Exit.DATA
    target, slug = target_of(args, slug_from_book(path), year)
    if target.exists() and not args.force:
        raise UsageError(f"{target} 已存在，不会覆盖；如需覆盖请加 --force")
    try:
        text, checked = checked_text(imported, slug, year, target, book)
        place(target, text, args.force)
    except OSError as exc:
        raise cannot_create(target, exc) from None
    print_problems(problems, sys.stdout)
    todo = sum(1 for p in checked if p.severity == "warning")
    print(f"已由 {book} 生成 {target}：{count_leaves(text)} 个金额来自报表；还有 {todo} 处待填写或核对，"
          f"运行 budgetdoc check {target} 逐条查看", file=sys.stderr)
    if has_errors(checked):
        print_problems([p for p in checked if p.severity == "error"], sys.stdout)
        why = (f"{'、'.join(imported.rounded)} 是万元两位小数的表，若预算有百元以下的尾数，表中没有；" if imported.rounded else "")
        print(f"budgetdoc: {why}报表没有的数据使导入的单位文件有上面的错误：请补齐（见文件中“待填写”的注释），"
              "budgetdoc check 通过后才能生成文件", file=sys.stderr)
        return Exit.DATA
    return Exit.OK


def count_leaves(text: str) -> int:
    return sum(1 for line in text.splitlines() if re.search(r"#\s*\S+![A-Z]+\d+", line))


def add_import_parser(subparsers) -> None:
    imp = subparsers.add_parser(
        "import", help="由预算管理一体化系统导出的公开表工作簿（.xlsx/.xls）生成单位预算文件",
        description="按模板包的报表定义反向读取工作簿（每张表一个工作表；按表号或标题找表，按文字找表头，"
                    "识别合并表头、一列或三列的类/款/项、“单位：”行的元或万元、文本格式和带千分位或括号的数字），"
                    "写出只含末级数据（元）的单位文件，每个金额注明所在单元格（# 表3!D12）。各表的合计与推算结果逐一核对，"
                    "不符之处指出单元格；公式没有保存计算结果的单元格报错，不代为计算。报表中没有的内容（文字、绩效目标表、"
                    "上年数、变动原因）写成“待填写”占位，budgetdoc check 会列出。工作簿有错误时不写出文件。")
    imp.add_argument("workbook", type=path_argument, metavar="工作簿", help=".xlsx 或 .xls 文件")
    imp.add_argument("--pack", metavar="模板包", help="工作簿所按的模板包（默认按报表标题判断）")
    imp.add_argument("-o", "--output", type=path_argument,
                     metavar="单位文件", help="写到哪里（默认 units/<单位标识>/<年度>.yaml，单位标识取自工作簿文件名）")
    imp.add_argument("--units-dir", default="units", type=path_argument, metavar="文件夹", help="单位文件夹（默认 units/）")
    imp.add_argument("--force", action="store_true", help="单位文件已存在时覆盖它（默认不覆盖）")
    imp.set_defaults(run=command_import)

