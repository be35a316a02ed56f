"""What a plain (unquoted) YAML scalar means to budgetdoc: null, yes/no, a number, or text.

YAML 1.1, which PyYAML follows, reads many forms as numbers that a finance office never means as
numbers: ``0241700`` is octal (82880), ``0x1F`` hexadecimal, ``1:30`` sexagesimal (90), ``1_000``
is 1000, ``+5`` is 5, ``1.5e+3`` is 1500. budgetdoc reads a number only when it is written in
plain decimal notation — digits, an optional minus sign, an optional fraction — and keeps every
other form as the text written (`NumberText`): a text field gets exactly what was typed, and an
amount or a count is refused by the schema with a message that quotes it. Nothing here ever calls
a constructor of PyYAML; a tag is refused before a scalar gets here (events.py).
"""
from __future__ import annotations

import re
from decimal import Decimal

import yaml

NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
MERGE = "tag:yaml.org,2002:merge"

# PyYAML's own table of implicit types, without timestamps (dates stay text: the schema checks them).
RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
assert None not in RESOLVERS

DECIMAL = re.compile(r"(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?\Z")
MAX_DIGITS = 20        # digits before, and after, the decimal point: an amount under 1万亿元 has 13


class NumberText(str):
    """A plain scalar that YAML 1.1 reads as a number written otherwise than in plain decimal notation
    (octal, hexadecimal, sexagesimal, with "_" or "+", an exponent, a bare point, too many digits):
    kept as the text written, so that no field receives a number other than the one on the page."""


class NotANumber(str):
    """.nan / .inf: kept as text so that validation reports it as not an amount."""


def resolved_tag(text: str) -> str | None:
    """The tag YAML 1.1 gives a plain scalar `text` (None: a string)."""
    for tag, pattern in RESOLVERS.get(text[:1], ()):
        if pattern.match(text):
            return tag
    return None


def plain_value(text: str):
    """The value of a plain scalar: None, True/False, int, Decimal, or the text itself."""
    tag = resolved_tag(text)
    if tag == NULL:
        return None
    if tag == BOOL:
        return text.lower() in ("yes", "true", "on")
    if tag in (INT, FLOAT):
        return number_value(text)
    return text


def number_value(text: str):
    """int or Decimal from plain decimal notation; anything else as NumberText / NotANumber."""
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        return NotANumber(text)
    match = DECIMAL.match(text)
    if not match or len(match.group(2)) > MAX_DIGITS or len(match.group(3) or "") > MAX_DIGITS:
        return NumberText(text)
    return Decimal(text) if match.group(3) is not None else int(text)


def is_merge_key(text: str) -> bool:
    return resolved_tag(text) == MERGE


def number_form(text: str) -> str:
    """Why `text` is not read as a number, for the message that quotes it."""
    body = text.lstrip("+-")
    digits = sum(ch.isdigit() for ch in body)
    if "_" in body:
        return "数字中不能有下划线“_”"
    if text.startswith("+"):
        return "数字前不写正号“+”"
    if body[:2].lower() == "0x":
        return "这是十六进制写法"
    if body[:2].lower() == "0b":
        return "这是二进制写法"
    if ":" in body:
        return "带冒号的数字在 YAML 中是六十进制（例如 1:30 读作 90）"
    if "e" in body.lower():
        return "不能用科学计数法"
    if body.startswith(".") or body.endswith("."):
        return "小数点前后都应有数字"
    if len(body) > 1 and body[0] == "0" and body[1].isdigit():
        return f"以 0 开头的整数在 YAML 中是八进制（{short(text)} 会被读作 {octal_reading(text)}），请去掉开头的 0"
    if digits > MAX_DIGITS:
        return f"位数过多（{digits} 位）"
    return "不是十进制数字写法"


def octal_reading(text: str) -> str:
    body = text.lstrip("+-").replace("_", "")
    try:
        return str(int(body, 8))
    except ValueError:
        return "另一个数"


def short(text: str, limit: int = 40) -> str:
    """`text` as quoted in a message: a very long one cut in the middle."""
    if len(text) <= limit:
        return text
    return f"{text[:16]}…{text[-8:]}（共 {len(text)} 个字符）"
