"""`budgetdoc new`: a skeleton that passes check but for 待填写, a file carried on from last year,
and never an overwritten file."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from places import at

from generator.analysis.pipeline import analyse
from generator.commands import cli
from generator.commands.new import scalar_text
from generator.pack.unit import document_of
from generator.source.load import load_file

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "units" / "datong-ggzyjy" / "2026.yaml"


@pytest.fixture
def budgetdoc(monkeypatch, tmp_path):
    """cli.main, run in tmp_path."""
    monkeypatch.chdir(tmp_path)
    return cli.main


def test_skeleton_loads_validates_and_renders(budgetdoc, capsys):
    assert budgetdoc(["new", "new-unit", "--year", "2027"]) == 0
    path = Path("units/new-unit/2027.yaml")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/unit-budget.schema.json"
    assert "# 基本支出：by_function 按支出功能分类“项”" in text
    analysis = analyse(path)
    assert analysis.ok, [p.format() for p in analysis.problems]
    assert {(p.severity, p.rule) for p in analysis.problems} == {("warning", "L05")}
    assert analysis.budget.year == 2027 and analysis.budget.unit.slug == "new-unit"
    assert analysis.figures.amount("total") == 0 and analysis.budget.projects == ()
    document_of(analysis)                         # the zero budget words and lays out without error
    out = capsys.readouterr()
    assert "已生成 units/new-unit/2027.yaml" in out.err
    first_duty = at("duties:\n    - （待填写", "（", text)
    assert f"units/new-unit/2027.yaml:{first_duty}: 警告 L05：本单位职责第1段中有占位文字“待填”，请换成实际内容" in out.out


def test_skeleton_passes_check_with_only_placeholder_warnings(budgetdoc, capsys):
    assert budgetdoc(["new", "new-unit", "--year", "2027", "--units-dir", "data"]) == 0
    capsys.readouterr()
    assert budgetdoc(["check", "data"]) == 0
    assert budgetdoc(["check", "--strict", "data"]) == 1
    out = capsys.readouterr()
    assert "错误 0 个，警告 5 个" in out.err                  # four 待填 texts and the 待填写 comment on the 主管部门编码
    text = Path("data/new-unit/2027.yaml").read_text(encoding="utf-8")
    comment = at("# 待填写：主管部门编码", "", text)
    assert f"data/new-unit/2027.yaml:{comment}: 警告 L05：注释待填写：主管部门编码——填写或核对这里的数据后，删去这条注释" in out.out


def test_a_hash_inside_a_text_is_not_a_comment(budgetdoc, capsys):
    assert budgetdoc(["new", "new-unit", "--year", "2027", "--units-dir", "data"]) == 0
    path = Path("data/new-unit/2027.yaml")
    text = path.read_text(encoding="utf-8").replace("# 待填写：主管部门编码", "")
    text = text.replace("name: （待填写：主管部门全称）", "name: '主管部门 # 待填写：不是注释'")
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert budgetdoc(["check", "data"]) == 0
    assert "注释" not in capsys.readouterr().out


def test_from_last_year_copies_texts_and_moves_figures_into_prior_year(budgetdoc, capsys):
    assert budgetdoc(["new", "datong-ggzyjy", "--from", str(SEED)]) == 0       # --year defaults to 2027
    path = Path("units/datong-ggzyjy/2027.yaml")
    data = load_file(path).data
    seed = load_file(SEED).data
    assert data["year"] == 2027
    assert data["prior_year"] == {
        "total": Decimal("6090280"),                       # 609.03万元, exact
        "general_budget": Decimal("6090280"),
        "three_public": {"outbound": 0, "reception": 0, "vehicle_purchase": 0, "vehicle_operation": 35000},
        "office_operation": Decimal("274400"),
    }
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^  total: 6090280 +# 上年收入总计：609\.03万元$", text, re.M)
    assert data["unit"] == seed["unit"] and data["other_notes"] == seed["other_notes"]
    assert data["template"] == "shanxi-datong" and data["glossary"] == []
    assert [(p["name"], p["kind"], p["funds"]) for p in data["projects"]] == \
           [(p["name"], p["kind"], p["funds"]) for p in seed["projects"]]
    first, seed_first = data["projects"][0]["performance"], seed["projects"][0]["performance"]
    assert first["overview"] == seed_first["overview"] and first["indicators"] == seed_first["indicators"]
    assert first["contact"]["date"] == "" and first["contact"]["clerk"] == "郑娟"
    assert data["basic"] == seed["basic"]                  # leaf figures kept as a starting point
    assert data["explanations"] == {"total": "", "general_budget": "", "three_public": "", "office_operation": ""}
    assert data["assets"]["as_of"] == "2026-12-31"
    analysis = analyse(path)
    assert analysis.ok, [p.format() for p in analysis.problems]
    assert analysis.figures.change("total").direction == "same"
    assert "warning" in {p.severity for p in analysis.problems}   # stale 2025年/2026年 texts (L01) reported


def test_refuses_to_overwrite(budgetdoc, capsys):
    target = Path("units/datong-ggzyjy/2027.yaml")
    target.parent.mkdir(parents=True)
    target.write_text("已有内容\n", encoding="utf-8")
    assert budgetdoc(["new", "datong-ggzyjy", "--from", str(SEED), "--year", "2027"]) == 2
    assert "budgetdoc: 错误：units/datong-ggzyjy/2027.yaml 已存在，不会覆盖；如需重建请先删除或改名" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "已有内容\n"
    assert [p.name for p in target.parent.iterdir()] == ["2027.yaml"]    # no temporary file left


@pytest.mark.parametrize("argv, message", [
    (["new", "x-unit"], "请用 --year 指定预算年度"),
    (["new", "X_Unit", "--year", "2027"], "单位标识“X_Unit”无效"),
    (["new", "x-unit", "--year", "1999"], "预算年度 1999 无效"),
    (["new", "x-unit", "--from", "nowhere.yaml"], "找不到上年文件：nowhere.yaml"),
])
def test_usage_errors(budgetdoc, capsys, argv, message):
    assert budgetdoc(argv) == 2
    assert message in capsys.readouterr().err
    assert not Path("units").exists() or not any(Path("units").rglob("*.yaml"))


def test_from_a_file_with_errors_writes_nothing(budgetdoc, capsys, tmp_path):
    broken = tmp_path / "old" / "datong-ggzyjy" / "2026.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text(SEED.read_text(encoding="utf-8").replace("staff: 17", "staff: 十七", 1), encoding="utf-8")
    assert budgetdoc(["new", "datong-ggzyjy", "--from", str(broken)]) == 1
    out = capsys.readouterr()
    assert f"2026.yaml:{at('staff: 17', '17', SEED.read_text(encoding='utf-8'))}: 错误：unit.staff（在职人员数） 应为整数，实际为文字“十七”" in out.out
    assert not Path("units/datong-ggzyjy/2027.yaml").exists()


@pytest.mark.parametrize("value, text", [
    (Decimal("6090280"), "6090280"), (Decimal("1.5E+6"), "1500000"), (Decimal("1892900.50"), "1892900.5"),
    (Decimal("221.96"), "221.96"), (0, "0"), (None, "null"), ("2010301", "'2010301'"),
])
def test_amounts_are_plain_numbers_and_codes_stay_text(value, text):
    assert scalar_text(value) == text


@pytest.mark.parametrize("value", ["a: b", "# 注释", "- 列表", "第一行\n第二行", "'引号'", "", "yes", "2025-12-31"])
def test_texts_read_back_as_written(value):
    assert yaml.safe_load(f"key: {scalar_text(value)}\n") == {"key": value}
