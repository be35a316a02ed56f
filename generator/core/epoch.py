"""SOURCE_DATE_EPOCH: the moment a reproducible build stamps on its documents, checked once for every command.

It must be a whole number of seconds from 1970 to the end of 2107 (the last year a zip entry can
carry); an empty or absent variable means "the budget year's 1 January". Anything else is a usage
error, the same for `check` and `build`, before any unit is read.
"""
from __future__ import annotations

import os

from generator.core.problems import UsageError

LAST = 4354819199                # 2107-12-31 23:59:59 UTC


def check_source_date_epoch(environ=os.environ) -> None:
    text = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if text and not (text.isascii() and text.isdigit() and int(text) <= LAST):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise UsageError(f"环境变量 SOURCE_DATE_EPOCH 应为 0 至 {LAST} 之间的整数秒数（1970年至2107年），"
                         f"收到“{shown}”；不需要固定日期时请删除这个变量")
