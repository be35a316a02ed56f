"""Sentences that list things with their figures name only what a reader can see: an amount that
prints as 0万元 (under 50 元) is not listed as if it were spent on something."""
from __future__ import annotations

from pathlib import Path

from generator.analysis.pipeline import analyse
from generator.docmodel import Paragraph
from generator.pack.unit import document_of

ROOT = Path(__file__).resolve().parent.parent
FILE = "units/datong-ggzyjy/2026.yaml"
SEED = (ROOT / FILE).read_text(encoding="utf-8")
TINY_CLASS = """    - code: "2120101"
      name: 行政运行
      funds: {一般公共预算: 30}
"""


def with_tiny_class() -> str:
    """The seed with 30 元 of 行政运行 moved to a 项 of 212 城乡社区支出 (totals unchanged)."""
    text = SEED.replace("      funds: {一般公共预算: 1892900}", "      funds: {一般公共预算: 1892870}", 1)
    anchor = "    # 208 社会保障和就业支出 / 20805"
    assert text.count(anchor) == 1
    return text.replace(anchor, TINY_CLASS + anchor)


def test_a_class_that_prints_as_zero_is_not_listed(tmp_path):
    path = tmp_path / FILE
    path.parent.mkdir(parents=True)
    path.write_text(with_tiny_class(), encoding="utf-8")
    analysis = analyse(path, FILE)
    assert analysis.ok, [p.format() for p in analysis.problems]
    assert "212" in {code[:3] for code in analysis.facts.codes["function"]}      # 城乡社区支出 has a figure
    body = [b.text for b in document_of(analysis).blocks if isinstance(b, Paragraph)]
    fiscal = next(t for t in body if "财政拨款收支总预算" in t)
    general = next(t for t in body if "主要用于以下方面" in t)
    assert "一般公共服务支出" in fiscal and "一般公共服务支出" in general
    assert "城乡社区支出" not in fiscal and "城乡社区支出" not in general
