"""The command line whatever it is connected to, and the build cache whatever is found in it (issue 16,
classes 20, 21, 24, 25, 29): a Chinese message and the right exit code, never a traceback or a hang."""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from seed_copies import seed_copies

from generator.build import cache, output, units
from generator.commands.cli import main
from generator.core.epoch import LAST
from generator.core.files import os_error_words

ROOT = Path(__file__).resolve().parent.parent
MANY_ERRORS = "".join(f"a: {n}\n" for n in range(4000))       # 3999 duplicate keys: more than a pipe holds


def budgetdoc(shell: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """`shell` run by sh, where `budgetdoc` is this checkout's command; with a time limit."""
    command = f'budgetdoc() {{ "{sys.executable}" -m generator "$@"; }}; {shell}'
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    environ.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(["sh", "-c", command], cwd=cwd, capture_output=True, timeout=120, env=environ)


@pytest.fixture
def unit(seed_folder):
    tmp_path = seed_folder
    (tmp_path / "bad.yaml").write_text("a: 1\na: 2\n", encoding="utf-8")
    (tmp_path / "many.yaml").write_text(MANY_ERRORS, encoding="utf-8")
    return tmp_path


# 24 terminals and streams -----------------------------------------------------------------------

def test_terminals_that_cannot_show_chinese(unit):
    """ASCII, Latin-1 and GBK terminals (PYTHONIOENCODING) and the C locale: help and messages, never a
    UnicodeEncodeError; what the terminal cannot show is written as \\uXXXX."""
    script = "; ".join(f"PYTHONIOENCODING={e} budgetdoc check --help > help-{e}; echo $?" for e in ENCODINGS)
    script += "; PYTHONIOENCODING=gbk budgetdoc check bad.yaml > check-gbk; echo $?"
    script += "; LANG=C LC_ALL=C PYTHONUTF8=0 PYTHONCOERCECLOCALE=0 budgetdoc check bad.yaml > check-ascii; echo $?"
    result = budgetdoc(script, unit)
    assert result.stdout.split() == [b"0"] * 3 + [b"1"] * 2 and b"Traceback" not in result.stderr, result.stderr
    for encoding in ENCODINGS:
        assert "--strict" in (unit / f"help-{encoding}").read_bytes().decode(encoding)
    for encoding in ("ascii", "gbk"):
        shown = (unit / f"check-{encoding}").read_bytes().decode(encoding)
        assert shown.startswith("bad.yaml:2:1: ")
        assert ("重复的键" if encoding == "gbk" else "\\u91cd\\u590d\\u7684\\u952e") in shown


ENCODINGS = ("ascii", "latin-1", "gbk")


def test_a_reader_that_goes_away_a_full_disk_and_a_closed_stdout(unit):
    """`| head -1` stops the output quietly (exit code as it was); `> /dev/full` is exit 1 with a message;
    `>&-` keeps the exit code."""
    script = ("budgetdoc check many.yaml 2> head-err | head -1 > head; echo ${PIPESTATUS[0]}; "
              "budgetdoc check bad.yaml > /dev/full 2> full; echo $?; "
              "budgetdoc check --format json bad.yaml >&- 2> closed; echo $?")
    result = budgetdoc(f"bash -c '{script}'", unit)
    assert result.stdout.split() == [b"1", b"1", b"1"] and result.stderr == b""
    assert (unit / "head").read_text(encoding="utf-8").startswith("many.yaml:2:1: 错误：重复的键“a”")
    assert (unit / "full").read_text(encoding="utf-8").splitlines()[-1] == "budgetdoc: 错误：无法写出结果（标准输出）：磁盘已满"
    assert "Traceback" not in (unit / "closed").read_text(encoding="utf-8") + (unit / "head-err").read_text(encoding="utf-8")


def test_a_build_without_stderr_whose_reader_goes_away_still_builds(unit):
    result = budgetdoc("budgetdoc build many.yaml units -o out --no-toc-pages 2>&- | head -1; echo", unit)
    assert result.stdout.decode().startswith("many.yaml:2:1: 错误：重复的键“a”") and result.stderr == b""
    assert (unit / "out" / "unit-a-2026.docx").is_file()


# 20 the output folder ---------------------------------------------------------------------------

@pytest.mark.parametrize("where, message", [
    ("afile", "输出位置“afile”已存在，但不是文件夹；请用 -o 指定一个文件夹"),
    ("afile/below", "无法创建输出文件夹“afile/below”：路径中有一段不是文件夹；请用 -o 指定另一个文件夹"),
    ("/dev/full", "输出位置“/dev/full”已存在，但不是文件夹；请用 -o 指定一个文件夹"),
    ("/proc/budgetdoc-x", "无法创建输出文件夹“/proc/budgetdoc-x”：{}；请用 -o 指定另一个文件夹"),
])
def test_an_output_that_is_no_folder_is_a_usage_error(unit, capsys, where, message):
    (unit / "afile").write_text("x", encoding="utf-8")
    assert main(["build", "units", "-o", where, "--no-toc-pages"]) == 2
    if "{}" in message:                  # /proc: "does not exist" for root, "no permission" for others
        try:
            os.mkdir(where)
        except OSError as exc:
            message = message.format(os_error_words(exc))
    assert capsys.readouterr().err == f"budgetdoc: 错误：{message}\n"


def test_a_new_or_imported_unit_file_where_no_file_can_be_made_is_a_usage_error(unit, capsys):
    (unit / "afile").write_text("x", encoding="utf-8")
    assert main(["export", "units", "-o", "books"]) == 0
    for args in (["import", "books/unit-a-2026.xlsx", "-o", "afile/x/2026.yaml"], ["new", "x", "--year", "2027", "--units-dir", "afile"]):
        capsys.readouterr()
        assert main(args) == 2
        assert capsys.readouterr().err.splitlines()[-1] == "budgetdoc: 错误：无法在 afile/x 中新建文件：路径中有一段不是文件夹"
    assert (unit / "afile").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("where", ["afile", "/dev/null"])
def test_an_export_output_that_is_no_folder_is_a_usage_error(unit, capsys, where):
    """export -o names a folder as build's does (was FileExistsError's traceback)."""
    (unit / "afile").write_text("x", encoding="utf-8")
    assert main(["export", "units", "-o", where]) == 2
    assert capsys.readouterr().err == f"budgetdoc: 错误：输出位置“{where}”已存在，但不是文件夹；请用 -o 指定一个文件夹\n"


LONG = "a" * 300
TOO_LONG = "参数 {} 的路径过长：文件或文件夹名最多 255 字节（这里最长的有 {} 字节），整个路径不到 4096 字节（这里有 {} 字节）"


@pytest.mark.parametrize("args, message", [
    (["check", LONG], TOO_LONG.format("路径", 300, 300)),
    (["build", "-o", f"out/{LONG}"], TOO_LONG.format("-o/--output", 300, 304)),
    (["export", "units", "-o", LONG], TOO_LONG.format("-o/--output", 300, 300)),
    (["diff", "units/unit-a/2026.yaml", LONG], TOO_LONG.format("新文件", 300, 300)),
    (["import", f"{LONG}.xlsx"], TOO_LONG.format("工作簿", 305, 305)),
    (["new", "x", "--year", "2027", "--from", LONG], TOO_LONG.format("--from", 300, 300)),
])
def test_a_path_too_long_for_any_file_system_is_a_usage_error(unit, capsys, args, message):
    """Asking the system about a name of 300 letters fails ("File name too long"): each path argument is
    refused as argparse refuses any other, before it is used (was a traceback in every command)."""
    assert main(args) == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"budgetdoc {args[0]}: 错误：{message}"


def test_a_slug_too_long_for_a_folder_is_a_usage_error(unit, capsys):
    assert main(["new", LONG, "--year", "2027"]) == 2
    assert capsys.readouterr().err == "budgetdoc: 错误：单位标识过长：最多 64 个字符，这里有 300 个\n"


def test_a_read_only_output_folder_is_a_usage_error(unit, capsys, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")
    monkeypatch.setattr(output, "guarded_folder", read_only)
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 2
    assert capsys.readouterr().err == "budgetdoc: 错误：输出文件夹无法写入“out”：文件系统是只读的；请用 -o 指定另一个文件夹\n"


def test_a_full_disk_fails_the_units_says_so_and_leaves_nothing(unit, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(units, "write_atomic", full)
    monkeypatch.setattr(cache, "write_atomic", full)
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 1
    captured = capsys.readouterr()
    assert "units/unit-a/2026.yaml: 错误：无法写入 unit-a-2026.docx：磁盘已满" in captured.out.splitlines()
    assert list((unit / "out").iterdir()) == []
    monkeypatch.undo()
    monkeypatch.chdir(unit)
    monkeypatch.setattr(cache, "tool_digest", lambda: "pinned")
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0      # room again: built, cached
    monkeypatch.setattr(cache, "write_atomic", full)
    (unit / "units" / "unit-a" / "2026.yaml").write_text(
        (unit / "units" / "unit-a" / "2026.yaml").read_text(encoding="utf-8") + "# 改\n", encoding="utf-8")
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    err = capsys.readouterr().err
    assert (f"budgetdoc: 警告：无法写入构建缓存 out/{cache.CACHE_NAME}：磁盘已满；已删除旧的缓存，下次将重新生成全部单位"
            in err.splitlines())
    assert not (unit / "out" / cache.CACHE_NAME).exists()


# 25 SOURCE_DATE_EPOCH --------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["99999999999999", "-1", "abc", "1.5", str(LAST + 1)])
def test_a_bad_source_date_epoch_is_the_same_usage_error_in_check_and_build(unit, capsys, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    message = (f"budgetdoc: 错误：环境变量 SOURCE_DATE_EPOCH 应为 0 至 {LAST} 之间的整数秒数（1970年至2107年），"
               f"收到“{value}”；不需要固定日期时请删除这个变量\n")
    for command in (["check", "units"], ["build", "units", "-o", "out", "--no-toc-pages"]):
        assert main(command) == 2
        assert capsys.readouterr().err == message
    assert not (unit / "out").exists()


def test_the_last_source_date_epoch_builds(unit, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(LAST))
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0


# 21 the cache is a hint --------------------------------------------------------------------------

def cache_path(unit: Path) -> Path:
    return unit / "out" / cache.CACHE_NAME


@pytest.fixture
def quick(unit, monkeypatch):
    """The unit, built with a stand-in for the writer: the cache, not the document, is under test here."""
    monkeypatch.setattr(units, "docx_bytes", lambda doc: b"PK\x05\x06" + bytes(18))
    return unit


def built_again(capsys) -> str:
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    return capsys.readouterr().err


ENTRY_FAULTS = {
    "not_a_mapping": lambda e: 5,
    "key_a_number": lambda e: {**e, "key": 1},
    "outputs_a_string": lambda e: {**e, "outputs": "unit-a-2026.docx"},
    "output_in_a_folder": lambda e: {**e, "outputs": ["../../etc/passwd.docx"]},
    "warnings_a_bool": lambda e: {**e, "warnings": True},
    "problems_numbers": lambda e: {**e, "problems": [1, 2]},
    "pack_outside_templates": lambda e: {**e, "pack": "../../../"},
    "pack_absolute": lambda e: {**e, "pack": "/etc"},
    "summary_missing": lambda e: {k: v for k, v in e.items() if k != "summary"},
    "summary_wrong": lambda e: {**e, "summary": {"names": 5}},
}


@pytest.mark.parametrize("fault", sorted(ENTRY_FAULTS))
def test_a_doubtful_cache_entry_means_rebuild(quick, capsys, monkeypatch, fault):
    built_again(capsys)
    data = json.loads(cache_path(quick).read_text(encoding="utf-8"))
    [(name, entry)] = data["units"].items()
    data["units"][name] = ENTRY_FAULTS[fault](entry)
    cache_path(quick).write_text(json.dumps(data), encoding="utf-8")
    walked = []
    real = cache.digest_files
    monkeypatch.setattr(cache, "digest_files", lambda folder, *rest: walked.append(folder) or real(folder, *rest))
    assert "生成 1 个，未变化 0 个" in built_again(capsys)
    assert all(Path(f).resolve().is_relative_to(ROOT) for f in walked), walked
    assert "未变化 1 个" in built_again(capsys)


@pytest.mark.parametrize("fault", ["deep", "folder", "fifo", "dev_zero", "not_json", "huge_number"])
def test_a_doubtful_cache_file_means_rebuild(quick, capsys, fault):
    built_again(capsys)
    path = cache_path(quick)
    path.unlink()
    if fault == "deep":
        path.write_text('{"format": 2, "units": ' + "[" * 100000 + "]" * 100000 + "}", encoding="utf-8")
    elif fault == "folder":
        path.mkdir()
    elif fault == "fifo":
        os.mkfifo(path)
    elif fault == "dev_zero":
        path.symlink_to("/dev/zero")
    elif fault == "not_json":
        path.write_bytes(b"\xff\xfe{")
    else:
        path.write_text('{"format": 2, "units": {"x": {"warnings": 1' + "0" * 5000 + "}}}", encoding="utf-8")
    err = built_again(capsys)
    assert "生成 1 个，未变化 0 个" in err
    if fault == "folder":
        assert f"budgetdoc: 警告：无法写入构建缓存 out/{cache.CACHE_NAME}：这是一个文件夹；" in err
    else:
        assert "未变化 1 个" in built_again(capsys)


# 29 the key covers the libraries that shape the output --------------------------------------------

def test_the_cache_key_covers_the_libraries(monkeypatch):
    key = cache.KeyMaker.for_run(pdf=False, toc_pages=False).key("yaml", "shanxi-datong")
    real = cache.metadata.version
    for library in ("python-docx", "python-pptx", "Jinja2", "pypinyin", "XlsxWriter", "lxml", "PyYAML"):
        with monkeypatch.context() as patch:
            patch.setattr(cache.metadata, "version", lambda name, lib=library: "0.0-other" if name == lib else real(name))
            assert cache.KeyMaker.for_run(pdf=False, toc_pages=False).key("yaml", "shanxi-datong") != key, library
    laid_out = cache.KeyMaker.for_run(pdf=False, toc_pages=True).key("yaml", "shanxi-datong")
    monkeypatch.setattr(cache, "libreoffice_version", lambda: "another build")
    assert cache.KeyMaker.for_run(pdf=False, toc_pages=True).key("yaml", "shanxi-datong") != laid_out


def test_a_document_replaced_by_another_tree_is_not_vouched_for(tmp_path, capsys, monkeypatch):
    """Two trees with the same unit built into one folder, one after the other: the cache entry of the
    first no longer stands for the document the second wrote."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cache, "tool_digest", lambda: "pinned")
    for tree, staff in (("one", "17"), ("two", "18")):
        [path] = seed_copies(tmp_path / tree, ["unit-a"])
        Path(path).write_text(Path(path).read_text(encoding="utf-8").replace("staff: 17 ", f"staff: {staff} ", 1), encoding="utf-8")
    for tree in ("one", "two"):
        assert main(["build", f"{tree}/units", "-o", "out", "--no-toc-pages"]) == 0
    capsys.readouterr()
    assert main(["build", "one/units", "-o", "out", "--no-toc-pages"]) == 0
    assert "生成 1 个，未变化 0 个" in capsys.readouterr().err


# the command line's own words ---------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    ([], "budgetdoc: 错误：缺少参数：命令"),
    (["frob"], "budgetdoc: 错误：参数 命令 的值 'frob' 无效，可选：'check', 'build', 'new', 'diff', 'export', 'import'"),
    (["check", "--bogus"], "budgetdoc: 错误：无法识别的参数：--bogus"),
    (["check", "--format", "xml"], "budgetdoc check: 错误：参数 --format 的值 'xml' 无效，可选：'text', 'json'"),
    (["build", "-j"], "budgetdoc build: 错误：参数 -j/--jobs 后面需要一个值"),
    (["new", "x", "--year", "abc"], "budgetdoc new: 错误：参数 --year 应为整数，收到 'abc'"),
])
def test_argparse_speaks_chinese(capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：budgetdoc") and err.splitlines()[-1] == message


def test_help_is_chinese(capsys):
    assert main(["build", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：budgetdoc build") and "-h, --help            显示本帮助并退出" in out and "选项" in out


def test_a_build_killed_while_moving_documents_into_place_leaves_no_lying_cache(unit, capsys, monkeypatch):
    from generator.build import batch
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    path = unit / "units" / "unit-a" / "2026.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("staff: 17 ", "staff: 18 ", 1), encoding="utf-8")
    real = batch.published

    def killed_after_moving(result):
        real(result)
        raise KeyboardInterrupt          # as a kill -9 would stop it, before the cache is written again
    monkeypatch.setattr(batch, "published", killed_after_moving)
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 130
    monkeypatch.setattr(batch, "published", real)
    path.write_text(original, encoding="utf-8")          # back to what the old entry was made from
    capsys.readouterr()
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    assert "完成：生成 1 个，未变化 0 个" in capsys.readouterr().err


# an incomplete installation ---------------------------------------------------------------------

REINSTALL = "。请重新安装 budgetdoc 及其依赖（在源码目录中运行 pip install -e .，或 pip install --force-reinstall budgetdoc）\n"


def without(tmp_path: Path, module: str, exc: str) -> str:
    """A folder to put first on PYTHONPATH, in which importing `module` raises `exc`."""
    folder = tmp_path / "broken"
    (folder / module).mkdir(parents=True)
    (folder / module / "__init__.py").write_text(f"raise {exc}\n", encoding="utf-8")
    return f"{folder}{os.pathsep}{ROOT}"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_missing_package_is_an_incomplete_installation_not_a_traceback(tmp_path, jobs):
    """python-pptx gone (the charts need it): with workers, it is their import that fails first."""
    seed_copies(tmp_path, ("unit-a", "unit-b"))
    python_path = without(tmp_path, "pptx", "ModuleNotFoundError(\"No module named 'pptx'\", name='pptx')")
    run = budgetdoc(f"budgetdoc build units -o out --no-toc-pages -j {jobs}", tmp_path, PYTHONPATH=python_path)
    assert run.returncode == 3
    assert run.stderr.decode().splitlines()[-1] + "\n" == "budgetdoc: 错误：安装不完整：找不到所需的 Python 模块“pptx”" + REINSTALL
    assert b"Traceback" not in run.stdout + run.stderr and "意外终止" not in run.stdout.decode()
    assert not any(path.is_file() for path in (tmp_path / "out").rglob("*"))


def test_a_package_that_is_there_but_broken_is_an_incomplete_installation(tmp_path):
    """PyYAML whose libyaml does not load: the command line itself cannot be imported, and says so."""
    seed_copies(tmp_path, ("unit-a",))
    python_path = without(tmp_path, "yaml", "ImportError('libyaml.so.0: cannot open shared object file')")
    for shell in ("budgetdoc check units", "budgetdoc --help"):
        run = budgetdoc(shell, tmp_path, PYTHONPATH=python_path)
        assert run.returncode == 3 and run.stdout == b""
        assert run.stderr.decode() == ("budgetdoc: 错误：安装不完整：无法导入所需的 Python 模块"
                                       "（libyaml.so.0: cannot open shared object file）" + REINSTALL)


def test_the_budgetdoc_command_is_the_entry_point_that_says_so():
    from importlib.metadata import entry_points

    import generator.commands
    (script,) = entry_points(group="console_scripts", name="budgetdoc")
    assert script.load() is generator.commands.main
