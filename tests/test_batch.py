"""`budgetdoc build` over many units: parallel workers, incremental builds, shards, progress lines."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seed_copies import seed_copies

from generator.build import cache, progress
from generator.build.outcome import FAILED, BuildOptions, UnitResult
from generator.commands.cli import main

NAMES = ("unit-a", "unit-b", "unit-c")


def build(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["build", "units", "--no-toc-pages", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


@pytest.fixture
def units(tmp_path, monkeypatch):
    """Three units in tmp_path/units. The program's own digest is pinned: generator/ may be edited
    while the tests run, and every such edit would (rightly) rebuild everything."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(cache, "tool_digest", lambda: "pinned")
    seed_copies(tmp_path, NAMES)
    return tmp_path


def test_parallel_build_gives_the_same_bytes_and_lines_as_one_process(units, capsys):
    _, one_out, one_err = build(capsys, "-o", "one", "-j", "1")
    code, two_out, two_err = build(capsys, "-o", "two", "-j", "2")
    assert code == 0, two_err
    for name in NAMES:
        docx = f"{name}-2026.docx"
        assert (units / "one" / docx).read_bytes() == (units / "two" / docx).read_bytes()
    assert two_out == one_out
    assert two_err.splitlines()[:3] == [f"[{n}/3] 已生成 two/{name}-2026.docx" for n, name in enumerate(NAMES, 1)]
    assert "完成：生成 3 个，未变化 0 个，失败 0 个" in two_err


def test_second_run_is_all_unchanged_and_rewrites_nothing(units, capsys):
    _, first_out, _ = build(capsys, "-o", "out")
    before = mtimes(units / "out")
    code, out, err = build(capsys, "-o", "out")
    assert code == 0
    assert mtimes(units / "out") == before
    assert "[1/3] 未变化 out/unit-a-2026.docx" in err
    assert "完成：生成 0 个，未变化 3 个，失败 0 个" in err
    assert out == first_out                          # the warnings are shown again


def test_only_the_edited_unit_is_rebuilt_and_a_bare_touch_rebuilds_nothing(units, capsys):
    build(capsys, "-o", "out")
    before = mtimes(units / "out")
    os.utime(units / "units" / "unit-a" / "2026.yaml")
    assert "未变化 3 个" in build(capsys, "-o", "out")[2]
    with (units / "units" / "unit-b" / "2026.yaml").open("a", encoding="utf-8") as f:
        f.write("# 改了一行注释\n")
    code, _, err = build(capsys, "-o", "out")
    assert code == 0
    assert "[2/3] 已生成 out/unit-b-2026.docx" in err and "完成：生成 1 个，未变化 2 个，失败 0 个" in err
    after = mtimes(units / "out")
    rewritten = sorted(name for name in before if before[name] != after[name])
    assert rewritten == [".budgetdoc-cache.json", "unit-b-2026.docx"]


def test_force_and_a_changed_option_rebuild_everything(units, capsys, monkeypatch):
    build(capsys, "-o", "out")
    assert "完成：生成 3 个，未变化 0 个" in build(capsys, "-o", "out", "--force")[2]
    assert "完成：生成 0 个，未变化 3 个" in build(capsys, "-o", "out")[2]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")     # it sets the document's dates: part of the key
    assert "完成：生成 3 个，未变化 0 个" in build(capsys, "-o", "out")[2]


def test_missing_output_is_rebuilt(units, capsys):
    build(capsys, "-o", "out")
    (units / "out" / "unit-c-2026.docx").unlink()
    err = build(capsys, "-o", "out")[2]
    assert "[3/3] 已生成 out/unit-c-2026.docx" in err and "生成 1 个，未变化 2 个" in err


def test_a_unit_with_errors_is_never_cached_as_built(units, capsys):
    bad = units / "units" / "unit-b" / "2026.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("year: 2026", "year: 2O26", 1), encoding="utf-8")
    assert build(capsys, "-o", "out")[0] == 1
    code, _, err = build(capsys, "-o", "out")
    assert code == 1
    assert "[2/3] 未生成 units/unit-b/2026.yaml：数据有错误" in err
    assert "完成：生成 0 个，未变化 2 个，失败 1 个" in err and "失败的单位：units/unit-b/2026.yaml" in err
    entries = json.loads((units / "out" / ".budgetdoc-cache.json").read_text(encoding="utf-8"))["units"]
    assert sorted(e["file"] for e in entries.values()) == ["units/unit-a/2026.yaml", "units/unit-c/2026.yaml"]


def test_strict_refuses_a_unit_whose_cached_build_had_warnings(units, capsys):
    build(capsys, "-o", "out")
    code, out, err = build(capsys, "-o", "out", "--strict")
    assert code == 1 and "警告 L03" in out
    assert "完成：生成 0 个，未变化 0 个，失败 3 个" in err


def test_shards_partition_the_units(units, capsys):
    built = []
    for shard in ("1/2", "2/2"):
        code, _, err = build(capsys, "-o", "out", "--shard", shard)
        assert code == 0, err
        built.append({line.split("out/")[1] for line in err.splitlines() if "已生成" in line})
    assert built == [{"unit-a-2026.docx", "unit-c-2026.docx"}, {"unit-b-2026.docx"}]


@pytest.mark.parametrize("flag, value", [("--shard", "0/2"), ("--shard", "3/2"), ("--shard", "2"),
                                         ("--shard", "a/b"), ("--shard", "1/0"), ("-j", "0"), ("-j", "two")])
def test_bad_shard_or_jobs_is_a_usage_error(units, capsys, flag, value):
    code, _, err = build(capsys, "-o", "out", flag, value)
    assert code == 2
    assert err.startswith(f"budgetdoc: 错误：{flag} 应") and f"收到“{value}”" in err
    assert not (units / "out").exists()


def test_cache_key_covers_the_pack_files_and_the_options(tmp_path, monkeypatch):
    pack = tmp_path / "templates" / "p"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setenv("BUDGETDOC_PACKS", str(tmp_path / "templates"))
    key = cache.KeyMaker.for_run(pdf=False, toc_pages=False).key("yaml-digest", "p")
    assert cache.KeyMaker.for_run(pdf=False, toc_pages=True).key("yaml-digest", "p") != key
    assert cache.KeyMaker.for_run(pdf=True, toc_pages=False).key("yaml-digest", "p") != key
    assert cache.KeyMaker.for_run(pdf=False, toc_pages=False).key("other-digest", "p") != key
    (pack / "macros.j2").write_text("{# new #}\n", encoding="utf-8")
    assert cache.KeyMaker.for_run(pdf=False, toc_pages=False).key("yaml-digest", "p") != key


def test_tool_digest_covers_the_version_and_every_source_file(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "stage.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "GENERATOR_DIR", tmp_path)
    before = cache.tool_digest()
    (tmp_path / "sub" / "stage.py").write_text("x = 2\n", encoding="utf-8")
    edited = cache.tool_digest()
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    assert len({before, edited, cache.tool_digest()}) == 3


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_prints_problems_and_failures_above_itself(capsys):
    terminal = FakeTerminal()
    bar = progress.BarProgress(2, terminal)
    bar.report(UnitResult("units/x/2026.yaml", FAILED, ("units/x/2026.yaml:1:7: 错误：…",), reason="数据有错误"))
    bar.close()
    assert capsys.readouterr().out == "units/x/2026.yaml:1:7: 错误：…\n"
    assert "未生成 units/x/2026.yaml：数据有错误" in terminal.getvalue() and "1/2" in terminal.getvalue()


def test_a_terminal_gets_a_bar_and_ci_gets_lines(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    bar = progress.make_progress(3, FakeTerminal())
    assert isinstance(bar, progress.BarProgress)
    bar.close()
    assert isinstance(progress.make_progress(3, io.StringIO()), progress.LineProgress)
    monkeypatch.setenv("CI", "true")
    assert isinstance(progress.make_progress(3, FakeTerminal()), progress.LineProgress)


def test_cache_hashes_the_folders_the_stages_read():
    from generator.pack import loading
    from generator.source import validate
    assert cache.pack_folder is loading.pack_folder and cache.SCHEMA_PATH == validate.SCHEMA_PATH


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 700), st.integers(1, 8), st.booleans(), st.booleans())
def test_groups_keep_order_are_even_and_feed_every_worker(count, workers, soffice, uno):
    from generator.build import batch
    files = [f"u{n}" for n in range(count)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch.libreoffice, "find_soffice", lambda: "/usr/bin/soffice" if soffice else None)
        patch.setattr(batch.libreoffice, "uno_python", lambda: "/usr/bin/python3" if uno else None)
        groups = batch.grouped(files, batch.group_count(count, min(workers, count), BuildOptions("out")))
    sizes = [len(g) for g in groups]
    assert [f for g in groups for f in g] == files and min(sizes) >= 1
    if not soffice or uno:
        assert sizes == [1] * count                   # one by one, as progress goes (each worker keeps its LibreOffice)
    else:
        assert max(sizes) <= batch.LAYOUT_GROUP and max(sizes) - min(sizes) <= 1
        assert len(groups) % min(workers, count) == 0   # every worker gets as many groups
