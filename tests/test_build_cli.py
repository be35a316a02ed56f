"""`budgetdoc build`: reproducible bytes, atomic output, one bad unit does not stop the others."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import docx

from generator import libreoffice as render
from generator.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "units" / "datong-ggzyjy" / "2026.yaml"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_build(out: Path, cwd: Path, env_extra: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_extra, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", "build", str(SEED), "-o", str(out), "--no-toc-pages"],
                          cwd=cwd, env=env, capture_output=True, text=True)


def test_same_yaml_gives_identical_bytes_across_runs_dirs_and_time_zones(tmp_path):
    a = run_build(tmp_path / "a", ROOT, {"TZ": "UTC"})
    b = run_build(tmp_path / "b", tmp_path, {"TZ": "Asia/Shanghai"})
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert sha(tmp_path / "a" / "datong-ggzyjy-2026.docx") == sha(tmp_path / "b" / "datong-ggzyjy-2026.docx")


def test_source_date_epoch_sets_document_dates(tmp_path):
    assert run_build(tmp_path / "e", ROOT, {"SOURCE_DATE_EPOCH": "1767225600"}).returncode == 0   # 2026-01-01
    core = docx.Document(str(tmp_path / "e" / "datong-ggzyjy-2026.docx")).core_properties
    assert core.created.isoformat().startswith("2026-01-01T00:00:00")


def test_failed_build_leaves_the_earlier_document_as_it_was(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    unit = tmp_path / "units" / "datong-ggzyjy" / "2026.yaml"
    unit.parent.mkdir(parents=True)
    unit.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    before = sha(tmp_path / "out" / "datong-ggzyjy-2026.docx")
    unit.write_text(SEED.read_text(encoding="utf-8").replace("year: 2026", "year: 2O26", 1), encoding="utf-8")
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 1
    assert sha(tmp_path / "out" / "datong-ggzyjy-2026.docx") == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".budgetdoc-cache", ".budgetdoc-cache.json",
                                                                    "datong-ggzyjy-2026.docx"]


def test_one_bad_unit_does_not_stop_the_others(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    good = tmp_path / "units" / "datong-ggzyjy" / "2026.yaml"
    bad = tmp_path / "units" / "aaa-broken" / "2026.yaml"
    for path in (good, bad):
        path.parent.mkdir(parents=True)
    good.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    bad.write_text("year: [2026\n", encoding="utf-8")
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 1
    err = capsys.readouterr().err
    assert (tmp_path / "out" / "datong-ggzyjy-2026.docx").is_file()
    assert "完成：生成 1 个，未变化 0 个，失败 1 个" in err
    assert "失败的单位：units/aaa-broken/2026.yaml" in err


def test_pdf_without_libreoffice_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(render, "find_soffice", lambda: None)
    assert main(["build", str(SEED), "-o", "out", "--pdf"]) == 1
    assert "未安装 LibreOffice（soffice），无法生成 PDF" in capsys.readouterr().out
    assert list((tmp_path / "out").iterdir()) == []


def test_help_explains_in_chinese(capsys):
    try:
        main(["build", "--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert "输出文件夹" in out and "LibreOffice" in out
