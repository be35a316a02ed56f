"""The Shanghai pack looks like the documents it reproduces.

tests/golden/shanghai-putuo-2025/look.yaml is the look of the two published PDFs of 上海市普陀区商务委员会
as measure_look.py there reads it with pdfplumber: A4 landscape, a 20/25 mm text block, 楷体 on the
cover, 宋体 and 仿宋 elsewhere, each style's size, indent and line pitch. The pack's look: must say
what was measured; and the documents built with it, rendered by LibreOffice and measured by the same
code, must have the paper, sizes, indents, pitches and text block of the published ones, every
part and table must begin on the page it begins on there, and no figure may wrap in its cell. Faces are compared in the pack only: the
PDF names what the machine had (CI has Noto CJK, not 宋体).
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml
from test_render import require_tools

from generator.commands.cli import main
from generator.pack.loading import load_pack

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "shanghai-putuo-2025"
MEASURED = yaml.safe_load((GOLDEN / "look.yaml").read_text(encoding="utf-8"))
KINDS = ("unit", "department")
MM_PER_PT = 25.4 / 72
FIGURE = re.compile(r"-?[\d,]+(\.\d+)?")
CENTRED_PT = 3          # a line whose middle is this close to the page's is centred


def measure_look():
    spec = importlib.util.spec_from_file_location("measure_look", GOLDEN / "measure_look.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def centred(found: dict) -> bool:
    return min(abs(offset) for offset in found["centre_offsets_pt"]) <= CENTRED_PT


@pytest.mark.parametrize("kind", KINDS)
def test_the_packs_look_is_what_the_published_pdfs_measure(kind):
    look, measured = load_pack("shanghai-putuo").look_of(kind), MEASURED[kind]
    width_mm, height_mm = (round(pt * MM_PER_PT) for pt in measured["page_pt"])
    assert (max(look.page.paper_mm), min(look.page.paper_mm)) == (width_mm, height_mm) == (297, 210)
    assert look.page.landscape is (measured["orientation"] == "landscape") is True
    block = measured["text_block"]
    assert look.page.margins.left == pytest.approx(block["left_mm"], abs=0.5)
    assert look.page.margins.top == pytest.approx(block["top_mm"], abs=0.5)
    assert look.page.text_width_mm(True) == pytest.approx(block["table_width_mm"], abs=2)
    for key, found in measured["styles"].items():
        style = look.style(key)
        assert (key, style.face, style.size_pt) == (key, found["face"], found["size"])
        if "line_pitch_pt" in found and key != "table_text":          # a table's pitch is its rows'
            assert style.line_pt == pytest.approx(found["line_pitch_pt"], abs=0.1), key
        if "indent_chars" in found:
            indent = style.left_chars - look.style("toc1").left_chars if key.startswith("toc") else style.indent_chars
            assert indent == pytest.approx(found["indent_chars"], abs=0.05), key
        if "centre_offsets_pt" in found and centred(found):
            assert style.align == "center", key


def test_the_department_cover_stands_higher_by_what_was_measured():
    unit, department = (load_pack("shanghai-putuo").look_of(kind).style("cover_title") for kind in KINDS)
    higher = MEASURED["unit"]["styles"]["cover_title"]["top_pt"] - MEASURED["department"]["styles"]["cover_title"]["top_pt"]
    assert unit.before_pt - department.before_pt == pytest.approx(higher, abs=0.5) == 51


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict]:
    """The commission's two documents, built with --pdf and measured as the published PDFs were."""
    require_tools()
    out = tmp_path_factory.mktemp("look-shanghai")
    assert main(["build", str(ROOT / "units" / "putuo-commerce"), str(ROOT / "units" / "putuo-commerce-dept"),
                 "-o", str(out), "--pdf"]) == 0
    measure = measure_look().measure
    pdfs = {"unit": out / "putuo-commerce-2025.pdf", "department": out / "putuo-commerce-dept-2025.pdf"}
    return {kind: measure(pdf) | {"wrapped_figures": wrapped_figures(pdf)} for kind, pdf in pdfs.items()}


def wrapped_figures(pdf_path: Path) -> list[tuple[int, str]]:
    """Each table cell of the PDF whose figure is set on more than one line, with its page."""
    import pdfplumber
    with pdfplumber.open(pdf_path) as pdf:
        return [(page.page_number, text) for page in pdf.pages for table in page.find_tables()
                for row in table.extract() for text in row
                if text and "\n" in text and FIGURE.fullmatch(text.replace("\n", ""))]


@pytest.mark.parametrize("kind", KINDS)
def test_the_rendered_pages_are_the_published_pages(rendered, kind):
    ours, published = rendered[kind], MEASURED[kind]
    assert ours["page_pt"] == pytest.approx(published["page_pt"], abs=0.1)
    assert ours["pages"] == published["pages"]
    for head, published_head in zip(ours["page_heads"], published["page_heads"]):
        if published_head is not None:                 # a page that begins a part, a table or the 目录
            assert head == published_head
    assert ours["wrapped_figures"] == []               # "1,467,842.0" above "0": the table is set smaller
    for edge in ("left_mm", "top_mm", "tables_left_mm", "tables_right_mm"):
        assert ours["text_block"][edge] == pytest.approx(published["text_block"][edge], abs=0.5), edge


@pytest.mark.parametrize("kind", KINDS)
def test_the_rendered_text_is_set_as_published(rendered, kind):
    ours, published = rendered[kind]["styles"], MEASURED[kind]["styles"]
    for key, found in published.items():
        assert ours[key]["size"] == found["size"], key
        for measure, within in (("line_pitch_pt", 0.5), ("indent_chars", 0.05)):
            if measure in found:
                assert ours[key][measure] == pytest.approx(found[measure], abs=within), (key, measure)
        if "centre_offsets_pt" in found and centred(found):
            assert centred(ours[key]), key
        if key.startswith("cover"):
            assert ours[key]["top_pt"] == pytest.approx(found["top_pt"], abs=2), key
    for key in ("toc1", "toc2", "part"):
        assert ours[key]["lines"] == published[key]["lines"], key
