"""The schema's errors in Chinese, each at the YAML line of the value it concerns: what was expected,
what was found. Every keyword the schema uses has its describer (tests/test_robust_input.py checks).
"""
from __future__ import annotations

import difflib
import re
from decimal import Decimal

from generator.core.positions import Source
from generator.core.problems import Problem, error
from generator.source.scalars import NotANumber, NumberText, number_form, short
from generator.source.schema import DATE, MAX_AMOUNT, load_schema

TYPE_WORDS = {
    "object": "键值映射", "array": "列表", "string": "文字", "number": "数字",
    "integer": "整数", "boolean": "是/否", "null": "空值",
}


def problem_of(source: Source, e) -> Problem:
    path = tuple(e.absolute_path)
    describe = MESSAGES.get(e.validator, describe_other)
    if e.validator == "additionalProperties":
        key = unexpected_key(e)
        return error(source.key_pos(path + (key,)), describe(e, path))
    return error(source.pos(path), describe(e, path))


def site_title(e) -> str | None:
    """The title where the field is declared: a property written as ``{"$ref": …, "title": "本单位职责"}``
    is named by its own title, not by the shared definition's (``多段文字``)."""
    root = node = load_schema()
    title = None
    try:
        for step in list(e.absolute_schema_path)[:-1]:
            if step == "$ref":
                ref = node["$ref"]
                if not ref.startswith("#/"):
                    return None
                node = root
                for part in ref[2:].split("/"):
                    node = node[part]
            else:
                node, title = node[step], None
            if title is None and isinstance(node, dict) and isinstance(node.get("title"), str):
                title = node["title"]
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return title


def field_name(e, path) -> str:
    title = e.schema.get("title") if isinstance(e.schema, dict) else None
    title = site_title(e) or title                 # name it as its field, not as the shared definition it uses (“多段文字”)
    dotted = ".".join(str(p) for p in path) or "文件"
    return f"{dotted}（{title}）" if title else dotted


def shown(text: str) -> str:
    """User text as quoted in a message: what cannot be seen (a line break, a zero-width space) as U+XXXX."""
    return short("".join(ch if ch == " " or (ch.isprintable() and not INVISIBLE.match(ch)) else f"<U+{ord(ch):04X}>"
                         for ch in text[:200]) + ("…" if len(text) > 200 else ""), 80)


INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\\s]")


def found_word(value) -> str:
    if isinstance(value, bool):
        return f"是/否（{value}）"
    if value is None:
        return "空值"
    if isinstance(value, (int, Decimal)):
        return f"数字 {short(str(value))}"
    if isinstance(value, str):
        return f"文字“{shown(value)}”"
    return TYPE_WORDS["array" if isinstance(value, list) else "object"]


def describe_type(e, path) -> str:
    wanted = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
    words = "或".join(TYPE_WORDS.get(str(w), str(w)) for w in wanted)
    if isinstance(e.instance, NotANumber):
        return f"{field_name(e, path)} 不是有效金额：{e.instance}（应为具体的数字）"
    if isinstance(e.instance, NumberText) and ("number" in wanted or "integer" in wanted):
        example = "整数只写十进制数字，例如 17" if "number" not in wanted else "金额写作十进制数字，最多两位小数，例如 241700 或 241700.50"
        return (f"{field_name(e, path)} 应为{words}，这里写的是“{short(e.instance)}”：{number_form(e.instance)}；{example}")
    hint = "（金额只写数字，不加千分位逗号和单位）" if "number" in wanted and isinstance(e.instance, str) else ""
    return f"{field_name(e, path)} 应为{words}，实际为{found_word(e.instance)}{hint}"


def describe_required(e, path) -> str:
    missing = e.message.split("'")[1] if "'" in e.message else e.message
    prop = e.schema.get("properties", {}).get(missing, {})
    title = f"（{prop['title']}）" if prop.get("title") else ""
    where = ".".join(str(p) for p in path) or "文件顶层"
    return f"{where} 缺少必填项“{missing}”{title}"


def unexpected_key(e) -> str:
    extras = [k for k in e.instance if k not in e.schema.get("properties", {})]
    return extras[0] if extras else ""


def describe_additional(e, path) -> str:
    key = unexpected_key(e)
    known = list(e.schema.get("properties", {}))
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"，是否应为“{close[0]}”？" if close else f"，可用的键：{'、'.join(known)}"
    where = ".".join(str(p) for p in path) or "文件顶层"
    return f"{where} 中有未知的键“{shown(key)}”{hint}"


def describe_enum(e, path) -> str:
    options = "、".join(str(v) for v in (e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]))
    value = shown(e.instance) if isinstance(e.instance, str) else found_word(e.instance)
    return f"{field_name(e, path)} 的值“{value}”无效，应为：{options}"


def describe_property_names(e, path) -> str:
    return f"{field_name(e, path)} 中有无效的键"


def describe_pattern(e, path) -> str:
    hint = e.schema.get("x-pattern-message") or "格式不符合要求"
    value = e.instance
    length = f"（{len(value)}位）" if isinstance(value, str) and value.isdigit() else ""
    return f"{field_name(e, path)}“{shown(value)}”{length}格式不对：{hint}"


def describe_minimum(e, path) -> str:
    return f"{field_name(e, path)} 不能小于 {e.validator_value}，实际为 {short(str(e.instance))}"


def describe_maximum(e, path) -> str:
    return f"{field_name(e, path)} 不能大于 {e.validator_value}，实际为 {short(str(e.instance))}"


def describe_exclusive_minimum(e, path) -> str:
    return f"{field_name(e, path)} 应大于 {e.validator_value}，实际为 {short(str(e.instance))}"


def describe_exclusive_maximum(e, path) -> str:
    return f"{field_name(e, path)} 应小于 {e.validator_value}，实际为 {short(str(e.instance))}"


def describe_format(e, path) -> str:
    if e.validator_value == "date":
        return f"{field_name(e, path)}“{shown(e.instance)}”不是存在的日期：{date_problem(e.instance)}"
    if e.validator_value == "stamp":
        return f"{field_name(e, path)}“{shown(e.instance)}”不是存在的日期或时间，请按预算系统打印的填报日期填写"
    value = Decimal(e.instance)
    if not value.is_finite():
        return f"{field_name(e, path)} 不是有效金额：{e.instance}"
    if e.validator_value == "yuan" and abs(value) >= MAX_AMOUNT:
        return f"{field_name(e, path)} 金额 {short(str(e.instance))} 元大得不合理（应小于1万亿元），请检查单位是否为元"
    what = "金额 " if e.validator_value == "yuan" else ""
    return f"{field_name(e, path)} {what}{short(str(e.instance))} 最多保留两位小数（到分）"


def date_problem(text: str) -> str:
    found = DATE.match(text)
    if not found:
        return "应写作 YYYY-MM-DD"
    year, month, day = (int(g) for g in found.groups())
    if not 1 <= month <= 12:
        return f"没有{month}月"
    return f"{year}年{month}月没有{day}日"


def describe_min_length(e, path) -> str:
    if e.validator_value <= 1:
        return f"{field_name(e, path)} 不能为空"
    what = "个字符" if e.validator == "minLength" else "项"
    return f"{field_name(e, path)} 至少 {e.validator_value} {what}，这里有 {len(e.instance)} {what}"


def describe_max_length(e, path) -> str:
    return f"{field_name(e, path)} 过长：最多 {e.validator_value} 个字符，这里有 {len(e.instance)} 个"


def describe_max_items(e, path) -> str:
    return f"{field_name(e, path)} 最多 {e.validator_value} 项，这里有 {len(e.instance)} 项"


def describe_unique(e, path) -> str:
    return f"{field_name(e, path)} 中有重复的项"


def describe_other(e, path) -> str:
    return f"{field_name(e, path)} 的值不符合本字段的要求（见 schema/unit-budget.schema.json 中的说明）"


MESSAGES = {
    "type": describe_type, "required": describe_required, "additionalProperties": describe_additional,
    "enum": describe_enum, "const": describe_enum, "pattern": describe_pattern,
    "minimum": describe_minimum, "maximum": describe_maximum, "exclusiveMinimum": describe_exclusive_minimum,
    "exclusiveMaximum": describe_exclusive_maximum, "format": describe_format, "minLength": describe_min_length,
    "maxLength": describe_max_length, "minItems": describe_min_length, "maxItems": describe_max_items,
    "minProperties": describe_min_length,
    "uniqueItems": describe_unique, "propertyNames": describe_property_names,
}
