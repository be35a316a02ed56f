"""One-line titles and figures: a table's title that would wrap is set smaller until it fits, or
reported; a table whose figures would wrap in their cells is set smaller until every figure fits.

Text read back from a PDF (pdftotext, a checker that finds each table by its title) sees a wrapped
title as two lines, so a title must stay on one line. Its width is estimated from its characters:
a CJK or full-width character is one em (the face's size), an ASCII one half an em, plus the
style's character spacing; the estimate is compared with the width between the margins less a
small allowance for the real faces' metrics.
"""
from __future__ import annotations

from collections.abc import Iterable

from generator.core.problems import PackError
from generator.docx.ooxml import Font

MM_PER_PT = 25.4 / 72
ALLOWANCE = 0.97                # of the text width: the real faces are not exactly one em wide
SMALLEST_PT = 12.0              # 小四: a title is not set smaller than this
STEP_PT = 0.5                   # sizes are whole half-points (w:sz)
SMALLEST_FIGURE_PT = 7.5        # a table is not set smaller than this for its figures


def text_width_mm(text: str, size_pt: float, spacing_twips: int = 0) -> float:
    """The estimated width of `text` set on one line at `size_pt`."""
    ems = sum(0.5 if " " <= char <= "~" else 1.0 for char in text)
    return (ems * size_pt + len(text) * spacing_twips / 20) * MM_PER_PT


def fitted_font(text: str, font: Font, width_mm: float, spacing_twips: int = 0) -> Font:
    """`font`, or the largest smaller size (by half-points, down to SMALLEST_PT) at which `text`
    fits on one line of `width_mm`; raises PackError when it fits at none."""
    size = font.size_pt
    while text_width_mm(text, size, spacing_twips) > width_mm * ALLOWANCE:
        size -= STEP_PT
        if size < SMALLEST_PT:
            estimate = text_width_mm(text, SMALLEST_PT, spacing_twips)
            raise PackError(f"标题“{text}”在{SMALLEST_PT:g}磅字下也排不进一行（约{estimate:.0f}毫米，"
                            f"版心宽{width_mm:.0f}毫米）；请在模板包中给它一个较短的写法")
    return font if size == font.size_pt else font._replace(size_pt=size)


def fitted_figure_size(size_pt: float, figures: Iterable[tuple[str, float]]) -> float:
    """`size_pt`, or the largest smaller size (by half-points, down to SMALLEST_FIGURE_PT) at which
    each figure's text fits on one line of its cell's width (mm, inside the cell's margins): a figure
    broken over two lines ("1,467,842.0" above "0") is misread by a reader and by a program alike."""
    size = size_pt
    for text, width_mm in figures:
        if len(text) * size * MM_PER_PT <= width_mm * ALLOWANCE:      # fits even if every character were one em
            continue
        while size > SMALLEST_FIGURE_PT and text_width_mm(text, size) > width_mm * ALLOWANCE:
            size -= STEP_PT
    return size
