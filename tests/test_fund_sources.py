"""Fund sources are the 一体化 taxonomy: 单位资金 whole or by its parts, 财政拨款 the three government funds."""
from __future__ import annotations

from pathlib import Path

from places import at
from views import table_bodies

from generator.analysis.pipeline import analyse

SEED = (Path(__file__).resolve().parent.parent / "units" / "datong-ggzyjy" / "2026.yaml").read_text(encoding="utf-8")
PROJECT = "funds: {一般公共预算: 250000}"              # Z专家评审费


def analysed(tmp_path: Path, text: str):
    path = tmp_path / "datong-ggzyjy" / "2026.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return analyse(path, "units/datong-ggzyjy/2026.yaml")


def test_unit_funds_by_parts_add_up_to_the_whole(tmp_path):
    a = analysed(tmp_path, SEED.replace(PROJECT, "funds: {一般公共预算: 200000, 事业收入: 30000, 其他收入: 20000}", 1))
    assert a.ok, [p.format() for p in a.problems]
    assert a.figures.amount("total", source="单位资金") == 50000
    assert a.figures.amount("total", source="事业收入") == 30000
    income = table_bodies(a)["income"]
    assert [c.text for c in income[0]][2:] == ["609.03", "604.03", "", "", "", "5.00", ""]   # 表二's 单位资金 column


def test_unit_funds_whole_and_parts_together_is_an_error(tmp_path):
    text = SEED.replace(PROJECT, "funds: {一般公共预算: 200000, 单位资金: 30000, 事业收入: 20000}", 1)
    a = analysed(tmp_path, text)
    assert [p.format() for p in a.problems if p.severity == "error"] == [
        f"units/datong-ggzyjy/2026.yaml:{at('单位资金: 30000', '', text)}: 错误：这里既写了单位资金（整笔），又写了其中的事业收入；"
        "单位资金应整笔写，或只按事业收入、事业单位经营收入、上级补助收入、附属单位上缴收入、其他收入分项写"]
