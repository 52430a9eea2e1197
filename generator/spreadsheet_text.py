"""Text stays text in every spreadsheet we write (OWASP "CSV injection").

Record text comes from units and, through the open data, reaches anyone who downloads it. A cell that
begins with ``= + - @`` (or a tab / carriage return before them) is read by Excel, WPS and LibreOffice
as a formula: ``=HYPERLINK("http://…","点此")`` becomes a live link, DDE payloads can run commands.

* CSV (``csv_text``): such a value gets a leading single quote, as OWASP recommends. The quote is
  visible in a text editor; a spreadsheet shows the text and never evaluates it.
* XLSX: the cell is written as a string, never a formula, and carries Excel's own "quote prefix"
  flag (what typing a leading ``'`` does), so editing the cell later does not turn it into a formula
  either. The stored text is unchanged, so an exported workbook imports back to the same records.

Used by the open data (site/opendata.py), ``export`` and ``templates`` (intake/export.py, templates.py).
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (hence XLSX) cannot hold: openpyxl refuses them, Excel would not open the file.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def is_risky(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula.

    >>> is_risky("=1+1"), is_risky("@SUM(A1)"), is_risky("\\t=1"), is_risky("泗阳县"), is_risky("")
    (True, True, True, False, False)
    """
    return text.startswith(TRIGGERS)


def csv_text(text: str) -> str:
    """A CSV cell for ``text``: a leading ``'`` when it would start a formula.

    >>> csv_text('=HYPERLINK("http://x","点此")'), csv_text("-1"), csv_text("示例路1号")
    ('\\'=HYPERLINK("http://x","点此")', "'-1", '示例路1号')
    """
    return "'" + text if is_risky(text) else text


def xlsx_text(text: str) -> str:
    """``text`` with the characters an XLSX cannot hold shown as ``\\xNN`` (never a traceback)."""
    return _ILLEGAL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts (at most 31 characters, none of ``[]:*?/\\``, no quote at
    either end): a name taken from records must not make the export fail.

    >>> sheet_title("泗阳县/市场监管局[2026]")
    '泗阳县_市场监管局_2026_'
    """
    name = re.sub(r"[\[\]:*?/\\]", "_", xlsx_text(text))[:31].strip("'")
    return name or "Sheet1"


def set_text(cell, text: str) -> None:
    """Write ``text`` into an openpyxl cell as a string, never a formula."""
    cell.value = xlsx_text(text)
    cell.data_type = "s"
    if is_risky(cell.value):
        cell.quotePrefix = True


def neutralise_workbook(wb) -> int:
    """Make every text cell of an openpyxl workbook a plain string (call before saving).

    One pass over everything written, so no call site can forget: a value that openpyxl took for a
    formula (it does for any text starting with ``=``) goes back to text. Returns the cells changed."""
    changed = 0
    for ws in wb.worksheets:
        # the cells that exist (iter_rows would create empty ones across the used range)
        for cell in list(ws._cells.values()):
            if isinstance(cell.value, str) and (cell.data_type == "f" or is_risky(cell.value)):
                set_text(cell, cell.value)
                changed += 1
    return changed


def write_xlsxwriter_row(sheet, row: int, values: list[str], quoted) -> None:
    """Write text cells with XlsxWriter: ``write_string`` always (no type guessing), and the quote
    prefix format ``quoted`` on cells that would otherwise read as a formula once edited."""
    for col, value in enumerate(values):
        text = xlsx_text(value)
        if is_risky(text):
            sheet.write_string(row, col, text, quoted)
        else:
            sheet.write_string(row, col, text)
