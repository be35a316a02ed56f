"""The seed document rendered by a real client (LibreOffice): text, CJK fonts, charts, pages.

Skips on a machine without LibreOffice — but never in CI (CI=true), where it must run.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent


def need_tools():
    missing = [t for t in ("soffice", "pdftotext", "pdffonts", "pdfinfo") if shutil.which(t) is None]
    if missing and os.environ.get("CI"):
        pytest.fail("CI must have LibreOffice and poppler-utils: missing " + ", ".join(missing))
    if missing:
        pytest.skip("LibreOffice / poppler-utils not installed: " + ", ".join(missing))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    need_tools()
    out = tmp_path_factory.mktemp("render")
    assert main(["build", str(ROOT / "units" / "datong-ggzyjy" / "2026.yaml"), "-o", str(out), "--pdf"]) == 0
    return out / "datong-ggzyjy-2026.pdf"


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")]


def test_chinese_text_is_there(pdf):
    joined = "".join(pdf_pages(pdf))
    for phrase in ("2026年度单位预算公开", "比上年减少25.96万元，下降4.09%", "基本支出266.58万元，占43.77%",
                   "比2025年预算24.17万元增加3.27万元，增长13.53%", "预算公开表13"):
        assert phrase in joined


def test_text_is_set_in_a_cjk_font(pdf):
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"CJK|Noto Sans SC|Noto Serif|WenQuanYi|Droid Sans Fallback", fonts), fonts


def test_both_charts_are_drawn(pdf):
    pages = pdf_pages(pdf)
    structure = next(i for i, p in enumerate(pages) if "一般公共预算当年拨款结构图" in p)
    three = next(i for i, p in enumerate(pages) if "三公经费分布图" in p)
    # the charts' own labels are drawn by LibreOffice next to their captions
    assert any("一般公共服务支出" in p and "87.31" in p for p in pages[structure:structure + 2])
    assert any("公务用车运行维护费" in p for p in pages[three:three + 2])


def test_page_count_is_plausible(pdf):
    pages = pdf_pages(pdf)
    glossary = next(i for i, p in enumerate(pages) if "第四部分名词解释" in p and "基本支出：" in p)
    assert 25 <= glossary + 1 <= 45          # the seed's 名词解释 starts on its page 34
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert 25 <= int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 50


def test_toc_lists_page_numbers(pdf):
    toc = next(p for p in pdf_pages(pdf) if "目录" in p)
    assert re.search(r"第一部分概况\.*\d+", toc), toc[:200]
