"""Stage 1 of reading a spreadsheet: bytes -> sheets (plain grids of cell values), never raising.

Every reader returns :class:`Sheet` objects whose ``rows[i]`` is Excel row ``i + 1``, so problems can
be reported in A1 style, plus whether the sheet is hidden and whether it was the active tab. Merged
cells are filled with their top-left value (officials merge header cells and township cells; what
they mean is "this value applies to every cell of the range").

The format is decided by the content, not the file name: older government systems export HTML
tables, Excel 2003 XML (SpreadsheetML) or tab-separated text under a ``.xls`` name, and a workbook
protected by 用密码进行加密 is an OLE container holding an ``EncryptionInfo`` stream.

Numbers are read exactly. calamine (Rust, ~10x openpyxl) gives floats; for .xlsx the sheet XML
(found through the workbook relationships, never by file numbering) is scanned for numeric cells of
16 or more digits, whose stored text replaces the float as a :class:`StoredNumber`: an 18-digit
integer written by a program stays exact, and the cell stage can tell a code typed as a number.

CSV encoding: a strict cascade UTF-8 (BOM tolerated) → GB18030 (a superset of GBK and GB2312, what
Chinese Excel writes for "CSV (逗号分隔)"). It is predictable: a file either decodes exactly or is
rejected with IMPORT_ENCODING; statistical detectors guess on short files.
"""

from __future__ import annotations

import csv
import errno
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from generator.intake.catalog import Problem, problem

MAX_FILE_BYTES = 200 * 1024 * 1024  # ten times the largest county directory we have seen as .xlsx
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


class StoredNumber(str):
    """The exact text of a number cell too long for a float (``"913213237601895000"``)."""


class PaddedNumber(str):
    """What a number cell shows under a zero-padding format: 123 formatted ``00000`` is ``"00123"``.

    A clerk who typed the code 00123 into a number cell and gave the column the format 00000 (the
    usual way to "keep the zeros") sees 00123 in Excel; the file holds 123. Read as the clerk saw it."""


@dataclass
class Sheet:
    name: str
    rows: list[list[object]] = field(default_factory=list)
    hidden: bool = False
    active: bool = False
    hidden_rows: frozenset[int] = frozenset()  # 1-based Excel rows hidden by hand or by a filter
    hidden_cols: frozenset[int] = frozenset()  # 0-based columns hidden by hand
    delimited: bool = False  # CSV or tab-separated text: a row's fields are not bounded by cells


def read_tables(path: Path) -> tuple[list[Sheet], list[Problem]]:
    """All sheets of a spreadsheet file (a CSV or text file is one sheet named after the file)."""
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return [], [problem("IMPORT_FILE_UNREADABLE", path.name, detail="文件超过 200 MB")]
        data = path.read_bytes()
    except OSError as exc:
        return [], [problem("IMPORT_FILE_UNREADABLE", path.name, detail=_os_reason(exc))]
    return read_bytes(data, suffix, path.stem if suffix in (".csv", ".txt") else path.name)


_OS_REASONS = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ELOOP: "是符号链接循环",
    errno.EISDIR: "是一个文件夹",
    errno.EIO: "读取时磁盘出错",
    errno.ENOENT: "文件不存在",
}


def _os_reason(exc: OSError) -> str:
    """A Chinese reason for a failed read (never the C library's English)."""
    return _OS_REASONS.get(
        exc.errno or 0, f"系统错误 {errno.errorcode.get(exc.errno or 0, type(exc).__name__)}"
    )


def sniff(data: bytes, suffix: str) -> str:
    """``xlsx``, ``ole`` (.xls or an encrypted workbook), ``xml2003``, ``html`` or ``text``."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "ole"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:8192].decode("utf-16", "ignore").encode("utf-8").lstrip(b"\xef\xbb\xbf \r\n").lower()
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml2003"
    if head.startswith(b"<") and b"<table" in data[:65536].lower():  # a CSV cell may mention <table>
        return "html"
    return "text"


def read_bytes(data: bytes, suffix: str, name: str) -> tuple[list[Sheet], list[Problem]]:
    if suffix not in (".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".htm", ".html", ".xml"):
        return [], [problem("IMPORT_FILE_TYPE", name, suffix or name)]
    kind = sniff(data, suffix)
    if kind == "ole" and ENCRYPTION_STREAM in data:
        return [], [problem("IMPORT_FILE_ENCRYPTED", name)]
    try:
        if kind in ("xlsx", "ole"):
            return _read_workbook(data, name)
        if kind in ("xml2003", "html"):
            from generator.intake.legacy import read_html, read_spreadsheet_ml

            text, bad = decode_text(data)
            if text is None:
                return [], [problem("IMPORT_ENCODING", name, bad)]
            return (read_spreadsheet_ml if kind == "xml2003" else read_html)(text, name)
        return _read_csv(data, name)
    except Exception as exc:  # noqa: BLE001 - any broken file must become a finding, not a traceback
        if re.search(r"password|encrypt", str(exc), re.I):
            return [], [problem("IMPORT_FILE_ENCRYPTED", name)]
        detail = f"{type(exc).__name__}: {str(exc)[:80]}"
        return [], [problem("IMPORT_FILE_UNREADABLE", name, detail=detail)]


def _read_workbook(data: bytes, name: str) -> tuple[list[Sheet], list[Problem]]:
    """.xlsx, .xlsm and .xls through calamine; empty cells become None, merged ranges are filled."""
    from python_calamine import CalamineWorkbook

    if data.startswith(b"PK\x03\x04"):  # sized before calamine makes a dense grid of each sheet
        refused = _refuse_oversized(data, name)
        if refused:
            return [], refused
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in book.sheets_metadata:
        sheet = book.get_sheet_by_name(meta.name)
        rows = [[None if v == "" else v for v in row] for row in sheet.to_python(skip_empty_area=False)]
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:  # 0-based, inclusive
            fill(rows, r0 + 1, r1 + 1, c0 + 1, c1 + 1)
        hidden = str(meta.visible).rsplit(".", 1)[-1] != "Visible"  # Hidden or VeryHidden
        sheets.append(Sheet(meta.name, rows, hidden=hidden))
    problems: list[Problem] = []
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts, active = sheet_parts(zf)
            padded = _padded_styles(zf)
            for sheet in sheets:
                sheet.active = sheet.name == active
                if sheet.name in parts:
                    xml = zf.read(parts[sheet.name])
                    problems.extend(_scan_cells(xml, sheet))
                    _unseen(xml, sheet)
                    if padded:
                        _pad_numbers(xml, sheet, padded)
    return sheets, problems


def _refuse_oversized(data: bytes, name: str) -> list[Problem]:
    from generator.intake.sheet_limits import oversized_parts, too_large

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        found = oversized_parts(zf, name)
        if found:
            return found
        parts, _ = sheet_parts(zf)
        for sheet_name, part in parts.items():
            if part in zf.namelist():
                p = too_large(sheet_name, zf.read(part))
                if p is not None:
                    found.append(p)
    return found


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def sheet_parts(zf: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """(sheet name -> zip member of its XML, name of the active sheet), read from xl/workbook.xml and
    its relationships: sheet1.xml is not necessarily the first tab."""
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _NS)}
    names, parts = [], {}
    for s in book.findall("m:sheets/m:sheet", _NS):
        name = s.get("name", "")
        names.append(name)
        target = targets.get(s.get(f"{{{_NS['r']}}}id"), "")
        parts[name] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    view = book.find("m:bookViews/m:workbookView", _NS)
    index = int(view.get("activeTab", "0")) if view is not None else 0
    return parts, names[index] if 0 <= index < len(names) else None


# Three things calamine does not give exactly, found in the sheet XML:
# a formula saved without its computed value (written by a program, never opened in Excel), an
# error value such as #N/A (calamine gives an empty cell), and a number of 16+ digits (a float).
_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]+\d+)"[^>]*>(?:<f[^>]*/>|<f[^>]*>([^<]*)</f>)(?:<v\s*/>|<v></v>)?</c>'
)
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*\bt="e"[^>]*>(?:<f[^>]*>[^<]*</f>)?<v>([^<]*)</v></c>')
_LONG_NUMBER = re.compile(
    rb'<c r="([A-Z]+)(\d+)"(?:(?!\bt=")[^>])*(?:\bt="n"[^>]*)?>(?:<f[^>]*>[^<]*</f>)?'
    rb"<v>(-?(?:\d{16,}(?:\.\d*)?|\d(?:\.\d+)?[Ee]\+?(?:1[5-9]|[2-9]\d|\d{3})))</v></c>"
)


_NUMBER_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*)>(?:<f[^>]*>[^<]*</f>)?<v>(\d{1,15})</v></c>')
_STYLE = re.compile(rb'\bs="(\d+)"')


def _padded_styles(zf: zipfile.ZipFile) -> dict[int, int]:
    """Cell style index -> width, for the styles whose number format pads with zeros (``00000``)."""
    try:
        root = ElementTree.fromstring(zf.read("xl/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}
    widths = {}
    for f in root.findall("m:numFmts/m:numFmt", _NS):
        section = f.get("formatCode", "").split(";")[0].strip()
        if re.fullmatch(r"0{2,}", section) and f.get("numFmtId", "").isdigit():
            widths[int(f.get("numFmtId"))] = len(section)
    out = {}
    for i, xf in enumerate(root.findall("m:cellXfs/m:xf", _NS)):
        width = widths.get(int(xf.get("numFmtId", "0"))) if xf.get("numFmtId", "0").isdigit() else None
        if width:
            out[i] = width
    return out


def _pad_numbers(xml: bytes, sheet: Sheet, padded: dict[int, int]) -> None:
    for letters, row, attributes, value in _NUMBER_CELL.findall(xml):
        style = _STYLE.search(attributes)
        if style and b't="' not in attributes.replace(b't="n"', b""):
            width = padded.get(int(style[1]))
            if width and len(value) < width:
                _put(sheet, row, letters, PaddedNumber(value.decode().zfill(width)))


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def _put(sheet: Sheet, row: bytes, letters: bytes, value: object) -> None:
    r, c = int(row) - 1, _column_index(letters)
    if r < len(sheet.rows):
        cells = sheet.rows[r]
        cells.extend([None] * (c + 1 - len(cells)))
        cells[c] = value


def _scan_cells(xml: bytes, sheet: Sheet) -> list[Problem]:
    out = []
    for ref, formula in _FORMULA_NO_VALUE.findall(xml):
        out.append(problem("IMPORT_FORMULA", f"{sheet.name}!{ref.decode()}", "=" + formula.decode()))
    for letters, row, value in _ERROR_CELL.findall(xml):
        _put(sheet, row, letters, value.decode())
    for letters, row, value in _LONG_NUMBER.findall(xml):
        _put(sheet, row, letters, StoredNumber(value.decode()))
    return out


_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_COL_TAG = re.compile(rb"<col\b[^>]*>")
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_ATTR = re.compile(rb'\b(r|min|max)="(\d+)"')


def _unseen(xml: bytes, sheet: Sheet) -> None:
    """Rows and columns the clerk cannot see (hidden, or filtered away by 自动筛选): Excel stores
    ``hidden="1"`` on the row or column; the cells are still in the file and calamine reads them."""
    if b'hidden="' not in xml:
        return
    rows, cols = set(), set()
    for tag in _ROW_TAG.findall(xml):
        if _HIDDEN.search(tag):
            attrs = dict(_ATTR.findall(tag))
            if b"r" in attrs:
                rows.add(int(attrs[b"r"]))
    for tag in _COL_TAG.findall(xml):
        if _HIDDEN.search(tag):
            attrs = dict(_ATTR.findall(tag))
            low, high = int(attrs.get(b"min", 1)), int(attrs.get(b"max", attrs.get(b"min", 1)))
            cols.update(range(low - 1, min(high, low + 16384)))  # XFD is the last column
    sheet.hidden_rows, sheet.hidden_cols = frozenset(rows), frozenset(cols)


def fill(rows: list[list[object]], r0: int, r1: int, c0: int, c1: int) -> None:
    """Give every cell of the 1-based inclusive range the value of its top-left cell."""
    if r0 > len(rows):
        return
    value = rows[r0 - 1][c0 - 1] if c0 - 1 < len(rows[r0 - 1]) else None
    # a merged range reaching XFD (a whole row merged) is filled only as far as the sheet has cells
    c1 = min(c1, max(len(row) for row in rows))
    for r in range(r0, min(r1, len(rows)) + 1):
        row = rows[r - 1]
        if len(row) < c1:
            row.extend([None] * (c1 - len(row)))
        for c in range(c0, c1 + 1):
            row[c - 1] = value


def decode_text(data: bytes) -> tuple[str | None, int]:
    """Text of a CSV/HTML/text file, or ``(None, bad_byte_position)``. See the module docstring."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), 0
        except UnicodeDecodeError as exc:
            return None, exc.start + 1
    try:
        return data.decode("utf-8-sig"), 0
    except UnicodeDecodeError as first:
        try:
            return data.decode("gb18030"), 0
        except UnicodeDecodeError:
            return None, first.start + 1


decode_csv = decode_text  # the name other modules know


def _read_csv(data: bytes, name: str) -> tuple[list[Sheet], list[Problem]]:
    text, bad = decode_text(data)
    if text is None:
        return [], [problem("IMPORT_ENCODING", name, bad)]
    if "\x00" in text:
        return [], [problem("IMPORT_FILE_UNREADABLE", name, detail="文件中含有空字符，可能不是文本文件")]
    first = text.split("\n", 1)[0]
    # Comma, or what the header line uses more: tab (text exports), ``;`` (a European-locale Excel's CSV)
    delimiter = max((",", "\t", ";"), key=first.count)
    try:
        rows: list[list[object]] = [
            list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        return [], [problem("IMPORT_FILE_UNREADABLE", name, detail=f"CSV 格式错误：{exc}")]
    if '="' in text:
        rows = [[_excel_text(c) for c in r] for r in rows]
    return [Sheet(name, rows, active=True, delimited=True)], []


_EXCEL_TEXT = re.compile(r'\s*="((?:[^"]|"")*)"\s*', re.S)


def _excel_text(cell: str) -> str:
    """``="0012345"``, the way business systems write a code to CSV so Excel keeps its zeros, is the
    text inside (quotes doubled in it are one). Nothing is evaluated: a formula inside stays a
    formula-like text and the cell stage refuses it."""
    m = _EXCEL_TEXT.fullmatch(cell)
    return m.group(1).replace('""', '"') if m else cell
