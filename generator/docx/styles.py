"""The paragraph styles (GB/T 9704 manner, DESIGN.md §8), docDefaults, settings and font table.

python-docx's default template is Japanese-flavoured (MS Mincho, ``w:eastAsia="ja-JP"`` via the
theme); its styles, settings and font table are replaced wholesale by what is built here.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from generator.docx.ooxml import Font, el, font_elements, mm_to_twips, paragraph_properties, tab_stop

FANGSONG, KAITI, HEITI, SONGTI, XIAOBIAOSONG = (
    "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体")
BODY_LINE = 578                     # fixed 28.9 pt: 22 lines in the 225 mm text block
PORTRAIT_TEXT_MM = 210 - 28 - 26    # text width between the left and right margins
LANDSCAPE_TEXT_MM = 297 - 28 - 26


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
    outline: int | None = None      # 0-based outline level (navigation pane)
    keep_next: bool = False
    tab_leader: bool = False        # right tab at the text width with a dot leader (目录)


def _spec(style_id, name, face, size, **kwargs) -> StyleSpec:
    return StyleSpec(style_id, name, Font(face, size), **kwargs)


PARAGRAPH_STYLES: dict[str, StyleSpec] = {
    "cover_title": _spec("CoverTitle", "封面标题", XIAOBIAOSONG, 22, align="center",
                         line=800, before=3600),
    "cover_subtitle": _spec("CoverSubtitle", "封面副标题", XIAOBIAOSONG, 22, align="center",
                            line=800, before=1200),
    "toc_title": _spec("TocTitle", "目录标题", HEITI, 16, align="center", line=BODY_LINE,
                       after=312),
    "part": _spec("PartHeading", "部分标题", HEITI, 16, align="center", line=BODY_LINE,
                  outline=0, keep_next=True),
    "heading1": _spec("HeadingOne", "一级标题", HEITI, 16, align="justify",
                      first_line_chars=200, line=BODY_LINE, outline=1, keep_next=True),
    "heading2": _spec("HeadingTwo", "二级标题", KAITI, 16, align="justify",
                      first_line_chars=200, line=BODY_LINE, outline=2, keep_next=True),
    "body": _spec("BodyText", "公文正文", FANGSONG, 16, align="justify", first_line_chars=200,
                  line=BODY_LINE),
    "table_label": _spec("TableLabel", "表号", HEITI, 12, keep_next=True),
    "table_title": _spec("TableTitle", "表标题", XIAOBIAOSONG, 18, align="center", after=120,
                         keep_next=True),
    "note": _spec("TableNote", "表注", FANGSONG, 12, before=60),
    "chart_title": _spec("ChartTitle", "图标题", HEITI, 14, align="center", before=120,
                         keep_next=True),
    "form_title": _spec("FormTitle", "表单标题", XIAOBIAOSONG, 18, align="center", before=120,
                        after=60, keep_next=True),
    "form_subtitle": _spec("FormSubtitle", "表单副标题", FANGSONG, 12, align="center",
                           after=60, keep_next=True),
}
HELPER_STYLES: dict[str, StyleSpec] = {
    "table_meta": _spec("TableMeta", "表头信息", FANGSONG, 12, after=60, keep_next=True),
    "table_text": _spec("TableText", "表格文字", SONGTI, 10.5),
    "figure": _spec("Figure", "图表", FANGSONG, 12, align="center", keep_next=False),
    "section_break": _spec("SectionBreak", "分节符", SONGTI, 1, line=20),
    "footer": _spec("Footer", "footer", SONGTI, 14, align="center"),
    "toc1": _spec("TOC1", "toc 1", HEITI, 14, line=520, tab_leader=True),
    "toc2": _spec("TOC2", "toc 2", FANGSONG, 14, line=520, left_chars=200, tab_leader=True),
    "toc3": _spec("TOC3", "toc 3", FANGSONG, 14, line=520, left_chars=400, tab_leader=True),
}
ALL_STYLES = {**PARAGRAPH_STYLES, **HELPER_STYLES}
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
    """Return ``w:docDefaults``: 仿宋_GB2312 / Times New Roman, zh-CN, no paragraph spacing."""
    run_defaults = el("w:rPr", None, *font_elements(DEFAULT_FONT),
                      el("w:lang", {"w:val": "en-US", "w:eastAsia": language, "w:bidi": "ar-SA"}))
    return el("w:docDefaults", None,
              el("w:rPrDefault", None, run_defaults),
              el("w:pPrDefault", None, el("w:pPr", None, el("w:spacing", {"w:before": 0, "w:after": 0}))))


def table_cell_margins() -> etree._Element:
    """Return small left/right cell margins (1 mm), none above and below."""
    sides = [el(f"w:{side}", {"w:w": width, "w:type": "dxa"})
             for side, width in (("top", 0), ("left", 57), ("bottom", 0), ("right", 57))]
    return el("w:tblCellMar", None, *sides)


def build_style(spec: StyleSpec) -> etree._Element:
    """Return the ``w:style`` element of a paragraph style spec."""
    built_in = spec.name.startswith(("toc ", "footer"))
    attrs: dict[str, object] = {"w:type": "paragraph", "w:styleId": spec.style_id}
    if not built_in:
        attrs["w:customStyle"] = 1
    return el("w:style", attrs, el("w:name", {"w:val": spec.name}),
              el("w:basedOn", {"w:val": "Normal"}), el("w:qFormat") if not built_in else None,
              style_paragraph_properties(spec), el("w:rPr", None, *font_elements(spec.font)))


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
    if spec.first_line_chars:
        indent["w:firstLineChars"] = spec.first_line_chars
    tabs = [tab_stop(mm_to_twips(PORTRAIT_TEXT_MM), "right", "dot")] if spec.tab_leader else None
    return paragraph_properties(keep_next=spec.keep_next, tabs=tabs, spacing=spacing,
                                indent=indent, align=spec.align, outline=spec.outline)


def build_settings_children(language: str) -> list:
    """Return the children of ``w:settings``: refresh fields on open, zh-CN, no rsids."""
    compat = el("w:compat", None, el("w:compatSetting", {
        "w:name": "compatibilityMode", "w:uri": "http://schemas.microsoft.com/office/word",
        "w:val": 15}))
    return [el("w:zoom", {"w:percent": 100}), el("w:defaultTabStop", {"w:val": 420}),
            el("w:characterSpacingControl", {"w:val": "compressPunctuation"}),
            el("w:updateFields", {"w:val": "true"}), compat,
            el("w:themeFontLang", {"w:val": "en-US", "w:eastAsia": language}),
            el("w:decimalSymbol", {"w:val": "."}), el("w:listSeparator", {"w:val": ","})]


FONT_TABLE = (("Times New Roman", None, "00", "roman"), (FANGSONG, "仿宋", "86", "modern"),
              (KAITI, "楷体", "86", "modern"), (HEITI, "SimHei", "86", "modern"),
              (SONGTI, "SimSun", "86", "auto"), (XIAOBIAOSONG, "宋体", "86", "auto"))


def build_font_table_children() -> list:
    """Return the ``w:font`` entries naming the faces used (GB2312 charset for Chinese)."""
    fonts = []
    for name, alt, charset, family in FONT_TABLE:
        fonts.append(el("w:font", {"w:name": name},
                        el("w:altName", {"w:val": alt}) if alt else None,
                        el("w:charset", {"w:val": charset}), el("w:family", {"w:val": family}),
                        el("w:pitch", {"w:val": "variable"})))
    return fonts
