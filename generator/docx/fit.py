"""One-line titles and figures: a table's title that would wrap is set smaller until it fits, or
reported; a table whose figures would wrap in their cells is set smaller until every figure fits.

Widths are estimated as docmodel.text_width_mm says (one em a CJK character, half an em an ASCII
one), compared with the width available less a small allowance for the real faces' metrics.
"""
from __future__ import annotations

from collections.abc import Iterable

from generator.core.problems import PackError
from generator.docmodel import MM_PER_PT, ONE_LINE_ALLOWANCE, SIZE_STEP_PT, one_line_size, text_width_mm, too_long_message
from generator.docx.ooxml import Font

SMALLEST_FIGURE_PT = 7.5        # a table is not set smaller than this for its figures


def fitted_font(text: str, font: Font, width_mm: float, spacing_twips: int = 0) -> Font:
    """`font`, or the largest smaller size (by half-points, down to 12 pt) at which `text` fits on
    one line of `width_mm`; raises PackError when it fits at none."""
    size = one_line_size(text, font.size_pt, width_mm, spacing_twips / 20)
    if size is None:
        raise PackError(too_long_message(text, width_mm, spacing_twips / 20))
    return font if size == font.size_pt else font._replace(size_pt=size)


def fitted_figure_size(size_pt: float, figures: Iterable[tuple[str, float]]) -> float:
    """`size_pt`, or the largest smaller size (by half-points, down to SMALLEST_FIGURE_PT) at which
    each figure's text fits on one line of its cell's width (mm, inside the cell's margins): a figure
    broken over two lines ("1,467,842.0" above "0") is misread by a reader and by a program alike."""
    size = size_pt
    for text, width_mm in figures:
        if len(text) * size * MM_PER_PT <= width_mm * ONE_LINE_ALLOWANCE:   # fits even if every character were one em
            continue
        while size > SMALLEST_FIGURE_PT and text_width_mm(text, size) > width_mm * ONE_LINE_ALLOWANCE:
            size -= SIZE_STEP_PT
    return size
