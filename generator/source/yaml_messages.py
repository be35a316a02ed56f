"""PyYAML's syntax errors, said in Chinese at the place they concern.

Every message PyYAML's scanner and parser can raise has an entry below (tests/test_fuzz_loader.py
reads their sources and checks it); what the message quotes (a character, a token) is given back
in the user's terms. An error that none of them matches still gets a Chinese message.
"""
from __future__ import annotations

import ast
import re

import yaml

from generator.core.problems import Pos, Problem, error

TAB = "用了制表符（Tab）缩进，YAML 只能用空格缩进"
DIRECTIVE = "以“%”开头的行是 YAML 指令，单位预算文件不用指令；若这是文字，请给整个值加引号"
TAG = "YAML 标签写法错误（! 或 !! 开头）；单位文件和模板包文件中的值都不能带标签，请删除；若这是文字，请给整个值加引号"
BLOCK_SCALAR = "多行文字标记“|”或“>”后面只能跟缩进数字（1–9）、“+”或“-”，然后换行"
ANCHOR = "锚点“&”或别名“*”后应紧跟名字（字母或数字）；若“&”“*”是文字的一部分，请给整个值加引号"

TOKEN_WORDS = {
    "<block end>": "缩进的结束", "<block mapping start>": "映射", "<block sequence start>": "列表",
    "<scalar>": "一个值", "<alias>": "别名", "<anchor>": "锚点", "<tag>": "标签", "<document start>": "“---”",
    "<document end>": "“...”", "<stream end>": "文件结尾", "?": "“?”", ":": "“:”", ",": "“,”", "-": "“-”",
    "[": "“[”", "]": "“]”", "{": "“{”", "}": "“}”", "<directive>": "指令",
}

# (PyYAML's problem, as a pattern; context, as a pattern or ""; the message, formatted with the groups)
MESSAGES: tuple[tuple[str, str, str], ...] = (
    (r"found character '\\t' that cannot start any token", "", TAB),
    (r"found character (.+) that cannot start any token", "",
     "字符“{0}”不能作为值的开头（YAML 中 @ 和 ` 是保留字符，| > ! & * % 等有特殊含义）：请给整个值加引号"),
    (r"could not find expected ':'", "", "缺少冒号“:”：每个键后面应为“: 值”"),
    (r"sequence entries are not allowed here", "", "这里不能出现列表项“- ”：可能是缩进不对，或“-”前面少了换行"),
    (r"mapping keys are not allowed here", "", "这里不能出现“? ”：可能是缩进不对；若“?”是文字，请给整个值加引号"),
    (r"mapping values are not allowed here", "", "这里不能出现“键: 值”：可能是缩进不对，或值中含有未加引号的冒号"),
    (r"expected alphabetic or numeric character, but found .*", "while scanning an? (anchor|alias)", ANCHOR),
    (r".*", "while (scanning|parsing) a directive", DIRECTIVE),
    (r".*", "while (scanning|parsing) a tag", TAG),
    (r"expected .*", "while scanning a block scalar", BLOCK_SCALAR),
    (r"expected escape sequence of (\d+) hexadecimal numbers, but found .*", "",
     "双引号字符串中的转义 \\x、\\u 或 \\U 后应跟 {0} 位十六进制数字；若“\\”是文字，请改用单引号"),
    (r"found unknown escape character (.+)", "", "双引号字符串中有无效的转义字符“\\{0}”；若“\\”是文字，请改用单引号或写成“\\\\”"),
    (r"found unexpected end of stream", "", "文件意外结束：引号或括号没有闭合"),
    (r"found unexpected document separator", "", "引号中的文字里有一行以“---”或“...”开头：可能是引号没有闭合"),
    (r"expected '<document start>', but found (.+)", "", "这里出现了多余的内容（{0}）：可能是缩进不对，或前面的括号已经闭合"),
    (r"found duplicate YAML directive", "", DIRECTIVE),
    (r"found incompatible YAML document.*", "", DIRECTIVE),
    (r"duplicate tag handle .*", "", DIRECTIVE),
    (r"found undefined tag handle .*", "", TAG),
    (r"expected the node content, but found (.+)", "", "这里应有一个值，却是{0}：可能是多了逗号或冒号，或值没有写"),
    (r"expected <block end>, but found (.+)", "", "缩进不一致：同一层的键应对齐"),
    (r"expected ',' or '\]', but got (.+)", "", "方括号列表 [ … ] 没有闭合，或元素之间缺少逗号"),
    (r"expected ',' or '\}', but got (.+)", "", "花括号映射 {{ … }} 没有闭合，或元素之间缺少逗号"),
)
FALLBACK = "YAML 语法错误：请检查这里的缩进、冒号、引号和括号"


def said(found: str) -> str:
    """A character or token quoted by PyYAML (a Python repr) in the user's terms."""
    try:
        value = ast.literal_eval(found)
    except (ValueError, SyntaxError):
        value = found
    if not isinstance(value, str):
        return str(value)
    if value in TOKEN_WORDS:
        return TOKEN_WORDS[value]
    if len(value) == 1 and not value.isprintable():
        return f"U+{ord(value):04X}"
    return value


def chinese_message(problem: str, context: str) -> str:
    for pattern, context_pattern, message in MESSAGES:
        found = re.fullmatch(pattern, problem, re.S)
        if found and (not context_pattern or re.match(context_pattern, context)):
            return message.format(*(said(g) for g in found.groups() if g is not None))
    return FALLBACK


def yaml_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    pos = Pos(name, mark.line + 1, mark.column + 1) if mark else Pos(name, 1, 1)
    return error(pos, chinese_message(exc.problem or "", exc.context or ""))
