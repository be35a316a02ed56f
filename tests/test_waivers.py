"""Waivers: a warning switched off for one unit only with a reason in its YAML, and never silently."""
from __future__ import annotations

import json
from pathlib import Path

from test_lints import CLEAN, DUTY_3, FILE, SEED, SEED_WARNINGS, W, at, edited, line_of

from generator.commands.cli import main

STALE = SEED_WARNINGS[3]            # L01 at projects.8.performance.goal_annual
REASON = "原表如此：年度目标沿用2025年批复文字，已请财务科核实"
GLOSSARY = "glossary: []                    # 名词解释：沿用模板包的标准条目"


def with_waivers(text: str, *entries: str) -> str:
    return edited(text, (GLOSSARY, GLOSSARY + "\n\nwaivers:\n" + "".join(f"  - {e}\n" for e in entries)))


def check(tmp_path: Path, text: str, capsys, monkeypatch, *options: str) -> tuple[int, str, str]:
    path = tmp_path / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["check", *options, FILE])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_waived_warning_shows_in_the_summary_with_its_reason(tmp_path, capsys, monkeypatch):
    text = with_waivers(SEED, f"{{rule: L01, field: projects.8.performance.goal_annual, reason: {REASON}}}")
    code, out, err = check(tmp_path, text, capsys, monkeypatch)
    assert code == 0 and STALE not in out.splitlines()
    assert out.splitlines() == [w for w in SEED_WARNINGS if w != STALE]
    waived = STALE.replace(": 警告 L01：", ": 已豁免 L01：", 1)
    assert err.splitlines() == [
        "检查了 1 个文件：错误 0 个，警告 4 个，提示 0 个，已豁免 1 个（各条及豁免理由如下）",
        f"{waived}（豁免理由：{REASON}；豁免写在第{line_of('  - {rule: L01', text)}行）"]


def test_strict_passes_when_every_warning_is_waived(tmp_path, capsys, monkeypatch):
    text = with_waivers(CLEAN, f"{{rule: L01, reason: {REASON}}}")
    text = edited(text, (DUTY_3, "    - 2023年起负责市级公共资源交易平台的运行服务和维护工作。"))
    code, out, err = check(tmp_path, text, capsys, monkeypatch, "--strict")
    assert (code, out) == (0, "")
    assert "已豁免 1 个" in err and f"豁免理由：{REASON}" in err


def test_json_gives_the_waived_warning_with_its_reason(tmp_path, capsys, monkeypatch):
    text = with_waivers(SEED, f"{{rule: L01, field: projects.8, reason: {REASON}}}")
    _, out, _ = check(tmp_path, text, capsys, monkeypatch, "--format", "json")
    problems = json.loads(out)
    waived = [p for p in problems if p.get("waived")]
    assert len(problems) == len(SEED_WARNINGS) and len(waived) == 1
    assert waived[0]["rule"] == "L01" and waived[0]["field"] == "projects.8.performance.goal_annual"
    assert waived[0]["waived"] == {"reason": REASON, "file": FILE, "line": line_of("  - {rule: L01", text), "column": 5}


def test_a_waiver_without_a_reason_is_an_error(tmp_path, capsys, monkeypatch):
    text = with_waivers(SEED, "{rule: L01, field: projects.8.performance.goal_annual}", "{rule: L02, reason: '  '}")
    code, out, _ = check(tmp_path, text, capsys, monkeypatch)
    assert code == 1
    assert out.splitlines() == [
        W + at("  - {rule: L01", "{", text) + ": 错误：waivers.0 缺少必填项“reason”（豁免理由）",
        W + at("reason: '  '", "'", text) + ": 错误：waivers.1.reason（豁免理由）“  ”格式不对：豁免理由不能为空：请写明为什么这条警告可以不改"]


def test_a_waiver_that_waives_nothing_is_a_warning(tmp_path, capsys, monkeypatch):
    text = with_waivers(CLEAN, f"{{rule: L05, field: unit.duties.2, reason: {REASON}}}")
    code, out, _ = check(tmp_path, text, capsys, monkeypatch, "--strict")
    assert code == 1
    assert out.splitlines() == [
        W + at("  - {rule: L05", "{", text) + ": 警告：豁免（rule: L05）没有豁免任何警告：unit.duties.2 中没有 L05 的警告；"
        "请删去这条豁免（豁免只留给确有警告、核实无误的文字）"]


def test_a_waiver_names_a_rule_that_can_be_waived(tmp_path, capsys, monkeypatch):
    text = with_waivers(CLEAN, f"{{rule: L07, reason: {REASON}}}")
    code, out, _ = check(tmp_path, text, capsys, monkeypatch)
    assert code == 1 and out.startswith(W + at("rule: L07", "L07", text) + ": 错误：waivers.0.rule（规则编号） 的值“L07”无效")


def test_seed_has_no_waivers():
    assert "waivers:" not in SEED
