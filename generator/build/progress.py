"""How `budgetdoc build` shows its progress: a bar on a terminal, one plain line per unit in a log.

Problems go to stdout as `file:line:col: …` either way; progress and the summary go to stderr.
"""
from __future__ import annotations

import os
import sys

from generator.build.outcome import BUILT, FAILED, UNCHANGED, UnitResult


def status_text(result: UnitResult) -> str:
    if result.status == BUILT:
        return "已生成 " + "、".join(result.outputs)
    if result.status == UNCHANGED:
        return "未变化 " + "、".join(result.outputs)
    return f"未生成 {result.file}：{result.reason}"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def make_progress(total: int, stream):
    """A bar when `stream` is a terminal outside CI, else plain lines "[12/500] 已生成 build/x-2026.docx"."""
    if stream.isatty() and not in_ci():
        return BarProgress(total, stream)
    return LineProgress(total, stream)


class LineProgress:
    def __init__(self, total: int, stream):
        self.total, self.stream, self.count = total, stream, 0

    def report(self, result: UnitResult) -> None:
        self.count += 1
        for line in result.lines:
            print(line, file=sys.stdout)
        print(f"[{self.count}/{self.total}] {status_text(result)}", file=self.stream, flush=True)

    def close(self) -> None:
        pass


class BarProgress:
    def __init__(self, total: int, stream):
        from tqdm import tqdm  # only on a terminal: it takes a while to import

        class Bar(tqdm):
            monitor_interval = 0       # no monitor thread: worker processes may be forked after the bar starts

        self.stream = stream
        self.bar = Bar(total=total, file=stream, unit="个", desc="生成", dynamic_ncols=True)

    def report(self, result: UnitResult) -> None:
        for line in result.lines:
            self.bar.write(line, file=sys.stdout)
        if result.status == FAILED:
            self.bar.write(status_text(result), file=self.stream)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()
