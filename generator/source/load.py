"""Stage 1 — read a unit file: plain data plus the source position of every node.

PyYAML composes the node tree; we build the data ourselves so that every mapping key and value keeps
its ``file:line:col``, a duplicate key at any depth is an error (PyYAML would keep the last one
silently), decimals stay ``Decimal`` from the scalar text, dates stay text, and alias expansion is
bounded (a "billion laughs" file fails fast instead of eating memory).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from generator.core.positions import Source, pos_of_mark
from generator.core.problems import BudgetdocError, Pos, Problem, error

MAX_FILE_BYTES = 2 * 1024 * 1024        # a unit file is ~50 KB; anything near this is a mistake
MAX_NODES = 200_000                      # nodes after alias expansion
BOM = b"\xef\xbb\xbf"
STR_TAG = "tag:yaml.org,2002:str"
BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

IMPLICIT_RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(yaml.SafeLoader):
    """SafeLoader whose floats are Decimal and whose dates stay strings (pure Python: it words the
    syntax errors and gives their positions)."""
    yaml_implicit_resolvers = IMPLICIT_RESOLVERS


_BaseFastLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_BaseFastLoader):
    """The same loader on libyaml's C parser when PyYAML has it: composes a sound file ~15× faster."""
    yaml_implicit_resolvers = IMPLICIT_RESOLVERS

    def resolve(self, kind, value, implicit):
        """PyYAML's `resolve` for a scalar, without its general machinery (path resolvers, wildcard
        resolvers: this loader has none), as the C parser asks it for every scalar."""
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        if implicit[0]:
            for tag, pattern in IMPLICIT_RESOLVERS.get(value[:1], ()):
                if pattern.match(value):
                    return tag
        return STR_TAG


assert None not in IMPLICIT_RESOLVERS and not _FastLoader.yaml_path_resolvers


def _construct_decimal(loader, node):
    text = loader.construct_scalar(node).replace("_", "")
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        return NotANumber(text)
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


class NotANumber(str):
    """.nan / .inf: kept as text so that validation reports it as not an amount."""


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_FastLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def load_file(path: Path, display: str | None = None) -> Source:
    """Read and parse one unit file; raises BudgetdocError with every problem found."""
    name = display or str(path)
    raw = read_bytes(path, name)
    text = decode_text(raw, name)
    node = compose_text(text, name)
    return build_source(node, name, text)


def read_bytes(path: Path, name: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BudgetdocError([error(Pos(name, 1, 1), f"文件过大（{size} 字节），单位预算文件不能超过"
                                        f" {MAX_FILE_BYTES // 1024 // 1024} MB")])
        return path.read_bytes()
    except OSError as exc:
        raise BudgetdocError([error(Pos(name, 1, 1), f"无法读取文件：{exc.strerror or exc}")]) from None


def decode_text(raw: bytes, name: str) -> str:
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BudgetdocError([error(Pos(name, line, col),
                                    f"文件不是 UTF-8 编码（字节 0x{raw[exc.start]:02X}），"
                                    "请在编辑器中以 UTF-8 保存")]) from None


def compose_text(text: str, name: str):
    """Return the node tree of `text`; raises BudgetdocError naming the syntax error and its place.

    libyaml composes; when it fails, the pure-Python parser composes again, so that the messages
    (matched in YAML_MESSAGES) and their positions are PyYAML's.
    """
    if not text.strip():
        raise BudgetdocError([error(Pos(name, 1, 1), "文件是空的，应为一个单位的预算数据")])
    try:
        return yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError:
        pass
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise BudgetdocError([unclosed_quote(text, exc, name) or yaml_problem(exc, name)]) from None
    except yaml.YAMLError as exc:
        raise BudgetdocError([error(Pos(name, 1, 1), f"YAML 语法错误：{exc}")]) from None


YAML_MESSAGES = (
    ("found character '\\t' that cannot start any token", "用了制表符（Tab）缩进，YAML 只能用空格缩进"),
    ("found a tab character", "用了制表符（Tab）缩进，YAML 只能用空格缩进"),
    ("mapping values are not allowed here", "这里不能出现“键: 值”：可能是缩进不对，或值中含有未加引号的冒号"),
    ("could not find expected ':'", "缺少冒号“:”：每个键后面应为“: 值”"),
    ("expected ',' or ']'", "方括号列表 [ … ] 没有闭合，或元素之间缺少逗号"),
    ("expected ',' or '}'", "花括号映射 { … } 没有闭合，或元素之间缺少逗号"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found undefined alias", "引用了未定义的锚点（别名 *…）"),
    ("expected <block end>, but found", "缩进不一致：同一层的键应对齐"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found unknown escape character", "双引号字符串中有无效的转义字符"),
    ("special characters are not allowed", "文件含有不允许的控制字符"),
    ("found duplicate anchor", "重复定义的锚点（&…）"),
)


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
            for token in yaml.scan(text, Loader=_Loader):
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


def yaml_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or ""
    message = next((zh for en, zh in YAML_MESSAGES if en in problem), None)
    if message is None:
        message = f"YAML 语法错误：{problem}" + (f"（{exc.context}）" if exc.context else "")
    pos = Pos(name, mark.line + 1, mark.column + 1) if mark else Pos(name, 1, 1)
    return error(pos, message)


def build_source(root, name: str, text: str = "") -> Source:
    builder = _Builder(name)
    data = builder.build(root, ())
    if builder.problems:
        raise BudgetdocError(builder.problems)
    if not isinstance(data, dict):
        found = "列表" if isinstance(data, list) else "单个值"
        raise BudgetdocError([error(Pos(name, 1, 1), f"文件顶层应为键值映射（year、unit、basic……），实际为{found}")])
    return Source(name, data, builder.values, builder.keys, text)


class _Builder:
    """Turns a node tree into data, recording positions and collecting problems."""

    def __init__(self, name: str):
        self.name = name
        self.values: dict = {}
        self.keys: dict = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.constructor = _Loader("")

    def pos_of(self, node) -> Pos:
        return pos_of_mark(self.name, node.start_mark)

    def build(self, node, path):
        self.count += 1
        if self.count > MAX_NODES:
            raise BudgetdocError([error(self.pos_of(node), f"别名（*引用）展开后节点超过 {MAX_NODES} 个，"
                                        "文件可能是恶意构造的，已停止读取")])
        self.values[path] = node.start_mark
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self.build_scalar(node, path)

    def build_mapping(self, node, path) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key = self.build_key(key_node)
            if key in result:
                first = pos_of_mark(self.name, self.keys[path + (key,)])
                self.problems.append(error(self.pos_of(key_node),
                                           f"重复的键“{key}”：第{first.line}行已有同名的键，"
                                           "后一个会覆盖前一个，请删除或合并", first))
                continue
            self.keys[path + (key,)] = key_node.start_mark
            result[key] = self.build(value_node, path + (key,))
        return result

    def build_key(self, node):
        if not isinstance(node, yaml.ScalarNode):
            self.problems.append(error(self.pos_of(node), "键必须是简单的文字，不能是列表或映射"))
            return f"<{node.start_mark.line}>"
        return str(self.scalar_value(node))

    def scalar_value(self, node):
        """A plain string needs no constructor (most scalars); other tags go through PyYAML's."""
        if node.tag == STR_TAG:
            return node.value
        return self.constructor.construct_object(node)

    def build_scalar(self, node, path):
        value = self.scalar_value(node)
        if isinstance(value, str) and BAD_CHARS.search(value):
            bad = BAD_CHARS.search(value).group()
            field_name = ".".join(str(p) for p in path) or "（顶层）"
            self.problems.append(error(self.pos_of(node), f"字段 {field_name} 含有 Word 文档无法保存的字符"
                                       f" U+{ord(bad):04X}（控制字符或孤立代理项），请删除"))
        return value
