"""The .docx as independent readers see it: a schema validator (openxml-audit, which carries the
Open XML SDK's schema data) finds no error in the seed's or any pack's document, and pandoc, which
knows nothing of our styles, finds every heading at its level.

pandoc is a Debian package (.ci/run installs it); without it the pandoc test skips, in CI it fails.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

from generator.docmodel import Paragraph
from generator.docx.writer import write_docx
from generator.pack.loading import pack_names
from generator.pack.unit import document_of

ROOT = Path(__file__).resolve().parent.parent

HEADING_LEVELS = {"part": 1, "heading1": 2, "heading2": 3, "table_title": 2}


@pytest.fixture(scope="module")
def seed_docx(seed_analysis, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("readers") / "seed.docx"
    write_docx(document_of(seed_analysis), path)
    return path


def test_the_schema_validator_finds_no_error_in_the_seeds_document(seed_docx):
    result = OpenXmlValidator().validate(seed_docx)
    assert [str(e) for e in result.errors] == []


UNIT_FILES = sorted((ROOT / "units").glob("*/*.yaml"))


def test_every_pack_has_a_unit_file_here():
    """So that the test below checks every pack's document."""
    import yaml
    packs = {yaml.safe_load(path.read_text(encoding="utf-8")).get("template", "shanxi-datong") for path in UNIT_FILES}
    assert set(pack_names()) <= packs


@pytest.mark.parametrize("path", UNIT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_schema_validator_finds_no_error_in_any_packs_document(path, tmp_path):
    """Every unit and department file here (each names its pack): its document, as the build writes it."""
    from generator.pack.unit import checked_document
    analysis, doc = checked_document(path)
    assert doc is not None, [p.format() for p in analysis.problems if p.severity == "error"]
    target = tmp_path / "doc.docx"
    write_docx(doc, target)
    assert [str(e) for e in OpenXmlValidator().validate(target).errors] == []


def require_pandoc() -> str:
    found = shutil.which("pandoc")
    if not found and os.environ.get("CI"):
        pytest.fail("CI 环境缺少 pandoc")
    if not found:
        pytest.skip("缺少 pandoc")
    return found


def test_pandoc_finds_every_heading_at_its_level(seed_analysis, seed_docx):
    pandoc = require_pandoc()
    markdown = subprocess.run([pandoc, "-f", "docx", "-t", "markdown", "--wrap=none", str(seed_docx)],
                              capture_output=True, text=True, check=True).stdout
    found = [(len(m.group(1)), re.sub(r"\s+", "", m.group(2)))       # a heading of another style: "## 标题 {#id .表标题}"
             for m in re.finditer(r"^(#+) (.+?)(?: \{[^}]*\})?$", markdown, re.M)]
    doc = document_of(seed_analysis)
    expected = [(HEADING_LEVELS[b.style], b.text.replace("“", '"').replace("”", '"').replace(" ", ""))
                for b in doc.blocks if isinstance(b, Paragraph) and b.style in HEADING_LEVELS]
    assert len(expected) == 4 + 14 + 4 + 13        # 部分, 一、…, （一）…, the 13 table titles
    assert found == expected
