"""The paragraph styles (GB/T 9704 manner, DESIGN.md §8), docDefaults, settings and font table.

python-docx's default template is Japanese-flavoured (MS Mincho, ``w:eastAsia="ja-JP"`` via the
theme); its styles, settings and font table are replaced wholesale by what is built here.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

from lxml import etree

from generator.docx.ooxml import LATIN_FONT, Font, el, font_elements, mm_to_twips, paragraph_properties, tab_stop

FANGSONG, KAITI, HEITI, SONGTI, XIAOBIAOSONG = (
    "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体")
BODY_LINE = 578                     # fixed 28.9 pt: 22 lines in the 225 mm text block
PORTRAIT_TEXT_MM = 210 - 28 - 26    # text width between the left and right margins
LANDSCAPE_TEXT_MM = 297 - 28 - 26
BODY_TEXT_LEVEL = 9                 # w:outlineLvl of body text: not a heading


@dataclass(frozen=True)
class StyleSpec:
    style_id: str
    name: str
    font: Font
    align: str = "left"
    first_line_chars: int = 0       # hundredths of a character
    left_chars: int = 0
    line: int | None = None         # exact line height in twips; None = single
    before: int = 0
    after: int = 0
    outline: int | None = None      # 0-based outline level (navigation pane, 目录, PDF bookmarks)
    keep_next: bool = False
    tab_leader: bool = False        # right tab at the text width with a dot leader (目录)
    based_on: str = "Normal"
    char_spacing: int = 0           # extra space after each character, twips (spaces out "目录")
    one_line: bool = False          # a title that must not wrap: set smaller to fit (docx/fit.py)
    built_in: bool = False          # one of Word's own styles (heading n, toc n, footer): no customStyle


def _spec(style_id, name, face, size, **kwargs) -> StyleSpec:
    return StyleSpec(style_id, name, Font(face, size), **kwargs)


PARAGRAPH_STYLES: dict[str, StyleSpec] = {
    "cover_title": _spec("CoverTitle", "封面标题", XIAOBIAOSONG, 22, align="center",
                         line=800, before=3600),
    "cover_subtitle": _spec("CoverSubtitle", "封面副标题", XIAOBIAOSONG, 22, align="center",
                            line=800, before=1200),
    "toc_title": _spec("TocTitle", "目录标题", HEITI, 16, align="center", line=BODY_LINE,
                       after=312, char_spacing=100),     # "目录" spaced by 5 pt: read back as one word (8 pt reads "目 录")
    # The headings are Word's built-in "heading 1–3" (outline levels 1–3), so that every reader —
    # Word's navigation pane, screen readers, pandoc, the PDF's tags and bookmarks — sees them.
    "part": _spec("Heading1", "heading 1", HEITI, 16, align="center", line=BODY_LINE,
                  outline=0, keep_next=True, built_in=True),
    "heading1": _spec("Heading2", "heading 2", HEITI, 16, align="justify",
                      first_line_chars=200, line=BODY_LINE, outline=1, keep_next=True, built_in=True),
    "heading2": _spec("Heading3", "heading 3", KAITI, 16, align="justify",
                      first_line_chars=200, line=BODY_LINE, outline=2, keep_next=True, built_in=True),
    "body": _spec("BodyText", "公文正文", FANGSONG, 16, align="justify", first_line_chars=200,
                  line=BODY_LINE),
    "table_label": _spec("TableLabel", "表号", HEITI, 12, keep_next=True),
    "table_title": _spec("TableTitle", "表标题", XIAOBIAOSONG, 18, align="center", after=120,
                         keep_next=True, outline=1, based_on="Heading2", one_line=True),   # a heading of 第二部分
    "note": _spec("TableNote", "表注", FANGSONG, 12, before=60),
    "chart_title": _spec("ChartTitle", "图标题", HEITI, 14, align="center", before=120,
                         keep_next=True),
    "form_title": _spec("FormTitle", "表单标题", XIAOBIAOSONG, 18, align="center", before=120,
                        after=60, keep_next=True, one_line=True),
    "form_subtitle": _spec("FormSubtitle", "表单副标题", FANGSONG, 12, align="center",
                           after=60, keep_next=True),
}
HELPER_STYLES: dict[str, StyleSpec] = {
    "table_meta": _spec("TableMeta", "表头信息", FANGSONG, 12, after=60, keep_next=True),
    "table_text": _spec("TableText", "表格文字", SONGTI, 10.5),
    "figure": _spec("Figure", "图表", FANGSONG, 12, align="center", keep_next=False),
    "section_break": _spec("SectionBreak", "分节符", SONGTI, 1, line=20),
    "footer": _spec("Footer", "footer", SONGTI, 14, align="center", built_in=True),
    "toc1": _spec("TOC1", "toc 1", HEITI, 14, line=520, tab_leader=True, built_in=True),
    "toc2": _spec("TOC2", "toc 2", FANGSONG, 14, line=520, left_chars=200, tab_leader=True, built_in=True),
    "toc3": _spec("TOC3", "toc 3", FANGSONG, 14, line=520, left_chars=400, tab_leader=True, built_in=True),
}
# A heading the 目录 does not list (the pack gives it no 目录 level): the heading's look and its
# place among the headings (based on it), but outline level "body text", which every 目录 skips.
UNLISTED_SUFFIX = "Unlisted"
UNLISTED_STYLES: dict[str, StyleSpec] = {
    key: replace(spec, style_id=spec.style_id + UNLISTED_SUFFIX, name=f"{spec.name} (目录不列)",
                 outline=BODY_TEXT_LEVEL, based_on=spec.style_id, built_in=False)
    for key, spec in PARAGRAPH_STYLES.items() if spec.outline is not None}
ALL_STYLES = {**PARAGRAPH_STYLES, **HELPER_STYLES, **{f"{key}_unlisted": spec for key, spec in UNLISTED_STYLES.items()}}
DEFAULT_FONT = Font(FANGSONG, 16)


def build_styles_children(language: str) -> list:
    """Return the children of ``w:styles``: docDefaults, Normal and every writer style."""
    normal = el("w:style", {"w:type": "paragraph", "w:default": 1, "w:styleId": "Normal"},
                el("w:name", {"w:val": "Normal"}), el("w:qFormat"),
                paragraph_properties(align="justify"), el("w:rPr", None, *font_elements(DEFAULT_FONT)))
    char_default = el("w:style", {"w:type": "character", "w:default": 1,
                                  "w:styleId": "DefaultParagraphFont"},
                      el("w:name", {"w:val": "Default Paragraph Font"}), el("w:uiPriority", {"w:val": 1}),
                      el("w:semiHidden"), el("w:unhideWhenUsed"))
    table_default = el("w:style", {"w:type": "table", "w:default": 1, "w:styleId": "TableNormal"},
                       el("w:name", {"w:val": "Normal Table"}), el("w:semiHidden"),
                       el("w:unhideWhenUsed"), el("w:tblPr", None, table_cell_margins()))
    styles = [build_style(spec) for spec in ALL_STYLES.values()]
    return [build_doc_defaults(language), normal, char_default, table_default, *styles]


def build_doc_defaults(language: str) -> etree._Element:
    """Return ``w:docDefaults``: 仿宋_GB2312 / Times New Roman, `language` (zh-CN) for Latin and East
    Asian text alike (a PDF takes its language from it), no paragraph spacing."""
    run_defaults = el("w:rPr", None, *font_elements(DEFAULT_FONT),
                      el("w:lang", {"w:val": language, "w:eastAsia": language, "w:bidi": "ar-SA"}))
    return el("w:docDefaults", None,
              el("w:rPrDefault", None, run_defaults),
              el("w:pPrDefault", None, el("w:pPr", None, el("w:spacing", {"w:before": 0, "w:after": 0}))))


def table_cell_margins() -> etree._Element:
    """Return small left/right cell margins (1 mm), none above and below."""
    sides = [el(f"w:{side}", {"w:w": width, "w:type": "dxa"})
             for side, width in (("top", 0), ("left", 57), ("bottom", 0), ("right", 57))]
    return el("w:tblCellMar", None, *sides)


def build_style(spec: StyleSpec) -> etree._Element:
    """Return the ``w:style`` element of a paragraph style spec (a heading is in the style gallery)."""
    attrs: dict[str, object] = {"w:type": "paragraph", "w:styleId": spec.style_id}
    if not spec.built_in:
        attrs["w:customStyle"] = 1
    heading = spec.outline is not None
    gallery = not spec.built_in or heading
    return el("w:style", attrs, el("w:name", {"w:val": spec.name}),
              el("w:basedOn", {"w:val": spec.based_on}),
              el("w:next", {"w:val": PARAGRAPH_STYLES["body"].style_id}) if heading else None,
              el("w:uiPriority", {"w:val": 9}) if heading else None,
              el("w:qFormat") if gallery else None,
              style_paragraph_properties(spec), style_run_properties(spec))


def style_run_properties(spec: StyleSpec) -> etree._Element:
    """Return the ``w:rPr`` of a style spec: its font, and its character spacing if any."""
    children = font_elements(spec.font)
    if spec.char_spacing:
        children.insert(-2, el("w:spacing", {"w:val": spec.char_spacing}))     # before w:sz, w:szCs
    return el("w:rPr", None, *children)


def style_paragraph_properties(spec: StyleSpec) -> etree._Element:
    """Return the ``w:pPr`` of a style spec."""
    spacing: dict[str, object] = {"w:before": spec.before, "w:after": spec.after}
    if spec.line:
        spacing.update({"w:line": spec.line, "w:lineRule": "exact"})
    else:
        spacing.update({"w:line": 240, "w:lineRule": "auto"})
    char_twips = spec.font.size_pt * 20 / 100        # one hundredth of a character
    indent = {"w:left": int(char_twips * spec.left_chars),
              "w:firstLine": int(char_twips * spec.first_line_chars)}
    if spec.first_line_chars or spec.based_on != "Normal":      # else a heading's 2 characters carry over
        indent["w:firstLineChars"] = spec.first_line_chars
    tabs = [tab_stop(mm_to_twips(PORTRAIT_TEXT_MM), "right", "dot")] if spec.tab_leader else None
    return paragraph_properties(keep_next=spec.keep_next, tabs=tabs, spacing=spacing,
                                indent=indent, align=spec.align, outline=spec.outline)


def build_settings_children(language: str, update_fields: bool) -> list:
    """Return the children of ``w:settings``: zh-CN, no rsids; with `update_fields`, Word offers to
    refresh the fields on opening (only needed while the 目录 has no page numbers)."""
    compat = el("w:compat", None, el("w:compatSetting", {
        "w:name": "compatibilityMode", "w:uri": "http://schemas.microsoft.com/office/word",
        "w:val": 15}))
    children = [el("w:zoom", {"w:percent": 100}), el("w:defaultTabStop", {"w:val": 420}),
            el("w:characterSpacingControl", {"w:val": "compressPunctuation"}),
            el("w:updateFields", {"w:val": "true"}) if update_fields else None, compat,
            el("w:themeFontLang", {"w:val": language, "w:eastAsia": language}),
            el("w:decimalSymbol", {"w:val": "."}), el("w:listSeparator", {"w:val": ","})]
    return [child for child in children if child is not None]


class FontEntry(NamedTuple):
    """A face as ``word/fontTable.xml`` describes it. Word and WPS pick a substitute for a missing face
    by `panose` (its classification) and `sig` (the Unicode ranges and code pages it covers), after
    trying `alt`: Windows 10/11 ship 仿宋, 楷体, 黑体 and 宋体, not the _GB2312 faces or 方正小标宋简体."""
    name: str
    alt: str | None
    panose: str
    charset: str                    # 86: GB2312
    family: str
    pitch: str
    sig: tuple[str, str, str, str, str, str]     # usb0–usb3, csb0, csb1


GB2312_SIG = ("00000001", "080E0000", "00000000", "00000000", "00040000", "00000000")
WINDOWS_CJK_SIG = ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")
FONT_TABLE = (
    FontEntry(LATIN_FONT, None, "02020603050405020304", "00", "roman", "variable",
              ("E0002EFF", "C000785B", "00000009", "00000000", "000001FF", "00000000")),
    FontEntry(FANGSONG, "仿宋", "02010609030101010101", "86", "modern", "fixed", GB2312_SIG),
    FontEntry(KAITI, "楷体", "02010609030101010101", "86", "modern", "fixed", GB2312_SIG),
    FontEntry(XIAOBIAOSONG, SONGTI, "03000509000000000000", "86", "auto", "variable", GB2312_SIG),
    FontEntry(HEITI, "SimHei", "02010609060101010101", "86", "modern", "fixed", WINDOWS_CJK_SIG),
    FontEntry(SONGTI, "SimSun", "02010600030101010101", "86", "auto", "variable",
              ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000")),
    FontEntry("仿宋", "FangSong", "02010609060101010101", "86", "modern", "fixed", WINDOWS_CJK_SIG),
    FontEntry("楷体", "KaiTi", "02010609060101010101", "86", "modern", "fixed", WINDOWS_CJK_SIG),
)
SIG_ATTRIBUTES = ("w:usb0", "w:usb1", "w:usb2", "w:usb3", "w:csb0", "w:csb1")


def build_font_table_children() -> list:
    """Return the ``w:font`` entries of the faces used and of their substitutes (FONT_TABLE)."""
    return [el("w:font", {"w:name": font.name},
               el("w:altName", {"w:val": font.alt}) if font.alt else None,
               el("w:panose1", {"w:val": font.panose}), el("w:charset", {"w:val": font.charset}),
               el("w:family", {"w:val": font.family}), el("w:pitch", {"w:val": font.pitch}),
               el("w:sig", dict(zip(SIG_ATTRIBUTES, font.sig))))
            for font in FONT_TABLE]
