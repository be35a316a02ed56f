"""`check --format json` for other tools, and glossary overrides reaching the document."""
from __future__ import annotations

import json
from pathlib import Path

from docx_read import paragraph_texts

from generator.analysis.pipeline import analyse
from generator.commands.cli import main
from generator.docx.writer import write_docx
from generator.pack.unit import document_of

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "units" / "datong-ggzyjy" / "2026.yaml").read_text(encoding="utf-8")


def test_check_json_lists_the_same_problems(capsys):
    assert main(["check", "--format", "json", str(ROOT / "units")]) == 0
    problems = json.loads(capsys.readouterr().out)
    assert {p["rule"] for p in problems} == {"L01", "L02", "L03"}
    stale = next(p for p in problems if p["rule"] == "L01")
    assert stale["severity"] == "warning" and stale["line"] > 0 and stale["file"].endswith("2026.yaml")
    assert "2025年" in stale["message"]


def test_glossary_override_and_addition(tmp_path):
    unit = tmp_path / "datong-ggzyjy" / "2026.yaml"
    unit.parent.mkdir()
    unit.write_text(SEED.replace("glossary: []", "glossary:\n  - {term: 基本支出, text: 本单位的基本支出说明。}\n"
                                                  "  - {term: 绩效目标, text: 指预算资金计划在一定期限内达到的产出和效果。}", 1),
                    encoding="utf-8")
    analysis = analyse(unit)
    assert analysis.ok, [p.format() for p in analysis.problems]
    out = tmp_path / "u.docx"
    write_docx(document_of(analysis), out)
    texts = paragraph_texts(out)
    assert "一、基本支出：本单位的基本支出说明。" in texts
    assert "十三、绩效目标：指预算资金计划在一定期限内达到的产出和效果。" in texts
    assert not any(t.startswith("一、基本支出：指为保障机构") for t in texts)
