"""What the program is pointed at: files that are not regular files, folders it cannot read, and two
files that would make one document (issue 16, classes 15, 16, 19, 28)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_bad_input import SEED
from test_fuzz import time_limit
from test_lints import CLEAN, edited

from generator.build import cache
from generator.commands.cli import main
from generator.source import discover

NOT_REGULAR = "单位预算文件不是普通文件，而是{}，无法作为数据文件读取"


@pytest.fixture
def unit(seed_folder):
    return seed_folder


def test_a_fifo_among_the_units_is_refused_not_waited_for(unit, capsys):
    os.mkfifo(unit / "units" / "unit-a" / "2027.yaml")
    for command in (["check", "units"], ["build", "units/unit-a/2027.yaml", "-o", "out", "--no-toc-pages"]):
        with time_limit(60):                       # opening a FIFO to read waits for a writer: a hang fails here
            assert main(command) == 1
        out = capsys.readouterr().out
        assert f"units/unit-a/2027.yaml:1:1: 错误：{NOT_REGULAR.format('命名管道（FIFO）')}" in out.splitlines()


def test_a_link_to_an_endless_device_is_refused(unit, capsys):
    (unit / "units" / "unit-a" / "2027.yaml").symlink_to("/dev/zero")
    assert main(["check", "units"]) == 1
    assert f"units/unit-a/2027.yaml:1:1: 错误：{NOT_REGULAR.format('字符设备')}" in capsys.readouterr().out.splitlines()
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 1
    out = capsys.readouterr().out
    assert f"units/unit-a/2027.yaml:1:1: 错误：{NOT_REGULAR.format('字符设备')}" in out.splitlines()
    assert sorted(p.name for p in (unit / "out").iterdir()) == [".budgetdoc-cache.json", "unit-a-2026.docx"]


def test_a_folder_named_like_a_unit_file_is_not_a_unit_file(unit, capsys):
    (unit / "units" / "unit-a" / "2027.yaml").mkdir()
    assert main(["check", "units"]) == 0


def test_an_unreadable_folder_is_reported_not_skipped(unit, capsys, monkeypatch):
    locked = unit / "units" / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(Path("units") / "locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(discover.os, "scandir", scandir)
    found = discover.find_unit_files(["units"])
    assert [p.format() for p in found.problems] == ["units/locked: 错误：无法读取文件夹：没有权限，其中的单位预算文件没有检查"]
    assert found.files == [Path("units/unit-a/2026.yaml")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 folder anyway")
def test_a_mode_000_folder_is_an_error(unit, capsys):
    locked = unit / "units" / "locked"
    locked.mkdir()
    (locked / "2026.yaml").write_text(SEED, encoding="utf-8")
    locked.chmod(0)
    try:
        assert main(["check", "units"]) == 1
        assert "units/locked: 错误：无法读取文件夹：没有权限，其中的单位预算文件没有检查" in capsys.readouterr().out
        assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 1
    finally:
        locked.chmod(0o755)


def test_the_same_file_named_twice_is_one_unit(unit, capsys):
    assert main(["check", "units", "./units/unit-a/2026.yaml", str(unit / "units" / "unit-a" / "2026.yaml")]) == 0
    assert "检查了 1 个文件" in capsys.readouterr().err


def test_two_units_with_one_slug_and_year_are_an_error_in_check_and_build(unit, capsys):
    for folder in ("a", "b"):
        path = unit / "city" / folder / "same" / "2026.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(SEED.replace("slug: datong-ggzyjy", "slug: same", 1).replace("staff: 17 ", f"staff: {len(folder) + 16} "),
                        encoding="utf-8")
    expected = ("city/b/same/2026.yaml:10:9: 错误：unit.slug“same”和年度 2026 与 city/a/same/2026.yaml 相同：二者都会生成 "
                "same-2026.docx，后一个会覆盖前一个；一个单位一年只能有一个文件，请核对 unit.slug（相关行：city/a/same/2026.yaml:10:9）")
    assert main(["check", "city"]) == 1
    assert expected in capsys.readouterr().out.splitlines()
    assert main(["build", "city", "-o", "out", "--no-toc-pages"]) == 1
    captured = capsys.readouterr()
    assert expected in captured.out.splitlines()
    assert "未生成 city/b/same/2026.yaml：与其他单位冲突" in captured.err
    assert "完成：生成 1 个，未变化 0 个，失败 1 个" in captured.err
    assert sorted(p.name for p in (unit / "out").iterdir()) == [".budgetdoc-cache.json", "same-2026.docx"]
    assert main(["build", "city", "-o", "out", "--no-toc-pages"]) == 1        # and again, from the cache
    assert expected in capsys.readouterr().out.splitlines()


L07_CODE = ('code: "2100799"', 'code: "2100798"')        # a 项 not in the catalogue: its name is the unit's


def test_check_strict_and_build_strict_agree_on_l07(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cache, "tool_digest", lambda: "pinned")
    for slug, name in (("unit-a", "其他计划生育事务支出"), ("unit-b", "计划生育其他事务支出")):
        path = tmp_path / "units" / slug / "2026.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(edited(CLEAN, ("slug: datong-ggzyjy", f"slug: {slug}"), L07_CODE,
                               ("name: 其他计划生育事务支出", f"name: {name}")), encoding="utf-8")
    assert main(["check", "units"]) == 0
    [warning] = [line for line in capsys.readouterr().out.splitlines() if "警告" in line]
    assert warning.startswith("units/unit-b/2026.yaml:") and "警告 L07" in warning
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if "警告" in line] == [warning]
    assert main(["check", "--strict", "units"]) == 1
    capsys.readouterr()
    assert main(["build", "--strict", "units", "-o", "strict", "--no-toc-pages"]) == 1
    captured = capsys.readouterr()
    assert warning in captured.out.splitlines() and "未生成 units/unit-b/2026.yaml：数据有警告" in captured.err
    assert sorted(p.name for p in (tmp_path / "strict").iterdir()) == [".budgetdoc-cache.json", "unit-a-2026.docx"]
    assert main(["build", "--strict", "units", "-o", "strict", "--no-toc-pages"]) == 1    # unit-a from the cache: the same
    assert warning in capsys.readouterr().out.splitlines()


def test_a_file_name_that_is_not_utf8_is_checked_built_and_cached(unit, capsys):
    odd = unit / "units" / "unit-a" / os.fsdecode(b"\xff\xfe.yaml")
    (unit / "units" / "unit-a" / "2026.yaml").rename(odd)
    assert main(["check", "units"]) == 0
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    assert "未变化 1 个" in capsys.readouterr().err
