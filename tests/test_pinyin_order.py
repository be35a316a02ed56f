"""The pinyin order of the 绩效目标表 (a pack's performance_order: pinyin): pypinyin's reading, kept in
the cache folder so that a later run does not load pypinyin again."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypinyin import Style, lazy_pinyin

from generator.pack import performance

ROOT = Path(__file__).resolve().parents[1]

# 多音字 read by the word they are in (银行 háng, 重庆 chóng, 长江 cháng, 增长 zhǎng), Latin letters
# and digits as written, as in the seed's project names.
NAMES = ["银行手续费", "重庆对口协作经费", "长江保护修复", "收入增长分析", "Z网络安全等保测评", "2026年信息系统运维",
         "重点项目评审", "行政事业单位资产清查"]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """performance as a new process finds it, with the cache folder in tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    performance.pinyin_path.cache_clear()
    performance.kept_pinyin.cache_clear()
    yield performance
    performance.pinyin_path.cache_clear()
    performance.kept_pinyin.cache_clear()


def pypinyin_key(name: str) -> list[str]:
    return [s.lower() for s in lazy_pinyin(name, style=Style.NORMAL)]


def kept_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "budgetdoc").glob("pinyin-*.json"))


def test_the_keys_are_pypinyins_reading_by_the_word(fresh):
    keys = fresh.pinyin_keys(NAMES)
    assert keys == {name: pypinyin_key(name) for name in NAMES}
    assert keys["银行手续费"][:2] == ["yin", "hang"] and keys["重庆对口协作经费"][0] == "chong"
    assert keys["长江保护修复"][0] == "chang" and keys["收入增长分析"][3] == "zhang"


def test_a_later_run_sorts_by_the_kept_keys_without_loading_pypinyin(fresh, tmp_path):
    fresh.pinyin_keys(NAMES)
    [kept] = kept_files(tmp_path)
    script = ("import json, sys; from generator.pack.performance import pinyin_keys; "
              f"keys = pinyin_keys({NAMES!r}); print(json.dumps([keys, 'pypinyin' in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True,
                          env={"XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    keys, loaded = json.loads(done.stdout)
    assert keys == {name: pypinyin_key(name) for name in NAMES} and loaded is False
    assert kept_files(tmp_path) == [kept]


def test_a_new_name_is_read_and_kept_beside_the_others(fresh, tmp_path):
    fresh.pinyin_keys(NAMES[:3])
    fresh.kept_pinyin.cache_clear()
    assert fresh.pinyin_keys(NAMES[3:]) == {name: pypinyin_key(name) for name in NAMES[3:]}
    [kept] = kept_files(tmp_path)
    assert set(json.loads(kept.read_text(encoding="utf-8"))) == set(NAMES)


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[1, 2]", '{"银行手续费": "yin hang"}'.encode(), b"\xff\xfe"])
def test_a_damaged_kept_file_is_read_again_from_pypinyin(fresh, tmp_path, damage):
    fresh.pinyin_keys(NAMES)
    [kept] = kept_files(tmp_path)
    kept.write_bytes(damage)
    fresh.kept_pinyin.cache_clear()
    assert fresh.pinyin_keys(NAMES) == {name: pypinyin_key(name) for name in NAMES}
    assert json.loads(kept.read_text(encoding="utf-8")) == {name: pypinyin_key(name) for name in NAMES}


def test_without_a_cache_folder_the_keys_are_read_and_nothing_is_kept(fresh, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", "relative")
    assert fresh.pinyin_keys(NAMES) == {name: pypinyin_key(name) for name in NAMES}
    assert list(tmp_path.iterdir()) == []


def test_projects_are_ordered_by_their_keys(fresh):
    from types import SimpleNamespace
    projects = [SimpleNamespace(performance=SimpleNamespace(name=name)) for name in NAMES]
    ordered = [p.performance.name for p in fresh.ordered_projects(projects, "pinyin")]
    assert ordered == sorted(NAMES, key=pypinyin_key)
    assert [p.performance.name for p in fresh.ordered_projects(projects, "budget")] == NAMES
