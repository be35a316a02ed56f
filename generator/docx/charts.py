"""Native, editable Word charts (DESIGN.md §8).

python-pptx's ``ChartXmlWriter`` produces the DrawingML ``c:chartSpace``; this module adds the
Chinese title, data labels, legend and East Asian fonts, embeds the data as a workbook
(``/word/embeddings/Microsoft_Excel_Sheet{n}.xlsx``, referenced by ``c:externalData`` so that
Word's "Edit Data" works) and returns the paragraph holding the inline chart.
"""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import xlsxwriter
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.chart.xmlwriter import ChartXmlWriter
from pptx.enum.chart import XL_CHART_TYPE

from generator.docmodel import Chart, TextLook
from generator.docx.ooxml import Font, el, paragraph_properties, run_properties
from generator.docx.styles import StyleSheet

CHART_TYPES = {"pie": XL_CHART_TYPE.PIE, "bar": XL_CHART_TYPE.COLUMN_CLUSTERED}
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
EMU_PER_MM = 36000


def add_chart(document_part, chart: Chart, number: int, created: dt.datetime, text: TextLook,
              sheet: StyleSheet) -> etree._Element:
    """Add chart part `number` (and its workbook) to the package; return its ``w:p``. The chart's
    text is in `text` (the look's chart), its title in the chart_title style's font."""
    package = document_part.package
    workbook = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Sheet{number}.xlsx"),
                    CT.SML_SHEET, workbook_bytes(chart, created), package)
    text_font = Font(text.face, text.size_pt, text.bold, text.latin)
    space = chart_space(chart, text_font, sheet["chart_title"].font)
    chart_part = XmlPart(PackURI(f"/word/charts/chart{number}.xml"), CT.DML_CHART, space, package)
    space.append(el("c:externalData", {"r:id": chart_part.relate_to(workbook, RT.PACKAGE)},
                    el("c:autoUpdate", {"val": 0})))
    etree.cleanup_namespaces(space)
    return chart_paragraph(chart, document_part.relate_to(chart_part, RT.CHART), number, sheet)


def chart_values(chart: Chart) -> list[Decimal | None]:
    """Return the printed values as numbers; a blank value is a gap."""
    return [Decimal(value.replace(",", "")) if value.strip() else None for value in chart.values]


def series_name(chart: Chart) -> str:
    return chart.series_name or chart.title or "数值"


def chart_space(chart: Chart, text: Font, title: Font) -> etree._Element:
    """Return the ``c:chartSpace`` element of `chart`, fonts, title, labels and legend set."""
    data = CategoryChartData(number_format=chart.number_format)
    data.categories = chart.categories
    data.add_series(series_name(chart), chart_values(chart))
    space = parse_xml(ChartXmlWriter(CHART_TYPES[chart.kind], data).xml.encode("utf-8"))
    renumber_axes(space)
    date1904 = space.find(qn("c:date1904"))
    position = 1 if date1904 is not None else 0
    space.insert(position, el("c:lang", {"val": "zh-CN"}))
    space.insert(position + 1, el("c:roundedCorners", {"val": 0}))
    decorate_chart(space.find(qn("c:chart")), chart, title)
    space.replace(space.find(qn("c:txPr")), text_properties(text))
    return space


AXIS_ID_TAGS = (qn("c:axId"), qn("c:crossAx"))
FIRST_AXIS_ID = 100000001


def renumber_axes(space) -> None:
    """Give the axes small positive ids in order of appearance: python-pptx's template has negative
    ones, which the schema (an unsigned int) does not allow."""
    ids: dict[str, str] = {}
    for element in space.iter(*AXIS_ID_TAGS):
        value = element.get("val")
        element.set("val", ids.setdefault(value, str(FIRST_AXIS_ID + len(ids))))


def decorate_chart(chart_element, chart: Chart, title: Font) -> None:
    """Add the title (in `title`), the data labels and the legend to ``c:chart``."""
    auto_deleted = chart_element.find(qn("c:autoTitleDeleted"))
    auto_deleted.set("val", "0" if chart.title else "1")
    if chart.title:
        chart_element.insert(0, title_element(chart.title, title))
    for series in chart_element.iter(qn("c:ser")):
        series.find(qn("c:cat")).addprevious(data_labels(chart))
    plot_area = chart_element.find(qn("c:plotArea"))
    plot_area.addnext(el("c:plotVisOnly", {"val": 1}))
    if chart.kind == "pie" or chart.series_name:
        plot_area.addnext(legend_element())


def font_children(font: Font) -> list:
    return [el("a:latin", {"typeface": font.latin}), el("a:ea", {"typeface": font.east_asia}),
            el("a:cs", {"typeface": font.latin})]


def hundredths(font: Font) -> int:
    """A DrawingML size (``sz``): hundredths of a point."""
    return int(round(font.size_pt * 100))


def text_properties(font: Font) -> etree._Element:
    """Return a ``c:txPr`` giving `font`'s faces and size to the chart's text."""
    default = el("a:defRPr", {"sz": hundredths(font), "b": int(font.bold)}, *font_children(font))
    paragraph = el("a:p", None, el("a:pPr", None, default),
                   el("a:endParaRPr", {"lang": "zh-CN", "altLang": "en-US"}))
    return el("c:txPr", None, el("a:bodyPr"), el("a:lstStyle"), paragraph)


def title_element(title: str, font: Font) -> etree._Element:
    """Return a ``c:title`` with `title` as rich text in `font` (黑体 四号)."""
    size, bold = hundredths(font), int(font.bold)
    run_props = el("a:rPr", {"lang": "zh-CN", "altLang": "en-US", "sz": size, "b": bold}, *font_children(font))
    text = el("a:t")
    text.text = title
    default = el("a:defRPr", {"sz": size, "b": bold}, *font_children(font))
    paragraph = el("a:p", None, el("a:pPr", None, default), el("a:r", None, run_props, text))
    rich = el("c:rich", None, el("a:bodyPr"), el("a:lstStyle"), paragraph)
    return el("c:title", None, el("c:tx", None, rich), el("c:overlay", {"val": 0}))


def data_labels(chart: Chart) -> etree._Element:
    """Return ``c:dLbls``: the printed value; on a pie also the category name.

    A pie shows values rather than percentages so that no figure is computed by the chart
    program (its percentages of rounded values could differ from the text by 0.01).
    """
    pie = chart.kind == "pie"
    separator = el("c:separator")
    separator.text = "\n"
    flags = [("showLegendKey", 0), ("showVal", 1), ("showCatName", int(pie)),
             ("showSerName", 0), ("showPercent", 0), ("showBubbleSize", 0)]
    return el("c:dLbls", None,
              el("c:numFmt", {"formatCode": chart.number_format, "sourceLinked": 0}),
              el("c:dLblPos", {"val": "bestFit" if pie else "outEnd"}),
              *[el(f"c:{name}", {"val": value}) for name, value in flags],
              separator if pie else None,
              el("c:showLeaderLines", {"val": 1}) if pie else None)


def legend_element() -> etree._Element:
    return el("c:legend", None, el("c:legendPos", {"val": "b"}), el("c:overlay", {"val": 0}))


def workbook_bytes(chart: Chart, created: dt.datetime) -> bytes:
    """Return the chart's data as an .xlsx (Sheet1: categories in A, values in B)."""
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    workbook.set_properties({"created": created})
    sheet = workbook.add_worksheet("Sheet1")
    number_format = workbook.add_format({"num_format": chart.number_format})
    sheet.write_string(0, 1, series_name(chart))
    for row, (category, value) in enumerate(zip(chart.categories, chart_values(chart)), start=1):
        sheet.write_string(row, 0, category)
        if value is not None:
            sheet.write_number(row, 1, float(value), number_format)
    sheet.set_column(0, 0, 30)
    workbook.close()
    return stream.getvalue()


def chart_paragraph(chart: Chart, rid: str, number: int, sheet: StyleSheet) -> etree._Element:
    """Return a centred paragraph holding the chart inline at its size."""
    extent = {"cx": int(chart.width_mm * EMU_PER_MM), "cy": int(chart.height_mm * EMU_PER_MM)}
    graphic = el("a:graphic", None, el("a:graphicData", {"uri": CHART_URI},
                                       el("c:chart", {"r:id": rid})))
    inline = el("wp:inline", {"distT": 0, "distB": 0, "distL": 0, "distR": 0},
                el("wp:extent", extent),
                el("wp:effectExtent", {"l": 0, "t": 0, "r": 0, "b": 0}),
                el("wp:docPr", {"id": number, "name": f"图表 {number}", "title": chart.title,
                                "descr": chart.alt_text}),
                el("wp:cNvGraphicFramePr"), graphic)
    spec = sheet["figure"]
    run = el("w:r", None, run_properties(spec.font), el("w:drawing", None, inline))
    return el("w:p", None, paragraph_properties(spec.style_id), run)
