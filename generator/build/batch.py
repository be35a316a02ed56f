"""`budgetdoc build` over many units: skip what is up to date, build the rest in parallel, report in order.

    plan: hash each unit file's bytes, compare its key with the cache (no YAML parsing)
    → build the out-of-date units into the staging folder, `jobs` worker processes at a time
      (jobs=1: in this process) → report every unit in input order
    → the rules across units (two units making one file; L07, as in `check`)
    → move the documents into place → record the new keys → summary

A unit with errors is reported and skipped; the others are still built. The report is the same
whatever order the workers finish in; only 用时 differs between runs. The output folder is locked
for the run (build/output.py), and workers die with the build, however it ends.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from generator import libreoffice
from generator.analysis.across import UnitSummary, problems_across_units
from generator.build.cache import MAX_FILE_BYTES, KeyMaker, cache_id, is_up_to_date, load_cache, save_cache, source_digest
from generator.build.outcome import BUILT, FAILED, UNCHANGED, BuildOptions, UnitResult
from generator.build.output import output_folder
from generator.build.progress import make_progress, status_text
from generator.core.files import FileRefused, os_error_words, read_regular_file
from generator.core.problems import Exit, Pos, error, has_errors, print_problems
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
              toc_pages: bool = True, jobs: int = 1, force: bool = False, stream=None, problems=()) -> int:
    """Build `files` into `out_dir`; `problems` are the search's own (folders that could not be read)."""
    stream = stream or sys.stderr
    started = time.monotonic()
    with output_folder(out_dir, stream) as folder:
        print_problems(problems, sys.stdout)
        units, departments = units_and_departments(dict.fromkeys(files))
        options = BuildOptions(str(out_dir), pdf, strict, toc_pages, str(folder.staging), keep_data=bool(departments))
        keys = KeyMaker.for_run(pdf, (pdf or toc_pages) and libreoffice.find_soffice() is not None)
        cached = {} if force else load_cache(out_dir)
        tasks = [plan_unit(path, keys, cached, options) for path in units + departments]
        results = run_and_report(tasks, options, jobs, stream, keys)
    print_summary(results, time.monotonic() - started, stream)
    failed = has_errors(problems) or any(r.status == FAILED for r in results)
    return Exit.DATA if failed else Exit.OK


def units_and_departments(files) -> tuple[list[Path], list[Path]]:
    """The unit files and the department files, each in run order. Departments are built last: with
    any in the run, the units' builds keep their data for them (build/stored.py)."""
    def is_department(path: Path) -> bool:
        try:
            return is_department_file(read_regular_file(path, MAX_FILE_BYTES))
        except FileRefused:
            return False
    kinds = [(path, is_department(path)) for path in files]
    return [p for p, d in kinds if not d], [p for p, d in kinds if d]


def plan_unit(path: Path, keys: KeyMaker, cached: dict, options: BuildOptions) -> Task:
    """Hash the unit file; when the cache holds the same key and the outputs exist, it is done already."""
    try:
        digest = source_digest(path, read_regular_file(path, MAX_FILE_BYTES))
    except FileRefused:
        return Task(str(path), "")      # the build reports why it cannot be read
    entry = cached.get(cache_id(path))
    out_dir = Path(options.out_dir)
    if not entry or not is_up_to_date(entry, keys.key(digest, entry["pack"]), out_dir, options.strict):
        return Task(str(path), digest)
    return Task(str(path), digest, unchanged_result(str(path), entry, out_dir))


def unchanged_result(file: str, entry: dict, out_dir: Path) -> UnitResult:
    """The cached unit's result, its warnings shown again under the name it is given now."""
    old = entry["file"]
    lines = tuple(file + line[len(old):] if line.startswith(old + ":") else line for line in entry["problems"])
    outputs = tuple(str(out_dir / name) for name in entry["outputs"])
    summary = UnitSummary.from_json(entry["summary"])
    if summary is not None and summary.file != file:
        summary = renamed(summary, old, file)
    return UnitResult(file, UNCHANGED, lines, outputs, entry["pack"], entry["warnings"], summary=summary)


def renamed(summary: UnitSummary, old: str, new: str) -> UnitSummary:
    def moved(pos: Pos) -> Pos:
        return pos._replace(file=new) if pos.file == old else pos
    names = tuple((kind, code, name, moved(pos)) for kind, code, name, pos in summary.names)
    return replace(summary, file=new, slug_pos=moved(summary.slug_pos), names=names)


def run_and_report(tasks: list[Task], options: BuildOptions, jobs: int, stream, keys: KeyMaker) -> list[UnitResult]:
    """Report each result as it comes (in input order); then the rules across units, which may fail some;
    then move the documents into place and record them in the cache. An interrupted run moves nothing;
    one killed while moving leaves the cache vouching for none of the documents being moved."""
    results: list[UnitResult] = []
    ordered = results_in_order(tasks, options, jobs)
    progress = make_progress(len(tasks), stream)
    try:
        for result in ordered:
            results.append(result)
            progress.report(result)
    finally:
        progress.close()
    results = settled(results, options.strict, stream)
    out_dir, scratch = Path(options.out_dir), Path(options.staging) if options.staging else None
    built = [result for result in results if result.status == BUILT]
    if built:                       # first the cache stops vouching for what is replaced: a kill meanwhile rebuilds it
        save_cache(out_dir, {cache_id(Path(r.file)): None for r in built}, stream, scratch,
                   frozenset(Path(o).name for r in built for o in r.outputs))
    results = [published(result) for result in results]
    save_cache(out_dir, cache_updates(tasks, results, keys), stream, scratch)
    return results


def settled(results: list[UnitResult], strict: bool, stream) -> list[UnitResult]:
    """The results after the rules across units (analysis/across.py), which see every unit of the run."""
    found: dict[str, list] = {}
    for problem in problems_across_units([r.summary for r in results if r.summary is not None]):
        found.setdefault(problem.pos.file, []).append(problem)
    return [settled_unit(result, found.get(result.file, []), strict, stream) for result in results]


def settled_unit(result: UnitResult, problems: list, strict: bool, stream) -> UnitResult:
    """A unit with an error across units, or a warning under --strict, is not put in place; its problems
    are printed now."""
    if not problems:
        return result
    lines = tuple(p.format() for p in problems)
    for line in lines:
        print(line, file=sys.stdout)
    result = replace(result, across=lines)
    refused = has_errors(problems) or (strict and any(p.severity == "warning" for p in problems))
    if refused and result.status != FAILED:
        result = replace(result, status=FAILED, staged=(), reason="与其他单位冲突" if has_errors(problems) else "数据有警告")
        print(status_text(result), file=stream)
    return result


def published(result: UnitResult) -> UnitResult:
    """A built unit's staged files moved into the output folder, each in one piece (a rename)."""
    if result.status != BUILT:
        return result
    for staged, output in zip(result.staged, result.outputs):
        if staged == output:
            continue
        try:
            os.replace(staged, output)
        except OSError as exc:
            message = error(Pos(result.file), f"无法写入 {Path(output).name}：{os_error_words(exc)}").format()
            print(message, file=sys.stdout)
            return replace(result, status=FAILED, lines=result.lines + (message,), reason="生成失败")
    return result


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
        from generator.build.workers import results_from_pool
        built = results_from_pool(groups, options, workers)
    return merged(tasks, built)


def built_here(groups: list[list[str]], options: BuildOptions) -> Iterator[UnitResult]:
    """The groups built in this process, one after the other; its LibreOffice, started before the
    pipeline is imported (the one's start-up overlaps the other), is ended at the end."""
    from generator.build.servers import close_layout_server, start_layout_server
    try:
        start_layout_server(options)
        from generator.build.units import build_group  # only when there is work
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
                "warnings": result.warnings, "summary": result.summary.as_json() if result.summary else None}
    return updates


def print_summary(results: list[UnitResult], seconds: float, stream) -> None:
    count = {s: sum(1 for r in results if r.status == s) for s in (BUILT, UNCHANGED, FAILED)}
    print(f"完成：生成 {count[BUILT]} 个，未变化 {count[UNCHANGED]} 个，失败 {count[FAILED]} 个，"
          f"用时 {seconds:.1f} 秒", file=stream)
    failed = [r.file for r in results if r.status == FAILED]
    if failed:
        print("失败的单位：" + "、".join(failed), file=stream)
