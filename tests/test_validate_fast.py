"""The fast schema check (fastjsonschema) may only ever say "sound" where jsonschema finds no error.

A differential test: for the seed unit, every bad-input case and a few edge values, the fast
path's accept/reject agrees with jsonschema's (no errors ⇔ accept).
"""
from __future__ import annotations

import pytest
from test_bad_input import CASES, FUND_LINE, SEED
from test_robust_input import CASES as ROBUST_CASES

from generator.core.problems import BudgetdocError
from generator.source.load import decode_text, parse_text
from generator.source.validate import is_surely_valid, validator

EDGES = {
    "seed": SEED,
    "two_decimals": SEED.replace(FUND_LINE, "一般公共预算: 1892900.12}", 1),
    "integer_as_decimal": SEED.replace("staff: 17 ", "staff: 17.0 ", 1),
    "explanation_with_final_stop": SEED.replace("  office_operation: 新招录人员两名，相应经费增加", "  office_operation: 新招录人员两名，相应经费增加。\n", 1),
    "area_three_decimals": SEED.replace("  office_area: 221.96 ", "  office_area: 221.965 ", 1),
    "text_with_final_newline": SEED.replace("  level: 市级", '  level: "市级\\n"', 1),
    "amount_as_bool": SEED.replace(FUND_LINE, "一般公共预算: true}", 1),
    "amount_as_null": SEED.replace(FUND_LINE, "一般公共预算: null}", 1),
    "just_below_limit": SEED.replace(FUND_LINE, "一般公共预算: 999999999999.99}", 1),
    "at_limit": SEED.replace(FUND_LINE, "一般公共预算: 1000000000000}", 1),
    "exponent": SEED.replace(FUND_LINE, "一般公共预算: 1.5e+3}", 1),
}


def loaded(content) -> object | None:
    """The data of a file's content, or None when the loader rejects it (it never reaches the schema)."""
    raw = content if isinstance(content, bytes) else content.encode("utf-8")
    try:
        return parse_text(decode_text(raw, "2026.yaml"), "2026.yaml").data
    except BudgetdocError:
        return None


CONTENTS = {**{name: case[0]() for name, case in CASES.items()},
            **{f"robust_{name}": case[0]() for name, case in ROBUST_CASES.items()}, **EDGES}
REACH_THE_SCHEMA = sorted(name for name, content in CONTENTS.items() if loaded(content) is not None)


def test_most_bad_input_cases_reach_the_schema():
    assert len(REACH_THE_SCHEMA) > len(CONTENTS) // 2 and set(EDGES) <= set(REACH_THE_SCHEMA)


@pytest.mark.parametrize("name", REACH_THE_SCHEMA)
def test_fast_path_agrees_with_jsonschema(name):
    data = loaded(CONTENTS[name])
    sound = next(validator().iter_errors(data), None) is None
    assert is_surely_valid(data) == sound


def test_seed_takes_the_fast_path():
    assert is_surely_valid(loaded(SEED))


# Keywords that mean the same under draft-07 (how the fast validator reads the schema) and 2020-12.
SAME_IN_BOTH = {"$schema", "$id", "$comment", "$defs", "$ref", "title", "description", "x-pattern-message",
                "type", "properties", "additionalProperties", "required", "enum", "const", "items", "minItems",
                "maxItems", "minimum", "maximum", "pattern", "minLength", "maxLength", "format", "propertyNames"}


def schema_nodes(node, is_map=False):
    """Every schema object in the schema; `properties` and `$defs` map names to schemas."""
    if isinstance(node, list):
        for item in node:
            yield from schema_nodes(item)
    elif isinstance(node, dict):
        if not is_map:
            yield node
        for key, value in node.items():
            if not is_map and key in ("enum", "const", "required"):
                continue
            yield from schema_nodes(value, is_map=not is_map and key in ("properties", "$defs"))


def test_schema_reads_the_same_under_draft_07():
    from generator.source.validate import load_schema
    for node in schema_nodes(load_schema()):
        assert set(node) <= SAME_IN_BOTH, set(node) - SAME_IN_BOTH
        if "$ref" in node:             # draft-07 ignores what stands beside a $ref
            assert set(node) <= {"$ref", "title", "description", "$comment"}, node


@pytest.fixture
def fresh_validator(tmp_path, monkeypatch):
    """fast_validator as a new process finds it, with the cache folder in tmp_path."""
    from generator.source import validate
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    validate.fast_validator.cache_clear()
    yield validate
    validate.fast_validator.cache_clear()


def kept_files(tmp_path) -> list:
    return sorted(p.name for p in (tmp_path / "budgetdoc").glob("validator-*.marshal"))


def test_the_compiled_validator_is_kept_and_the_next_process_reads_it_back(fresh_validator, tmp_path, monkeypatch):
    import fastjsonschema
    data = loaded(SEED)
    assert fresh_validator.is_surely_valid(data)
    [kept] = kept_files(tmp_path)
    fresh_validator.fast_validator.cache_clear()

    def not_again(*args, **kwargs):
        raise AssertionError("the kept validator was generated again")
    monkeypatch.setattr(fastjsonschema, "compile_to_code", not_again)
    assert fresh_validator.is_surely_valid(data) and not fresh_validator.is_surely_valid(loaded(EDGES["amount_as_bool"]))
    assert kept_files(tmp_path) == [kept]


def test_a_damaged_kept_validator_is_made_again(fresh_validator, tmp_path):
    fresh_validator.fast_validator()
    [kept] = (tmp_path / "budgetdoc").glob("validator-*.marshal")
    good = kept.read_bytes()
    for damage in (b"", good[:1000], b"not marshal data", __import__("marshal").dumps(("name", "not code"))):
        kept.write_bytes(damage)
        fresh_validator.fast_validator.cache_clear()
        assert fresh_validator.is_surely_valid(loaded(SEED)) and kept.read_bytes() == good


def test_without_a_cache_folder_the_validator_is_made_and_nothing_is_kept(fresh_validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", "relative")
    assert fresh_validator.is_surely_valid(loaded(SEED)) and list(tmp_path.iterdir()) == []
