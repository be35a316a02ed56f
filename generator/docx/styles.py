"""The paragraph styles, docDefaults, settings and font table.

A style is a role — what it is to Word: its id and name, outline level, whether it keeps with the
next paragraph — and the look of its text, which is the document's (``docmodel.Look``: the pack's
``look:`` over the GB/T 9704 base). python-docx's default template is Japanese-flavoured (MS Mincho,
``w:eastAsia="ja-JP"`` via the theme); its styles, settings and font table are replaced wholesale by
what is built here.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from lxml import etree

from generator.docmodel import FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG, Look, TextLook
from generator.docx.ooxml import LATIN_FONT, Font, el, font_elements, mm_to_twips, paragraph_properties, tab_stop

BODY_TEXT_LEVEL = 9                 # w:outlineLvl of body text: not a heading


@dataclass(frozen=True)
class StyleRole:
    """What a style is to Word, whatever it looks like."""
    style_id: str
    name: str
    outline: int | None = None      # 0-based outline level (navigation pane, 目录, PDF bookmarks)
    keep_next: bool = False
    tab_leader: bool = False        # right tab at the text width with a dot leader (目录)
    based_on: str = "Normal"
    one_line: bool = False          # a title that must not wrap: set smaller to fit (docx/fit.py)
    built_in: bool = False          # one of Word's own styles (heading n, toc n, footer): no customStyle


@dataclass(frozen=True)
class StyleSpec:
    """A style as written: its role's fields and its look in Word's units."""
    style_id: str
    name: str
    font: Font
    align: str = "left"
    first_line_chars: int = 0       # hundredths of a character
    left_chars: int = 0
    line: int | None = None         # exact line height in twips; None = single
    before: int = 0
    after: int = 0
    outline: int | None = None
    keep_next: bool = False
    tab_leader: bool = False
    based_on: str = "Normal"
    char_spacing: int = 0           # extra space after each character, twips (spaces out "目录")
    one_line: bool = False
    built_in: bool = False


PARAGRAPH_ROLES: dict[str, StyleRole] = {
    "cover_title": StyleRole("CoverTitle", "封面标题"),
    "cover_subtitle": StyleRole("CoverSubtitle", "封面副标题"),
    "toc_title": StyleRole("TocTitle", "目录标题"),
    # The headings are Word's built-in "heading 1–3" (outline levels 1–3), so that every reader —
    # Word's navigation pane, screen readers, pandoc, the PDF's tags and bookmarks — sees them.
    "part": StyleRole("Heading1", "heading 1", outline=0, keep_next=True, built_in=True),
    "heading1": StyleRole("Heading2", "heading 2", outline=1, keep_next=True, built_in=True),
    "heading2": StyleRole("Heading3", "heading 3", outline=2, keep_next=True, built_in=True),
    "body": StyleRole("BodyText", "公文正文"),
    "table_label": StyleRole("TableLabel", "表号", keep_next=True),
    "table_title": StyleRole("TableTitle", "表标题", outline=1, keep_next=True, based_on="Heading2",
                             one_line=True),       # a heading of 第二部分
    "note": StyleRole("TableNote", "表注"),
    "chart_title": StyleRole("ChartTitle", "图标题", keep_next=True),
    "form_title": StyleRole("FormTitle", "表单标题", keep_next=True, one_line=True),
    "form_subtitle": StyleRole("FormSubtitle", "表单副标题", keep_next=True),
}
SECTION_BREAK = "section_break"     # the writer's own invisible paragraphs: 1 pt, in the tables' faces
HELPER_ROLES: dict[str, StyleRole] = {
    "table_meta": StyleRole("TableMeta", "表头信息", keep_next=True),
    "table_text": StyleRole("TableText", "表格文字"),
    "figure": StyleRole("Figure", "图表"),
    SECTION_BREAK: StyleRole("SectionBreak", "分节符"),
    "footer": StyleRole("Footer", "footer", built_in=True),
    "toc1": StyleRole("TOC1", "toc 1", tab_leader=True, built_in=True),
    "toc2": StyleRole("TOC2", "toc 2", tab_leader=True, built_in=True),
    "toc3": StyleRole("TOC3", "toc 3", tab_leader=True, built_in=True),
}
# A heading the 目录 does not list (the pack gives it no 目录 level): the heading's look and its
# place among the headings (based on it), but outline level "body text", which every 目录 skips.
UNLISTED_SUFFIX = "Unlisted"


def twips(points: float) -> int:
    return int(round(points * 20))


def spec_of(role: StyleRole, text: TextLook) -> StyleSpec:
    """The style of `role` with the look `text`, in Word's units."""
    return StyleSpec(
        role.style_id, role.name, Font(text.face, text.size_pt, text.bold, text.latin), align=text.align,
        first_line_chars=int(round(text.indent_chars * 100)), left_chars=int(round(text.left_chars * 100)),
        line=twips(text.line_pt) if text.line_pt else None, before=twips(text.before_pt), after=twips(text.after_pt),
        outline=role.outline, keep_next=role.keep_next, tab_leader=role.tab_leader, based_on=role.based_on,
        char_spacing=twips(text.spacing_pt), one_line=role.one_line, built_in=role.built_in)


@dataclass(frozen=True)
class StyleSheet:
    """Every style of a document, by key, in the styles part's order; `text_mm` is the body's text
    width (the 目录's right tab stop)."""
    specs: Mapping[str, StyleSpec]
    text_mm: float

    def __getitem__(self, key: str) -> StyleSpec:
        return self.specs[key]


@lru_cache(maxsize=16)
def style_sheet(look: Look) -> StyleSheet:
    """The styles of a document of `look`: each role with its look, then the unlisted headings."""
    specs = {key: spec_of(role, section_break_look(look) if key == SECTION_BREAK else look.style(key))
             for key, role in {**PARAGRAPH_ROLES, **HELPER_ROLES}.items()}
    for key in PARAGRAPH_ROLES:
        spec = specs[key]
        if spec.outline is not None:
            specs[f"{key}_unlisted"] = replace(spec, style_id=spec.style_id + UNLISTED_SUFFIX, name=f"{spec.name} (目录不列)",
                                               outline=BODY_TEXT_LEVEL, based_on=spec.style_id, built_in=False)
    return StyleSheet(MappingProxyType(specs), look.page.text_width_mm(look.page.landscape))


def section_break_look(look: Look) -> TextLook:
    """The look of a paragraph that only ends a section, breaks a page or keeps two tables apart:
    as small as Word allows (1 pt), in the faces of the tables it mostly stands between."""
    table = look.style("table_text")
    return TextLook(table.face, 1, line_pt=1, latin=table.latin)


def default_font(look: Look) -> Font:
    """The docDefaults' and Normal's font: the body's face and size."""
    body = look.style("body")
    return Font(body.face, body.size_pt, latin=body.latin)


def build_styles_children(language: str, look: Look) -> list:
    """Return the children of ``w:styles``: docDefaults, Normal and every writer style."""
    sheet = style_sheet(look)
    normal = el("w:style", {"w:type": "paragraph", "w:default": 1, "w:styleId": "Normal"},
                el("w:name", {"w:val": "Normal"}), el("w:qFormat"),
                paragraph_properties(align="justify"), el("w:rPr", None, *font_elements(default_font(look))))
    char_default = el("w:style", {"w:type": "character", "w:default": 1,
                                  "w:styleId": "DefaultParagraphFont"},
                      el("w:name", {"w:val": "Default Paragraph Font"}), el("w:uiPriority", {"w:val": 1}),
                      el("w:semiHidden"), el("w:unhideWhenUsed"))
    table_default = el("w:style", {"w:type": "table", "w:default": 1, "w:styleId": "TableNormal"},
                       el("w:name", {"w:val": "Normal Table"}), el("w:semiHidden"),
                       el("w:unhideWhenUsed"), el("w:tblPr", None, table_cell_margins()))
    styles = [build_style(spec, sheet) for spec in sheet.specs.values()]
    return [build_doc_defaults(language, default_font(look)), normal, char_default, table_default, *styles]


def build_doc_defaults(language: str, font: Font) -> etree._Element:
    """Return ``w:docDefaults``: the body's faces (仿宋_GB2312 / Times New Roman), `language` (zh-CN)
    for Latin and East Asian text alike (a PDF takes its language from it), no paragraph spacing."""
    run_defaults = el("w:rPr", None, *font_elements(font),
                      el("w:lang", {"w:val": language, "w:eastAsia": language, "w:bidi": "ar-SA"}))
    return el("w:docDefaults", None,
              el("w:rPrDefault", None, run_defaults),
              el("w:pPrDefault", None, el("w:pPr", None, el("w:spacing", {"w:before": 0, "w:after": 0}))))


def table_cell_margins() -> etree._Element:
    """Return small left/right cell margins (1 mm), none above and below."""
    sides = [el(f"w:{side}", {"w:w": width, "w:type": "dxa"})
             for side, width in (("top", 0), ("left", 57), ("bottom", 0), ("right", 57))]
    return el("w:tblCellMar", None, *sides)


def build_style(spec: StyleSpec, sheet: StyleSheet) -> etree._Element:
    """Return the ``w:style`` element of a paragraph style spec (a heading is in the style gallery)."""
    attrs: dict[str, object] = {"w:type": "paragraph", "w:styleId": spec.style_id}
    if not spec.built_in:
        attrs["w:customStyle"] = 1
    heading = spec.outline is not None
    gallery = not spec.built_in or heading
    return el("w:style", attrs, el("w:name", {"w:val": spec.name}),
              el("w:basedOn", {"w:val": spec.based_on}),
              el("w:next", {"w:val": sheet["body"].style_id}) if heading else None,
              el("w:uiPriority", {"w:val": 9}) if heading else None,
              el("w:qFormat") if gallery else None,
              style_paragraph_properties(spec, sheet.text_mm), style_run_properties(spec))


def style_run_properties(spec: StyleSpec) -> etree._Element:
    """Return the ``w:rPr`` of a style spec: its font, and its character spacing if any."""
    children = font_elements(spec.font)
    if spec.char_spacing:
        children.insert(-2, el("w:spacing", {"w:val": spec.char_spacing}))     # before w:sz, w:szCs
    return el("w:rPr", None, *children)


def style_paragraph_properties(spec: StyleSpec, text_mm: float) -> etree._Element:
    """Return the ``w:pPr`` of a style spec; a 目录 line's right tab stop is at `text_mm`."""
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
    tabs = [tab_stop(mm_to_twips(text_mm), "right", "dot")] if spec.tab_leader else None
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


def faces_used(look: Look) -> list[str]:
    """Every face the document's text is set in (East Asian and Latin), in the order of the styles."""
    fonts = [spec.font for spec in style_sheet(look).specs.values()]
    faces = [face for font in fonts for face in (font.east_asia, font.latin)] + [look.chart.face, look.chart.latin]
    return list(dict.fromkeys(faces))


def font_table_entries(look: Look) -> list[FontEntry | str]:
    """The faces ``word/fontTable.xml`` describes: those of FONT_TABLE that the document uses or that
    stand in for one it uses (仿宋 for 仿宋_GB2312), in its order; then a used face it does not know,
    by name only."""
    used = faces_used(look)
    known = {font.name: font for font in FONT_TABLE}
    wanted = set(used) | {known[face].alt for face in used if face in known}
    return [font for font in FONT_TABLE if font.name in wanted] + [face for face in used if face not in known]


def build_font_table_children(look: Look) -> list:
    """Return the ``w:font`` entries of the faces used and of their substitutes (FONT_TABLE)."""
    return [el("w:font", {"w:name": font}) if isinstance(font, str) else
            el("w:font", {"w:name": font.name},
               el("w:altName", {"w:val": font.alt}) if font.alt else None,
               el("w:panose1", {"w:val": font.panose}), el("w:charset", {"w:val": font.charset}),
               el("w:family", {"w:val": font.family}), el("w:pitch", {"w:val": font.pitch}),
               el("w:sig", dict(zip(SIG_ATTRIBUTES, font.sig))))
            for font in font_table_entries(look)]
