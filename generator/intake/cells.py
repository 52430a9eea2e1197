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
import unicodedata
from decimal import Decimal
from fractions import Fraction

from openpyxl.utils import get_column_letter

from generator.intake.tables import PaddedNumber, StoredNumber
from generator.schema.fields import Boolean, Choice, Date, Field, Integer, ListOf, Ratio, Text, format_ratio
from generator.spreadsheet_text import is_risky

EXCEL_EPOCH = dt.date(1899, 12, 30)
# How officials mark a yes/no column besides 是/否: ticks and crosses, Y/N and yes/no in any case.
_YES_NO = {
    **dict.fromkeys(("√", "✓", "✔", "☑", "y", "yes"), "是"),
    **dict.fromkeys(("×", "✗", "✘", "☐", "n", "no"), "否"),
}
# What officials put between list items: Chinese and Western commas and semicolons, 、, |, line breaks.
LIST_SPLIT = re.compile(r"[，、;；,|\n]")
_WS = re.compile(r"[ \t\u00a0\u3000\u2002-\u200b\ufeff]+")
_YYYYMMDD = re.compile(r"(19|20)\d{6}")
_DATE_TIME = re.compile(
    r"(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)(?:[T ]+|\s*)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
)
# Anything clean_text would change: full-width forms, white space other than single inner spaces,
# line breaks, and leading or trailing space. A text without any of these is returned as it is.
_NEEDS_CLEANING = re.compile(
    r"[\t\n\r\v\f\x1c-\x1f\x85\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\uff01-\uff5e]"
    r"|  |^ | $"
)
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
    if not _NEEDS_CLEANING.search(value):
        return value  # the common case: nothing to fold, collapse or trim
    return _clean_text_fully(value, fold_all, keep_lines)


def _clean_text_fully(value: str, fold_all: bool = False, keep_lines: bool = False) -> str:
    text = value.translate(_FOLD_ASCII if fold_all else _FOLD_ALNUM).replace("\u3000", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if keep_lines:
        return "\n".join(_WS.sub(" ", line).strip() for line in text.split("\n")).strip()
    return _WS.sub(" ", text.replace("\n", " ")).strip()


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    if value and not value[0].isspace() and value[0] not in "\ufeff\u200b":
        return False  # the common case, without cleaning the text
    return not clean_text(value)


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
    if type(value) is str and isinstance(t, Text):  # the common case, as the general path below does it
        return clean_text(value, fold_all=bool(t.pattern), keep_lines=t.multiline)
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
        text = clean_text(str(value), fold_all=True)
        return _YES_NO.get(text.casefold(), text)
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
        return [part.strip() for part in LIST_SPLIT.split(text) if part.strip()]
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
    text = clean_text(str(value), fold_all=True)
    # Date-time text (2026-03-05 00:00:00, 2026/3/5 8:30) as other systems export it: keep the day.
    m = _DATE_TIME.fullmatch(text)
    text = (m[1] if m else text).replace(" ", "")
    if _YYYYMMDD.fullmatch(text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    elif re.fullmatch(r"\d{5}", text):
        return _excel_serial(int(text)) or text  # a serial that lost its date format in a CSV
    return text


EXCEL_ERRORS = {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
# A cell that a spreadsheet would run as a formula when someone opens the exported records
# (=HYPERLINK(...), +cmd|..., @SUM(...), -2+3); a plain signed number and a run of dashes are not.
_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?%?|-+")
_SCIENTIFIC = re.compile(r"[+-]?\d(?:\.\d+)?[Ee]\+?\d{1,3}")
Issue = tuple[str, dict] | None  # (catalog code, template parameters)


def _text_like(f: Field) -> bool:
    t = f.type
    return isinstance(t, Text) or (isinstance(t, ListOf) and isinstance(t.item, Text))


def significant_digits(text: str) -> int:
    """Digits of an integer's text without its trailing zeros: what Excel kept of a long number."""
    return len(text.lstrip("+-").rstrip("0").lstrip("0"))


def _code_as_number(f: Field, value: object) -> tuple[object, Issue] | None:
    """A long code that reached the sheet as a number (Excel keeps 15 significant digits)."""
    if not _text_like(f) or isinstance(value, bool):
        return None
    if isinstance(value, StoredNumber):
        if re.fullmatch(r"\d{16,}", value) and significant_digits(value) > 15:
            # More digits than Excel can keep: a program wrote the exact integer. Read it as text.
            return str(value), ("IMPORT_NUMBER_PRECISION", {"label": f.label})
        return None, ("IMPORT_CODE_AS_NUMBER", {"label": f.label, "shown": _shown_number(value)})
    if isinstance(value, int | float) and abs(value) >= 1e15:
        return None, ("IMPORT_CODE_AS_NUMBER", {"label": f.label, "shown": _shown_number(value)})
    if isinstance(value, str) and _SCIENTIFIC.fullmatch(value.strip()):
        return None, ("IMPORT_CODE_AS_NUMBER", {"label": f.label, "shown": value.strip()})
    return None


def _shown_number(value: object) -> str:
    """The number as Excel shows it when widened: 15 significant digits, then zeros."""
    try:
        return format(Decimal(f"{float(value):.14e}"), "f").split(".")[0]
    except (ArithmeticError, ValueError):
        return str(value)


def _choice_synonym(f: Field, text: object) -> object:
    """An enumeration value as officials type it, mapped to the declared value (a→A, 个体户→个体工商户)."""
    t = f.type
    if not isinstance(t, Choice) or not isinstance(text, str) or text in t.values:
        return text
    key = unicodedata.normalize("NFKC", text).replace(" ", "")
    for typed, value in f.value_synonyms:
        if unicodedata.normalize("NFKC", typed).replace(" ", "") == key:
            return value
    folded = {v.casefold(): v for v in t.values}
    return folded.get(key.casefold(), text)


# Issues after which the cell's value is still used (a warning on a value read as text).
READ_AS_TEXT = ("IMPORT_NUMBER_PRECISION", "IMPORT_NUMBER_PADDED")


def read_cell(f: Field, value: object) -> tuple[object, Issue]:
    """Stage 5: one cell -> (value for the schema check, problem or None)."""
    if isinstance(value, PaddedNumber):
        if not _text_like(f):  # a count or a date never needs its zeros
            return read_cell(f, int(value))
        return to_schema_value(f, str(value)), ("IMPORT_NUMBER_PADDED", {"label": f.label})
    if isinstance(value, str) and not isinstance(value, StoredNumber):
        text = value.strip()
        if text in EXCEL_ERRORS:
            return None, ("IMPORT_CELL_INVALID", {"detail": "这是 Excel 公式的错误值", "hint": _ERROR_HINT})
        if len(text) > 1 and is_risky(text) and not _PLAIN.fullmatch(unicodedata.normalize("NFKC", text)):
            return None, ("IMPORT_CELL_FORMULA_TEXT", {"label": f.label, "first": text[0]})
    damaged = _code_as_number(f, value)
    if damaged is not None:
        return damaged
    if isinstance(value, StoredNumber):
        value = float(value)
    return _choice_synonym(f, to_schema_value(f, value)), None


_ERROR_HINT = "请检查该单元格的公式（例如引用了被删除的行或查不到的值），或直接填写数值。"


def long_number(value: object) -> bool:
    """True for a numeric cell too long for Excel's 15 significant digits (ids typed as numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15
