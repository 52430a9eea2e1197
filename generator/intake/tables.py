"""Read .xlsx, .xls and .csv files into plain grids of cell values, never raising.

Every reader returns :class:`Sheet` objects whose ``rows[i]`` is Excel row ``i + 1``, so problems can
be reported in A1 style. Merged cells are filled with their top-left value (officials merge header
cells and township cells; what they mean is "this value applies to every cell of the range").

CSV encoding: a strict cascade UTF-8 (BOM tolerated) → GB18030 (a superset of GBK and GB2312, what
Chinese Excel writes for "CSV (逗号分隔)"). It is predictable: a file either decodes exactly or is
rejected with IMPORT_ENCODING; statistical detectors (charset-normalizer) guess on short files and
sometimes pick Big5 or a Cyrillic code page for short Chinese text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.intake.catalog import Problem, problem
from generator.intake.xlsx_fast import read_xlsx

# Above this size the workbook is streamed (read-only mode: faster, but merged ranges are unknown).
STREAM_BYTES = 2_000_000


@dataclass
class Sheet:
    name: str
    rows: list[list[object]] = field(default_factory=list)


def read_tables(path: Path) -> tuple[list[Sheet], list[Problem]]:
    """All sheets of a spreadsheet file (a CSV file is one sheet named after the file)."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [problem("IMPORT_FILE_UNREADABLE", path.name, detail=exc.strerror or str(exc))]
    return read_bytes(data, suffix, path.stem if suffix == ".csv" else path.name)


def read_bytes(data: bytes, suffix: str, name: str) -> tuple[list[Sheet], list[Problem]]:
    readers = {".xlsx": _read_xlsx, ".xlsm": _read_xlsx, ".xls": _read_xls, ".csv": _read_csv}
    reader = readers.get(suffix)
    if reader is None:
        return [], [problem("IMPORT_FILE_TYPE", name, suffix or name)]
    try:
        return reader(data, name)
    except Exception as exc:  # noqa: BLE001 - any broken file must become a finding, not a traceback
        detail = f"{type(exc).__name__}: {str(exc)[:80]}"
        return [], [problem("IMPORT_FILE_UNREADABLE", name, detail=detail)]


def _read_xlsx(data: bytes, name: str) -> tuple[list[Sheet], list[Problem]]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [], [problem("IMPORT_FILE_UNREADABLE", name, detail="不是有效的 .xlsx 文件")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return [Sheet(title, rows) for title, rows in read_xlsx(zf)], []
    except Exception:  # noqa: BLE001 - unusual but valid files: let openpyxl have a go
        return _read_xlsx_openpyxl(data, name)


def _read_xlsx_openpyxl(data: bytes, name: str) -> tuple[list[Sheet], list[Problem]]:
    import openpyxl

    stream = len(data) > STREAM_BYTES
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=stream, data_only=True)
    sheets = []
    try:
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
            if not stream:
                for rng in ws.merged_cells.ranges:
                    _fill(rows, rng.min_row, rng.max_row, rng.min_col, rng.max_col)
            sheets.append(Sheet(ws.title, rows))
    finally:
        wb.close()
    return sheets, []


def _fill(rows: list[list[object]], r0: int, r1: int, c0: int, c1: int) -> None:
    if r0 > len(rows):
        return
    value = rows[r0 - 1][c0 - 1] if c0 - 1 < len(rows[r0 - 1]) else None
    for r in range(r0, min(r1, len(rows)) + 1):
        row = rows[r - 1]
        if len(row) < c1:
            row.extend([None] * (c1 - len(row)))
        for c in range(c0, c1 + 1):
            row[c - 1] = value


def _read_xls(data: bytes, name: str) -> tuple[list[Sheet], list[Problem]]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
    sheets = []
    for sh in book.sheets():
        rows: list[list[object]] = []
        for r in range(sh.nrows):
            row: list[object] = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        row.append(cell.value)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(bool(cell.value))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    row.append(xlrd.error_text_from_code.get(cell.value, "#N/A"))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                else:
                    row.append(cell.value)
            rows.append(row)
        for r0, r1, c0, c1 in sh.merged_cells:  # half-open, 0-based
            _fill(rows, r0 + 1, r1, c0 + 1, c1)
        sheets.append(Sheet(sh.name, rows))
    return sheets, []


def decode_csv(data: bytes) -> tuple[str | None, int]:
    """Text of a CSV file, or ``(None, bad_byte_position)``. See the module docstring."""
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


def _read_csv(data: bytes, name: str) -> tuple[list[Sheet], list[Problem]]:
    text, bad = decode_csv(data)
    if text is None:
        return [], [problem("IMPORT_ENCODING", name, bad)]
    if "\x00" in text:
        return [], [problem("IMPORT_FILE_UNREADABLE", name, detail="文件中含有空字符，可能不是文本文件")]
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        rows: list[list[object]] = [
            list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        return [], [problem("IMPORT_FILE_UNREADABLE", name, detail=f"CSV 格式错误：{exc}")]
    return [Sheet(name, rows)], []
