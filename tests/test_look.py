"""The look is the pack's: faces, sizes, spacing, paper, margins and orientation come from pack.yaml
``look:`` (docs/packs.md), over the GB/T 9704 base for what it leaves out.

The coverage pack (tests/packs/coverage) sets an unusual look — B5 landscape pages with 30 mm
margins, a 12 pt 楷体 body with single lines, a bold 20 pt 宋体 heading, Arial for letters and digits,
tables in 仿宋 9.5 pt with Courier New, its own page number — and its document, read back with
python-docx and lxml, must carry exactly that; the seed's document (the Shanxi pack) must differ in
every one of these places, so that the checks can fail.
"""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx_read import section_looks, styles_looks
from lxml import etree

from generator.commands.cli import main
from generator.docmodel import GB_T_9704

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "units" / "datong-ggzyjy" / "2026.yaml").read_text(encoding="utf-8")
UNIT = "units/cov/2026.yaml"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

STYLES = {       # what pack.yaml look.styles writes, and what the base gives the rest of these styles
    "body": {"face": "楷体_GB2312", "latin": "Arial", "size": 12.0, "bold": False, "align": "left", "indent": 0.0,
             "left_indent": 0.0, "line": "single", "before": 0.0, "after": 4.5, "spacing": 0},
    "part": {"face": "宋体", "latin": "Arial", "size": 20.0, "bold": True, "align": "center", "indent": 0.0,
             "left_indent": 0.0, "line": 28.9, "before": 12.0, "after": 6.0, "spacing": 0},
    "table_text": {"face": "仿宋_GB2312", "latin": "Courier New", "size": 9.5, "bold": False, "align": "left",
                   "indent": 0.0, "left_indent": 0.0, "line": "single", "before": 0.0, "after": 0.0, "spacing": 0},
    "toc2": {"face": "仿宋_GB2312", "latin": "Arial", "size": 14.0, "bold": False, "align": "left", "indent": 0.0,
             "left_indent": 1.5, "line": 20.0, "before": 0.0, "after": 0.0, "spacing": 0.5},
}
PAGE = {"orientation": "landscape", "paper": [250.0, 176.0],
        "margins": {"top": 30.0, "bottom": 30.0, "left": 30.0, "right": 30.0, "header": 12.0, "footer": 14.0}}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The coverage unit's document and the seed's, built by the command line."""
    folder = tmp_path_factory.mktemp("look")
    shutil.copytree(ROOT / "tests" / "packs" / "coverage", folder / "packs" / "coverage")
    unit = folder / UNIT
    unit.parent.mkdir(parents=True)
    unit.write_text(SEED.replace("template: shanxi-datong ", "template: coverage      ", 1)
                    .replace("slug: datong-ggzyjy", "slug: cov", 1), encoding="utf-8")
    (folder / "units" / "datong-ggzyjy").mkdir()
    (folder / "units" / "datong-ggzyjy" / "2026.yaml").write_text(SEED, encoding="utf-8")
    from generator.pack.loading import load_pack
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("BUDGETDOC_PACKS", str(folder / "packs"))
        load_pack.cache_clear()
        assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
        coverage = load_pack("coverage")
        load_pack.cache_clear()
    return {"coverage": folder / "out" / "cov-2026.docx", "seed": folder / "out" / "datong-ggzyjy-2026.docx",
            "pack": coverage}


def part(path: Path, name_pattern: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        [name] = [n for n in archive.namelist() if re.fullmatch(name_pattern, n)]
        return etree.parse(io.BytesIO(archive.read(name))).getroot()


def test_the_styles_are_the_packs(built):
    looks = styles_looks(built["coverage"])
    assert {key: looks[key] for key in STYLES} == STYLES
    seed = styles_looks(built["seed"])
    for key, expected in STYLES.items():           # the checks can fail: the base differs in each style
        assert seed[key] != expected, key
    assert all(look["latin"] == "Arial" for key, look in looks.items() if key != "table_text")


def test_every_page_is_the_packs(built):
    assert section_looks(built["coverage"]) == [PAGE, PAGE]     # the unnumbered front matter, the rest
    assert all(section != PAGE for section in section_looks(built["seed"]))


def test_the_runs_tables_charts_and_footer_follow_the_look(built):
    document = part(built["coverage"], "word/document.xml")
    cells = [run.find(f"{W}rPr/{W}rFonts") for run in document.iter(f"{W}r") if run.getparent().getparent().tag == f"{W}tc"]
    assert cells and {(f.get(f"{W}eastAsia"), f.get(f"{W}ascii")) for f in cells} == {("仿宋_GB2312", "Courier New")}
    tab = part(built["coverage"], "word/styles.xml").find(f".//{W}style[@{W}styleId='TOC1']//{W}tab")
    assert int(tab.get(f"{W}pos")) == round((250 - 30 - 30) * 1440 / 25.4)         # the landscape text width
    chart = part(built["coverage"], r"word/charts/chart\d+\.xml")
    text = chart.find(f"{{*}}txPr//{A}defRPr")
    assert (text.get("sz"), text.find(f"{A}ea").get("typeface"), text.find(f"{A}latin").get("typeface")) == ("900", "黑体", "Arial")
    footer = part(built["coverage"], r"word/footer\d+\.xml")
    assert "".join(t.text for t in footer.iter(f"{W}t")) == "第1页"
    fonts = [f.get(f"{W}name") for f in part(built["coverage"], "word/fontTable.xml")]
    assert {"Arial", "Courier New"} <= set(fonts) and "Times New Roman" not in fonts
    seed_fonts = [f.get(f"{W}name") for f in part(built["seed"], "word/fontTable.xml")]
    assert "Arial" not in seed_fonts and "Times New Roman" in seed_fonts


def test_a_departments_look_is_the_units_with_its_own_keys_over_it(built):
    pack = built["pack"]
    unit, department = pack.look_of("unit").style("body"), pack.look_of("department").style("body")
    assert (unit.face, unit.size_pt, department.face, department.size_pt) == ("楷体_GB2312", 12, "楷体_GB2312", 14)
    assert pack.look_of("department").page == pack.look_of("unit").page


def test_the_shanxi_pack_is_the_base():
    """The Shanxi pack says its look only where stating it helps: it is the GB/T 9704 base itself, which
    is what keeps its documents byte-identical to those made before the look was the pack's."""
    from generator.pack.loading import load_pack
    assert load_pack("shanxi-datong").look == GB_T_9704


def test_page_number_false_prints_none_true_the_default_and_unwritten_keeps_the_base():
    from generator.docmodel import PageLook
    from generator.pack.look import page_look
    default, unnumbered = PageLook(), page_look(PageLook(), {"page_number": False})
    assert unnumbered.number_format == "" and page_look(PageLook(), {"page_number": "第{PAGE}页"}).number_format == "第{PAGE}页"
    assert default.numbered and not unnumbered.numbered
    assert page_look(unnumbered, {}).number_format == ""                      # a department's look over its units'
    assert page_look(unnumbered, {"page_number": True}).number_format == default.number_format == "— {PAGE} —"
