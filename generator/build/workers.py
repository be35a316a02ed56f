"""The worker processes of a parallel build: started once, dying with the build however it ends.

Where workers are forked (Linux), the build launches their LibreOffices and prepares the pipeline
before forking them, so that each inherits both (results_from_pool); elsewhere each worker imports
the pipeline and starts its LibreOffice itself (start_worker). A worker builds the groups it is
handed and gives its freed memory back between them. Linux kills it the moment the build dies
(PR_SET_PDEATHSIG, kill -9 included); elsewhere, and as a second line, a thread looks for the build
every second. A worker that is killed (out of memory, a signal) fails the units of its group; the
others go on.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing.util
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from generator import libreoffice
from generator.build import servers
from generator.build.outcome import FAILED, BuildOptions, UnitResult
from generator.core.problems import Pos, error


def start_worker(parent: int, options: BuildOptions, launched: list, slots) -> None:
    """Die with the build (`parent`), however it ends; take one of the LibreOffices the build launched
    for its workers (`launched`, numbered by `slots`), or start one, before importing the pipeline
    (a no-op when the build imported it before forking: prepare_pipeline). Then move what the
    pipeline keeps alive (the catalogue, the packs; pypinyin's ~190k objects when a name needed it)
    out of the garbage collector's sight: every full collection would walk them again. The worker's
    LibreOffice is ended as the worker exits (and by the build's guardian or its own, should it be
    killed)."""
    die_with(parent)
    multiprocessing.util.Finalize(None, servers.close_layout_server, exitpriority=10)
    if launched:
        with slots.get_lock():
            index, slots.value = slots.value, slots.value + 1
        servers.adopt_layout_server(launched, index)
    servers.start_layout_server(options)
    try:
        from generator.build import units  # noqa: F401 — the pipeline, imported once for every group
    except ImportError:                 # raised again by each group's own import (build_in_worker), which ends the build
        pass
    gc.collect()
    gc.freeze()


def prepare_pipeline(first: str, options: BuildOptions) -> None:
    """In the build, before its workers are forked: import the pipeline and do its one-time work
    (units.warm_up, with the `first` unit's pack), which every worker would otherwise do again for
    itself (about a second each)."""
    from generator.build import units
    units.warm_up(first, options)
    gc.collect()
    gc.freeze()


def fork_context():
    """The fork start method where it is safe (Linux), which lets workers inherit the prepared pipeline
    and the launched LibreOffices; None elsewhere (each worker then prepares and starts its own)."""
    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


def die_with(parent: int) -> None:
    """End this worker as soon as `parent` is gone, even by kill -9: Linux sends it SIGKILL
    (PR_SET_PDEATHSIG); elsewhere, and as a second line, a thread looks for the parent every second."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):            # not Linux
        pass
    if not is_alive(parent):                    # it died before the line above took effect
        os._exit(1)
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()


PR_SET_PDEATHSIG = 1


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def watch_parent(parent: int) -> None:
    while is_alive(parent):
        time.sleep(1)
    os._exit(1)


def build_in_worker(files: list[str], options: BuildOptions) -> list[UnitResult]:
    from generator.build.units import build_group  # imported by start_worker already: the coordinating process never does
    results = build_group(files, options)
    release_free_memory()
    return results


def release_free_memory() -> None:
    """Give the heap that the units freed back to the system (glibc keeps it otherwise), so that each
    worker's memory falls back between groups and the workers' peaks add up less."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def results_from_pool(groups: list[list[str]], options: BuildOptions, workers: int) -> Iterator[UnitResult]:
    """Each group's results, built by `workers` processes. Where they are forked and lay documents out,
    their LibreOffices are launched first and the pipeline is prepared meanwhile, so that the one's
    start-up overlaps the other; the workers adopt them, and the build lets go of them once the
    workers exist."""
    context = fork_context()
    launched = servers.launch_layout_servers(options, workers) if context else []
    if launched:                        # without LibreOffices to wait for, the workers prepare it side by side: sooner
        prepare_pipeline(groups[0][0], options)
    slots = context.Value("i", 0) if launched else None     # numbers the workers, for each to take one
    futures = []
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker,
                                 initargs=(os.getpid(), options, launched, slots)) as pool:
            futures = [pool.submit(build_in_worker, group, options) for group in groups]
            for server in launched:     # forked by now (a worker forked later starts its own: adopt_layout_server)
                server.let_go()
            try:
                for group, future in zip(groups, futures):
                    try:
                        yield from future.result()
                    except BrokenProcessPool:       # a worker was killed (out of memory, a signal): its units fail
                        yield from (UnitResult(file, FAILED, (error(Pos(file), WORKER_DIED).format(),), reason="生成失败")
                                    for file in group)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:                            # the workers are gone, and have ended theirs; after an interruption, no waiting
        finished = all(future.done() for future in futures)
        for server in launched:
            server.reap(libreoffice.CLOSE_TIMEOUT if finished else 0)


WORKER_DIED = "生成此单位的进程意外终止（可能是内存不足或被系统结束），请重试；如再次出现，请用 -j 1 单独生成它"
