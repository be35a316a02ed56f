"""budgetdoc benchmark (issue 6): how long builds take, how much memory, and how far from the floor.

    python benchmarks/bench.py                      # N = 1, 100, 500 synthetic units
    python benchmarks/bench.py --sizes 1,20         # quick check (see benchmarks/README.md)
    python benchmarks/bench.py --jobs 4 --keep      # pass -j 4 to budgetdoc build; keep the temp folder

For each N it writes N synthetic units (benchmarks/synth.py, seeded: every run builds the same
files) into a temporary folder and runs, as a subprocess of this checkout's code,

    python -m generator build UNITS -o OUT --no-toc-pages [-j JOBS]     (without --no-toc-pages with --toc-pages)

twice: a cold build (OUT does not exist) and a rebuild with nothing changed (the same command
again — whatever the second run costs, with or without an incremental cache). It reports wall
time, time per unit, the peak RSS of the largest single process (wait4's rusage, the same figure
as RUSAGE_CHILDREN gives for that run) and the peak total RSS of the whole process tree (sampled
from /proc every 20 ms, so it can miss a very short peak).

Then, in this process, the seed unit: analyse + document_of + docx_bytes, median of --repeat runs;
and the floor: python-docx alone writing a document with the same paragraphs, tables and cells
(read back from our own output), saved to memory. The ratio ours / floor says how much the
writer adds on top of python-docx itself.
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

SEED_UNIT = ROOT / "units" / "datong-ggzyjy" / "2026.yaml"
MAXRSS_KB = 1 if sys.platform.startswith("linux") else 1 / 1024     # ru_maxrss: KiB on Linux, bytes on macOS


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# measuring a subprocess ---------------------------------------------------------------------------

def child_pids(pid: int) -> list[int]:
    """The direct children of `pid`, from /proc/<pid>/task/*/children (or a scan of /proc/*/stat)."""
    try:
        found: list[int] = []
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found += [int(p) for p in f.read().split()]
        return found
    except OSError:
        pass
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def tree_rss(root: int) -> tuple[int, int]:
    """(total resident bytes, number of processes) of `root` and all its descendants, now."""
    page = os.sysconf("SC_PAGE_SIZE")
    total, count, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * page
            count += 1
        except (OSError, IndexError, ValueError):
            continue
        stack += child_pids(pid)
    return total, count


class TreeSampler(threading.Thread):
    """Samples the process tree's total RSS until stopped; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_bytes, self.peak_procs = 0, 0
        self.available = os.path.isdir(f"/proc/{os.getpid()}")
        self.done = threading.Event()

    def run(self) -> None:
        while self.available and not self.done.is_set():
            rss, procs = tree_rss(self.pid)
            self.peak_bytes = max(self.peak_bytes, rss)
            self.peak_procs = max(self.peak_procs, procs)
            self.done.wait(self.interval)

    def stop(self) -> None:
        self.done.set()
        self.join()


@dataclass
class Run:
    seconds: float
    returncode: int
    maxrss_mb: float | None          # the largest single process of the tree (wait4 / RUSAGE_CHILDREN)
    tree_peak_mb: float | None       # sampled sum over the tree
    tree_procs: int
    cpu_seconds: float | None = None # user + system of the process and every descendant it waited for


def run_measured(cmd: list[str], log_path: Path, sample: bool = True) -> Run:
    """Run `cmd`: its wall time, exit code, CPU and peak memory. Without `sample`, no thread samples the
    tree's memory meanwhile (it takes about 6 % of a core, which a run that keeps every core busy
    pays in wall time): for timings compared with a run measured the same way."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    with open(log_path, "ab") as out:
        out.write(("$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        sampler = TreeSampler(proc.pid)
        sampler.available = sampler.available and sample
        sampler.start()
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            maxrss, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        else:                                            # no wait4: RUSAGE_CHILDREN is cumulative over runs
            proc.wait()
            maxrss, cpu = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before.ru_maxrss), None
        seconds = time.perf_counter() - started
        sampler.stop()
    return Run(seconds, proc.returncode, maxrss * MAXRSS_KB / 1024,
               sampler.peak_bytes / 2**20 if sampler.available else None, sampler.peak_procs, cpu)


def build_command(units: Path, out: Path, jobs: int | None, toc_pages: bool = False, pdf: bool = False) -> list[str]:
    cmd = [sys.executable, "-m", "generator", "build", str(units), "-o", str(out)]
    return (cmd + ([] if toc_pages else ["--no-toc-pages"]) + (["--pdf"] if pdf else [])
            + (["-j", str(jobs)] if jobs else []))


def seed_copies(folder: Path, count: int) -> list[Path]:
    """`count` copies of the seed unit, each under its own slug: folder/seed-NNNN/2026.yaml."""
    text = SEED_UNIT.read_text(encoding="utf-8")
    paths = []
    for index in range(count):
        path = folder / f"seed-{index:04d}" / "2026.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("slug: datong-ggzyjy", f"slug: seed-{index:04d}", 1), encoding="utf-8")
        paths.append(path)
    return paths


# the floor of a build with LibreOffice: bare soffice --convert-to pdf of the finished files ----------

def bare_soffice_seconds(docxs: list[Path], processes: int, out: Path, options: dict | None = None) -> tuple[float, float | None]:
    """Wall time of `soffice --headless --convert-to pdf` of `docxs`, split into `processes` runs at
    once (each with its own profile and the build's font aliases, and LibreOffice's own allocator, as
    a user's soffice runs: not the build's, libreoffice.layout_environment), as many as the build has workers;
    and the CPU time (user + system) they took. Each profile starts as the build's do, from the kept
    start of a used one (generator/libreoffice_profile.py), as a user's soffice starts on their own
    used profile: neither side pays LibreOffice's first start. `options`: the export filter's (the
    build's own for the published PDF, to show what tagging costs; the target compares with plain pdf)."""
    from generator import libreoffice, libreoffice_profile
    soffice = libreoffice.find_soffice()
    if soffice is None:
        raise SystemExit("--toc-pages 需要 LibreOffice（soffice）")
    shares = [docxs[n::processes] for n in range(processes)]
    profiles = [Path(tempfile.mkdtemp(prefix="budgetdoc-bench-soffice-")) for _ in shares]
    for profile in profiles:
        libreoffice_profile.seed(profile, soffice)      # kept by the build that ran just before
    started = time.perf_counter()
    runs = [subprocess.Popen([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                              "--convert-to", libreoffice.convert_to_pdf(options), "--outdir", str(out), *map(str, share)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=libreoffice.conversion_environment(profile))
            for share, profile in zip(shares, profiles) if share]
    cpu: float | None = 0.0
    for run in runs:
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(run.pid, 0)
            run.returncode = os.waitstatus_to_exitcode(status)
            cpu = None if cpu is None else cpu + usage.ru_utime + usage.ru_stime
        else:
            run.wait()
            cpu = None
    seconds = time.perf_counter() - started
    for profile in profiles:
        shutil.rmtree(profile, ignore_errors=True)
    converted = len(list(out.glob("*.pdf")))
    if converted != len(docxs):
        log(f"  警告：soffice 只转换了 {converted}/{len(docxs)} 个文件")
    return seconds, cpu


def allocator_words() -> str:
    from generator import libreoffice
    chosen = libreoffice.faster_allocator()                 # each as the environment sets it, if it does
    return " ".join(f"{name}={os.environ.get(name, value)}" for name, value in chosen.items()) or "its default allocator"


def build_supports_jobs() -> bool:
    helped = subprocess.run([sys.executable, "-m", "generator", "build", "--help"], cwd=ROOT,
                            capture_output=True, text=True)
    return "--jobs" in helped.stdout or " -j" in helped.stdout


def check_summary(units: Path) -> str:
    """`budgetdoc check` on the folder: its summary line (errors must be 0)."""
    done = subprocess.run([sys.executable, "-m", "generator", "check", str(units)], cwd=ROOT,
                          capture_output=True, text=True)
    lines = [l for l in done.stderr.splitlines() if l.startswith("检查了")]
    return (lines[-1] if lines else done.stderr.strip()[-200:]) + f"（退出码 {done.returncode}）"


# in process: the seed unit and the python-docx floor ----------------------------------------------

def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def time_seed(repeat: int) -> tuple[dict, bytes]:
    """Median ms of analyse, document_of, docx_bytes and their sum over `repeat` runs (after one warm-up)."""
    from generator.analysis.pipeline import analyse
    from generator.docx.writer import docx_bytes
    from generator.pack.unit import document_of
    display = str(SEED_UNIT.relative_to(ROOT))
    stages: dict[str, list[float]] = {"analyse": [], "document_of": [], "docx_bytes": [], "total": []}
    data = b""
    for n in range(repeat + 1):
        t0 = time.perf_counter()
        analysis = analyse(SEED_UNIT, display)
        t1 = time.perf_counter()
        if not analysis.ok:
            raise SystemExit("种子单位没有通过检查：\n" + "\n".join(p.format() for p in analysis.problems))
        doc = document_of(analysis)
        t2 = time.perf_counter()
        data = docx_bytes(doc)
        t3 = time.perf_counter()
        if n:                                            # run 0 warms the caches (catalogue, pack, imports)
            for key, seconds in (("analyse", t1 - t0), ("document_of", t2 - t1), ("docx_bytes", t3 - t2),
                                 ("total", t3 - t0)):
                stages[key].append(seconds)
    return {k: median_ms(v) for k, v in stages.items()}, data


@dataclass
class Shape:
    paragraphs: list           # body paragraph texts
    tables: list               # per table: rows of cell texts (one per grid column)

    @property
    def cells(self) -> int:
        return sum(len(t) * max(len(r) for r in t) for t in self.tables if t)


def shape_of(docx_file) -> Shape:
    """The body paragraphs and tables of a .docx, as python-docx reads them back."""
    import docx
    document = docx.Document(docx_file)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return Shape([p.text for p in document.paragraphs], [t for t in tables if t])


def floor_once(shape: Shape) -> bytes:
    """python-docx alone: add_paragraph × P, add_table(rows, cols) with each cell's text, save."""
    import docx
    document = docx.Document()
    for text in shape.paragraphs:
        document.add_paragraph(text)
    for grid in shape.tables:
        cols = max(len(r) for r in grid)
        table = document.add_table(rows=len(grid), cols=cols)
        for row, texts in zip(table.rows, grid):
            for cell, text in zip(row.cells, texts):
                cell.text = text
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def time_floor(shape: Shape, repeat: int) -> float:
    floor_once(shape)                                    # warm-up
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        floor_once(shape)
        samples.append(time.perf_counter() - t0)
    return median_ms(samples)


# the report ---------------------------------------------------------------------------------------

def fmt(value, spec: str = ".1f", none: str = "n/a") -> str:
    return none if value is None else format(value, spec)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "  ".join(str(c).rjust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


# workbooks (issue 14) -----------------------------------------------------------------------------

EXPORT_UNITS = 100


def time_workbooks(pool_paths: list[Path], workdir: Path, count: int, jobs: int | None, repeat: int) -> dict:
    """`budgetdoc export` of `count` synthetic units as a subprocess (cold, wall time), and in process the
    import of one synthetic unit's workbook and of the seed's: read, solve, compose and check the unit
    file (median of `repeat`, after one warm-up)."""
    from generator.commands.importing import checked_text
    from generator.workbook.importing import import_workbook
    units, out = workdir / f"export-units-{count}", workdir / f"export-{count}"
    shutil.rmtree(units, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    for path in pool_paths[:count]:
        shutil.copytree(path.parent, units / path.parent.name)
    cmd = [sys.executable, "-m", "generator", "export", str(units), "-o", str(out)] + (["-j", str(jobs)] if jobs else [])
    run = run_measured(cmd, workdir / "export.log")
    books = sorted(out.glob("*.xlsx"))
    seed_out = workdir / "export-seed"
    subprocess.run([sys.executable, "-m", "generator", "export", str(SEED_UNIT), "-o", str(seed_out)], cwd=ROOT,
                   capture_output=True, check=True)
    timings = {}
    for name, book in (("synthetic", books[0]), ("seed", seed_out / "datong-ggzyjy-2026.xlsx")):
        target = workdir / "imported" / name / "2026.yaml"
        samples = []
        for n in range(repeat + 1):
            t0 = time.perf_counter()
            imported = import_workbook(book, None, str(book))
            checked_text(imported, "bench-unit", imported.year or 0, target, str(book))
            if n:
                samples.append(time.perf_counter() - t0)
        timings[name] = median_ms(samples)
    return {"run": run, "written": len(books), "count": count, "import_ms": timings}


# departments (issue 13) ---------------------------------------------------------------------------

DEPARTMENT_UNITS = 50
DEPARTMENT_TARGET = 2.0         # s: a department of 50 units beyond its units' own builds


def time_department(pool_paths: list[Path], workdir: Path, count: int, jobs: int | None) -> dict:
    """A department of `count` synthetic units: the cold build of the units alone, then of the units
    and the department (in one folder each), and the department alone once its units are built
    (its file edited, the units unchanged: what a finance office's commit to it costs)."""
    units, together = workdir / f"department-units-{count}", workdir / f"department-{count}"
    for folder in (units, together):
        shutil.rmtree(folder, ignore_errors=True)
        for path in pool_paths[:count]:
            shutil.copytree(path.parent, folder / path.parent.name)
    department = synth.write_department(together, [p.parent.name for p in pool_paths[:count]])
    alone = run_measured(build_command(units, workdir / f"department-out-units-{count}", jobs), workdir / "department.log")
    both = run_measured(build_command(together, workdir / f"department-out-{count}", jobs), workdir / "department.log")
    with department.open("a", encoding="utf-8") as stream:
        stream.write("# edited\n")
        stream.flush()
    again = run_measured(build_command(together, workdir / f"department-out-{count}", jobs), workdir / "department.log")
    return {"count": count, "units": alone, "both": both, "department": again}


def load_average() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


TARGET_UNITS = 500


LAYOUT_TARGET = 1.2             # issue 15: a build with LibreOffice ≤ 1.2 × bare soffice of the same files


def target_rows(seed_total_ms: float, runs: dict, ratio: float, layout_ratios: dict) -> list[list[str]]:
    """Each target of issues 6 and 15 with what this run measured (the seed's and the 100 units'
    as the later issues kept them); a build target not measured (no such N in --sizes) reads n/a."""
    if layout_ratios:
        return [[f"N={n}: build / bare soffice --convert-to pdf (median)", f"≤ {LAYOUT_TARGET}", f"{ratio_n:.2f}",
                 "yes" if ratio_n <= LAYOUT_TARGET else "NO"] for n, ratio_n in layout_ratios.items()]
    cold, again = runs.get(TARGET_UNITS, (None, None))
    hundred = runs.get(100, (None, None))[0]
    rows = [("seed unit in process, ms", 100, seed_total_ms),
            ("100 units from cold, s", 10, hundred and hundred.seconds),
            (f"{TARGET_UNITS} units from cold, s", 60, cold and cold.seconds),
            (f"{TARGET_UNITS} units, nothing changed, s", 3, again and again.seconds),
            ("ratio to the python-docx floor", 2.0, ratio),
            (f"peak memory of the {TARGET_UNITS}-unit build, MB (tree)", 500, cold and cold.tree_peak_mb)]
    return [[name, f"≤ {limit}", fmt(value, ".2f"), "n/a" if value is None else ("yes" if value <= limit else "NO")]
            for name, limit, value in rows]


def parse_sizes(text: str) -> list[int]:
    sizes = [int(x) for x in text.split(",") if x.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("--sizes: positive integers separated by commas, e.g. 1,100,500")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="budgetdoc 性能测试：冷构建、无改动重建、内存、单文档耗时与 python-docx 下限之比")
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("1,100,500"),
                        help="合成单位个数，逗号分隔（默认 1,100,500）")
    parser.add_argument("--jobs", type=int, default=None,
                        help="传给 budgetdoc build 的 -j（默认不传，用 build 自己的默认值）")
    parser.add_argument("--repeat", type=int, default=10, help="进程内计时的重复次数，取中位数（默认 10）")
    parser.add_argument("--seed", type=int, default=2026, help="合成数据的随机种子（默认 2026）")
    parser.add_argument("--check", action="store_true", help="构建前先对每组单位运行 budgetdoc check")
    parser.add_argument("--toc-pages", action="store_true",
                        help="构建时由 LibreOffice 排版填写目录页码（budgetdoc build 的默认做法；每个单位要几秒，宜配小的 --sizes），"
                             "并与同一批 .docx 直接用 soffice --convert-to pdf 转换（进程数与 build 的并行数相同）的用时相比")
    parser.add_argument("--pdf", action="store_true", help="构建时同时生成 PDF（budgetdoc build --pdf；与 --toc-pages 同用）")
    parser.add_argument("--seed-copies", action="store_true", help="用种子单位的副本代替合成单位（每个约 34 页）")
    parser.add_argument("--rounds", type=int, default=1,
                        help="与 --toc-pages 同用：冷构建与直接用 soffice 转换交替做几轮，"
                             "报告每轮的比值和中位数（默认 1；机器繁忙时宜取 3）")
    parser.add_argument("--bare-tagged", action="store_true",
                        help="与 --pdf 同用：每轮再按构建的 PDF 选项（带标签、PDF/A、PDF/UA）直接转换一次，报告与它的比值"
                             "（目标仍按普通 pdf 的比值）")
    parser.add_argument("--workdir", type=Path, default=None, help="工作文件夹（默认临时文件夹，结束后删除）")
    parser.add_argument("--keep", action="store_true", help="保留工作文件夹（单位文件、输出和日志）")
    parser.add_argument("--department", type=int, default=DEPARTMENT_UNITS,
                        help=f"部门预算计时：由多少个合成单位组成一个部门（默认 {DEPARTMENT_UNITS}；0 不测）")
    parser.add_argument("--export-units", type=int, default=EXPORT_UNITS,
                        help=f"导出为工作簿计时的合成单位个数（默认 {EXPORT_UNITS}；0 不测）")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.rounds < 1:
        parser.error("--repeat 和 --rounds 至少为 1")

    started = time.perf_counter()
    load_before = load_average()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="budgetdoc-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    build_log = workdir / "build.log"
    if args.jobs and not build_supports_jobs():
        log(f"注意：这一版 budgetdoc build 没有 -j 选项，忽略 --jobs {args.jobs}")
        args.jobs = None

    log(f"生成 {max(args.sizes)} 个{'种子单位副本' if args.seed_copies else f'合成单位（seed {args.seed}）'}到 {workdir} …")
    t0 = time.perf_counter()
    pool = workdir / "pool"
    count = max(args.sizes + [args.export_units, args.department])
    pool_paths = seed_copies(pool, count) if args.seed_copies else synth.write_units(pool, count, seed=args.seed)
    log(f"  用时 {time.perf_counter() - t0:.1f} 秒，平均每个 {sum(p.stat().st_size for p in pool_paths) / len(pool_paths) / 1024:.0f} KiB")

    build_rows, checks, synth_doc = [], [], None
    per_unit_ms: dict[int, float] = {}
    runs: dict[int, tuple[Run, Run]] = {}
    layout_rows, layout_ratios = [], {}
    workers = args.jobs or os.cpu_count() or 1
    for n in args.sizes:
        units, out = workdir / f"units-{n}", workdir / f"out-{n}"
        shutil.rmtree(units, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        for path in pool_paths[:n]:
            shutil.copytree(path.parent, units / path.parent.name)
        if args.check:
            log(f"N={n}: budgetdoc check …")
            checks.append((n, check_summary(units)))
        log(f"N={n}: 冷构建 …")
        cold = run_measured(build_command(units, out, args.jobs, args.toc_pages, args.pdf), build_log)
        built = sorted(out.glob("*.docx"))
        log(f"N={n}: 冷构建 {cold.seconds:.1f} 秒，生成 {len(built)} 个；无改动重建 …")
        again = run_measured(build_command(units, out, args.jobs, args.toc_pages, args.pdf), build_log)
        if args.toc_pages and built:
            procs = min(workers, len(built))
            ratios_n = []
            for round_number in range(1, args.rounds + 1):
                bare_out = workdir / f"bare-{n}"
                # Odd rounds build first, even rounds convert first (the files the last build wrote: the
                # same bytes), so that a machine speeding up or slowing down over the run favours neither.
                for step in ("build", "bare") if round_number % 2 else ("bare", "build"):
                    if step == "build":
                        shutil.rmtree(out, ignore_errors=True)   # timed as the bare conversion is: nothing sampling beside it
                        log(f"N={n}: 第 {round_number} 轮冷构建 …")
                        timed = run_measured(build_command(units, out, args.jobs, args.toc_pages, args.pdf), build_log,
                                             sample=False)
                        built = sorted(out.glob("*.docx"))
                    else:
                        log(f"N={n}: 同一批 .docx 直接用 {procs} 个 soffice --convert-to pdf …")
                        shutil.rmtree(bare_out, ignore_errors=True)
                        bare, bare_cpu = bare_soffice_seconds(built, procs, bare_out)
                tagged = None
                if args.pdf and args.bare_tagged:
                    from generator.libreoffice import PDF_OPTIONS
                    shutil.rmtree(bare_out, ignore_errors=True)
                    log(f"N={n}: 同一批 .docx 用 {procs} 个 soffice 按构建的 PDF 选项（带标签、PDF/A、PDF/UA）转换 …")
                    tagged = bare_soffice_seconds(built, procs, bare_out, PDF_OPTIONS)[0]
                ratios_n.append(timed.seconds / bare)
                cpu_ratio = timed.cpu_seconds / bare_cpu if timed.cpu_seconds and bare_cpu else None
                layout_rows.append([str(n), str(round_number), str(procs), f"{timed.seconds:.2f}", f"{bare:.2f}",
                                    f"{ratios_n[-1]:.2f}", fmt(timed.cpu_seconds, ".1f"), fmt(bare_cpu, ".1f"),
                                    fmt(cpu_ratio, ".2f")] + ([fmt(tagged, ".2f"), fmt(tagged and timed.seconds / tagged, ".2f")]
                                                              if args.pdf and args.bare_tagged else []))
                log(f"N={n}: 构建 {timed.seconds:.1f} 秒，soffice {bare:.1f} 秒；比值 {ratios_n[-1]:.2f}")
            layout_ratios[n] = statistics.median(ratios_n)
        if cold.returncode or again.returncode or len(built) != n:
            log(f"  警告：退出码 {cold.returncode}/{again.returncode}，生成 {len(built)}/{n} 个；见 {build_log}")
        per_unit_ms[n] = cold.seconds / n * 1000
        runs[n] = (cold, again)
        log(f"N={n}: 冷构建 {cold.seconds:.1f} 秒（每个 {per_unit_ms[n]:.0f} 毫秒），重建 {again.seconds:.1f} 秒；"
            f"最大单进程 {fmt(cold.maxrss_mb, '.0f')} MB，进程树峰值 {fmt(cold.tree_peak_mb, '.0f')} MB"
            f"（{cold.tree_procs} 个进程）")
        build_rows.append([
            str(n), str(args.jobs or "default"), f"{cold.seconds:.2f}", f"{per_unit_ms[n]:.0f}",
            f"{again.seconds:.2f}", f"{again.seconds / n * 1000:.0f}",
            fmt(cold.maxrss_mb, ".0f"), fmt(cold.tree_peak_mb, ".0f"), str(cold.tree_procs or "n/a"),
            fmt(again.maxrss_mb, ".0f"), f"{len(built)}/{n}" + ("" if cold.returncode == 0 else f" rc={cold.returncode}"),
        ])
        if built and synth_doc is None:
            synth_doc = workdir / "synth-0000.docx"
            shutil.copyfile(built[0], synth_doc)

    log(f"种子单位进程内计时（{args.repeat} 次取中位数）…")
    seed_ms, seed_bytes = time_seed(args.repeat)
    seed_shape = shape_of(io.BytesIO(seed_bytes))
    log("python-docx 下限 …")
    floor_repeat = max(3, args.repeat // 2)             # the floor varies little; spare the quick check
    seed_floor = time_floor(seed_shape, floor_repeat)
    synth_shape = shape_of(synth_doc) if synth_doc else None
    synth_floor = time_floor(synth_shape, floor_repeat) if synth_shape else None

    department = None
    if args.department:
        log(f"部门：{args.department} 个合成单位的部门预算 …")
        department = time_department(pool_paths, workdir, args.department, args.jobs)

    books = None
    if args.export_units:
        log(f"导出 {args.export_units} 个合成单位为工作簿，导入一个工作簿（{args.repeat} 次取中位数）…")
        books = time_workbooks(pool_paths, workdir, args.export_units, args.jobs, args.repeat)

    import docx
    print(f"budgetdoc benchmark — Python {platform.python_version()}, python-docx {getattr(docx, '__version__', '?')}, "
          f"{os.cpu_count()} CPU, {platform.system()} {platform.release()}; "
          f"load average (1/5/15 min) {load_before} at start, {load_average()} at end")
    print(f"synthetic units: seed {args.seed}, mean {sum(p.stat().st_size for p in pool_paths) / len(pool_paths) / 1024:.0f} KiB each; "
          f"build = python -m generator build DIR -o OUT" + ("" if args.toc_pages else " --no-toc-pages")
          + (" --pdf" if args.pdf else "") + (f" -j {args.jobs}" if args.jobs else "")
          + ("; units: copies of the seed" if args.seed_copies else ""))
    print()
    print("Builds (subprocess; cold = empty output folder; rebuild = the same command again, nothing changed)")
    print(table(["N", "jobs", "cold s", "ms/unit", "rebuild s", "ms/unit", "maxRSS MB", "tree MB", "procs",
                 "rebuild maxRSS", "built"], build_rows))
    print("  maxRSS = peak RSS of the largest single process (wait4 rusage, as RUSAGE_CHILDREN); with a process")
    print("  pool that is one worker or the parent, not the sum. tree MB = peak of the summed RSS of the whole")
    print("  process tree, sampled from /proc every 20 ms; procs = most processes seen at once.")
    for n, summary in checks:
        print(f"  check N={n}: {summary}")
    if layout_rows:
        print()
        print("With LibreOffice: the cold build against bare `soffice --headless --convert-to pdf` of the same finished .docx")
        print("files, split over as many soffice processes (run at once) as the build has workers, measured in this run")
        tagged_columns = ["bare tagged s", "ratio to tagged"] if args.pdf and args.bare_tagged else []
        print(table(["N", "round", "soffice procs", "build s", "bare soffice s", "ratio", "build CPU s", "bare CPU s",
                     "CPU ratio"] + tagged_columns, layout_rows))
        if tagged_columns:
            print("  bare tagged = the same bare conversion with the build's export options (tagged PDF/UA, PDF/A-2b,")
            print("  bookmarks), which cost LibreOffice more than plain pdf; the target is the ratio to plain pdf")
        print("  CPU = user + system time of each side's whole process tree (wait4): less moved than wall time by")
        print("  what else the machine runs, so a check on the wall-time ratio")
        print(f"  the build runs LibreOffice with {allocator_words()} (libreoffice.layout_environment); bare soffice")
        print("  runs as installed, with glibc's malloc and only the build's font aliases (the same PDFs)")
        print("  each round: a cold build and the bare conversion of its files, each timed alone (no thread")
        print("  sampling memory beside either), the build first in odd rounds and second in even ones (the")
        print("  files of the build before), so that drift favours neither; the target uses the median ratio")
    print()
    print(f"Seed unit in process (median of {args.repeat}, after one warm-up)")
    print(table(["analyse ms", "document_of ms", "docx_bytes ms", "total ms/doc"],
                [[f"{seed_ms['analyse']:.1f}", f"{seed_ms['document_of']:.1f}", f"{seed_ms['docx_bytes']:.1f}",
                  f"{seed_ms['total']:.1f}"]]))
    print()
    print(f"Floor: python-docx alone (add_paragraph × P, add_table(rows, cols) + every cell's text, save to BytesIO;"
          f" median of {floor_repeat})")
    rows = [["seed", str(len(seed_shape.paragraphs)), str(len(seed_shape.tables)), str(seed_shape.cells),
             f"{seed_floor:.1f}", f"{seed_ms['total']:.1f} (in process)", f"{seed_ms['total'] / seed_floor:.1f}×",
             f"{seed_ms['docx_bytes'] / seed_floor:.1f}×"]]
    if synth_shape:
        largest = max(args.sizes)
        rows.append(["synth-0000", str(len(synth_shape.paragraphs)), str(len(synth_shape.tables)),
                     str(synth_shape.cells), f"{synth_floor:.1f}", f"{per_unit_ms[largest]:.0f} (build N={largest})",
                     f"{per_unit_ms[largest] / synth_floor:.1f}×", "—"])
    print(table(["document", "paragraphs", "tables", "cells", "floor ms", "ours ms/doc", "ratio", "writer only"], rows))
    print("  ratio = ours / floor; writer only = docx_bytes alone / floor. The synthetic row compares wall time")
    print("  per unit of the cold build (all stages, process start-up amortised) with the floor for one such doc.")
    ratios = [seed_ms["total"] / seed_floor] + ([per_unit_ms[max(args.sizes)] / synth_floor] if synth_shape else [])
    print()
    print("Targets (issue 15: with LibreOffice)" if layout_ratios else "Targets (issue 6, for the 2-core development machine)")
    print(table(["target", "limit", "measured", "met"], target_rows(seed_ms["total"], runs, max(ratios), layout_ratios)))
    if department:
        units, both, alone = department["units"], department["both"], department["department"]
        beyond = both.seconds - units.seconds
        print()
        print(f"Department (issue 13): {department['count']} synthetic units and their department file, cold builds (subprocess)")
        print(table(["build", "s", "exit"], [
            [f"the {department['count']} units alone", f"{units.seconds:.2f}", str(units.returncode)],
            ["the units and the department", f"{both.seconds:.2f}", str(both.returncode)],
            ["the department alone (its file edited, units unchanged)", f"{alone.seconds:.2f}", str(alone.returncode)]]))
        print(table(["target", "limit", "measured", "met"], [
            [f"department of {department['count']} units beyond its units' builds, s", f"≤ {DEPARTMENT_TARGET}",
             f"{beyond:.2f}", "yes" if beyond <= DEPARTMENT_TARGET else "NO"]]))
        print("  beyond = (units and department) − (units alone); the department is built after its units,")
        print("  from the data their builds kept (build/stored.py)")
    if books:
        run = books["run"]
        print()
        print("Workbooks (issue 14): export = python -m generator export DIR -o OUT (subprocess, cold); import in process")
        print(f"  exported {books['written']}/{books['count']} workbooks, exit code {run.returncode}, "
              f"peak tree RSS {fmt(run.tree_peak_mb, '.0f')} MB")
        rows = [[f"export {books['count']} synthetic units, s", "≤ 10", f"{run.seconds:.2f}", "yes" if run.seconds <= 10 else "NO"]]
        for name, ms in books["import_ms"].items():
            rows.append([f"import one {name} workbook, s", "≤ 1", f"{ms / 1000:.2f}", "yes" if ms <= 1000 else "NO"])
        print(table(["target", "limit", "measured", "met"], rows))
        print("  import = read the workbook, find its tables, solve the leaves, compose the unit file and check it")
        print("  (the writing of the file itself is left out); median after one warm-up.")
    print()
    print(f"total benchmark time {time.perf_counter() - started:.0f} s")
    if args.keep or args.workdir:
        log(f"保留工作文件夹 {workdir}（日志 {build_log}）")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
