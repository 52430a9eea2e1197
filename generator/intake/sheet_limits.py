"""Bounds of an .xlsx workbook, checked before calamine reads it.

calamine builds each sheet as a dense grid from its first to its last used cell. A 5 KB workbook
with one cell at XFD1048576 (typed there by mistake, or on purpose) made it ask for 512 GB, and the
Rust allocator aborts the whole process: no message, no exit code of ours, in CI too. A sheet part
is also a compressed XML file: 200 MB on disk can hold tens of GB of XML. So, from the zip alone:
every part's uncompressed size is bounded, and every sheet's used area (the last row and column any
cell or row names, or their count where the file leaves the reference out) is bounded before a grid
is made. Merged ranges are clipped to that area by ``tables.fill``.
"""

from __future__ import annotations

import re
import zipfile

from openpyxl.utils import get_column_letter

from generator.intake.catalog import Problem, problem

MAX_PART_BYTES = 1024 * 1024 * 1024  # uncompressed XML of one part: ~30x the largest directory seen
MAX_CELLS = 20_000_000  # rows x columns of the used area: 200,000 rows of 100 columns
_QUICK_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})\d')
_CELL_COLUMN = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})\d')
_CELL_ROW = re.compile(rb'<c\b[^>]*?\br="[A-Z]{1,3}(\d+)"')
_ROW_REF = re.compile(rb'<row\b[^>]*?\br="(\d{1,7})"')


def _column(letters: bytes) -> int:
    """1-based column number of ``b"XFD"`` (16384)."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def oversized_parts(zf: zipfile.ZipFile, name: str) -> list[Problem]:
    """A part whose XML would not fit: refused before it is read."""
    for info in zf.infolist():
        if info.file_size > MAX_PART_BYTES:
            detail = f"其中的 {info.filename} 解压后有 {info.file_size // 2**20} MB（上限 {MAX_PART_BYTES // 2**20} MB）"
            return [problem("IMPORT_FILE_UNREADABLE", name, detail=detail)]
    return []


def used_area(xml: bytes) -> tuple[int, int, str]:
    """(rows, columns, farthest cell) of a sheet's XML, as calamine will size its grid.

    The columns from the set of column letters, the rows from the row elements; the cells' own row
    numbers are read one by one only when one of them is longer than the last row's (a cell placed
    below its row: calamine goes by the cell)."""
    rows = max((int(r) for r in _ROW_REF.findall(xml)), default=0)
    rows = max(rows, xml.count(b"<row"))
    # Excel, WPS and the Python writers put r first: the quick pattern, unless some cell does not
    quick = xml.count(b'<c r="') == xml.count(b"<c ") + xml.count(b"<c>")
    letters = set((_QUICK_COLUMN if quick else _CELL_COLUMN).findall(xml))
    cols = max((_column(x) for x in letters), default=0)
    deeper = rb'<c%s\br="[A-Z]{1,3}\d{%d}' % (b" " if quick else rb"\b[^>]*?", len(str(rows)) + 1)
    if re.search(deeper, xml):
        rows = max(rows, max(int(r) for r in _CELL_ROW.findall(xml)))
    if not letters and b"<c" in xml:  # no references at all: each row's cells are its columns
        cols = max(len(re.findall(rb"<c\b", row)) for row in xml.split(b"</row>"))
    far = f"{get_column_letter(cols)}{rows}" if cols and rows else "—"
    return rows, cols, far


def too_large(sheet_name: str, xml: bytes) -> Problem | None:
    rows, cols, far = used_area(xml)
    if rows * cols <= MAX_CELLS:
        return None
    return problem(
        "IMPORT_SHEET_TOO_LARGE", sheet_name, sheet_name, rows=rows, cols=cols, far=far, limit=MAX_CELLS
    )
