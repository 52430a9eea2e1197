"""Turn what a spreadsheet cell holds into what the schema check expects.

Officials type full-width digits (１２３), paste trailing spaces, let Excel turn dates into serial
numbers (46086) or keep them as “2026年3月5日” text, and store percentages as 0.05. This module
undoes all that per field type, before the shared schema check runs, so the loader's rules and
messages apply unchanged.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from fractions import Fraction

from openpyxl.utils import get_column_letter

from generator.schema.fields import Boolean, Choice, Date, Field, Integer, ListOf, Ratio, Text, format_ratio

EXCEL_EPOCH = dt.date(1899, 12, 30)
_WS = re.compile(r"[ \t\u00a0\u3000\u2002-\u200b\ufeff]+")
_YYYYMMDD = re.compile(r"(19|20)\d{6}")
_FOLD_ALNUM = {
    c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_FOLD_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def a1(row: int, col: int) -> str:
    """Excel cell name of 1-based ``row``/``col``: ``a1(17, 3) == 'C17'``."""
    return f"{get_column_letter(col)}{row}"


def clean_text(value: str, fold_all: bool = False, keep_lines: bool = False) -> str:
    """Full-width letters and digits folded, white space collapsed and trimmed.

    Full-width punctuation (，（）) stays in free text because it is correct Chinese typography;
    ``fold_all`` folds it too, for codes and fixed values.

    >>> clean_text("  ＳＣＪＧ－００１\u3000 ", fold_all=True)
    'SCJG-001'
    >>> clean_text("营业执照（登记证） 检查 ")
    '营业执照（登记证） 检查'
    """
    text = value.translate(_FOLD_ASCII if fold_all else _FOLD_ALNUM).replace("\u3000", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if keep_lines:
        return "\n".join(_WS.sub(" ", line).strip() for line in text.split("\n")).strip()
    return _WS.sub(" ", text.replace("\n", " ")).strip()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def _excel_serial(number: float) -> dt.date | None:
    if 1 <= number < 2958466 and float(number).is_integer():
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


def to_schema_value(f: Field, value: object) -> object:
    """The cell ``value`` made ready for ``f``'s schema check (the check still decides validity)."""
    t = f.type
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(t, Date):
        return _date_value(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = value.isoformat()
    if isinstance(value, dt.datetime | dt.time):
        value = value.isoformat()
    if isinstance(t, Boolean):
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return {1: True, 0: False}.get(value, _number_text(value))
        return clean_text(str(value), fold_all=True)
    if isinstance(t, Ratio):
        if isinstance(value, int | float) and not isinstance(value, bool):
            # Excel keeps 5% as 0.05; repr() gives the shortest exact decimal, then Fraction reads it.
            r = Fraction(repr(float(value)))
            return format_ratio(r) if 0 <= r <= 1 else _number_text(value)
        return clean_text(str(value), fold_all=True)
    if isinstance(t, Integer):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value if isinstance(value, int) else clean_text(str(value), fold_all=True)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        value = _number_text(value)
    if isinstance(t, ListOf):
        text = clean_text(str(value), fold_all=_is_code(t.item), keep_lines=True)
        return text.replace("\n", ";")
    if isinstance(t, Text):
        return clean_text(str(value), fold_all=_is_code(t), keep_lines=t.multiline)
    if isinstance(t, Choice):
        return clean_text(str(value), fold_all=True)
    return clean_text(str(value))


def _is_code(t: object) -> bool:
    return isinstance(t, Text) and bool(t.pattern) or isinstance(t, Choice | Ratio | Integer | Date)


def _date_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return _excel_serial(value) or _number_text(value)
    text = clean_text(str(value), fold_all=True).replace(" ", "")
    if _YYYYMMDD.fullmatch(text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    elif re.fullmatch(r"\d{5}", text):
        return _excel_serial(int(text)) or text  # a serial that lost its date format in a CSV
    m = re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})[T ]00:00(:00)?", text)
    return m[1] if m else text


def long_number(value: object) -> bool:
    """True for a numeric cell too long for Excel's 15 significant digits (ids typed as numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15


def header_text(value: object) -> str:
    """A header cell reduced to what identifies a column (no spaces, markers or line breaks)."""
    if value is None:
        return ""
    text = clean_text(str(value), fold_all=False).replace(" ", "")
    text = re.sub(r"[(（](必填|选填|可不填|内部字段[^)）]*)[)）]$", "", text)
    return text.strip("*＊").strip()
