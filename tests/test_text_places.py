"""The position of a character inside a text value, in every YAML scalar style (core/scalars.py)."""
from __future__ import annotations

from pathlib import Path

import places
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.source.load import load_file

FIXTURE = """\
plain: 机关运行经费增加3.27万元
flow: {term: 三公经费, text: "指用“财政拨款”安排的\\u4e2d30万元"}
single: '它''s 经费减少30.00万元'
literal: |  # 注释里的30万元不算
  第一段
  第二段经费减少30.00万元
folded: >-
  第一行
  第二行经费减少30.00万元
multi: 多行的
  普通文字经费减少30.00万元
anchored: &a 锚点经费减少30.00万元
alias: *a
escaped: "折行\\
  接着经费减少30.00万元"
crlf_like: "a\\tb 30.00万元"
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode("utf-8"))
    return load_file(path, "x.yaml")


def position_of(source, path: tuple, needle: str) -> str:
    value = source.value_at(path)
    pos = source.char_pos(path, value.index(needle))
    return f"{pos.line}:{pos.col}"


def test_each_style_points_at_the_character(tmp_path):
    source = load(tmp_path, FIXTURE)
    assert position_of(source, ("plain",), "3.27") == places.at("机关运行经费增加3.27万元", "3.27", FIXTURE)
    assert position_of(source, ("flow", "text"), "30万元") == places.at("\\u4e2d30万元", "30", FIXTURE)
    assert position_of(source, ("flow", "text"), "中") == places.at("\\u4e2d30", "\\", FIXTURE)
    assert position_of(source, ("single",), "30.00") == places.at("s 经费减少30.00万元", "30", FIXTURE)
    assert position_of(source, ("single",), "'") == places.at("它''s", "'", FIXTURE)
    assert position_of(source, ("literal",), "30.00") == places.at("第二段经费减少30.00", "30", FIXTURE)
    assert position_of(source, ("folded",), "30.00") == places.at("第二行经费减少30.00", "30", FIXTURE)
    assert position_of(source, ("multi",), "30.00") == places.at("普通文字经费减少30.00", "30", FIXTURE)
    assert position_of(source, ("anchored",), "30.00") == places.at("锚点经费减少30.00", "30", FIXTURE)
    assert position_of(source, ("alias",), "30.00") == places.at("锚点经费减少30.00", "30", FIXTURE)
    assert position_of(source, ("escaped",), "30.00") == places.at("接着经费减少30.00", "30", FIXTURE)
    assert position_of(source, ("crlf_like",), "30.00") == places.at("a\\tb 30.00", "30", FIXTURE)


def test_windows_line_ends(tmp_path):
    text = FIXTURE.replace("\n", "\r\n")
    source = load(tmp_path, text)
    assert position_of(source, ("literal",), "30.00") == places.at("第二段经费减少30.00", "30", FIXTURE)
    assert position_of(source, ("multi",), "30.00") == places.at("普通文字经费减少30.00", "30", FIXTURE)


def test_not_a_text_or_out_of_range_gives_the_value_start(tmp_path):
    source = load(tmp_path, "year: 2026\nplain: 文字\n")
    assert source.char_pos(("year",), 0) == source.pos(("year",))
    assert source.char_pos(("plain",), 5) == source.pos(("plain",))


TEXT = st.text(alphabet=st.sampled_from(list("经费增减少万元%０１23.,，、；：:#'\"\\ -\n") + ["　", "\t"]),
               min_size=1, max_size=60)
STYLES = st.sampled_from([None, "'", '"', "|", ">"])


@settings(max_examples=300, deadline=None)
@given(TEXT, STYLES, st.integers(10, 80), st.booleans())
def test_every_character_of_any_dumped_text_is_found(tmp_path_factory, value, style, width, nested):
    """Whatever style YAML writes a text in, each non-blank character's position holds that
    character (an escaped one: the backslash that starts its escape)."""
    data = {"unit": {"duties": [value]}} if nested else {"text": value}
    text = yaml.dump(data, allow_unicode=True, default_style=style, width=width, sort_keys=False)
    try:
        source = load(tmp_path_factory.mktemp("p"), text)
    except Exception:        # noqa: BLE001 — a text YAML cannot hold as this style (the loader says so)
        return
    path = ("unit", "duties", 0) if nested else ("text",)
    loaded = source.value_at(path)
    if not isinstance(loaded, str):
        return
    lines = text.split("\n")
    for i, ch in enumerate(loaded):
        if ch in " \t\r\n":
            continue
        pos = source.char_pos(path, i)
        found = lines[pos.line - 1][pos.col - 1]
        assert found == ch or found == "\\", (text, i, ch, pos)
