"""What a file given as a workbook really is, told from its first bytes, not from its name.

A budget system's "Excel" export is not always one: some write an HTML page named .xls, a workbook
may be protected by a password (then it is an OLE compound file holding an encrypted package), a
file may be cut short or be something else renamed. Each is refused here with what it is and what to
do, before a reader library sees it; a zip whose parts would unpack to more than a workbook can hold
(a "zip bomb") is refused from its directory, without unpacking it.
"""
from __future__ import annotations

import io
import re
import zipfile

ZIP = b"PK\x03\x04"
OLE = bytes.fromhex("D0CF11E0A1B11AE1")              # compound file: .xls, or an encrypted .xlsx
MAX_UNPACKED_BYTES = 256 * 1024 * 1024               # a unit's 公开表 unpacks to ~1 MB
MARKUP = re.compile(rb"\s*(<\?xml|<!doctype|<html|<table|<head|<body|<meta|<!--)", re.I)
SAVE_AS = "请在 Excel 或 WPS 中打开，另存为 Excel 工作簿（.xlsx）后再导入"


class NotAWorkbook(Exception):
    """Why the bytes are no workbook, in Chinese."""


def workbook_kind(data: bytes) -> str:
    """'xlsx' or 'xls' by the bytes; NotAWorkbook with the reason otherwise."""
    head = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if data.startswith(ZIP):
        check_zip(data)
        return "xlsx"
    if data.startswith(OLE):
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise NotAWorkbook("设有打开密码（文件已加密），无法读取；请在 Excel 或 WPS 中取消密码后另存，再导入")
        return "xls"
    if not data:
        raise NotAWorkbook("是空文件（0 字节）")
    if MARKUP.match(head[:1024]):
        raise NotAWorkbook(f"实际是网页或 XML 文本（HTML/XML），不是 Excel 工作簿；{SAVE_AS}")
    raise NotAWorkbook(f"不是 Excel 工作簿（既不是 .xlsx 的压缩包格式，也不是 .xls 的格式）；{SAVE_AS}")


def check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise NotAWorkbook(f"已损坏或不完整（压缩包无法打开），可能下载或复制时被截断；{SAVE_AS}") from None
    names = {p.filename for p in parts}
    if "[Content_Types].xml" not in names or not any(n.endswith("workbook.xml") for n in names):
        raise NotAWorkbook(f"是压缩包，但其中没有 Excel 工作簿（缺少 xl/workbook.xml）；{SAVE_AS}")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise NotAWorkbook(f"解压后有 {unpacked} 字节，超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB；单位的公开表远小于此，"
                           "请检查是否选错了文件")
