"""`budgetdoc diff`: what a change to a unit file does to its document — for a pull request review.

    diff OLD.yaml NEW.yaml            two files
    diff units/x/2026.yaml --rev R    the file as committed at git revision R against the working file

Both sides are analysed and assembled into their documents; then the two documents are compared:
the report tables cell by cell, rows keyed by their text cells (code and name), and the paragraphs
and the rows of the forms (绩效目标表) with difflib. Output: Markdown (a ```diff block per changed
passage) or JSON. Exit 0 whether or not anything changed; 1 when either side has errors.

cli.make_parser imports this module for ``add_diff_parser``: the stages (the pipeline, the pack —
pypinyin alone takes a second) are imported where they are used, so that the other commands and
``--help`` stay fast.
"""
from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.commands.arguments import path_argument
from generator.core.epoch import check_source_date_epoch
from generator.core.files import os_error_words
from generator.core.problems import Exit, UsageError, has_errors, print_problems
from generator.docmodel import Paragraph, Table

if TYPE_CHECKING:
    from generator.analysis.pipeline import Analysis
HEADING_STYLES = ("part", "heading1", "heading2")
UNREVIEWED_STYLES = ("toc_title", "table_label", "table_title", "chart_title")   # the pack's fixed wording
CLAUSE_END = re.compile(r"(?<=[，；。：、])|(?<= \| )")
CLAUSE_MARKS = "，；。：、| "


@dataclass(frozen=True)
class CellChange:
    table: str          # 表三
    row: str            # 2010301 行政运行
    column: str         # 合计; empty for a whole row added or removed
    old: str
    new: str
    kind: str = "changed"        # changed | added | removed


@dataclass(frozen=True)
class TextChange:
    heading: str        # where it stands: the section heading above it
    old: tuple          # the paragraphs as they were
    new: tuple          # and as they are
    clauses: tuple      # (old clause, new clause) pairs of paired paragraphs; "" where one side has none


# The two sides ----------------------------------------------------------------------------------

def git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    except FileNotFoundError:
        raise UsageError("没有找到 git 命令，不能使用 --rev；请安装 git，或直接给出新旧两个文件") from None


def committed_text(path: Path, rev: str) -> tuple[bytes, str]:
    """The file's bytes at ``rev`` (``git show REV:path`` from the repository root) and its display name."""
    if rev.startswith("-"):
        raise UsageError(f"版本“{rev}”无效")
    top = git(["rev-parse", "--show-toplevel"], path.resolve().parent)
    if top.returncode:
        raise UsageError(f"{path} 不在 git 仓库中，不能使用 --rev；请直接给出新旧两个文件")
    root = Path(top.stdout.decode().strip())
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    if git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root).returncode:
        raise UsageError(f"git 仓库中没有版本“{rev}”（可用提交号、分支名、HEAD~1 等）")
    shown = git(["show", "--no-textconv", f"{rev}:{relative}"], root)
    if shown.returncode:
        raise UsageError(f"版本 {rev} 中没有文件 {relative}（该版本之后才新建，或改过名）")
    return shown.stdout, f"{rev}:{relative}"


def analyse_text(data: bytes, display: str) -> Analysis:
    from generator.pack.unit import check_unit as analyse
    try:
        with tempfile.TemporaryDirectory(prefix="budgetdoc-diff-") as folder:
            path = Path(folder) / "old.yaml"
            path.write_bytes(data)
            return analyse(path, display)
    except OSError as exc:
        raise UsageError(f"无法在临时文件夹中写出 {display}：{os_error_words(exc)}") from None


def existing(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise UsageError(f"找不到文件：{text}")
    return path


def both_sides(args) -> tuple[Analysis, Analysis]:
    from generator.pack.unit import check_unit as analyse
    if args.rev is not None:
        if args.new is not None:
            raise UsageError("使用 --rev 时只给一个文件：budgetdoc diff units/x/2026.yaml --rev HEAD~1")
        path = existing(args.old)
        return analyse_text(*committed_text(path, args.rev)), analyse(path, args.old)
    if args.new is None:
        raise UsageError("请给出新旧两个文件（budgetdoc diff 旧.yaml 新.yaml），或一个文件加 --rev 版本")
    return analyse(existing(args.old), args.old), analyse(existing(args.new), args.new)


# The two documents -----------------------------------------------------------------------------

def document_parts(analysis: Analysis) -> tuple[list[tuple[str, dict]], list[tuple[str, str]]]:
    """The assembled document, read as a reviewer reads it: each report table (a table with header
    rows) as (name, rows keyed), and every paragraph and every row of a form (绩效目标表, a table
    without header rows) as (the heading above it, its text), in document order."""
    from generator.pack.unit import document_of
    tables, lines, heading = [], [], ""
    for block in document_of(analysis).blocks:
        if isinstance(block, Table) and block.header:
            tables.append((block.name, keyed_rows(block.body, column_labels(block.header))))
        elif isinstance(block, Table):
            lines += [(block.name, " | ".join(c.text.replace("\n", "") for c in row if c.text)) for row in block.body]
        elif isinstance(block, Paragraph) and block.style not in UNREVIEWED_STYLES:
            lines.append((heading, block.text))
            heading = block.text if block.style in HEADING_STYLES else heading
    return tables, lines


def column_labels(header: tuple) -> list[str]:
    """Each column's own header: the lowest header cell over it that is not a column number."""
    width = sum(cell.colspan for cell in header[0])
    grid: list[list] = [[None] * width for _ in header]
    for r, row in enumerate(header):
        col = 0
        for cell in row:
            while grid[r][col] is not None:
                col += 1
            for dr in range(cell.rowspan):
                grid[r + dr][col:col + cell.colspan] = [cell.text] * cell.colspan
            col += cell.colspan
    return [next((g[c] for g in reversed(grid) if g[c] and not g[c].isdigit()), "") for c in range(width)]


def row_halves(row: tuple) -> list[list[int]]:
    """Column indexes of each half of a row: a text cell after a figure starts a new half
    (表一's 收入 | 支出, 表九's 收入 | 支出); most tables have one."""
    halves: list[list[int]] = [[]]
    for i, cell in enumerate(row):
        if cell.align != "right" and any(row[j].align == "right" for j in halves[-1]):
            halves.append([])
        halves[-1].append(i)
    return halves


def keyed_rows(body: tuple, labels: list[str]) -> dict:
    """Row key (the text cells of a half row) -> {column label: figure}; a repeated key gets #2, #3…"""
    rows: dict = {}
    for row in body:
        for half in row_halves(row):
            key = " ".join(row[i].text for i in half if row[i].align != "right" and row[i].text.strip())
            figures = {labels[i] if i < len(labels) else str(i + 1): row[i].text
                       for i in half if row[i].align == "right"}
            if not key and not any(figures.values()):
                continue
            n, unique = 1, key or "（无名称）"
            while unique in rows:
                n += 1
                unique = f"{key} #{n}"
            rows[unique] = figures
    return rows


def shown(figure: str) -> str:
    return figure or "0"


def compare_tables(old: list[tuple[str, dict]], new: list[tuple[str, dict]]) -> list[CellChange]:
    changes = []
    for (_, before), (label, after) in zip(old, new):
        for key in merged_keys(list(before), list(after)):
            if key not in after:
                changes.append(CellChange(label, key, "", row_summary(before[key]), "", "removed"))
            elif key not in before:
                changes.append(CellChange(label, key, "", "", row_summary(after[key]), "added"))
            else:
                changes += [CellChange(label, key, column, shown(before[key].get(column, "")), shown(figure))
                            for column, figure in after[key].items() if figure != before[key].get(column, "")]
    return changes


def merged_keys(before: list, after: list) -> list:
    """The row keys of both sides in table order: a removed row where it stood, an added one where it stands."""
    merged = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        merged += before[i1:i2] if op == "equal" else before[i1:i2] + after[j1:j2]
    return list(dict.fromkeys(merged))


def row_summary(cells: dict) -> str:
    return "，".join(f"{column} {figure}" for column, figure in cells.items() if figure) or "（无金额）"


# The wording ------------------------------------------------------------------------------------

def compare_texts(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[TextChange]:
    before, after = [t for _, t in old], [t for _, t in new]
    changes = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        heading = new[j1][0] if j1 < j2 else (old[i1][0] if i1 < i2 else "")
        pairs = tuple(dict.fromkeys(p for a, b in zip(before[i1:i2], after[j1:j2]) for p in clause_changes(a, b)))
        changes.append(TextChange(heading, tuple(before[i1:i2]), tuple(after[j1:j2]), pairs))
    return changes


def clause_changes(old: str, new: str) -> list[tuple[str, str]]:
    """The clauses (split after ，；。：、 and between table cells) that differ between two versions
    of a paragraph; nothing when the whole paragraph is one clause (the diff shows it already)."""
    a, b = CLAUSE_END.split(old), CLAUSE_END.split(new)
    trim = lambda parts: "".join(parts).rstrip(CLAUSE_MARKS)  # noqa: E731
    pairs = [(trim(a[i1:i2]), trim(b[j1:j2]))
             for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
             if op != "equal"]
    return [] if pairs == [(trim(a), trim(b))] else pairs


# Output -----------------------------------------------------------------------------------------

def format_markdown(old: str, new: str, cells: list[CellChange], texts: list[TextChange]) -> str:
    lines = [f"## 预算公开文件的变化：{old} → {new}", ""]
    if not cells and not texts:
        return "\n".join(lines + ["没有变化：报表和文字都相同。"]) + "\n"
    lines += [f"### 报表（{len(cells)} 处）", ""] if cells else ["### 报表：没有变化"]
    lines += [f"- {cell_line(c)}" for c in cells]
    lines += ["", f"### 文字（{len(texts)} 处）" if texts else "### 文字：没有变化"]
    for change in texts:
        lines += ["", f"**{change.heading or '（文首）'}**", "", "```diff"]
        lines += [f"- {t}" for t in change.old] + [f"+ {t}" for t in change.new] + ["```"]
        lines += [f"- {a or '（无）'} → {b or '（删去）'}" for a, b in change.clauses if a or b]
    return "\n".join(lines) + "\n"


def cell_line(c: CellChange) -> str:
    if c.kind == "added":
        return f"{c.table} 新增行 {c.row}: {c.new}"
    if c.kind == "removed":
        return f"{c.table} 删去行 {c.row}: {c.old}"
    return f"{c.table} {c.row} {c.column}: {c.old} → {c.new}"


def format_json(old: str, new: str, cells: list[CellChange], texts: list[TextChange]) -> str:
    report = {"old": old, "new": new, "changed": bool(cells or texts),
              "tables": [asdict(c) for c in cells], "texts": [asdict(t) for t in texts]}
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def command_diff(args) -> int:
    check_source_date_epoch()
    old, new = both_sides(args)
    broken = [a for a in (old, new) if has_errors(a.problems) or a.facts is None]
    if broken:
        for analysis in broken:
            print_problems((p for p in analysis.problems if p.severity == "error"), sys.stdout)
        print("budgetdoc: 无法比较：" + "、".join(a.file for a in broken) + " 有错误", file=sys.stderr)
        return Exit.DATA
    (old_tables, old_lines), (new_tables, new_lines) = document_parts(old), document_parts(new)
    cells, texts = compare_tables(old_tables, new_tables), compare_texts(old_lines, new_lines)
    write = format_json if args.format == "json" else format_markdown
    sys.stdout.write(write(old.file, new.file, cells, texts))
    return Exit.OK


def add_diff_parser(subparsers) -> None:
    diff = subparsers.add_parser(
        "diff", help="比较两个版本的单位文件：哪些报表数字、哪些句子会变",
        description="分析新旧两个单位（或部门）文件，列出报表中变化的单元格（表三 2010301 行政运行 合计: 189.29 → 190.00）"
                    "和情况说明、绩效目标表中变化的段落，输出可直接贴到合并请求评论中的 Markdown。"
                    "用 --rev 时，旧版本取自 git（git show 版本:路径）。")
    diff.add_argument("old", type=path_argument, metavar="旧文件", help="旧版本的单位文件；用 --rev 时为要比较的文件")
    diff.add_argument("new", nargs="?", type=path_argument, metavar="新文件", help="新版本的单位文件（用 --rev 时不给）")
    diff.add_argument("--rev", metavar="版本", help="与 git 中这个版本的同一文件比较（如 HEAD、HEAD~1、main）")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text，即 Markdown）")
    diff.set_defaults(run=command_diff)
