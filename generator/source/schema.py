"""The schema as Python reads it: schema/unit-budget.schema.json, its formats, and its patterns made safe.

The schema is written for editors (ECMA-262 regular expressions, as yaml-language-server reads them);
two validators check data against it here (validate.py), and both get the same Python schema:

- formats: ``yuan`` (an amount: at most two decimals, under 1万亿元), ``two_decimals``, ``date`` (a day
  that exists: 2025-02-30 does not) and ``stamp`` (the 填报日期 as the budget system prints it);
- patterns: Python's ``$`` also matches before a final line break, so "2010301\\n" would pass
  ``^[0-9]{7}$``; every ``$`` outside a character class becomes ``\\Z``, in every pattern.
"""
from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from functools import lru_cache

import jsonschema

from generator.core.places import SCHEMA_PATH

__all__ = ["FORMATS", "FORMAT_CHECKS", "MAX_AMOUNT", "SCHEMA_PATH", "load_schema", "python_schema"]

MAX_AMOUNT = Decimal("1e12")            # 1万亿元: far beyond any unit's budget



def check_yuan(value) -> bool:
    """An amount in 元: finite, at most two decimals, not absurdly large."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return True                    # the type check reports it
    return has_two_decimals(value) and abs(Decimal(value)) < MAX_AMOUNT


def has_two_decimals(value) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return True
    exponent = Decimal(value).as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -2


DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
STAMP = re.compile(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})(?: ?([0-9]{2}):?([0-9]{2})(?::?([0-9]{2}))?)?\Z")


def check_date(value) -> bool:
    """YYYY-MM-DD of a day that exists (2025-02-30 does not)."""
    if not isinstance(value, str):
        return True
    found = DATE.match(value)
    return found is None or is_real_moment(*found.groups())        # a wrong shape is the pattern's to report


def check_stamp(value) -> bool:
    """The 填报日期 as the budget system prints it (20251121175638, 20251121, 2025-11-21 17:56…): a real moment."""
    if not isinstance(value, str) or value == "":
        return True
    found = STAMP.match(value)
    return found is None or is_real_moment(*found.groups())


def is_real_moment(year, month, day, hour=None, minute=None, second=None) -> bool:
    try:
        datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return False
    return True


FORMAT_CHECKS = {"yuan": check_yuan, "two_decimals": has_two_decimals, "date": check_date, "stamp": check_stamp}
FORMATS = jsonschema.FormatChecker(formats=())
for _name, _check in FORMAT_CHECKS.items():
    FORMATS.checks(_name)(_check)


def python_pattern(pattern: str) -> str:
    """A schema pattern (ECMA-262, as editors read it) for Python's `re`: there, `$` also matches before a
    final line break, so "2010301\\n" would pass ^[0-9]{7}$; each `$` outside a character class becomes `\\Z`."""
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "$":
            ch = "\\Z"
        out.append(ch)
    return "".join(out)


def for_python(node):
    """The schema with every pattern made safe for Python's `re` (python_pattern)."""
    if isinstance(node, list):
        return [for_python(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: for_python(value) for key, value in node.items()}
    if isinstance(node.get("pattern"), str):
        result["pattern"] = python_pattern(node["pattern"])
    if isinstance(node.get("patternProperties"), dict):
        result["patternProperties"] = {python_pattern(k): for_python(v) for k, v in node["patternProperties"].items()}
    return result


@lru_cache(maxsize=1)
def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def python_schema() -> dict:
    return for_python(load_schema())
