"""`budgetdoc diff`: the figures and sentences a change to a unit file moves, for a PR review."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from places import at

from generator.commands import cli
from generator.commands.diff import clause_changes, column_labels, row_halves
from generator.docmodel import Cell, Table
from generator.pack.unit import document_of

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "units" / "datong-ggzyjy" / "2026.yaml"
SEED_TEXT = SEED.read_text(encoding="utf-8")
# 行政运行 and 基本工资 both up by 1万元: 基本支出 by function and by economic stay equal
MORE_PAY = (SEED_TEXT.replace("funds: {一般公共预算: 1892900}", "funds: {一般公共预算: 1902900}", 1)
            .replace("funds: {一般公共预算: 829840}", "funds: {一般公共预算: 839840}", 1))
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def budgetdoc(monkeypatch, tmp_path):
    """cli.main, run in tmp_path."""
    monkeypatch.chdir(tmp_path)
    return cli.main


def unit_file(folder: Path, text: str) -> str:
    path = folder / "datong-ggzyjy" / "2026.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_changed_amount_shows_cells_and_sentences(budgetdoc, capsys, tmp_path):
    new = unit_file(tmp_path / "new", MORE_PAY)
    assert budgetdoc(["diff", str(SEED), new]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    for line in ("- 表二 2010301 行政运行 合计: 189.29 → 190.29",
                 "- 表二 合计 合计: 609.03 → 610.03",
                 "- 表三 2010301 行政运行 基本支出: 189.29 → 190.29",
                 "- 表三 201 一般公共服务支出 合计: 531.74 → 532.74",
                 "- 表五 2010301 行政运行 合计: 189.29 → 190.29",
                 "- 表六 基本工资 工资奖金津补贴 人员经费: 82.98 → 83.98",
                 "- 表一 一、一般公共预算 2026年: 609.03 → 610.03",
                 "- 本年收入609.03万元 → 本年收入610.03万元",
                 "- 比上年减少25.96万元，下降4.09% → 比上年减少24.96万元，下降3.93%",
                 "- 基本支出266.58万元，占43.77% → 基本支出267.58万元，占43.86%",
                 "**一、单位预算收支数据变动情况及原因**"):
        assert line in lines, line
    assert "### 报表（48 处）" in lines and "### 文字（7 处）" in lines
    old_sentence = next(l for l in lines if l.startswith("- 2026年度") and "预算收入总计609.03万元" in l)
    new_sentence = next(l for l in lines if l.startswith("+ 2026年度") and "预算收入总计610.03万元" in l)
    assert old_sentence[2:].replace("609.03", "610.03").replace("25.96", "24.96").replace("4.09", "3.93") \
        == new_sentence[2:]
    assert not any(l.startswith("- 表十") for l in lines)          # 三公 and the others did not move
    assert "机关运行经费" not in out                                  # 公用经费 unchanged


def test_same_file_says_no_change(budgetdoc, capsys, tmp_path):
    copy = unit_file(tmp_path / "copy", SEED_TEXT.replace("# 189.29", "# 注释改了"))
    assert budgetdoc(["diff", str(SEED), copy]) == 0
    assert "没有变化" in capsys.readouterr().out


def test_rows_added_and_removed(budgetdoc, capsys, tmp_path):
    moved = SEED_TEXT.replace('code: "2210202"\n      name: 提租补贴', 'code: "2210203"\n      name: 购房补贴', 1)
    assert budgetdoc(["diff", str(SEED), unit_file(tmp_path / "new", moved)]) == 0
    lines = capsys.readouterr().out.splitlines()
    removed = lines.index("- 表三 删去行 2210202 提租补贴: 合计 1.76，基本支出 1.76")
    added = lines.index("- 表三 新增行 2210203 购房补贴: 合计 1.76，基本支出 1.76")
    assert added == removed + 1                                     # in table order, side by side


def test_performance_table_rows(budgetdoc, capsys, tmp_path):
    changed = SEED_TEXT.replace("value: ≥95%", "value: ≥96%", 1)
    assert budgetdoc(["diff", str(SEED), unit_file(tmp_path / "new", changed)]) == 0
    out = capsys.readouterr().out
    assert "### 报表：没有变化" in out
    assert "**绩效目标表：Z专家评审费**" in out and "- ≥95% → ≥96%" in out.splitlines()


def test_json_format(budgetdoc, capsys, tmp_path):
    assert budgetdoc(["diff", str(SEED), unit_file(tmp_path / "new", MORE_PAY), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["changed"] is True
    assert {"table": "表三", "row": "2010301 行政运行", "column": "合计", "old": "189.29", "new": "190.29",
            "kind": "changed"} in report["tables"]
    first = report["texts"][0]
    assert first["heading"] == "一、单位预算收支数据变动情况及原因"
    assert ["本年收入609.03万元", "本年收入610.03万元"] in first["clauses"]


def test_errors_in_either_side_exit_1(budgetdoc, capsys, tmp_path):
    broken = unit_file(tmp_path / "new", SEED_TEXT.replace("staff: 17", "staff: -1", 1))
    assert budgetdoc(["diff", str(SEED), broken]) == 1
    out = capsys.readouterr()
    assert f"{broken}:{at('staff: 17', '17', SEED_TEXT)}: 错误" in out.out
    assert f"budgetdoc: 无法比较：{broken} 有错误" in out.err


@pytest.mark.parametrize("argv, message", [
    (["diff", "a.yaml"], "请给出新旧两个文件"),
    (["diff", "a.yaml", "b.yaml"], "找不到文件：a.yaml"),
])
def test_usage_errors(budgetdoc, capsys, argv, message):
    assert budgetdoc(argv) == 2
    assert message in capsys.readouterr().err


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, check=True, capture_output=True)


@needs_git
def test_rev_reads_the_committed_version(budgetdoc, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    path = unit_file(tmp_path / "units", SEED_TEXT)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "seed")
    Path(path).write_text(MORE_PAY, encoding="utf-8")
    assert budgetdoc(["diff", "units/datong-ggzyjy/2026.yaml", "--rev", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## 预算公开文件的变化：HEAD:units/datong-ggzyjy/2026.yaml → units/datong-ggzyjy/2026.yaml")
    assert "- 表三 2010301 行政运行 合计: 189.29 → 190.29" in out.splitlines()
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")                          # the path is taken from where we stand
    assert budgetdoc(["diff", "../units/datong-ggzyjy/2026.yaml", "--rev", "HEAD", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["old"] == "HEAD:units/datong-ggzyjy/2026.yaml"


@needs_git
def test_rev_errors_are_explained(budgetdoc, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    path = unit_file(tmp_path / "units", SEED_TEXT)
    assert budgetdoc(["diff", path, "--rev", "HEAD"]) == 2
    assert "不在 git 仓库中，不能使用 --rev" in capsys.readouterr().err
    git(tmp_path, "init", "-q")
    (tmp_path / "README").write_text("x", encoding="utf-8")
    git(tmp_path, "add", "README")
    git(tmp_path, "commit", "-q", "-m", "first")
    assert budgetdoc(["diff", path, "--rev", "HEAD"]) == 2
    assert "版本 HEAD 中没有文件 units/datong-ggzyjy/2026.yaml" in capsys.readouterr().err
    assert budgetdoc(["diff", path, "--rev", "no-such-branch"]) == 2
    assert "git 仓库中没有版本“no-such-branch”" in capsys.readouterr().err
    assert budgetdoc(["diff", path, path, "--rev", "HEAD"]) == 2
    assert "使用 --rev 时只给一个文件" in capsys.readouterr().err


def test_column_labels_skip_column_numbers_and_span_merged_headers(seed_analysis):
    tables = {b.name: b for b in document_of(seed_analysis).blocks if isinstance(b, Table)}
    assert column_labels(tables["表十二"].header) == ["项目名称", "合计", "一般公共预算", "政府性基金预算",
                                                      "国有资本经营预算", "财政专户管理资金", "单位资金"]
    income = column_labels(tables["表二"].header)
    assert income[:3] == ["科目编码", "科目名称", "合计"] and income[-1] == "上年结转"


def test_row_halves_split_income_from_expenditure():
    t, n = Cell("一、一般公共预算"), Cell("609.03", align="right")
    assert row_halves((t, n, t, n, n, n)) == [[0, 1], [2, 3, 4, 5]]
    assert row_halves((t, t, n, n, n)) == [[0, 1, 2, 3, 4]]


def test_clause_changes():
    assert clause_changes("收入609.03万元，占100%。", "收入610.03万元，占100%。") == [("收入609.03万元", "收入610.03万元")]
    assert clause_changes("一句话", "另一句话") == []             # the diff lines say it already
