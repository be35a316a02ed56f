"""Faults injected into running builds (issue 16, classes 22 and 23): kill -9 of the build at any moment,
with workers and with LibreOffice; a killed worker; two builds into one folder at once.

After each: no process of the build survives, no temporary or staging folder is left, the output
folder holds only whole documents, and the next build makes the same bytes as an undisturbed one.
Processes are recognised by a mark in their environment, so that other builds on the machine are
never looked at, let alone killed.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from seed_copies import seed_copies

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("unit-a", "unit-b")


def marked(mark: str) -> list[int]:
    """The live (not zombie) processes whose environment holds `mark`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                environ = f.read().split(b"\0")
            with open(f"/proc/{entry}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if mark.encode() in environ and state not in (b"Z", b"X"):
            found.append(int(entry))
    return found


def survivors(mark: str, wait: float = 5) -> list[int]:
    deadline = time.monotonic() + wait
    while (found := marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


class Build:
    """`budgetdoc build` in a process of its own, marked, with its own temporary folder."""

    def __init__(self, root: Path, *args: str):
        self.mark = f"BUDGETDOC_FAULT_TEST={uuid.uuid4().hex}"
        self.tmp = root / "tmp"
        self.tmp.mkdir(exist_ok=True)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(self.tmp), "CI": "true"}
        env.pop("SOURCE_DATE_EPOCH", None)
        env[self.mark.split("=")[0]] = self.mark.split("=")[1]
        self.process = subprocess.Popen([sys.executable, "-m", "generator", "build", *args], cwd=root, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def finish(self, timeout: float = 300) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, out, err

    def kill(self) -> None:
        self.process.kill()
        self.process.communicate()


def whole_documents(folder: Path) -> list[str]:
    """The names in `folder`; every .docx in it must be a whole zip, nothing half-written may be there."""
    names = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    for name in names:
        assert name.endswith(".docx") or name == ".budgetdoc-cache.json", names
        if name.endswith(".docx"):
            assert zipfile.ZipFile(folder / name).testzip() is None
    return names


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The documents of the four units, built undisturbed (once for the module)."""
    root = tmp_path_factory.mktemp("reference")
    seed_copies(root, NAMES)
    code, _, err = Build(root, "units", "-o", "out", "--no-toc-pages", "-j", "2").finish()
    assert code == 0, err
    return root / "out"


@pytest.fixture
def city(tmp_path, reference):
    seed_copies(tmp_path, NAMES)
    return tmp_path


def same_as_reference(folder: Path, reference: Path, names=NAMES) -> None:
    for name in names:
        assert (folder / f"{name}-2026.docx").read_bytes() == (reference / f"{name}-2026.docx").read_bytes()


def test_kill_9_of_a_build_with_workers_leaves_nothing_behind(city, reference):
    for delay in (0.5, 1.5):
        build = Build(city, "units", "-o", "out", "--no-toc-pages", "-j", "2")
        time.sleep(delay)
        build.kill()
        assert survivors(build.mark) == []
        whole_documents(city / "out")
        assert list(build.tmp.iterdir()) == []
    code, _, err = Build(city, "units", "-o", "out", "--no-toc-pages", "-j", "2").finish()
    assert code == 0, err
    same_as_reference(city / "out", reference)


def test_a_killed_worker_fails_its_units_without_a_traceback(city):
    build = Build(city, "units", "-o", "out", "--no-toc-pages", "-j", "2")
    deadline = time.monotonic() + 30
    while len(workers := [p for p in marked(build.mark) if p != build.process.pid and is_worker(p)]) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(workers[0], signal.SIGKILL)
    code, out, err = build.finish()
    assert "Traceback" not in out + err
    if code:                          # the kill came before the worker's last unit
        assert "错误：生成此单位的进程意外终止（可能是内存不足或被系统结束），请重试；如再次出现，请用 -j 1 单独生成它" in out
    assert survivors(build.mark) == []
    whole_documents(city / "out")


def is_worker(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"generator" in f.read()
    except OSError:
        return False


def soffice_running(mark: str) -> bool:
    for pid in marked(mark):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"soffice.bin" in f.read():
                    return True
        except OSError:
            pass
    return False


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_kill_9_while_libreoffice_lays_out_leaves_no_process_and_no_folder(tmp_path):
    seed_copies(tmp_path, NAMES)
    build = Build(tmp_path, "units", "-o", "out", "-j", "2")
    deadline = time.monotonic() + 120
    while not soffice_running(build.mark):
        assert build.process.poll() is None and time.monotonic() < deadline, build.finish()
        time.sleep(0.05)
    build.kill()
    assert survivors(build.mark) == []
    assert list(build.tmp.iterdir()) == []
    assert whole_documents(tmp_path / "out") == []


def test_the_guardian_of_a_killed_process_removes_the_folders_and_files_it_was_told_of(tmp_path):
    """A folder (a temporary one) and a file (LibreOffice's socket for a second start, whose name the
    helper reports), both gone once the process that told of them is killed."""
    folder, socket_file = tmp_path / "folder", tmp_path / "OSL_PIPE_0_SingleOfficeIPC_x"
    (folder / "inside").mkdir(parents=True)
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(socket_file))
    script = ("import sys, time; from generator.core import guard\n"
              "keeper = guard.guardian(); [keeper.tell('path', p) for p in sys.argv[1:]]\n"
              "print(keeper.pid, flush=True); time.sleep(600)\n")
    child = subprocess.Popen([sys.executable, "-c", script, str(folder), str(socket_file)], stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout.readline().strip().isdigit()      # the guardian has started and been told
    child.kill()
    child.communicate()
    deadline = time.monotonic() + 10
    while (folder.exists() or socket_file.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    listening.close()
    assert not folder.exists() and not socket_file.exists()


def test_two_builds_into_one_folder_leave_an_honest_cache(tmp_path, reference, monkeypatch, capsys):
    """Tree "one" is the seed's unit-a, as in the reference; tree "two" has another staff count. Both are
    built into one folder at once; then each again: a document the other build wrote is never 未变化."""
    from generator.commands.cli import main
    seed_copies(tmp_path / "one", NAMES[:1])
    [two] = seed_copies(tmp_path / "two", NAMES[:1])
    Path(two).write_text(Path(two).read_text(encoding="utf-8").replace("staff: 17 ", "staff: 18 ", 1), encoding="utf-8")
    shared = str(tmp_path / "shared")
    builds = [Build(tmp_path / tree, "units", "-o", shared, "--no-toc-pages", "-j", "1") for tree in ("one", "two")]
    assert [b.finish()[0] for b in builds] == [0, 0]
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(tmp_path / "one")
    assert main(["build", "units", "-o", shared, "--no-toc-pages", "-j", "1"]) == 0
    same_as_reference(tmp_path / "shared", reference, NAMES[:1])
    monkeypatch.chdir(tmp_path / "two")
    capsys.readouterr()
    assert main(["build", "units", "-o", shared, "--no-toc-pages", "-j", "1"]) == 0
    assert "完成：生成 1 个，未变化 0 个" in capsys.readouterr().err
