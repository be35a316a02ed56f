"""budgetdoc — the command line. Thin: parse, call a stage, print problems once, exit.

Exit codes: 0 clean (warnings allowed unless --strict), 1 problems in the data, 2 usage, 3 an incomplete
installation (commands.main).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from generator import __version__
from generator.commands.arguments import Parser, path_argument
from generator.commands.diff import add_diff_parser
from generator.commands.export import add_export_parser
from generator.commands.importing import add_import_parser
from generator.commands.new import add_new_parser
from generator.commands.streams import safe_streams
from generator.core.epoch import check_source_date_epoch
from generator.core.files import os_error_words
from generator.core.problems import BudgetdocError, Exit, UsageError, has_errors, print_problems
from generator.source.discover import find_unit_files

DESCRIPTION = """\
单位预算公开文件生成器：把 units/<单位>/<年度>.yaml 中的预算数据，生成《单位预算公开》Word 文件
（13张报表、情况说明、绩效目标表、图表、名词解释）。文中每个合计、占比、增减和带数字的句子都由数据推算。"""

EPILOG = """\
示例：
  budgetdoc check                      检查 units/ 下所有单位
  budgetdoc check units/x/2026.yaml    检查一个单位
  budgetdoc build -o build             生成 units/ 下所有单位的 .docx 到 build/
  budgetdoc build units/x --pdf        同时用 LibreOffice 生成 PDF
  budgetdoc new x --year 2027 --from units/x/2026.yaml   以2026年数据为基础新建2027年文件
  budgetdoc diff units/x/2026.yaml --rev HEAD~1          与上一次提交相比，哪些数字和句子变了
  budgetdoc build -j 4 --shard 1/3     用 4 个进程生成排序后的第 1 份（共 3 份）
  budgetdoc export units -o build      导出每个单位的报表工作簿（.xlsx）；--format json 导出全部数据
  budgetdoc import 公开表.xlsx -o units/x/2026.yaml   由预算管理一体化系统导出的工作簿生成单位文件

退出码：0 无错误；1 数据有错误（或 --strict 时有警告）；2 用法错误；3 安装不完整（缺少所需的 Python 包）。"""


def fails(problems, strict: bool) -> bool:
    return has_errors(problems) or (strict and any(p.severity == "warning" for p in problems))


def command_check(args) -> int:
    from generator.analysis.across import problems_across_units, summary_of
    from generator.analysis.department import units_in_two_departments
    from generator.pack.unit import check_unit
    check_source_date_epoch()
    found = find_unit_files(args.paths)
    analyses = [check_unit(path) for path in found.files]
    problems = found.problems + [p for a in analyses for p in a.problems]
    problems += problems_across_units([summary_of(a.budget, a.department is not None) for a in analyses if a.budget is not None])
    problems += units_in_two_departments(analyses)
    waived = [w for a in analyses for w in a.waived]
    if args.format == "json":
        json.dump([p.as_json() for p in problems] + [w.as_json() for w in waived], sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_problems(problems, sys.stdout)
        print(summary_line(analyses, problems, waived), file=sys.stderr)
        for w in waived:
            print(w.format(), file=sys.stderr)
    return Exit.DATA if fails(problems, args.strict) else Exit.OK


def summary_line(analyses, problems, waived=()) -> str:
    """The counts; the warnings switched off by a waiver are counted apart and listed after it."""
    count = {s: sum(1 for p in problems if p.severity == s) for s in ("error", "warning", "info")}
    line = (f"检查了 {len(analyses)} 个文件：错误 {count['error']} 个，警告 {count['warning']} 个，"
            f"提示 {count['info']} 个")
    return line + (f"，已豁免 {len(waived)} 个（各条及豁免理由如下）" if waived else "")


def command_build(args) -> int:
    from generator.build.batch import build_all, default_jobs, select_shard
    jobs = parse_jobs(args.jobs) if args.jobs is not None else default_jobs()
    shard = parse_shard(args.shard) if args.shard is not None else None
    check_source_date_epoch()
    found = find_unit_files(args.paths)
    files = select_shard(found.files, *shard) if shard else found.files
    return build_all(files, Path(args.output), pdf=args.pdf, strict=args.strict, toc_pages=not args.no_toc_pages,
                     jobs=jobs, force=args.force, problems=found.problems)


def is_count(text: str) -> bool:
    return text.isascii() and text.isdigit()


def parse_jobs(text: str) -> int:
    if not is_count(text) or int(text) < 1:
        raise UsageError(f"-j 应为正整数（同时生成的进程数），收到“{text}”")
    return int(text)


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' → (2, 4): the second of four slices; 1 ≤ i ≤ n."""
    index, slash, count = text.partition("/")
    if not (slash and is_count(index) and is_count(count) and 1 <= int(index) <= int(count)):
        raise UsageError(f"--shard 应写作 i/n（第 i 份，共 n 份，1 ≤ i ≤ n，例如 2/4），收到“{text}”")
    return int(index), int(count)


def make_parser() -> Parser:
    parser = Parser(prog="budgetdoc", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"budgetdoc {__version__}", help="显示版本号并退出")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

    check = commands.add_parser("check", help="检查预算数据：结构、编码、勾稽关系与常见文字问题",
                                description="加载、校验、推算并核对每个单位文件，一次列出全部问题（文件:行:列）。")
    check.add_argument("paths", nargs="*", type=path_argument, default=["units"], metavar="路径", help="单位文件或文件夹（默认 units/）")
    check.add_argument("--strict", action="store_true", help="有警告也以退出码 1 结束（用于 CI）")
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    check.set_defaults(run=command_check)

    build = commands.add_parser("build", help="生成单位预算公开 Word 文件（.docx）",
                                description="检查并生成每个单位的 .docx，写入输出文件夹，文件名为 <单位>-<年度>.docx。"
                                            "多个单位时并行生成，并跳过自上次生成以来没有变化的单位。")
    build.add_argument("paths", nargs="*", type=path_argument, default=["units"], metavar="路径", help="单位文件或文件夹（默认 units/）")
    build.add_argument("-o", "--output", default="build", type=path_argument, metavar="文件夹", help="输出文件夹（默认 build/）")
    build.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 生成 PDF")
    build.add_argument("--strict", action="store_true", help="有警告也不生成，并以退出码 1 结束")
    build.add_argument("--no-toc-pages", action="store_true",
                       help="不用 LibreOffice 排版来填写目录页码（更快；Word 打开时会提示更新目录）")
    build.add_argument("-j", "--jobs", metavar="N", help="同时生成的进程数（默认为CPU核数；1 表示不另开进程）")
    build.add_argument("--force", action="store_true", help="全部重新生成（默认只生成数据、模板包、科目目录或程序有变化的单位）")
    build.add_argument("--shard", metavar="i/n",
                       help="只生成按路径排序后的第 i 份（共 n 份，每隔 n 个取一个），供 CI 分到多台机器并行")
    build.set_defaults(run=command_build)
    add_new_parser(commands)
    add_diff_parser(commands)
    add_export_parser(commands)
    add_import_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    with safe_streams() as (out, err):
        code = run(argv)
        out.flush()
        if out.failure is not None and not out.broken_pipe:
            print(f"budgetdoc: 错误：无法写出结果（标准输出）：{os_error_words(out.failure)}", file=err)
            code = max(code, int(Exit.DATA))
    return code


def run(argv: list[str] | None) -> int:
    try:
        args = make_parser().parse_args(argv)
    except SystemExit as exc:               # --help, --version, or argparse's own usage message
        return exc.code if isinstance(exc.code, int) else int(Exit.USAGE)
    try:
        return int(args.run(args))
    except BudgetdocError as exc:
        if exc.problems:
            print_problems(exc.problems, sys.stdout)
        else:
            print(f"budgetdoc: 错误：{exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("budgetdoc: 已中断", file=sys.stderr)
        return int(Exit.INTERRUPTED)
