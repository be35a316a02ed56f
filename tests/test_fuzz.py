"""Fuzzing the input (issue 16): Hypothesis writes YAML text and mutates the seed unit.

Every run either passes `check` or ends with problems — errors at file:line:col, in Chinese — and
never with an exception, a hang or a number other than the one written. A mutated unit that passes
`check` is built. The command line is run on a folder of mutations once, in a process of its own.
"""
from __future__ import annotations

import re
import signal
import subprocess
import sys
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from places import key_blocks

from generator.core.problems import BudgetdocError
from generator.source.load import parse_text
from generator.source.scalars import DECIMAL
from generator.source.validate import validate_source

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "units" / "datong-ggzyjy" / "2026.yaml").read_text(encoding="utf-8")
LINES = SEED.splitlines(keepends=True)
NAME = "units/datong-ggzyjy/2026.yaml"
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ENGLISH = re.compile(r"\b(found|expected|while (scanning|parsing)|is not|does not|is (greater|less) than|required property|"
                     r"Additional properties|Traceback|Error|codec|unacceptable|could not)\b")
PLACE = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (错误|警告|提示)( L\d+)?：")

SCALARS = st.sampled_from([
    "0241700", "0x1F", "0b101", "1:30", "1_000", "+5", "-5", "1.5e3", ".5", "5.", "1e400", ".nan", "-.inf", "9" * 30,
    "12.345", "12.30", "0", "-0", "00", "~", "null", "", "yes", "No", "on", "true", "2025-02-30", "2025-13-01",
    "'引号'", '"双引号\\n换行"', '"\\u200b"', '"\\x01"', "!foo x", "!!python/object:os.system x", "!!int abc", "! 5",
    "&a 1", "*a", "*nowhere", "<<", "@x", "`x", "%x", "[", "{", "]", "}", "[1, [2, [3]]]", "{a: 1}", "|", ">-",
    "大同", "维修(护)费", "\u3000", "a: b", "- x", "? x", "# 注释", "\t", "\\", "'", '"', "&", "*", "!",
])
RAW = st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe", "\t", "\r", "\n", " ", ":", "- ",
                       "&x ", "*x", "!", "<<: ", "---\n", "...\n", "%YAML 1.1\n", "@", "`", "[", "{", "\u200b", "大"])


@contextmanager
def time_limit(seconds: int):
    """A hang is a failure, not a stuck test run."""
    def expired(signum, frame):
        raise TimeoutError(f"超过 {seconds} 秒")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_problems_are_sound(problems, text: str) -> None:
    """Each problem stands at a place of the file and says in Chinese what is wrong."""
    last_line = text.count("\n") + text.count("\r") + text.count("\x85") + text.count("\u2028") + text.count("\u2029") + 2
    for problem in problems:
        assert problem.pos.file == NAME, problem
        assert 1 <= problem.pos.line <= last_line and problem.pos.col >= 1, problem
        assert re.search("[\u4e00-\u9fff]", problem.message) and not ENGLISH.search(problem.message), problem
        assert "内部错误" not in problem.message, problem


def checked(text: str, folder: Path):
    """`check` of one file with this text, in this process."""
    from generator.pack.unit import check_unit
    path = folder / "2026.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with time_limit(20):
        analysis = check_unit(path, NAME)
    assert_problems_are_sound(analysis.problems, text)
    return analysis


# YAML text of any shape ------------------------------------------------------------------------

YAML_ALPHABET = st.sampled_from(list("ab1 :-[]{},&*!|>'\"#%@`?\n\t0.+_xX~<") + ["大", "：", "\u200b", "\x00", "\x85", "\u2028"])
LINE = st.tuples(st.integers(0, 6), st.sampled_from(["a", "b", "year", "unit", "-", "- a", "? a", "<<", "&x a", "*x"]),
                 SCALARS).map(lambda t: " " * t[0] + f"{t[1]}: {t[2]}\n")


@settings(FUZZ, max_examples=150)
@given(st.one_of(st.text(YAML_ALPHABET, max_size=120), st.lists(LINE, max_size=12).map("".join)))
def test_any_yaml_text_loads_or_says_where_it_is_wrong(text):
    with time_limit(10):
        try:
            source = parse_text(text, NAME)
        except BudgetdocError as exc:
            assert exc.problems
            assert_problems_are_sound(exc.problems, text)
            return
        assert_problems_are_sound(validate_source(source), text)


# the seed, mutated ------------------------------------------------------------------------------

def replace_value(text_lines: list[str], index: int, value: str) -> list[str]:
    line = text_lines[index]
    head, colon, _ = line.partition(": ")
    return text_lines[:index] + [f"{head}{colon or ': '}{value}\n"] + text_lines[index + 1:]


MUTATIONS = {
    "value": lambda ls, i, s, r, c: replace_value(ls, i, s),
    "insert": lambda ls, i, s, r, c: ls[:i] + [re.match(r"\s*", ls[i]).group() + f"x{c}: {s}\n"] + ls[i:],
    "delete": lambda ls, i, s, r, c: ls[:i] + ls[i + 1:],
    "duplicate": lambda ls, i, s, r, c: ls[:i + 1] + ls[i:],
    "indent": lambda ls, i, s, r, c: ls[:i] + [" " * (c % 3) + ls[i][1 if c % 2 else 0:]] + ls[i + 1:],
    "raw": lambda ls, i, s, r, c: ls[:i] + [ls[i][:c % max(len(ls[i]), 1)] + r + ls[i][c % max(len(ls[i]), 1):]] + ls[i + 1:],
    "truncate": lambda ls, i, s, r, c: ls[:i] + [ls[i][:c % max(len(ls[i]), 1)]],
}
KEEPS_STRUCTURE = ("value", "raw")


def mutation(kinds):
    return st.tuples(st.sampled_from(kinds), st.integers(0, len(LINES) - 1), SCALARS, RAW, st.integers(0, 200))


def mutated(edits) -> str:
    lines = list(LINES)
    for kind, index, scalar, raw, count in edits:
        lines = MUTATIONS[kind](lines, min(index, len(lines) - 1), scalar, raw, count) if lines else lines
    return "".join(lines)


@settings(FUZZ, max_examples=40)
@given(st.lists(mutation(sorted(MUTATIONS)), min_size=1, max_size=3))
def test_a_mutated_seed_passes_check_or_says_where_it_is_wrong(tmp_path_factory, edits):
    checked(mutated(edits), tmp_path_factory.mktemp("fuzz"))


@settings(FUZZ, max_examples=4)
@given(st.lists(mutation(KEEPS_STRUCTURE), min_size=1, max_size=2))
def test_a_mutated_seed_that_passes_check_is_built(tmp_path_factory, edits):
    from generator.docx.writer import docx_bytes
    from generator.pack.unit import document_of
    analysis = checked(mutated(edits), tmp_path_factory.mktemp("fuzz"))
    if analysis.ok:
        with time_limit(60):
            assert docx_bytes(document_of(analysis))


# the seed with any one of its blocks left out -------------------------------------------------

@pytest.mark.parametrize("first, end", key_blocks(LINES, (0, 2, 4)), ids=lambda value: str(value))
def test_the_seed_without_any_one_of_its_blocks_passes_check_or_says_where_it_is_wrong(tmp_path, first, end):
    """Every key's block left out in turn, each a unit someone may write (a new unit has no prior_year.total).
    Found this way: a reason for a change whose last-year figure was left out crashed L11 and L04."""
    checked("".join(LINES[:first] + LINES[end:]), tmp_path)


# no number is misread ---------------------------------------------------------------------------

OFFICE = "  office_operation: 241700 "
NUMBERISH = st.text(st.sampled_from(list("0123456789") * 3 + list(".+-_:xXeEbBo")), min_size=1, max_size=14)


@settings(FUZZ, max_examples=300)
@given(NUMBERISH)
@example("-0")
def test_a_number_is_read_only_from_plain_decimal_notation_and_as_written(written):
    """A value the loader reads as a number was written in plain decimal notation and is that number;
    anything else stays the text written (and an amount field refuses it: test_robust_input)."""
    try:
        value = parse_text(f"a: {written}\n", NAME).data["a"]
    except BudgetdocError as exc:
        assert_problems_are_sound(exc.problems, written)
        return
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        as_written = str(value) == written.lstrip("+") or value == 0 and str(value) == written.lstrip("+-")   # -0 is 0
        assert DECIMAL.match(written) and value == Decimal(written) and as_written, written
    else:
        assert value is None or value == written, (written, value)


# the command line, once, on a folder of mutations -----------------------------------------------------

@settings(FUZZ, max_examples=1)
@given(st.lists(st.lists(mutation(KEEPS_STRUCTURE + ("duplicate", "indent", "insert")), min_size=1, max_size=2),
                min_size=5, max_size=5))
def test_check_and_build_of_many_mutations_end_with_exit_0_or_1_and_messages_at_lines(tmp_path_factory, cases):
    root = tmp_path_factory.mktemp("cli")
    for n, edits in enumerate(cases):
        path = root / "units" / f"u{n}" / "2026.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(mutated(edits).replace("slug: datong-ggzyjy", f"slug: u{n}", 1), encoding="utf-8", errors="surrogatepass")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "CI": "true"}
    for command in (["check", "units"], ["build", "units", "-o", "out", "--no-toc-pages", "-j", "2"]):
        result = subprocess.run([sys.executable, "-m", "generator", *command], cwd=root, capture_output=True, text=True,
                                timeout=300, env=env)
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stdout + result.stderr and "内部错误" not in result.stdout
        for line in result.stdout.splitlines():
            assert PLACE.match(line) and not ENGLISH.search(line), line
    built = {p.name for p in (root / "out").iterdir()} - {".budgetdoc-cache.json"}
    failed = {line.split("：")[0].split(" ")[-1] for line in result.stderr.splitlines() if line.startswith("[") and "未生成" in line}
    assert len(built) + len(failed) == len(cases)


@pytest.mark.parametrize("written", ["0241700", "0x3AFE4", "1:30", "241_700", "+241700", "2.417e+5", "241700.", "0b1010"])
def test_no_yaml_1_1_number_form_passes(written):
    text = SEED.replace(OFFICE, f"  office_operation: {written} ", 1)
    assert validate_source(parse_text(text, NAME))


@settings(FUZZ, max_examples=20)
@given(st.lists(mutation(KEEPS_STRUCTURE), min_size=1, max_size=3))
def test_the_fast_schema_check_agrees_with_jsonschema_on_mutations(edits):
    """The differential test of test_validate_fast.py, on mutated seeds: fastjsonschema says "sound"
    exactly when jsonschema finds no error."""
    from generator.source.validate import is_surely_valid, validator
    try:
        data = parse_text(mutated(edits), NAME).data
    except BudgetdocError:
        return
    assert is_surely_valid(data) == (next(validator().iter_errors(data), None) is None)
