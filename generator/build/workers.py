"""The worker processes of a parallel build: started once, dying with the build however it ends.

Each worker imports the pipeline once (start_worker), builds the groups it is handed and gives its
freed memory back between them. Linux kills it the moment the build dies (PR_SET_PDEATHSIG, kill -9
included); elsewhere, and as a second line, a thread looks for the build every second. A worker that
is killed (out of memory, a signal) fails the units of its group; the others go on.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing.util
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from generator.build.outcome import FAILED, BuildOptions, UnitResult
from generator.core.problems import Pos, error


def start_worker(parent: int, options: BuildOptions) -> None:
    """Die with the build (`parent`), however it ends; import the pipeline and the writer once, then move
    what they keep alive (pypinyin's ~190k objects) out of the garbage collector's sight: every full
    collection would walk them again. The worker's LibreOffice, if it starts one, is ended as the
    worker exits (and by the worker's guardian, should it be killed); it is started first, so that its
    start-up overlaps the import."""
    die_with(parent)
    from generator.build import servers
    multiprocessing.util.Finalize(None, servers.close_layout_server, exitpriority=10)
    servers.start_layout_server(options)
    from generator.build import units  # noqa: F401 — the pipeline, imported once for every group
    gc.collect()
    gc.freeze()


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
    with ProcessPoolExecutor(max_workers=workers, initializer=start_worker, initargs=(os.getpid(), options)) as pool:
        futures = [pool.submit(build_in_worker, group, options) for group in groups]
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


WORKER_DIED = "生成此单位的进程意外终止（可能是内存不足或被系统结束），请重试；如再次出现，请用 -j 1 单独生成它"
