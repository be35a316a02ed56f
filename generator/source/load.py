"""Stage 1 — read a unit file: plain data plus the source position of every node.

    read (a regular file, at most MAX_FILE_BYTES) → decode (UTF-8) → refuse characters YAML cannot
    hold, each at its line → parse into events → build the data (events.py: limits, no tags, no
    merge keys, duplicate keys, positions) → a Source

libyaml parses when PyYAML has it (~15× quicker); when it finds a syntax error, PyYAML's own parser
reads the file again, so that the message (translated in yaml_messages.py) and its place are PyYAML's.
Decimals stay ``Decimal`` from the scalar text; only plain decimal notation is a number (scalars.py).
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.core.files import MAX_UNIT_FILE_BYTES, FileRefused, FileTooLarge, read_regular_file
from generator.core.positions import Source
from generator.core.problems import BudgetdocError, Pos, Problem, error, sort_problems
from generator.source.events import MAX_DEPTH, MAX_NODES, Builder
from generator.source.scalars import NotANumber, NumberText
from generator.source.yaml_messages import yaml_problem

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "NotANumber", "NumberText", "Source", "character_problems", "load_file",
           "parse_text", "read_text"]

MAX_FILE_BYTES = MAX_UNIT_FILE_BYTES
BOM = b"\xef\xbb\xbf"
FAST_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
MAX_CHARACTER_PROBLEMS = 10
CHARACTER_NAMES = {0x00: "空字符 NUL", 0x1b: "ESC", 0x7f: "DEL", 0xfeff: "字节顺序标记 BOM", 0xfffe: "非字符", 0xffff: "非字符"}


def load_file(path: Path, display: str | None = None, what: str = "单位预算文件") -> Source:
    """Read and parse one unit file (or another data file: `what` names it in messages); raises
    BudgetdocError with every problem found."""
    name = display or str(path)
    return parse_text(read_text(path, name, what), name)


def read_text(path: Path, name: str, what: str = "单位预算文件") -> str:
    """The text of a data file: a regular file of at most MAX_FILE_BYTES, in UTF-8 (its byte-order
    mark dropped); BudgetdocError at its place otherwise."""
    return decode_text(read_bytes(path, name, what), name)


def read_bytes(path: Path, name: str, what: str) -> bytes:
    try:
        return read_regular_file(path, MAX_FILE_BYTES)
    except FileTooLarge as exc:
        raise BudgetdocError([error(Pos(name, 1, 1), f"文件过大（{exc.size} 字节），{what}不能超过"
                                    f" {MAX_FILE_BYTES // 1024 // 1024} MB")]) from None
    except FileRefused as exc:
        raise BudgetdocError([error(Pos(name, 1, 1), f"{what}{exc}")]) from None


def decode_text(raw: bytes, name: str) -> str:
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BudgetdocError([error(Pos(name, line, col),
                                    f"文件不是 UTF-8 编码（字节 0x{raw[exc.start]:02X}）{encoding_guess(raw)}，"
                                    "请在编辑器中以 UTF-8 保存")]) from None


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def encoding_guess(raw: bytes) -> str:
    """What a file that is not UTF-8 seems to be, in words (or nothing): UTF-16 by its byte-order mark
    (Windows Notepad's "Unicode"), else GBK where the whole file reads as GB18030 (Chinese Windows'
    own encoding, which GB18030 contains)."""
    if raw.startswith(UTF16_BOMS):
        return "，而是 UTF-16 编码（记事本中的“Unicode”）"
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "，像是 GBK 编码（中文 Windows 的默认编码）"


def parse_text(text: str, name: str) -> Source:
    """The data of a unit file's text and the position of each of its keys and values."""
    if not text.strip():
        raise BudgetdocError([error(Pos(name, 1, 1), "文件是空的，应为一个单位的预算数据")])
    problems = character_problems(text, name)
    if problems:
        raise BudgetdocError(problems)
    builder = built(text, name)
    if builder.problems:
        raise BudgetdocError(sort_problems(builder.problems))
    if builder.documents == 0:
        raise BudgetdocError([error(Pos(name, 1, 1), "文件中只有注释，没有数据，应为一个单位的预算数据（year、unit、basic……）")])
    if not isinstance(builder.root, dict):
        found = "列表" if isinstance(builder.root, list) else "单个值"
        raise BudgetdocError([error(Pos(name, 1, 1), f"文件顶层应为键值映射（year、unit、basic……），实际为{found}")])
    return Source(name, builder.root, dict(builder.values), dict(builder.keys), text)


def character_problems(text: str, name: str, what: str = "YAML 文件") -> list[Problem]:
    """Characters a YAML file (or another text file: `what`) may not hold (NUL, other control
    characters), each where it stands."""
    problems: list[Problem] = []
    for found in NON_PRINTABLE.finditer(text):
        if len(problems) == MAX_CHARACTER_PROBLEMS:
            break
        code = ord(found.group())
        name_of = CHARACTER_NAMES.get(code, "控制字符")
        problems.append(error(position(text, found.start(), name),
                              f"文件含有不可见的{name_of}（U+{code:04X}），{what}不能含有它（常见于从其他软件复制粘贴），请删除"))
    return problems


def position(text: str, index: int, name: str) -> Pos:
    """The line and column of text[index], counting line breaks as YAML does."""
    line, start = 1, 0
    for brk in LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, brk.end()
    return Pos(name, line, index - start + 1)


def built(text: str, name: str) -> Builder:
    """The data built from the events of libyaml's parser, or of PyYAML's when libyaml finds an error."""
    builder = Builder(name)
    try:
        builder.run(yaml.parse(text, Loader=FAST_LOADER))
        return builder
    except yaml.YAMLError:
        pass
    builder = Builder(name)
    try:
        builder.run(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        builder.problems.append(unclosed_quote(text, exc, name) or yaml_problem(exc, name))
    except yaml.YAMLError:
        builder.problems.append(error(Pos(name, 1, 1), "YAML 语法错误：文件无法读取，请检查缩进、冒号、引号和括号"))
    return builder


QUOTE_WORDS = {'"': "双引号", "'": "单引号"}


def unclosed_quote(text: str, exc: yaml.MarkedYAMLError, name: str) -> Problem | None:
    """A quote left open swallows the following lines, and YAML then complains far below it; name the quote.

    Scans the tokens up to the error for a quoted string that runs over several lines and ends on the line
    where YAML failed (legal YAML otherwise, but here almost always a missing closing quote that ran on to
    the next value's opening quote) and reports it where it opens.
    """
    mark, style = None, '"'
    if exc.context == "while scanning a quoted scalar" and exc.context_mark:
        mark, style = exc.context_mark, text[exc.context_mark.index] if exc.context_mark.index < len(text) else '"'
    else:
        limit = exc.problem_mark.index if exc.problem_mark else len(text)
        try:
            for token in yaml.scan(text, Loader=yaml.SafeLoader):
                if token.start_mark.index >= limit:
                    break
                if (isinstance(token, yaml.ScalarToken) and token.style in QUOTE_WORDS
                        and token.end_mark.line > token.start_mark.line
                        and exc.problem_mark and token.end_mark.line == exc.problem_mark.line):
                    mark, style = token.start_mark, token.style
        except yaml.YAMLError:
            pass
    if mark is None:
        return None
    word = QUOTE_WORDS.get(style, "引号")
    return error(Pos(name, mark.line + 1, mark.column + 1),
                 f"{word}没有闭合：从这里开始的{word}字符串没有结尾的引号，吞掉了后面的行，请在本行末尾补上引号")
