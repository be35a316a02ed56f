"""A workbook with the defects real exports have: one clear message for each, at its sheet!cell, exit 1,
no traceback, and no unit file (not even part of one). Each workbook is the seed's export, changed
with openpyxl as a budget system or a hand would change it."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from generator.commands.cli import main


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("books")
    assert main(["export", "units/datong-ggzyjy/2026.yaml", "-o", str(out)]) == 0
    return out / "datong-ggzyjy-2026.xlsx"


def changed(seed_book: Path, tmp_path: Path, *changes) -> Path:
    book = openpyxl.load_workbook(seed_book)
    for change in changes:
        change(book)
    target = tmp_path / "datong-ggzyjy-2026.xlsx"
    book.save(target)
    return target


def run_import(book: Path, tmp_path: Path, capsys) -> tuple[int, list[str], str, Path]:
    target = tmp_path / "units" / "datong-ggzyjy" / "2026.yaml"
    capsys.readouterr()
    code = main(["import", str(book), "-o", str(target)])
    out, err = capsys.readouterr()
    return code, [line for line in out.splitlines() if line], err, target


def wrong_total(book):                        # 表3's 合计 row says 700.00万元; its rows add up to 609.03
    book["表3"]["C6"] = 700


def text_for_a_number(book):                  # 表5, 2010301 行政运行 · 基本支出: a word, not a number
    book["表5"]["D9"] = "十八万九"


def missing_sheet(book):                      # 表7 政府性基金预算收入表 left out
    del book["表7"]


def trailing_space(book):                     # "表8 " — found all the same
    book["表8"].title = "表8 "


def header_variant(book):                     # 表2's 单位资金 column headed 单位资金收入
    book["表2"]["H5"] = "单位资金收入"


def formula_without_value(book):              # 表12 合计 of a project as a formula nobody calculated
    book["表12"]["B9"] = "=SUM(C9:G9)"


def test_each_defect_gives_one_message_at_its_cell(seed_book, tmp_path, capsys):
    book = changed(seed_book, tmp_path, wrong_total, text_for_a_number, missing_sheet, trailing_space, header_variant,
                   formula_without_value)
    code, lines, err, target = run_import(book, tmp_path, capsys)
    name = str(book)
    assert code == 1
    assert lines == [                                        # in the workbook's order
        f"{name}: 错误：工作簿中没有表7“政府性基金预算收入表（不含上年结转）”：按表号（如“表7”“预算公开表7”）和表内标题都没有找到这张表",
        f"{name}:表2!H5: 警告：表头“单位资金收入”按模板包的“单位资金”读取",
        f"{name}:表3!C6: 错误：合计·合计：表中为 700.00万元，由各表明细（20个单元格）推算应为 609.028万元（相差 90.972万元）",
        f"{name}:表5!D9: 错误：2010301 行政运行·基本支出：应为金额，却是文字“十八万九”",
        f"{name}:表8: 警告：工作表名“表8 ”前后有空格，已按“表8”读取",
        f"{name}:表12!B9: 错误：Z网络安全运维服务·2：公式“=SUM(C9:G9)”没有保存计算结果：工作簿是由不计算公式的程序写出的；"
        "请在 Excel 或 WPS 中打开、保存后再导入（本程序不代为计算）",
    ]
    assert "Traceback" not in err and "未写出单位文件" in err
    assert not target.parent.exists() or not list(target.parent.iterdir())      # not even a temporary file


def huge_number(book):                        # 表5 D9 a float beyond any budget (Decimal could not round it: a traceback)
    book["表5"]["D9"] = 1e308


def huge_number_as_text(book):
    book["表5"]["D9"] = "9" * 400


@pytest.mark.parametrize("change, expected", [
    (huge_number, ":表5!D9: 错误：2010301 行政运行·基本支出：金额 1E+308 万元 大得不合理（应小于1万亿元），请检查单元格"),
    (huge_number_as_text, ":表5!D9: 错误：2010301 行政运行·基本支出：金额 9999999999999999…99999999（共 400 个字符） 万元 "
                          "大得不合理（应小于1万亿元），请检查单元格"),
    (wrong_total, ":表3!C6: 错误：合计·合计：表中为 700.00万元"),
    (text_for_a_number, ":表5!D9: 错误：2010301 行政运行·基本支出：应为金额，却是文字“十八万九”"),
    (missing_sheet, ": 错误：工作簿中没有表7“政府性基金预算收入表（不含上年结转）”"),
    (formula_without_value, ":表12!B9: 错误：Z网络安全运维服务·2：公式“=SUM(C9:G9)”没有保存计算结果"),
])
def test_one_error_alone_stops_the_import(seed_book, tmp_path, capsys, change, expected):
    code, lines, err, target = run_import(changed(seed_book, tmp_path, change), tmp_path, capsys)
    assert code == 1 and len(lines) == 1 and expected in lines[0]
    assert not (tmp_path / "units").exists() or not any((tmp_path / "units").rglob("*.yaml"))


@pytest.mark.parametrize("change, expected", [
    (trailing_space, ":表8: 警告：工作表名“表8 ”前后有空格，已按“表8”读取"),
    (header_variant, ":表2!H5: 警告：表头“单位资金收入”按模板包的“单位资金”读取"),
])
def test_a_tolerated_defect_is_reported_and_the_unit_written(seed_book, tmp_path, capsys, change, expected):
    code, lines, err, target = run_import(changed(seed_book, tmp_path, change), tmp_path, capsys)
    assert code == 0 and len(lines) == 1 and expected in lines[0]
    assert target.is_file()


def numbers_as_text(book):
    """What some exports write: 表3's amounts as text, with separators, and a dash for zero (表3's figures are
    compared with the leaves the other tables give: a text misread would be a difference at its cell)."""
    sheet = book["表3"]
    for row in sheet.iter_rows(min_row=6):
        for cell in row[2:]:
            if isinstance(cell.value, float | int):
                cell.value = "-" if cell.value == 0 else f"{cell.value:,}"


def test_numbers_as_text_are_read(seed_book, tmp_path, capsys):
    code, lines, err, target = run_import(changed(seed_book, tmp_path, numbers_as_text), tmp_path, capsys)
    assert code == 0 and lines == []


def renamed_and_prefixed(book):
    """Sheet names as budget systems write them, the title kept inside."""
    for sheet, name in (("表1", "预算公开表1"), ("表9", "部门公开表9"), ("表3", "2.15 预算支出总表"), ("表6", "预算公开表6")):
        book[sheet].title = name


def test_sheets_are_found_by_number_or_title(seed_book, tmp_path, capsys):
    code, lines, err, target = run_import(changed(seed_book, tmp_path, renamed_and_prefixed), tmp_path, capsys)
    assert code == 0 and lines == []
    text = target.read_text(encoding="utf-8")
    assert "# 预算公开表6!" in text and "# 表6!" not in text        # 表6's leaves, read from the renamed sheet


def untitled(book):
    """No title row: the sheet is known by its name only."""
    for sheet in book.worksheets:
        sheet["A2"] = None


def test_a_sheet_without_its_title_is_found_by_its_name(seed_book, tmp_path, capsys):
    book = changed(seed_book, tmp_path, untitled)
    assert main(["import", str(book), "-o", str(tmp_path / "x" / "2026.yaml")]) == 2      # no title: which pack?
    assert "无法判断工作簿属于哪个模板包" in capsys.readouterr().err
    target = tmp_path / "units" / "datong-ggzyjy" / "2026.yaml"
    assert main(["import", str(book), "--pack", "shanxi-datong", "-o", str(target)]) == 0   # the year from 2026年合计
    assert "year: 2026" in target.read_text(encoding="utf-8")


SAVE_AS = "请在 Excel 或 WPS 中打开，另存为 Excel 工作簿（.xlsx）后再导入"


def cut_short(path: Path, seed_book: Path) -> None:
    path.write_bytes(seed_book.read_bytes()[:3000])


def encrypted(path: Path, seed_book: Path) -> None:
    """What Excel saves with an opening password: a compound file holding EncryptionInfo and EncryptedPackage."""
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(4000))


@pytest.mark.parametrize("name, make, expected", [
    ("x.xlsx", lambda p, s: p.write_text("not a zip", encoding="utf-8"),
     f"不是 Excel 工作簿（既不是 .xlsx 的压缩包格式，也不是 .xls 的格式）；{SAVE_AS}"),
    ("x.xls", lambda p, s: p.write_text("<html><table><tr><td>2026年预算收支总表</td></tr></table></html>", encoding="utf-8"),
     f"实际是网页或 XML 文本（HTML/XML），不是 Excel 工作簿；{SAVE_AS}"),
    ("x.xlsx", cut_short, f"已损坏或不完整（压缩包无法打开），可能下载或复制时被截断；{SAVE_AS}"),
    ("x.xlsx", encrypted, "设有打开密码（文件已加密），无法读取；请在 Excel 或 WPS 中取消密码后另存，再导入"),
    ("x.xlsx", lambda p, s: p.write_bytes(b""), "是空文件（0 字节）"),
])
def test_not_a_workbook_is_a_usage_error_that_says_what_it_is(seed_book, tmp_path, capsys, name, make, expected):
    """Told from the bytes, not the reader library's English (BadZipFile: File is not a zip file)."""
    path = tmp_path / name
    make(path, seed_book)
    assert main(["import", str(path), "-o", str(tmp_path / "units/x/2026.yaml")]) == 2
    assert capsys.readouterr().err == f"budgetdoc: 错误：工作簿 {path} {expected}\n"
    assert not (tmp_path / "units").exists()


def far_cell(book):                           # a stray mark in the sheet's last cell
    book["表4"].cell(1048576, 16384, "x")


def with_far_merge(book: Path) -> Path:
    """A merged range reaching the sheet's last cell, written into 表2's XML (openpyxl would make a
    cell object for each of its 17 billion cells)."""
    import zipfile
    target = book.with_name("merged.xlsx")
    with zipfile.ZipFile(book) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for part in old.infolist():
            data = old.read(part)
            if part.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b'<mergeCell ref="', b'<mergeCell ref="A100:XFD1048576"/><mergeCell ref="', 1)
            new.writestr(part, data)
    return target


@pytest.mark.parametrize("change, where", [(far_cell, "表4!XFD1048576"), (None, "表2!XFD1048576")])
def test_a_cell_beyond_any_table_is_refused_at_it(seed_book, tmp_path, capsys, change, where):
    """Every scan of a sheet goes over its rows and columns: a cell at XFD1048576 made that 17 billion
    cells, and the import never ended."""
    book = changed(seed_book, tmp_path, change) if change else with_far_merge(seed_book)
    assert main(["import", str(book), "-o", str(tmp_path / "units/x/2026.yaml")]) == 2
    assert capsys.readouterr().err == (f"budgetdoc: 错误：工作簿 {book} 的 {where} 超出了公开表的范围（最多 65536 行、256 列）；"
                                       "请删去该处的内容或合并单元格后再导入\n")


def test_a_zip_that_would_unpack_to_gigabytes_is_refused_unread(tmp_path, capsys):
    import zipfile
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(300):
                part.write(bytes(1 << 20))
    assert main(["import", str(path), "-o", str(tmp_path / "units/x/2026.yaml")]) == 2
    assert capsys.readouterr().err == (f"budgetdoc: 错误：工作簿 {path} 解压后有 314572819 字节，超过 256 MB；"
                                       "单位的公开表远小于此，请检查是否选错了文件\n")


def test_the_unit_file_is_named_from_the_workbook(seed_book, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["import", str(seed_book)]) == 0                          # datong-ggzyjy-2026.xlsx
    assert (tmp_path / "units" / "datong-ggzyjy" / "2026.yaml").is_file()
    other = tmp_path / "公开表.xlsx"
    other.write_bytes(seed_book.read_bytes())
    capsys.readouterr()
    assert main(["import", str(other)]) == 2
    assert "请用 -o units/<单位标识>/<年度>.yaml 指定单位文件" in capsys.readouterr().err
