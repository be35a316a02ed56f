"""`budgetdoc build` over many units: skip what is up to date, build the rest in parallel, report in order.

    plan: hash each unit file's bytes, compare its key with the cache (no YAML parsing)
    → build the out-of-date units, `jobs` worker processes at a time (jobs=1: in this process)
    → report every unit in input order → record the new keys → summary

A unit with errors is reported and skipped; the others are still built. The report is the same
whatever order the workers finish in; only 用时 differs between runs.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing.util
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator import libreoffice
from generator.build.cache import KeyMaker, cache_id, file_digest, is_up_to_date, load_cache, save_cache
from generator.build.outcome import BUILT, FAILED, UNCHANGED, BuildOptions, UnitResult
from generator.build.progress import make_progress
from generator.core.problems import Exit
from generator.source.kinds import is_department_file


@dataclass(frozen=True)
class Task:
    """One unit file of the run; `done` is its result when its document is already up to date."""
    file: str
    yaml_digest: str
    done: UnitResult | None = None


def default_jobs() -> int:
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return count or 1


def select_shard(files: list[Path], index: int, count: int) -> list[Path]:
    """Shard `index` of `count` (1-based): every count-th file by sorted path, the same on every machine."""
    ordered = sorted(files, key=lambda p: p.as_posix())
    return [path for n, path in enumerate(ordered) if n % count == index - 1]


def build_all(files: list[Path], out_dir: Path, pdf: bool = False, strict: bool = False,
              toc_pages: bool = True, jobs: int = 1, force: bool = False, stream=None) -> int:
    stream = stream or sys.stderr
    started = time.monotonic()
    out_dir.mkdir(parents=True, exist_ok=True)
    options = BuildOptions(str(out_dir), pdf, strict, toc_pages)
    keys = KeyMaker.for_run(pdf, (pdf or toc_pages) and libreoffice.find_soffice() is not None)
    cached = {} if force else load_cache(out_dir)
    tasks = [plan_unit(path, keys, cached, options) for path in departments_last(dict.fromkeys(files))]
    results = run_and_report(tasks, options, jobs, stream, keys)
    print_summary(results, time.monotonic() - started, stream)
    return Exit.DATA if any(r.status == FAILED for r in results) else Exit.OK


def departments_last(files) -> list[Path]:
    """Units first, then departments: a department's build reuses what its units' builds stored."""
    def is_department(path: Path) -> bool:
        try:
            with open(path, "rb") as stream:
                return is_department_file(stream.read(256 * 1024))
        except OSError:
            return False
    return sorted(files, key=is_department)


def plan_unit(path: Path, keys: KeyMaker, cached: dict, options: BuildOptions) -> Task:
    """Hash the unit file; when the cache holds the same key and the outputs exist, it is done already."""
    try:
        digest = file_digest(path, path.read_bytes())
    except OSError:
        return Task(str(path), "")      # the build reports why it cannot be read
    entry = cached.get(cache_id(path))
    out_dir = Path(options.out_dir)
    if not entry or not is_up_to_date(entry, keys.key(digest, entry.get("pack", "")), out_dir, options.strict):
        return Task(str(path), digest)
    return Task(str(path), digest, unchanged_result(str(path), entry, out_dir))


def unchanged_result(file: str, entry: dict, out_dir: Path) -> UnitResult:
    """The cached unit's result, its warnings shown again under the name it is given now."""
    old = entry.get("file", file)
    lines = tuple(file + line[len(old):] if line.startswith(old + ":") else line for line in entry.get("problems", ()))
    outputs = tuple(str(out_dir / name) for name in entry["outputs"])
    return UnitResult(file, UNCHANGED, lines, outputs, entry.get("pack", ""), entry.get("warnings", 0))


def run_and_report(tasks: list[Task], options: BuildOptions, jobs: int, stream, keys: KeyMaker) -> list[UnitResult]:
    """Report each result as it comes (in input order); record what was built even when interrupted."""
    results: list[UnitResult] = []
    ordered = results_in_order(tasks, options, jobs)
    progress = make_progress(len(tasks), stream)
    try:
        for result in ordered:
            results.append(result)
            progress.report(result)
    finally:
        progress.close()
        save_cache(Path(options.out_dir), cache_updates(tasks, results, keys))
    return results


def results_in_order(tasks: list[Task], options: BuildOptions, jobs: int) -> Iterator[UnitResult]:
    todo = [task.file for task in tasks if task.done is None]
    if not todo:
        return iter([task.done for task in tasks if task.done is not None])
    workers = min(jobs, len(todo))
    groups = grouped(todo, group_count(len(todo), workers, options))
    built: Iterator[UnitResult]
    if workers <= 1:
        built = built_here(groups, options)
    else:
        built = results_from_pool(groups, options, workers)
    return merged(tasks, built)


def built_here(groups: list[list[str]], options: BuildOptions) -> Iterator[UnitResult]:
    """The groups built in this process, one after the other; its LibreOffice is ended at the end."""
    from generator.build.units import build_group, close_layout_server, start_layout_server  # only when there is work
    start_layout_server(options)
    try:
        for group in groups:
            yield from build_group(group, options)
    finally:
        close_layout_server()


def group_count(count: int, workers: int, options: BuildOptions) -> int:
    """How many groups the units are built in. One by one, unless LibreOffice lays them out by
    `soffice --convert-to` runs (no python3-uno): then a few units at a time, so that one run lays out
    several documents (starting it costs about as much as laying out one), in a multiple of `workers`
    groups so that the workers get even shares. With python3-uno each worker keeps one LibreOffice
    for all its units, so units go one by one to whichever worker is free."""
    if not (options.pdf or options.toc_pages) or libreoffice.find_soffice() is None or libreoffice.uno_python():
        return count
    rounds = -(-count // (LAYOUT_GROUP * workers))
    return min(count, rounds * workers)


LAYOUT_GROUP = 4                # units a soffice --convert-to run lays out, at most


def grouped(files: list[str], count: int) -> list[list[str]]:
    """`files` in `count` consecutive groups whose sizes differ by one at most."""
    size, larger = divmod(len(files), count)
    bounds = [n * size + min(n, larger) for n in range(count + 1)]
    return [files[start:end] for start, end in zip(bounds, bounds[1:])]


def merged(tasks: list[Task], built: Iterator[UnitResult]) -> Iterator[UnitResult]:
    """Every task's result in task order: the cached ones as they are, the others as they are built."""
    for task in tasks:
        yield task.done or next(built)


def start_worker(options: BuildOptions) -> None:
    """Import the pipeline and the writer once, then move what they keep alive (pypinyin's ~190k objects)
    out of the garbage collector's sight: every full collection would walk them again. The worker's
    LibreOffice, if it starts one, is ended as the worker exits."""
    from generator.build import units as build
    multiprocessing.util.Finalize(None, build.close_layout_server, exitpriority=10)
    build.start_layout_server(options)
    gc.collect()
    gc.freeze()


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
    with ProcessPoolExecutor(max_workers=workers, initializer=start_worker, initargs=(options,)) as pool:
        futures = [pool.submit(build_in_worker, group, options) for group in groups]
        try:
            for future in futures:
                yield from future.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def cache_updates(tasks: list[Task], results: list[UnitResult], keys: KeyMaker) -> dict[str, dict | None]:
    """New entries for the units just built; failed units are taken out; unchanged ones are left alone."""
    updates: dict[str, dict | None] = {}
    for task, result in zip(tasks, results):
        if result.status == FAILED:
            updates[cache_id(Path(task.file))] = None
        elif result.status == BUILT and task.yaml_digest:
            updates[cache_id(Path(task.file))] = {
                "key": keys.key(task.yaml_digest, result.pack), "pack": result.pack, "file": task.file,
                "outputs": [Path(o).name for o in result.outputs], "problems": list(result.lines),
                "warnings": result.warnings}
    return updates


def print_summary(results: list[UnitResult], seconds: float, stream) -> None:
    count = {s: sum(1 for r in results if r.status == s) for s in (BUILT, UNCHANGED, FAILED)}
    print(f"完成：生成 {count[BUILT]} 个，未变化 {count[UNCHANGED]} 个，失败 {count[FAILED]} 个，"
          f"用时 {seconds:.1f} 秒", file=stream)
    failed = [r.file for r in results if r.status == FAILED]
    if failed:
        print("失败的单位：" + "、".join(failed), file=stream)
