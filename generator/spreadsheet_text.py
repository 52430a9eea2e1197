"""Text stays text in every spreadsheet we write (OWASP "CSV injection").

Record text comes from units and, through the open data, reaches anyone who downloads it. A cell that
begins with ``= + - @`` (or a tab / carriage return before them) is read by Excel, WPS and LibreOffice
as a formula: ``=HYPERLINK("http://…","点此")`` becomes a live link, DDE payloads can run commands.

* CSV (``csv_text``): such a value gets a leading single quote, as OWASP recommends. The quote is
  visible in a text editor; a spreadsheet shows the text and never evaluates it. A reader may also
  split on another separator than ours (``;`` in a European Excel, ``; | tab`` ticked in
  LibreOffice's import dialog) and start a cell in the middle of a value: ``甲;=HYPERLINK(…)``. So
  every field is quoted (``CSV_QUOTING``: enough for readers that honour quotes) and a formula start
  right after such a separator inside a value gets the ``'`` too (``甲;'=HYPERLINK(…)``: enough for
  a reader that splits on ``;`` alone, where only a line's first field stays quoted).
* What counts as a formula start (``is_risky``): ``= + - @``, their full-width forms (an IME types
  ``＝``; East Asian spreadsheet versions read it as ``=``), and any of these after leading white
  space (an importer that trims spaces evaluates `` =1+1``); a leading tab, CR or LF (OWASP).
* XLSX: the cell is written as a string, never a formula, and carries Excel's own "quote prefix"
  flag (what typing a leading ``'`` does), so editing the cell later does not turn it into a formula
  either. The stored text is unchanged, so an exported workbook imports back to the same records.
* XLSX cell text is also markup twice over (red team 7): OOXML writes a character as ``_xHHHH_``
  and every reader decodes it (Excel, WPS, calamine: ``_x0031_`` shows ``1``), and XlsxWriter writes
  a string that starts with ``<r>`` and ends with ``</r>`` into the sheet's XML as it is (its own rich
  strings are kept as ready XML), so a 备注 could close its cell and add a formula cell. Every
  underscore that would start such an escape is written ``_x005F_`` (``xstring``; openpyxl's output in
  ``intake/workbook.save``, XlsxWriter's through ``text_worksheet_class``), and XlsxWriter's
  ``<r>`` shortcut only ever receives a run we made of escaped text.

Used by the open data (site/opendata.py), ``export`` and ``templates`` (intake/export.py, templates.py).
"""

from __future__ import annotations

import csv
import re

TRIGGERS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\t", "\r", "\n")
# Every character that NFKC makes one of ``= + - @``: the full-width forms an IME types and the
# small forms (﹦ ﹢ ﹣ ﹫) a Chinese font or input method gives, the super- and subscript ⁺ ⁼ ₊ ₌
# and the Hebrew alternative plus; tests/site/test_spreadsheets.py holds it equal to the Unicode
# database's list (every character whose NFKC is one of the four).
FORMULA_CHARS = "=+-@\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\ufe6b\u207a\u207c\u208a\u208c\ufb29"
# Leading characters a reader may drop before it decides: white space (any), and the invisible
# format characters (zero-width space and joiners, word joiner, BOM, soft hyphen); _LEADING below.
CSV_QUOTING = csv.QUOTE_ALL  # every field quoted: no separator inside a value can start a cell
# A separator (and any white space) inside a value, then a formula start: where a foreign reader
# would start a cell. The quote goes right before the trigger (a line break also starts a row).
_INVISIBLE = "\u00ad\u200b-\u200f\u2060-\u2064\ufeff"
_LEADING = re.compile(rf"[\s{_INVISIBLE}]*")
_MID_CELL = re.compile(rf"(?<=.)([,;|\t\r\n][\s{_INVISIBLE}]*)([{re.escape(FORMULA_CHARS)}])", re.DOTALL)
# Characters XML 1.0 (hence XLSX) cannot hold: openpyxl refuses them, Excel would not open the file.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def is_risky(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula.

    >>> is_risky("=1+1"), is_risky("@SUM(A1)"), is_risky("\\t=1"), is_risky("泗阳县"), is_risky("")
    (True, True, True, False, False)
    >>> is_risky(" =1+1"), is_risky("\u3000＝1+1"), is_risky("1 =1")
    (True, True, False)
    >>> is_risky("﹦1+1"), is_risky("\u200b=1+1"), is_risky("\ufeff﹢cmd")
    (True, True, True)
    """
    if text.startswith(TRIGGERS):
        return True
    start = _LEADING.match(text).end()
    return start < len(text) and text[start] in FORMULA_CHARS


def csv_text(text: str) -> str:
    """A CSV cell for ``text``: a ``'`` before a formula start, at the beginning or after a separator.

    >>> csv_text('=HYPERLINK("http://x","点此")'), csv_text("-1"), csv_text("示例路1号")
    ('\\'=HYPERLINK("http://x","点此")', "'-1", '示例路1号')
    >>> csv_text("甲;=1+1"), csv_text("乙,@SUM(1)"), csv_text("1-2号;3号")
    ("甲;'=1+1", "乙,'@SUM(1)", '1-2号;3号')
    """
    text = _MID_CELL.sub(r"\1'\2", text)
    return "'" + text if is_risky(text) else text


# An underscore that starts ``_xHHHH_`` (ST_Xstring), each one even where two share it
# (``_x005F_x0031_``: XlsxWriter escapes the first only, and readers then show ``_x005F1``).
_XSTRING_START = re.compile(r"_(?=[xX][0-9A-Fa-f]{4}_)")
_XSTRING_START_BYTES = re.compile(rb"_(?=[xX][0-9A-Fa-f]{4}_)")
# A text node of a workbook part (``<t>``, ``<t xml:space="preserve">``, any prefix): cell text,
# rich runs, comments.
_TEXT_NODE = re.compile(rb"(<(?:[A-Za-z_][\w.-]*:)?t(?:\s[^>]*)?>)([^<]*)(?=</(?:[A-Za-z_][\w.-]*:)?t>)")


def xstring(text: str) -> str:
    """``text`` as OOXML cell text, read back by every reader as ``text`` itself.

    >>> xstring("电话_x0031_"), xstring("_x005F_x0031_"), xstring("a_b _x12")
    ('电话_x005F_x0031_', '_x005F_x005F_x005F_x0031_', 'a_b _x12')
    """
    return _XSTRING_START.sub("_x005F_", text)


def xstring_part(xml: bytes) -> bytes:
    """A workbook part written by openpyxl (which writes text as it is) with ``xstring`` applied to
    the text of every ``<t>`` element."""
    if b"_" not in xml:
        return xml
    return _TEXT_NODE.sub(lambda m: m[1] + _XSTRING_START_BYTES.sub(b"_x005F_", m[2]), xml)


_WORKSHEET_CLASS: list = []


def text_worksheet_class():
    """An XlsxWriter worksheet whose strings reach the XML as text (see the module's notes): give it to
    ``Workbook.add_worksheet(worksheet_class=…)`` (constant-memory mode: in-line strings)."""
    if _WORKSHEET_CLASS:
        return _WORKSHEET_CLASS[0]
    from xml.sax.saxutils import escape

    from xlsxwriter.worksheet import Worksheet

    class TextWorksheet(Worksheet):
        @staticmethod
        def _escape_control_characters(data):
            if not isinstance(data, str):
                return data
            # XlsxWriter writes the result as it is when it starts with <r> and ends with </r>, else
            # escapes it as XML: give it a run of escaped text in the first case, text in the other.
            text = xstring(xlsx_text(data))
            if text.startswith("<r>") and text.endswith("</r>"):
                return f'<r><t xml:space="preserve">{escape(text)}</t></r>'
            return text

    _WORKSHEET_CLASS.append(TextWorksheet)
    return TextWorksheet


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
