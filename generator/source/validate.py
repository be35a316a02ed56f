"""Stage 2 — check the shape of the data against the JSON Schema; every error, each at its line.

The schema (schema/unit-budget.schema.json) documents every key with a Chinese title. Errors are
collected with ``iter_errors`` (never stopping at the first), mapped back to the YAML position of
the offending node, and worded in Chinese: what was expected and what was found. Sound data (nearly
every unit) is first passed by the same schema compiled with fastjsonschema, much quicker; any doubt
goes to jsonschema.
"""
from __future__ import annotations

import difflib
import json
from decimal import Decimal
from functools import lru_cache

import jsonschema

from generator.core.places import SCHEMA_PATH
from generator.core.problems import Problem, error
from generator.source.load import NotANumber, Source

MAX_AMOUNT = Decimal("1e12")            # 1万亿元: far beyond any unit's budget

TYPE_WORDS = {
    "object": "键值映射", "array": "列表", "string": "文字", "number": "数字",
    "integer": "整数", "boolean": "是/否", "null": "空值",
}


def check_yuan(value) -> bool:
    """An amount in 元: finite, at most two decimals, not absurdly large."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return True                    # the type check reports it
    amount = Decimal(value)
    exponent = amount.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -2 and abs(amount) < MAX_AMOUNT


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("yuan")(check_yuan)


@lru_cache(maxsize=1)
def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema(), format_checker=FORMATS)


@lru_cache(maxsize=1)
def fast_validator():
    """The same schema compiled to Python by fastjsonschema: ~15 times quicker, but its messages are
    English and stop at the first error, so it only ever says "sound"; jsonschema words the errors."""
    import fastjsonschema  # only where units are validated
    return fastjsonschema.compile({**load_schema(), "$schema": "http://json-schema.org/draft-07/schema#"},
                                  formats={"yuan": check_yuan})


def numbers_in(data):
    """Every number value anywhere in the data."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, (int, Decimal)):
            yield node


def is_surely_valid(data) -> bool:
    """True only when jsonschema would find no error. fastjsonschema checks a `format` on strings only,
    so the 元 check is made here on every number: stricter than the schema, never looser."""
    try:
        fast_validator()(data)
    except Exception:  # noqa: BLE001 — its error, or its own failure (e.g. on Decimal 1E+30): jsonschema decides
        return False
    return all(check_yuan(n) for n in numbers_in(data))


def validate_source(source: Source) -> list[Problem]:
    if is_surely_valid(source.data):
        return []
    errors = sorted(validator().iter_errors(source.data), key=lambda e: list(map(str, e.absolute_path)))
    return [problem_of(source, e) for e in leaf_errors(errors)]


def leaf_errors(errors):
    """For oneOf/anyOf failures report the most telling sub-error, not the combinator."""
    for e in errors:
        if e.validator in ("oneOf", "anyOf") and e.context:
            yield jsonschema.exceptions.best_match(e.context)
        else:
            yield e


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
    if e.validator in ("type", "minItems"):        # the whole value is wrong: name it as its field, not as
        title = site_title(e) or title             # the shared definition it uses (“多段文字”)
    dotted = ".".join(str(p) for p in path) or "文件"
    return f"{dotted}（{title}）" if title else dotted


def found_word(value) -> str:
    if isinstance(value, bool):
        return f"是/否（{value}）"
    if value is None:
        return "空值"
    if isinstance(value, (int, Decimal)):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文字“{value}”"
    return TYPE_WORDS["array" if isinstance(value, list) else "object"]


def describe_type(e, path) -> str:
    if isinstance(e.instance, NotANumber):
        return f"{field_name(e, path)} 不是有效金额：{e.instance}（应为具体的数字）"
    wanted = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
    words = "或".join(TYPE_WORDS.get(str(w), str(w)) for w in wanted)
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
    return f"{where} 中有未知的键“{key}”{hint}"


def describe_enum(e, path) -> str:
    options = "、".join(str(v) for v in e.validator_value)
    return f"{field_name(e, path)} 的值“{e.instance}”无效，应为：{options}"


def describe_property_names(e, path) -> str:
    return f"{field_name(e, path)} 中有无效的键：{e.message}"


def describe_pattern(e, path) -> str:
    hint = e.schema.get("x-pattern-message") or f"应符合格式 {e.validator_value}"
    value = e.instance
    length = f"（{len(value)}位）" if isinstance(value, str) and value.isdigit() else ""
    return f"{field_name(e, path)}“{value}”{length}格式不对：{hint}"


def describe_minimum(e, path) -> str:
    return f"{field_name(e, path)} 不能小于 {e.validator_value}，实际为 {e.instance}"


def describe_format(e, path) -> str:
    value = Decimal(e.instance)
    if not value.is_finite():
        return f"{field_name(e, path)} 不是有效金额：{e.instance}"
    if abs(value) >= MAX_AMOUNT:
        return f"{field_name(e, path)} 金额 {e.instance} 元大得不合理（应小于1万亿元），请检查单位是否为元"
    return f"{field_name(e, path)} 金额 {e.instance} 最多保留两位小数（到分）"


def describe_min_length(e, path) -> str:
    return f"{field_name(e, path)} 不能为空"


def describe_other(e, path) -> str:
    return f"{field_name(e, path)} 不符合要求：{e.message}"


MESSAGES = {
    "type": describe_type, "required": describe_required, "additionalProperties": describe_additional,
    "enum": describe_enum, "const": describe_enum, "pattern": describe_pattern,
    "minimum": describe_minimum, "format": describe_format, "minLength": describe_min_length,
    "minItems": describe_min_length, "propertyNames": describe_property_names,
}
