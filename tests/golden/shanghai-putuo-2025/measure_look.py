"""Measure the look of the two published PDFs with pdfplumber; print it as look.yaml holds it.

    python tests/golden/shanghai-putuo-2025/measure_look.py ../shared/seed/shanghai-putuo-2025   # the PDFs are not kept here

Each role of a pack's look: is found by where it stands, never typed in: the cover's two lines (page 1),
the 目录's title and lines (page 2), the page headings (the largest size on a page without a table),
the body (the commonest size there), the 其他相关情况说明 subheadings (“一、…”), and on the table pages
the title, the 编制单位 line, the cells and the 注 under a table; and what each page begins with. For each: the font as the PDF names
it, its size, where it stands against the page's centre (centred or not) and how far below the
page's top and above the next line, the first-line indent (in characters, from the text block's edge), the
line pitch. The page: its size and the text block's edges
(the leftmost and rightmost ink of the body pages, their first line's top, their last line's bottom).
Not a test: tests read look.yaml only.
"""
from __future__ import annotations

import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pdfplumber
import yaml

MM_PER_PT = 25.4 / 72
FACES = {"KaiTi_GB2312": "楷体_GB2312", "SimSun": "宋体", "FangSong_GB2312": "仿宋_GB2312"}
FILES = {"unit": "putuo-commerce-unit-2025.pdf", "department": "putuo-commerce-dept-2025.pdf"}


def lines_of(page) -> list[dict]:
    """The page's lines of ink: chars of about the same top (within a third of their size), each line
    with its leading spaces, in reading order."""
    rows: list[list[dict]] = []
    for char in sorted(page.chars, key=lambda c: (c["top"], c["x0"])):
        if rows and char["top"] - rows[-1][0]["top"] < char["size"] / 3:
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = []
    for row in rows:
        chars = sorted(row, key=lambda c: c["x0"])
        ink = [c for c in chars if c["text"].strip()]
        if ink:
            lead = chars.index(ink[0])
            lines.append({"page": page.page_number, "top": round(min(c["top"] for c in ink), 2),
                          "bottom": max(c["bottom"] for c in ink),
                          "x0": ink[0]["x0"], "x1": ink[-1]["x1"], "start": chars[0]["x0"], "lead": lead,
                          "font": ink[0]["fontname"].split("+")[-1], "size": round(ink[0]["size"], 2),
                          "text": "".join(c["text"] for c in ink)})
    for line, following in zip(lines, lines[1:] + [None]):
        line["next_top"] = following["top"] if following else None
    return lines


def on_the_page(page) -> bool:
    """No text drawn beyond half an inch of the edges (pp. 3–4 draw clipped text off the page)."""
    return all(36 <= c["top"] and c["bottom"] <= page.height - 36 for c in page.chars)


def indented(line: dict, left: float | None) -> float:
    """A line's first-line indent in characters: its leading spaces' width if it has any, else its
    distance from ``left`` (the edge of its page's text; a paragraph indent draws no spaces)."""
    edge = line["start"] if line["lead"] or left is None else left
    return (line["x0"] - edge) / line["size"]


def role(lines: list[dict], width: float, kind: str, left: float | None = None) -> dict:
    """One role's face, size (the commonest; every size when there are several: pages printed
    scaled down), alignment, indent and line pitch (the median distance of consecutive lines on a
    page; for table cells, of rows), the commonest first-line indent."""
    first = lines[0]
    sizes = Counter(line["size"] for line in lines)
    size = sizes.most_common(1)[0][0]
    pitches = [b["top"] - a["top"] for a, b in zip(lines, lines[1:])       # lines next to each other on a page
               if a["page"] == b["page"] and 0 < b["top"] - a["top"] < 2 * size]
    found = {"pdf_font": first["font"], "face": FACES.get(first["font"], first["font"]), "size": size,
             "lines": len(lines), "example": first["text"][:24]}
    if len(sizes) > 1:
        found["sizes"] = dict(sorted(sizes.items()))
    if kind == "centred":
        found["centre_offsets_pt"] = sorted({round((line["x0"] + line["x1"]) / 2 - width / 2, 1) for line in lines})
        found["top_pt"] = round(statistics.median(line["top"] for line in lines), 1)
        following = [line["next_top"] - line["top"] for line in lines if line["next_top"]]
        if following:
            found["to_next_line_pt"] = round(statistics.median(following), 1)
    if kind == "indented":
        indents = Counter(round(indented(line, left), 2) for line in lines)
        found["indent_chars"] = max((i for i in indents if i > 0.5), key=lambda i: (indents[i], -i))
    if pitches:
        found["line_pitch_pt"] = round(statistics.median(pitches), 2)
    return found


def page_head(lines: list[dict], body_size: float) -> str | None:
    """What a page begins with when it begins a part, a table or the 目录 (a line larger than the
    body's); None for a page that goes on from the one before."""
    return lines[0]["text"].replace(" ", "") if lines and lines[0]["size"] > body_size else None


def measure(pdf_path: Path) -> dict:
    with pdfplumber.open(pdf_path) as pdf:
        pages = pdf.pages
        width, height = pages[0].width, pages[0].height
        text_pages = [(p, lines_of(p)) for p in pages[2:] if not p.edges]
        table_pages = [(p, lines_of(p)) for p in pages[2:] if p.edges]
        cover, toc = lines_of(pages[0]), lines_of(pages[1])
        entries = [line for line in toc if line["size"] < max(t["size"] for t in toc)]
        toc_left = min(line["start"] for line in entries)
        body_size = Counter(line["size"] for _, lines in text_pages for line in lines).most_common(1)[0][0]
        heading_size = max(line["size"] for _, lines in text_pages for line in lines)
        body = [line for _, lines in text_pages for line in lines if line["size"] == body_size]
        numbered = ("一、", "二、", "三、", "四、", "五、", "六、")
        text_left = min(line["start"] for p, lines in text_pages if on_the_page(p) for line in lines)
        subheadings = [line for line in body if line["text"].startswith(numbered)
                       and 0.75 <= indented(line, text_left) < 1.5]
        running = [line for line in body if line not in subheadings]
        titles, metas, cells, notes = [], [], [], []
        for page, lines in table_pages:
            top = min(r["top"] for r in page.edges)
            left, right = min(r["x0"] for r in page.edges), max(r["x1"] for r in page.edges)
            above = [line for line in lines if line["bottom"] <= top + 1]
            titles += [line for line in above if line["size"] == max(a["size"] for a in above) and "编制" not in line["text"]]
            metas += [line for line in above if line["text"].startswith("编制")]
            cells += [line for line in lines if line["top"] > top and left <= line["x0"] and not line["text"].startswith("注")
                      and line["size"] <= body_size]
            notes += [line for line in lines if line["text"].startswith("注")]
        unscaled = [p for p, _ in table_pages if Counter(round(c["size"], 2) for c in p.chars).most_common(1)[0][0] == body_size]
        table_edges = [(min(r["x0"] for r in p.edges), max(r["x1"] for r in p.edges)) for p in unscaled]
        clean = [(p, lines) for p, lines in text_pages if on_the_page(p)]
        clean_lines = [line for _, lines in clean for line in lines if line["size"] == body_size]
        return {
            "pages": len(pages),
            "page_pt": [round(width, 2), round(height, 2)],
            "orientation": "landscape" if width > height else "portrait",
            "fonts": sorted({c["fontname"].split("+")[-1] for p in pages for c in p.chars}),
            "text_block": {
                "left_mm": round(min(line["start"] for line in clean_lines) * MM_PER_PT, 1),
                "right_mm": round((width - max(line["x1"] for line in clean_lines)) * MM_PER_PT, 1),
                "top_mm": round(min(lines[0]["top"] for _, lines in clean) * MM_PER_PT, 1),
                "bottom_mm": round((height - max(line["bottom"] for line in clean_lines)) * MM_PER_PT, 1),
                "tables_left_mm": round(min(a for a, _ in table_edges) * MM_PER_PT, 1),
                "tables_right_mm": round((width - max(b for _, b in table_edges)) * MM_PER_PT, 1),
                "table_width_mm": round(statistics.median(b - a for a, b in table_edges) * MM_PER_PT, 1),
            },
            "styles": {
                "cover_title": role([line for line in cover if line["size"] == max(c["size"] for c in cover)], width, "centred"),
                "cover_subtitle": role([line for line in cover if line["size"] == min(c["size"] for c in cover)], width, "centred"),
                "toc_title": role([line for line in toc if line["size"] == max(c["size"] for c in toc)], width, "centred"),
                "toc1": role([line for line in entries if line["x0"] < toc_left + 2], width, "plain"),
                "toc2": role([line for line in entries if line["x0"] >= toc_left + 2], width, "indented", toc_left),
                "part": role([line for _, lines in text_pages for line in lines if line["size"] == heading_size], width, "centred"),
                "heading1": role(subheadings, width, "indented", text_left),
                "body": role(running, width, "indented", text_left),
                "table_title": role(titles, width, "centred"),
                "table_meta": role(metas, width, "plain"),
                "table_text": role(cells, width, "plain"),
                "note": role(notes, width, "plain"),
            },
            "table_text_sizes": dict(sorted(Counter(line["size"] for line in cells).items())),
            "page_heads": [page_head(lines_of(p), body_size) for p in pages],
        }


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    found = {kind: measure(folder / name) for kind, name in FILES.items()}
    print(yaml.safe_dump(found, allow_unicode=True, sort_keys=False, width=120))
