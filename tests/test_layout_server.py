"""The build's LibreOffice (generator/libreoffice.py's LayoutServer): started once for many documents,
a document that hangs it fails alone and the next one gets a new LibreOffice, and nothing it
started outlives the build — not after a clean end, and not when its process is killed.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from seed_copies import seed_copies
from test_render import require_tools, require_uno

from generator.libreoffice import LayoutServer, RenderError, find_soffice

ROOT = Path(__file__).resolve().parent.parent
HANGING = Path(__file__).resolve().parent / "clients" / "hanging_layout.py"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:          # a zombie is gone too
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_a_document_that_hangs_fails_alone_and_the_next_gets_a_new_libreoffice(tmp_path):
    server = LayoutServer("soffice", python=sys.executable, timeout=1.5, helper=HANGING)
    try:
        assert server.lay_out(tmp_path / "a.docx") == ("1",)
        first = server.process.pid
        with pytest.raises(RenderError, match="LibreOffice 排版 hang.docx 超过 1.5 秒或意外退出，已终止"):
            server.lay_out(tmp_path / "hang.docx")
        assert server.process is None and not alive(first)
        assert server.lay_out(tmp_path / "c.docx", tmp_path / "c.pdf", toc_pages=False) == ()
        assert (tmp_path / "c.pdf").is_file() and server.starts == 2
    finally:
        server.close()
    assert server.process is None and server.profile is None


def test_after_libreoffice_went_away_the_next_document_gets_a_new_one(tmp_path):
    server = LayoutServer("soffice", python=sys.executable, timeout=5, helper=HANGING)
    try:
        with pytest.raises(RenderError, match="LibreOffice 未能排版 crash.docx：DisposedException"):
            server.lay_out(tmp_path / "crash.docx")
        assert server.process is None
        assert server.lay_out(tmp_path / "next.docx") == ("1",) and server.starts == 2
    finally:
        server.close()


def lay_out_in_a_forked_worker(server: LayoutServer, folder: Path) -> None:
    """A worker's use of a server its build launched: not the helper's parent, it still lays out, sees
    the helper gone (killed here) and starts its own, and ends it."""
    assert server.lay_out(folder / "a.docx") == ("1",)
    os.killpg(server.process.pid, signal.SIGKILL)
    time.sleep(0.2)
    assert server.lay_out(folder / "b.docx") == ("1",) and server.starts == 2
    server.close()
    assert server.process is None and server.profile is None


def test_a_server_launched_by_the_build_serves_a_worker_forked_after_it(tmp_path):
    server = LayoutServer("soffice", python=sys.executable, timeout=5, helper=HANGING)
    server.launch()
    helper, profile = server.process.pid, server.profile
    worker = multiprocessing.get_context("fork").Process(target=lay_out_in_a_forked_worker, args=(server, tmp_path))
    worker.start()
    server.let_go()
    worker.join(60)
    assert worker.exitcode == 0
    server.reap()
    assert server.process is None and not alive(helper) and not profile.exists()


def test_a_worker_forked_after_the_build_let_go_starts_its_own(tmp_path):
    from generator.build import servers
    launched = [LayoutServer("soffice", python=sys.executable, timeout=5, helper=HANGING) for _ in range(2)]
    for server in launched:
        server.launch()
    launched[0].let_go()                            # as the build does once its workers are forked
    try:
        servers.adopt_layout_server(launched, 0)
        assert servers.SERVERS == {}                # its pipes are closed here: start_layout_server starts a new one
        assert not launched[1].has_pipes()          # and the other worker's are let go
    finally:
        servers.SERVERS.clear()
        for server in launched:
            server.close()


def test_a_build_that_is_interrupted_does_not_wait_for_the_servers_it_launched(tmp_path):
    server = LayoutServer("soffice", python=sys.executable, timeout=5, helper=HANGING)
    server.launch()
    helper = server.process.pid
    started = time.monotonic()
    server.reap(0)
    assert time.monotonic() - started < 2 and not alive(helper) and server.profile is None


OVER_THE_PIPE = Path(__file__).resolve().parent / "clients" / "uno_over_the_pipe.py"


def require_script_provider() -> None:
    """LibreOffice's Python script provider (Debian libreoffice-script-provider-python); CI must have it."""
    if not Path("/usr/lib/libreoffice/program/pythonscript.py").exists():
        if os.environ.get("CI"):
            pytest.fail("CI 环境缺少 libreoffice-script-provider-python（LibreOffice 的 Python 脚本支持）")
        pytest.skip("缺少 libreoffice-script-provider-python")


def test_libreoffice_runs_the_layout_itself_and_lays_out_as_over_the_pipe(tmp_path):
    """With its Python script provider, LibreOffice runs the layout script in its own process, in its
    main thread (where its idle work cannot run beside it); without it, the helper makes the same
    calls over the pipe: the same pages, and the same 目录 in the PDF."""
    require_tools()
    require_uno()
    require_script_provider()
    from test_render import small_document

    from generator.docx.writer import write_docx
    source = tmp_path / "small.docx"
    write_docx(small_document(), source)
    results = {}
    for name, helper in (("itself", None), ("pipe", OVER_THE_PIPE)):
        server = LayoutServer(find_soffice(), **({"helper": helper} if helper else {}))
        try:
            pdf = tmp_path / f"{name}.pdf"
            results[name] = (server.lay_out(source, pdf), server.in_process,
                             subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout,
                             server.main_thread)
        finally:
            server.close()
    assert results["itself"][1] is True and results["pipe"][1] is False
    assert results["itself"][3] is True
    assert results["itself"][0] == results["pipe"][0] and results["itself"][0]
    assert results["itself"][2] == results["pipe"][2]


def processes() -> list[tuple[int, str, int]]:
    """(pid, command line, parent) of every living process."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue
        if fields[0] != "Z":                        # a zombie is gone too
            found.append((int(pid), command, int(fields[1])))
    return found


def processes_mentioning(text: str) -> list[str]:
    return [command for _, command, _ in processes() if text in command]


def watch_helpers(build: subprocess.Popen, temp: str, found: dict[int, int]) -> None:
    """Note the pid and parent of every UNO helper (libreoffice_uno.py) of `build` while it runs."""
    while build.poll() is None:
        found.update((pid, parent) for pid, command, parent in processes()
                     if "libreoffice_uno.py" in command and temp in command)
        time.sleep(0.05)


def driving(script: str) -> tuple[subprocess.Popen, list[str]]:
    """A process running `script`, which prints what the test needs on one line and then waits to be
    killed; and that line's words."""
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None
    return child, child.stdout.readline().split()


def wait_until(done, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done():
        time.sleep(0.05)


def test_no_libreoffice_or_profile_outlives_a_parallel_build(tmp_path):
    require_tools()
    require_uno()
    seed_copies(tmp_path, ("unit-a", "unit-b", "unit-c"))
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(ROOT)}
    sockets = set(Path("/tmp").glob("OSL_PIPE_*"))     # LibreOffice's sockets: the helper's pipe, its own for a second start
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", "units", "-o", "out", "--pdf", "-j", "2"],
                             cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    helpers: dict[int, int] = {}
    watching = threading.Thread(target=watch_helpers, args=(build, str(temp), helpers))
    watching.start()
    _, errors = build.communicate(timeout=600)
    watching.join()
    assert build.returncode == 0, errors
    helpers = {pid: parent for pid, parent in helpers.items() if parent not in helpers}   # not a helper's fork before it execs soffice
    assert len(helpers) == 2 and set(helpers.values()) == {build.pid}     # one per worker, launched by the build
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == [f"unit-{x}-2026.pdf" for x in "abc"]
    assert processes_mentioning(str(temp)) == [] and list(temp.iterdir()) == []
    assert set(Path("/tmp").glob("OSL_PIPE_*")) <= sockets


def test_when_the_build_is_killed_its_libreoffice_ends_and_its_profile_goes(tmp_path):
    """kill -9 of the process that drives LibreOffice: the helper sees its input end, ends
    LibreOffice and removes the profile."""
    require_tools()
    require_uno()
    source = tmp_path / "small.docx"
    from test_render import small_document

    from generator.docx.writer import write_docx
    write_docx(small_document(), source)
    script = ("import sys, time; from pathlib import Path; from generator.libreoffice import LayoutServer\n"
              f"s = LayoutServer({find_soffice()!r}); s.lay_out(Path({str(source)!r}))\n"
              "print(s.process.pid, s.soffice_group, s.profile, flush=True); time.sleep(600)\n")
    sockets = set(Path("/tmp").glob("OSL_PIPE_*"))
    child, (helper, soffice_group, profile) = driving(script)
    assert alive(int(helper)) and Path(profile).is_dir()
    child.kill()
    child.wait()
    wait_until(lambda: not (alive(int(helper)) or alive(int(soffice_group)) or Path(profile).exists()), 30)
    assert not alive(int(helper)) and not alive(int(soffice_group)) and not Path(profile).exists()
    assert set(Path("/tmp").glob("OSL_PIPE_*")) <= sockets


def test_the_socket_libreoffice_makes_for_a_second_start_is_the_one_foreseen_at_launch():
    require_tools()
    require_uno()
    server = LayoutServer(find_soffice())
    server.launch()
    foreseen = list(server.sockets)
    try:
        server.wait_ready()                             # adds what the helper found LibreOffice listening on
        assert server.sockets == foreseen and Path(foreseen[1]).exists()
        assert Path(foreseen[1]).name.startswith(f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_")
    finally:
        server.close()
    assert not any(Path(socket).exists() for socket in foreseen)


def test_a_build_killed_while_its_libreoffice_starts_leaves_none_of_its_sockets(tmp_path):
    """kill -9 after LibreOffice made its sockets but before the build heard it was ready: the
    guardian, told of them at launch, removes them (LibreOffice never removes them when killed)."""
    require_tools()
    require_uno()
    script = ("import sys, time; from generator.libreoffice import LayoutServer, second_start_socket\n"
              f"s = LayoutServer({find_soffice()!r}); s.launch()\n"
              "print(s.process.pid, second_start_socket(s.profile), flush=True); time.sleep(600)\n")
    sockets = set(Path("/tmp").glob("OSL_PIPE_*"))
    child, (helper, second_start) = driving(script)
    wait_until(Path(second_start).exists, 60)
    assert Path(second_start).exists()                  # LibreOffice is up, and the build never asked
    child.kill()
    child.wait()
    wait_until(lambda: not (alive(int(helper)) or set(Path("/tmp").glob("OSL_PIPE_*")) - sockets), 30)
    assert not alive(int(helper))
    assert set(Path("/tmp").glob("OSL_PIPE_*")) <= sockets


def test_the_unit_warmed_up_before_the_workers_fork_is_built_from_what_warm_up_made(tmp_path, monkeypatch):
    """warm_up prepares and writes the run's first unit in the build (workers.prepare_pipeline); the
    worker that builds it takes that draft instead of analysing and writing the unit again, and
    makes the same files as a build without it."""
    require_tools()
    require_uno()
    from generator.build import units
    from generator.build.outcome import BUILT, BuildOptions
    [file] = seed_copies(tmp_path, ("unit-a",))
    made = {}
    try:
        for way in ("plain", "warmed"):
            options = BuildOptions(str(tmp_path / way), pdf=True)
            (tmp_path / way).mkdir()
            if way == "warmed":
                units.warm_up(file, options)
                assert units.WARMED[(file, options)].written is not None
                monkeypatch.setattr(units, "checked_document", lambda *a, **k: pytest.fail("the unit was analysed again"))
                monkeypatch.setattr(units, "docx_parts", lambda *a, **k: pytest.fail("the draft was written again"))
            [result] = units.build_group([file], options)
            assert result.status == BUILT and units.WARMED == {}
            made[way] = (tmp_path / way / "unit-a-2026.docx").read_bytes()
    finally:
        units.close_layout_server()
    assert made["warmed"] == made["plain"]


def jemalloc_required() -> bool:
    """Whether this machine has jemalloc (Debian libjemalloc2), which `.ci/run` installs: CI must."""
    import ctypes.util
    found = ctypes.util.find_library("jemalloc") is not None
    if not found and os.environ.get("CI"):
        pytest.fail("CI 环境缺少 libjemalloc2（LibreOffice 用的内存分配器）")
    return found


def test_the_build_s_libreoffice_allocates_with_jemalloc_or_glibc_s_larger_cache(tmp_path):
    """The LibreOffice that lays the documents out runs with jemalloc where it is installed (else with
    glibc's larger per-thread cache), which keeps its speed over many documents (layout_environment):
    it is in the process's memory, and the document is laid out as ever."""
    require_tools()
    require_uno()
    with_jemalloc = jemalloc_required()
    server = LayoutServer(find_soffice())
    try:
        from test_render import small_document

        from generator.docx.writer import write_docx
        write_docx(small_document(), tmp_path / "small.docx")
        server.lay_out(tmp_path / "small.docx", tmp_path / "small.pdf")
        soffices = [pid for pid, command, _ in processes()
                    if "soffice.bin" in command and os.getpgid(pid) == server.soffice_group]
        assert soffices and "科目" in subprocess.run(["pdftotext", str(tmp_path / "small.pdf"), "-"],
                                                    capture_output=True, text=True).stdout
        for pid in soffices:
            maps = Path(f"/proc/{pid}/maps").read_text()
            environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            if with_jemalloc:
                assert "libjemalloc" in maps
            else:
                assert b"GLIBC_TUNABLES=glibc.malloc.tcache_count=65535" in environment
    finally:
        server.close()


@pytest.mark.parametrize("platform, library, own, expected", [
    ("linux", "libjemalloc.so.2", {}, {"LD_PRELOAD": "libjemalloc.so.2"}),
    ("linux", None, {}, {"GLIBC_TUNABLES": "glibc.malloc.tcache_count=65535"}),
    ("linux", "libjemalloc.so.2", {"LD_PRELOAD": "libtcmalloc.so.4"}, {"LD_PRELOAD": "libtcmalloc.so.4"}),
    ("linux", None, {"GLIBC_TUNABLES": "glibc.malloc.arena_max=2"}, {"GLIBC_TUNABLES": "glibc.malloc.arena_max=2"}),
    ("darwin", "/opt/lib/libjemalloc.dylib", {}, {}),
])
def test_libreoffice_s_allocator_is_jemalloc_else_glibc_s_cache_and_never_overrides_the_environment(
        tmp_path, monkeypatch, platform, library, own, expected):
    import ctypes.util

    from generator import libreoffice
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: library if name == "jemalloc" else None)
    for name in ("LD_PRELOAD", "GLIBC_TUNABLES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in own.items():
        monkeypatch.setenv(name, value)
    libreoffice.faster_allocator.cache_clear()
    try:
        env = libreoffice.layout_environment(tmp_path)
    finally:
        libreoffice.faster_allocator.cache_clear()
    assert {name: env[name] for name in ("LD_PRELOAD", "GLIBC_TUNABLES") if name in env} == expected
    assert env["FONTCONFIG_FILE"] == str(tmp_path / "fonts.conf")     # and conversion_environment's
