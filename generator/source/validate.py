"""Stage 2 — check the shape of the data against the JSON Schema; every error, each at its line.

The schema (schema/unit-budget.schema.json) documents every key with a Chinese title. Errors are
collected with ``iter_errors`` (never stopping at the first), mapped back to the YAML position of
the offending node, and worded in Chinese: what was expected and what was found. Sound data (nearly
every unit) is first passed by the same schema compiled with fastjsonschema, much quicker; any doubt
goes to jsonschema.
"""
from __future__ import annotations

import contextlib
import copy
import functools
import json
import marshal
import re
import sys
import types
from decimal import Decimal
from functools import lru_cache

import jsonschema

from generator.core.kept import keep, kept_path, read_kept
from generator.core.positions import Source
from generator.core.problems import Problem
from generator.source.schema import FORMAT_CHECKS, FORMATS, SCHEMA_PATH, check_yuan, load_schema, python_schema
from generator.source.schema_messages import MESSAGES, problem_of

__all__ = ["MESSAGES", "SCHEMA_PATH", "is_surely_valid", "load_schema", "validate_source", "validator"]


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(python_schema(), format_checker=FORMATS)


@lru_cache(maxsize=1)
def fast_validator():
    """The same schema compiled to Python by fastjsonschema: ~15 times quicker, but its messages are
    English and stop at the first error, so it only ever says "sound"; jsonschema words the errors."""
    name, code = validator_code({**python_schema(), "$schema": "http://json-schema.org/draft-07/schema#"})
    namespace: dict = {}
    exec(code, namespace)                   # fastjsonschema's module for our own schema
    return functools.partial(namespace[name], custom_formats=FORMAT_CHECKS)


def validator_code(schema: dict) -> tuple[str, types.CodeType]:
    """The name of the validating function and the compiled module that defines it. Generating and
    compiling it takes about 0.27 s of CPU, every process that validates a unit; so the compiled
    module is kept in the cache folder, by the digest of the schema, the format names,
    fastjsonschema's version and Python's, and read back (about 1 ms) by the processes after."""
    import fastjsonschema  # only where units are validated
    key = json.dumps([schema, sorted(FORMAT_CHECKS), fastjsonschema.VERSION, sys.implementation.cache_tag],
                     sort_keys=True, default=str, ensure_ascii=False)
    path = kept_path("validator", key, ".marshal")
    data = read_kept(path)
    if data is not None:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            name, code = marshal.loads(data)
            if isinstance(name, str) and isinstance(code, types.CodeType):
                return name, code
    source = fastjsonschema.compile_to_code(copy.deepcopy(schema), formats=FORMAT_CHECKS)   # it rewrites every $ref
    name = next(m.group(1) for m in re.finditer(r"^def (\w+)\(", source, re.M))   # the first: the schema's own
    code = compile(source, "<budgetdoc: fastjsonschema's validator of unit-budget.schema.json>", "exec")
    keep(path, marshal.dumps((name, code)))
    return name, code


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


