"""budgetdoc — the command line. Thin: parse, call a stage, print problems once, exit.

Exit codes: 0 clean (warnings allowed unless --strict), 1 problems in the data, 2 usage.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .lints import lint_across_units
from .pipeline import analyse
from .problems import has_errors

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
单位预算公开文件生成器：把 units/<单位>/<年度>.yaml 中的预算数据，生成《单位预算公开》Word 文件
（13张报表、情况说明、绩效目标表、图表、名词解释）。文中每个合计、占比、增减和带数字的句子都由数据推算。"""

EPILOG = """\
示例：
  budgetdoc check                      检查 units/ 下所有单位
  budgetdoc check units/x/2026.yaml    检查一个单位
  budgetdoc build -o build             生成 units/ 下所有单位的 .docx 到 build/
  budgetdoc build units/x --pdf        同时用 LibreOffice 生成 PDF

退出码：0 无错误；1 数据有错误（或 --strict 时有警告）；2 用法错误。"""


class UsageError(Exception):
    pass


def find_unit_files(paths: list[str]) -> list[Path]:
    """Files as given; folders searched for *.yaml, sorted so runs are stable."""
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.yaml") if not p.name.startswith((".", "_")))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"找不到文件或文件夹：{text}")
    if not found:
        raise UsageError(f"在 {'、'.join(paths)} 中没有找到单位预算文件（*.yaml）")
    return found


def print_problems(problems, stream) -> None:
    for problem in problems:
        print(problem.format(), file=stream)


def fails(problems, strict: bool) -> bool:
    return has_errors(problems) or (strict and any(p.severity == "warning" for p in problems))


def command_check(args) -> int:
    analyses = [analyse(path) for path in find_unit_files(args.paths)]
    problems = [p for a in analyses for p in a.problems]
    problems += lint_across_units([a.budget for a in analyses if a.budget is not None])
    if args.format == "json":
        json.dump([p.as_json() for p in problems], sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_problems(problems, sys.stdout)
        print(summary_line(analyses, problems), file=sys.stderr)
    return EXIT_DATA if fails(problems, args.strict) else EXIT_OK


def summary_line(analyses, problems) -> str:
    count = {s: sum(1 for p in problems if p.severity == s) for s in ("error", "warning", "info")}
    return (f"检查了 {len(analyses)} 个文件：错误 {count['error']} 个，警告 {count['warning']} 个，"
            f"提示 {count['info']} 个")


def command_build(args) -> int:
    from .build import build_all
    return build_all(find_unit_files(args.paths), Path(args.output), pdf=args.pdf, strict=args.strict,
                     toc_pages=not args.no_toc_pages)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetdoc", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"budgetdoc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

    check = commands.add_parser("check", help="检查预算数据：结构、编码、勾稽关系与常见文字问题",
                                description="加载、校验、推算并核对每个单位文件，一次列出全部问题（文件:行:列）。")
    check.add_argument("paths", nargs="*", default=["units"], metavar="路径", help="单位文件或文件夹（默认 units/）")
    check.add_argument("--strict", action="store_true", help="有警告也以退出码 1 结束（用于 CI）")
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    check.set_defaults(run=command_check)

    build = commands.add_parser("build", help="生成单位预算公开 Word 文件（.docx）",
                                description="检查并生成每个单位的 .docx，写入输出文件夹，文件名为 <单位>-<年度>.docx。")
    build.add_argument("paths", nargs="*", default=["units"], metavar="路径", help="单位文件或文件夹（默认 units/）")
    build.add_argument("-o", "--output", default="build", metavar="文件夹", help="输出文件夹（默认 build/）")
    build.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 生成 PDF")
    build.add_argument("--strict", action="store_true", help="有警告也不生成，并以退出码 1 结束")
    build.add_argument("--no-toc-pages", action="store_true",
                       help="不用 LibreOffice 排版来填写目录页码（更快；Word 打开时会提示更新目录）")
    build.set_defaults(run=command_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"budgetdoc: 错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("budgetdoc: 已中断", file=sys.stderr)
        return 130
