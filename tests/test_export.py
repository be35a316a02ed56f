"""`budgetdoc export`: the pack's tables as a workbook laid out as the document shows them, numbers
stored exactly; the facts as CSV and JSON; the same input gives the same bytes."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from views import table_bodies

from generator.commands.cli import main
from generator.pack.loading import load_pack

SHANGHAI_UNIT = ROOT / "units" / "putuo-commerce" / "2025.yaml"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    assert main(["export", "units", "-o", str(out), "-j", "1"]) == 0
    return out


def exact(value) -> Decimal:
    return Decimal(str(value))


def test_two_runs_give_the_same_bytes(exported, tmp_path, monkeypatch):
    assert main(["export", "units/datong-ggzyjy/2026.yaml", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "datong-ggzyjy-2026.xlsx").read_bytes() == (exported / "datong-ggzyjy-2026.xlsx").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")       # 2026-01-01 00:00 UTC: the budget year's default
    assert main(["export", "units/datong-ggzyjy/2026.yaml", "-o", str(tmp_path / "epoch")]) == 0
    assert (tmp_path / "epoch" / "datong-ggzyjy-2026.xlsx").read_bytes() == (exported / "datong-ggzyjy-2026.xlsx").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    assert main(["export", "units/datong-ggzyjy/2026.yaml", "-o", str(tmp_path / "later")]) == 0
    later = openpyxl.load_workbook(tmp_path / "later" / "datong-ggzyjy-2026.xlsx")
    assert later.properties.created.isoformat() == "2026-01-02T00:00:00"


def test_one_sheet_per_table_laid_out_as_declared(exported):
    book = openpyxl.load_workbook(exported / "datong-ggzyjy-2026.xlsx")
    assert book.sheetnames == [f"表{n}" for n in range(1, 14)]
    sheet = book["表3"]
    assert [sheet.cell(r, 1).value for r in (1, 2)] == ["预算公开表3", "2026年预算支出总表"]
    assert sheet["A3"].value == "单位名称：大同市公共资源交易中心（大同市政府采购中心）"
    assert sheet["D3"].value == "单位：万元"
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"A4:B4", "C4:E4", "A1:E1", "A2:E2"}
    assert [c.value for c in sheet[5]] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    assert sheet.freeze_panes == "A6" and sheet.print_title_rows == "$4:$5"
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "portrait"
    assert book["表2"].page_setup.orientation == "landscape"
    assert round(sheet.column_dimensions["B"].width) == round(76 * 96 / 25.4 / 7)      # 76 mm
    assert sheet["C6"].number_format == "0.00;-0.00;"                                   # 万元, zero blank


def test_wan_cells_hold_the_exact_yuan_over_ten_thousand(exported, seed_analysis):
    sheet = openpyxl.load_workbook(exported / "datong-ggzyjy-2026.xlsx")["表3"]
    rows = {sheet.cell(r, 1).value: [exact(sheet.cell(r, c).value) for c in (3, 4, 5)] for r in range(6, 20)
            if sheet.cell(r, 1).value}
    assert rows["208"] == [Decimal("38.708"), Decimal("38.708"), Decimal(0)]          # printed 38.71, its 项 13.99 + 24.71
    assert rows["2080501"][0] * 10000 == Decimal(139940)
    assert rows["合计"] == [Decimal("609.028"), Decimal("266.578"), Decimal("342.45")]


def test_every_figure_of_the_document_is_in_the_sheet(exported, seed_analysis):
    """Each figure cell of the document's tables, at its place in the sheet, holds its exact amount."""
    book = openpyxl.load_workbook(exported / "datong-ggzyjy-2026.xlsx")
    pack = load_pack("shanxi-datong")
    bodies = table_bodies(seed_analysis)
    for decl in pack.tables:
        sheet = book[f"表{decl.number}"]
        top = 3 + len(decl.header) + 1                 # label, title, meta, header rows; 1-based
        for r, row in enumerate(bodies[decl.id]):
            col = 1
            for cell in row:
                if cell.amount is not None:
                    assert exact(sheet.cell(top + r, col).value) * 10000 == cell.amount, (decl.number, r, col)
                col += cell.colspan


def test_yuan_sheets_with_separators(exported):
    sheet = openpyxl.load_workbook(exported / "putuo-commerce-2025.xlsx")["表2"]
    assert sheet["A2"].value == "编制单位：上海市普陀区商务委员会" and sheet["H2"].value == "单位：元"
    assert [c.value for c in sheet[5]][:3] == ["类", "款", "项"]
    assert sheet["E6"].value == 21601733 and sheet["E6"].number_format == "#,##0.00;-#,##0.00;"
    three_public = openpyxl.load_workbook(exported / "putuo-commerce-2025.xlsx")["表9"]     # 万元 with separators
    assert three_public["F2"].value == "单位：万元"
    assert (three_public["C6"].value, three_public["G6"].value) == (1, 171.0062)
    assert three_public["G6"].number_format == "#,##0.00;-#,##0.00;"


def test_json_lists_every_fact_exactly(tmp_path, seed_analysis):
    assert main(["export", "units/datong-ggzyjy/2026.yaml", "-o", str(tmp_path), "--format", "json"]) == 0
    data = json.loads((tmp_path / "datong-ggzyjy-2026.json").read_text(encoding="utf-8"))
    assert data["unit"]["slug"] == "datong-ggzyjy" and data["unit"]["amount_unit"] == "元"
    assert len(data["facts"]) == len(seed_analysis.facts.facts)
    first = data["facts"][0]
    assert first["amount"] == "1892900" and first["class_name"] == "一般公共服务支出" and first["subject_name"] == "行政运行"
    assert sum(Decimal(f["amount"]) for f in data["facts"] if f["axis"] == "function") == Decimal("6090280")


def test_csv_has_a_header_and_a_line_per_fact(tmp_path, seed_analysis):
    assert main(["export", "units/datong-ggzyjy/2026.yaml", "-o", str(tmp_path), "--format", "csv"]) == 0
    lines = (tmp_path / "datong-ggzyjy-2026.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("unit,unit_kind,year,axis,code,class_code,class_name")
    assert len(lines) == 1 + len(seed_analysis.facts.facts)


def test_a_unit_with_errors_is_not_exported(tmp_path, capsys):
    bad = tmp_path / "units" / "x" / "2026.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text(Path(ROOT / "units/datong-ggzyjy/2026.yaml").read_text(encoding="utf-8").replace("slug: datong-ggzyjy", "slug: x")
                   .replace("funds: {一般公共预算: 1892900}", "funds: {一般公共预算: -1}"), encoding="utf-8")
    assert main(["export", str(bad), "-o", str(tmp_path / "out")]) == 1
    assert "错误" in capsys.readouterr().out
    assert not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize("department", ["datong-xzsp-dept/2026.yaml", "putuo-commerce-dept/2025.yaml"])
def test_a_department_exports_the_tables_its_document_prints(exported, department):
    """A department's workbook is its document's tables (the pack's department overrides, its units'
    rows): every figure of every table the document prints is in that table's sheet, exactly."""
    from generator.core.money import UNIT_SHIFT
    from generator.docmodel import Table
    from generator.pack.unit import checked_document
    from generator.pack.wording import cn_num
    analysis, doc = checked_document(ROOT / "units" / department)
    assert doc is not None and analysis.department is not None
    pack = load_pack(analysis.budget.template)
    decls = {f"表{cn_num(d.number)}": d for d in pack.tables_of("department")}
    book = openpyxl.load_workbook(exported / f"{analysis.budget.unit.slug}-{analysis.budget.year}.xlsx")
    tables = [b for b in doc.blocks if isinstance(b, Table) and b.name in decls]      # not the 绩效目标表
    assert len(tables) >= 9
    for table in tables:
        decl = decls[table.name]
        sheet = book[f"表{decl.number}"]
        in_sheet = sorted(exact(c.value) for row in sheet.iter_rows() for c in row if isinstance(c.value, (int, float)))
        printed = sorted(c.amount.scaleb(UNIT_SHIFT[decl.money.unit]) for row in table.body for c in row if c.amount is not None)
        assert in_sheet == printed, table.name
