"""`budgetdoc export`: each unit's tables as a workbook (.xlsx), or its facts as CSV or JSON.

    export [路径 …] [-o 文件夹] [--format xlsx|csv|json] [-j N]

A unit with errors is reported and not exported; the others are. Several units are exported by
worker processes (one per core by default). Each file is written atomically: <slug>-<year>.xlsx
(or .csv, .json) in the output folder.
"""
from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.build.output import made_folder
from generator.commands.arguments import path_argument
from generator.core.problems import Exit, has_errors, print_problems

FORMATS = ("xlsx", "csv", "json")


@dataclass(frozen=True)
class Exported:
    """What exporting one unit gave: its problems (formatted) and the file written, if any."""
    file: str
    lines: tuple[str, ...]
    output: str = ""


def export_one(file: str, out_dir: str, fmt: str) -> Exported:
    """Analyse one unit file and write its export; never raises for bad data."""
    from generator.core.atomic import write_atomic
    from generator.pack.unit import analysed_file, packed, unit_funds_by_parts
    from generator.workbook.export import csv_text, fact_records, json_text, workbook_bytes

    analysis = analysed_file(Path(file), lints=False)
    pack = packed(analysis, unit_funds_by_parts)
    if pack is None or analysis.budget is None or analysis.facts is None:
        return Exported(file, tuple(p.format() for p in analysis.problems if p.severity == "error"))
    if fmt == "xlsx":
        data = workbook_bytes(analysis, pack)
    else:
        records = list(fact_records(analysis))
        data = (csv_text(records) if fmt == "csv" else json_text(analysis, records)).encode("utf-8")
    target = Path(out_dir) / f"{analysis.budget.unit.slug}-{analysis.budget.year}.{fmt}"
    try:
        write_atomic(target, data)
    except OSError as exc:
        return Exported(file, (f"{file}: 错误：无法写入 {target}（{exc.strerror or exc}）",))
    return Exported(file, (), str(target))


def export_all(files: list[Path], out_dir: Path, fmt: str, jobs: int) -> list[Exported]:
    made_folder(out_dir)
    names = [str(f) for f in dict.fromkeys(files)]
    if jobs <= 1 or len(names) <= 1:
        return [export_one(name, str(out_dir), fmt) for name in names]
    with ProcessPoolExecutor(max_workers=min(jobs, len(names))) as pool:
        return list(pool.map(export_one, names, [str(out_dir)] * len(names), [fmt] * len(names),
                             chunksize=max(1, len(names) // (jobs * 4))))


def command_export(args) -> int:
    from generator.build.batch import default_jobs
    from generator.commands.cli import find_unit_files, parse_jobs
    jobs = parse_jobs(args.jobs) if args.jobs is not None else default_jobs()
    found = find_unit_files(args.paths)
    print_problems(found.problems, sys.stdout)
    results = export_all(found.files, Path(args.output), args.format, jobs)
    for result in results:
        for line in result.lines:
            print(line, file=sys.stdout)
    failed = [r for r in results if not r.output]
    done = len(results) - len(failed)
    print(f"导出了 {done} 个单位（{args.format}）到 {args.output}" + (f"；{len(failed)} 个单位有错误，未导出" if failed else ""),
          file=sys.stderr)
    return Exit.DATA if failed or has_errors(found.problems) else Exit.OK


def add_export_parser(subparsers) -> None:
    export = subparsers.add_parser(
        "export", help="导出报表为 Excel 工作簿（每张表一个工作表），或导出全部数据为 CSV/JSON",
        description="按单位的模板包导出：--format xlsx（默认）每个单位一个 <单位>-<年度>.xlsx，每张报表一个工作表，"
                    "标题、单位名称和金额单位、合并表头、列宽、数字格式与 Word 文件一致，数字以数值存储（万元表存放"
                    "精确的 元/10000，不丢尾数）；--format csv 或 json 导出每一笔末级数据及其全部坐标（科目编码和名称、"
                    "资金来源、基本/项目、人员/公用、本年/上年结转、项目、单位），金额为精确的元。有错误的单位不导出。")
    export.add_argument("paths", nargs="*", type=path_argument, default=["units"], metavar="路径", help="单位文件或文件夹（默认 units/）")
    export.add_argument("-o", "--output", default="build", type=path_argument, metavar="文件夹", help="输出文件夹（默认 build/）")
    export.add_argument("--format", choices=FORMATS, default="xlsx", help="xlsx（默认）、csv 或 json")
    export.add_argument("-j", "--jobs", metavar="N", help="同时导出的进程数（默认为CPU核数；1 表示不另开进程）")
    export.set_defaults(run=command_export)
