"""Declarative field types: each knows how to check a value, explain itself and export JSON Schema.

A record kind is a list of :class:`Field` objects (see ``kind.py``); ``check_fields`` checks a
mapping against such a list and ``fields_json_schema`` exports it. Nested types (``Obj``, ``ListOf``,
``MapOf``) check their parts through the parts' own ``check``, so any nesting is checked. Every field carries a Chinese
label and description; they feed the error messages, ``docs/records.md``, the JSON Schemas in
``schemas/`` (so a YAML editor can validate while an official types) and the Excel templates.

Checking never raises: a bad value is reported through the :class:`Check` context and replaced by
:data:`INVALID`, so one pass collects every problem in a file.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

INVALID = object()  # marker for a value that failed its check


class Check(ABC):
    """What a field check needs: a way to report a finding at a path. Implemented by the loader."""

    csv = False  # cells arrive as text and need converting

    @abstractmethod
    def report(self, code: str, path: tuple, value: object, **params: object) -> None:
        """Record one finding for the value at ``path``."""


def normalise_text(text: str) -> str:
    """NFC, full-width ASCII folded to half-width, surrounding white space removed.

    >>> normalise_text("  ＡＢＣ１２３ ")
    'ABC123'
    """
    return (
        unicodedata.normalize("NFKC", text).strip()
        if _has_fullwidth(text)
        else unicodedata.normalize("NFC", text).strip()
    )


_FULLWIDTH = re.compile("[\uff01-\uff5e\u3000]")


def _has_fullwidth(text: str) -> bool:
    return not text.isascii() and _FULLWIDTH.search(text) is not None


class FieldType:
    """Base class. ``describe`` is the Chinese phrase used in "应为…" messages.

    ``scalar`` types hold one value: a list of them may be typed as "a;b" text and must not repeat
    an item. A list of mappings is neither split from text nor compared item by item."""

    describe = "值"
    scalar = True

    def check(self, value: Any, path: tuple, f: Field, ctx: Check) -> Any:
        return value

    def json_schema(self) -> dict:
        return {}


@dataclass(frozen=True)
class Text(FieldType):
    pattern: str | None = None
    pattern_hint: str = ""
    max_length: int = 2000
    multiline: bool = False

    @property
    def describe(self) -> str:  # type: ignore[override]
        return "文本"

    def check(self, value, path, f, ctx):
        if isinstance(value, bool) or isinstance(value, dict | list):
            ctx.report("FIELD_TYPE", path, value, label=f.label, expected="文本", hint=f.hint)
            return INVALID
        if isinstance(value, int | float | dt.date):
            value = str(value)
        if not isinstance(value, str):  # None in a list (`- ` with nothing after it)
            value = ""
        text = normalise_text(value) if self.pattern else unicodedata.normalize("NFC", value).strip()
        if not text:
            ctx.report("FIELD_EMPTY", path, value, label=f.label, hint=f.hint)
            return INVALID
        if len(text) > self.max_length:
            ctx.report("FIELD_RANGE", path, text, label=f.label, expected=f"不超过 {self.max_length} 个字")
            return INVALID
        if self.pattern and not re.fullmatch(self.pattern, text):
            ctx.report("FIELD_PATTERN", path, text, label=f.label, expected=self.pattern_hint or self.pattern)
            return INVALID
        return text

    def json_schema(self):
        out: dict = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.pattern:
            out["pattern"] = f"^(?:{self.pattern})$"
        return out


@dataclass(frozen=True)
class Ref(Text):
    """A text that names another record; the rules resolve it (REF_UNKNOWN when it does not exist)."""

    target: str = ""  # one of the index names in rules/references.py


@dataclass(frozen=True)
class Integer(FieldType):
    minimum: int | None = 0
    maximum: int | None = None

    describe = "整数"

    def check(self, value, path, f, ctx):
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,30}\s*", normalise_text(value) or "x"):
            value = int(normalise_text(value))
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.report("FIELD_TYPE", path, value, label=f.label, expected="整数", hint=f.hint)
            return INVALID
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            lo = "" if self.minimum is None else f"不小于 {self.minimum}"
            hi = "" if self.maximum is None else f"不大于 {self.maximum}"
            ctx.report(
                "FIELD_RANGE", path, value, label=f.label, expected="、".join(x for x in (lo, hi) if x)
            )
            return INVALID
        return value

    def json_schema(self):
        out: dict = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out


_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def parse_date(value: object) -> dt.date | None:
    """Dates as YAML dates, ISO text, or the forms officials type (2026/3/5, 2026年3月5日).

    >>> parse_date("2026年3月5日")
    datetime.date(2026, 3, 5)
    >>> parse_date("2026-02-30") is None
    True
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    m = _DATE_TEXT.fullmatch(normalise_text(value))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


@dataclass(frozen=True)
class Date(FieldType):
    describe = "日期"

    def check(self, value, path, f, ctx):
        parsed = parse_date(value)
        if parsed is None:
            ctx.report("FIELD_DATE", path, value, label=f.label)
            return INVALID
        return parsed

    def json_schema(self):
        return {"type": "string", "format": "date"}


_TRUE = {"是", "true", "True", "TRUE", "yes", "y", "1", "有"}
_FALSE = {"否", "false", "False", "FALSE", "no", "n", "0", "无", ""}


@dataclass(frozen=True)
class Boolean(FieldType):
    describe = "是/否"

    def check(self, value, path, f, ctx):
        if isinstance(value, bool):
            return value
        if isinstance(value, str | int):
            text = normalise_text(str(value))
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
        ctx.report("FIELD_TYPE", path, value, label=f.label, expected="是 或 否", hint=f.hint)
        return INVALID

    def json_schema(self):
        return {"anyOf": [{"type": "boolean"}, {"enum": ["是", "否"]}]}


@dataclass(frozen=True)
class Choice(FieldType):
    values: tuple[str, ...] = ()

    describe = "固定选项"

    def check(self, value, path, f, ctx):
        text = normalise_text(str(value)) if value is not None else ""
        if text not in self.values:
            ctx.report("FIELD_ENUM", path, value, label=f.label, expected="、".join(self.values))
            return INVALID
        return text

    def json_schema(self):
        return {"enum": list(self.values)}


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")
_FRACTION = re.compile(r"(\d+)/(\d+)")


def parse_ratio(value: object) -> Fraction | None:
    """Ratios as percentages or fractions, read exactly (no floats ever reach a draw).

    >>> parse_ratio("2.5%"), parse_ratio("1/20"), parse_ratio("150%")
    (Fraction(1, 40), Fraction(1, 20), None)
    """
    if isinstance(value, bool) or value is None:
        return None
    text = normalise_text(str(value)).replace(" ", "")
    m = _PERCENT.fullmatch(text)
    if m:
        r = Fraction(m[1]) / 100
    else:
        m = _FRACTION.fullmatch(text)
        if not m or int(m[2]) == 0:
            return None
        r = Fraction(int(m[1]), int(m[2]))
    return r if 0 <= r <= 1 else None


def format_ratio(r: Fraction) -> str:
    """The percentage an official would write.

    >>> format_ratio(Fraction(1, 40)), format_ratio(Fraction(1, 3))
    ('2.5%', '1/3')
    """
    pct = r * 100
    if pct.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100):
        text = f"{float(pct):.2f}".rstrip("0").rstrip(".")
        return f"{text}%"
    return f"{r.numerator}/{r.denominator}"


@dataclass(frozen=True)
class Ratio(FieldType):
    describe = "比例"

    def check(self, value, path, f, ctx):
        r = parse_ratio(value)
        if r is None:
            ctx.report("FIELD_RATIO", path, value, label=f.label)
            return INVALID
        return r

    def json_schema(self):
        return {"type": "string", "pattern": r"^(\d+(\.\d+)?%|\d+/\d+)$"}


LIST_SEPARATORS = re.compile(r"[;；、|]")


@dataclass(frozen=True)
class ListOf(FieldType):
    item: FieldType = field(default_factory=Text)
    unique: bool = True
    min_items: int = 0

    describe = "列表"

    def check(self, value, path, f, ctx):
        if value is None or value == "":
            value = []
        if isinstance(value, str) and self.item.scalar:
            # CSV cells and hand-typed YAML lists: "a;b" / "a；b" / "a、b"
            value = [part for part in LIST_SEPARATORS.split(value) if part.strip()]
        if not isinstance(value, list):
            ctx.report("FIELD_TYPE", path, value, label=f.label, expected="列表", hint=f.hint)
            return INVALID
        out, seen, bad = [], set(), False
        for i, item in enumerate(value):
            checked = self.item.check(item, path + (i,), f, ctx)
            if checked is INVALID:
                bad = True
                continue
            if not self.item.scalar:
                out.append(checked)
                continue
            key = repr(checked)
            if self.unique and key in seen:
                ctx.report("FIELD_DUPLICATE_VALUE", path + (i,), checked, label=f.label)
                continue
            seen.add(key)
            out.append(checked)
        if len(out) < self.min_items and not bad:
            ctx.report(
                "FIELD_EMPTY", path, value, label=f.label, hint=f.hint or f"至少填写 {self.min_items} 项。"
            )
            return INVALID
        return out

    def json_schema(self):
        out: dict = {"type": "array", "items": self.item.json_schema()}
        if self.unique:
            out["uniqueItems"] = True
        if self.min_items:
            out["minItems"] = self.min_items
        return out


@dataclass(frozen=True)
class Obj(FieldType):
    """A nested mapping with its own fields."""

    fields: tuple[Field, ...] = ()

    describe = "字段映射"
    scalar = False

    def check(self, value, path, f, ctx):
        return check_fields(self.fields, value, path, ctx, f.label)

    def json_schema(self):
        return fields_json_schema(self.fields)


@dataclass(frozen=True)
class MapOf(FieldType):
    """A mapping from a key (e.g. a unit id) to a value of one type."""

    key: FieldType = field(default_factory=Text)
    value: FieldType = field(default_factory=Text)

    describe = "映射"
    scalar = False

    def check(self, value, path, f, ctx):
        if not isinstance(value, dict):
            ctx.report("FIELD_TYPE", path, value, label=f.label, expected="“键: 值”的映射", hint=f.hint)
            return INVALID
        out = {}
        for k, v in value.items():
            key = self.key.check(k, path + (k,), f, ctx)
            checked = self.value.check(v, path + (k,), f, ctx)
            if key is not INVALID and checked is not INVALID:
                out[key] = checked
        return out

    def json_schema(self):
        return {"type": "object", "additionalProperties": self.value.json_schema()}


@dataclass(frozen=True)
class Field:
    """One field of a record: machine name, Chinese label and description, type and flags.

    ``internal`` fields (credit-risk class, phone numbers, declared conflicts) are kept in the
    repository but must never reach the public site; the site build refuses to render them.
    """

    name: str
    label: str
    description: str
    type: FieldType
    required: bool = True
    internal: bool = False
    default: Any = None
    example: Any = None
    # Other words officials use for this column, and (typed value, canonical value) pairs for its
    # values; spreadsheet import, templates and docs read them, the loader does not.
    synonyms: tuple[str, ...] = ()
    value_synonyms: tuple[tuple[str, str], ...] = ()

    @property
    def hint(self) -> str:
        return f"说明：{self.description}"


@dataclass(frozen=True)
class Raw(FieldType):
    """Machine-written structured data (draw engine output) checked by its own verifier, not here."""

    kind: str = "mapping"  # "mapping" or "list"

    describe = "由程序生成的数据"

    def check(self, value, path, f, ctx):
        expected = {"mapping": dict, "list": list, "any": object}[self.kind]
        if not isinstance(value, expected):
            ctx.report("FIELD_TYPE", path, value, label=f.label, expected=self.describe, hint=f.hint)
            return INVALID
        return value

    def json_schema(self):
        return {"mapping": {"type": "object"}, "list": {"type": "array"}, "any": {}}[self.kind]


class _Recorder(Check):
    """Holds a field check's findings so a memo can tell a clean value from a bad one."""

    def __init__(self) -> None:
        self.found: list[tuple[tuple, dict]] = []

    def report(self, code, path, value, **params):
        self.found.append(((code, path, value), params))


# Types whose check is a pure function of the value (and the field): a clean result may be reused.
_PURE = (Text, Integer, Date, Boolean, Choice, Ratio)
MEMO_PER_FIELD = 5_000  # distinct clean values remembered per field; ids and names never repeat


class FieldMemo:
    """Clean check results per field and value, for many rows checked against the same fields.

    A directory repeats its townships, kinds, statuses and classes on every row; checking each
    repeat again is most of the work of a 100,000-row file. Only values that passed are kept (a
    bad value is checked again on every row, so each row gets its own finding at its own path);
    the key holds the value's type, so ``1``, ``1.0`` and ``True`` never share an entry. Lists of
    scalar texts are kept as tuples and handed out as fresh lists (a row may edit its own list).
    """

    def __init__(self, limit: int = MEMO_PER_FIELD) -> None:
        self.limit = limit
        # field name -> (field, {key: clean result}) for fields whose check is pure, else None
        self.by_field: dict[str, tuple[Field, dict] | None] = {}

    def check(self, f: Field, value: object, path: tuple, ctx: Check) -> object:
        entry = self.by_field.get(f.name)
        if entry is None or entry[0] is not f:
            if f.name in self.by_field and entry is None:
                return f.type.check(value, path, f, ctx)
            entry = self.by_field[f.name] = _memo_entry(f)
            if entry is None:
                return f.type.check(value, path, f, ctx)
        seen = entry[1]
        if type(value) is str:  # the common case: the value itself is the key
            key: object = value
        elif type(value) is list:
            key = _text_tuple(value)
        else:
            key = (type(value), value) if type(value) in _KEYABLE else None
        if key is None:
            return f.type.check(value, path, f, ctx)
        hit = seen.get(key, _MISS)
        if hit is not _MISS:
            return list(hit) if type(hit) is tuple else hit
        if len(seen) >= self.limit:  # full (a column of ids or names): check directly
            return f.type.check(value, path, f, ctx)
        recorder = _Recorder()
        checked = f.type.check(value, path, f, recorder)
        if recorder.found:
            for args, params in recorder.found:
                ctx.report(*args, **params)
            return checked
        seen[key] = tuple(checked) if type(checked) is list else checked
        return checked


def _memo_entry(f: Field) -> tuple[Field, dict] | None:
    t = f.type
    pure = isinstance(t.item, _PURE) if isinstance(t, ListOf) else isinstance(t, _PURE)
    return (f, {}) if pure else None


_MISS = object()
_KEYABLE = frozenset((str, int, float, dt.date))


def _text_tuple(value: list) -> tuple | None:
    """A list of texts as a key (marked, so it never equals a tuple value)."""
    return (list, *value) if all(type(v) is str for v in value) else None


def check_fields(
    fields: tuple[Field, ...],
    data: object,
    path: tuple,
    ctx: Check,
    kind_label: str,
    memo: FieldMemo | None = None,
) -> dict:
    """Check a mapping against ``fields``; returns the cleaned mapping (bad values dropped).

    Unknown keys, missing required keys and every field's own rule are reported through ``ctx``.
    ``memo`` (one per file or sheet) reuses clean results of values seen on earlier rows.
    """
    if not isinstance(data, dict):
        ctx.report("FIELD_TYPE", path, data, label=kind_label, expected="“字段: 值”的映射", hint="")
        return {}
    by_name, by_label = _lookups(fields)
    out: dict = {}
    for key, value in data.items():
        f = by_name.get(key) or by_label.get(key)
        if f is None:
            ctx.report(
                "FIELD_UNKNOWN",
                path + (key,),
                key,
                kind_label=kind_label,
                expected="、".join(x.name for x in fields),
            )
            continue
        if value is None or value == "" or value == []:
            continue  # treated as absent; required check below
        if memo is None:
            checked = f.type.check(value, path + (key,), f, ctx)
        else:
            checked = memo.check(f, value, path + (key,), ctx)
        if checked is not INVALID:
            out[f.name] = checked
    for f in fields:
        if f.name in out:
            continue
        raw = data.get(f.name, data.get(f.label))
        if raw not in (None, "", []):
            continue  # present but invalid: already reported
        if f.default is not None:
            # Nested mappings get their own defaults filled in too.
            out[f.name] = (
                f.type.check(f.default, path + (f.name,), f, ctx) if isinstance(f.type, Obj) else f.default
            )
        elif f.required:
            ctx.report("FIELD_REQUIRED", path, "", label=f.label, field=f.name, hint=f.hint)
    return out


_LOOKUPS: dict[int, tuple] = {}


def _lookups(fields: tuple[Field, ...]) -> tuple[dict[str, Field], dict[str, Field]]:
    """Fields by name and by label, computed once per field list (checked once per row)."""
    entry = _LOOKUPS.get(id(fields))
    if entry is None or entry[0] is not fields:
        if len(_LOOKUPS) > 1000:
            _LOOKUPS.clear()
        entry = _LOOKUPS[id(fields)] = (fields, {f.name: f for f in fields}, {f.label: f for f in fields})
    return entry[1], entry[2]


def fields_json_schema(fields: tuple[Field, ...]) -> dict:
    """JSON Schema of a mapping with ``fields`` (each field's label and description included)."""
    props = {}
    for f in fields:
        schema = dict(f.type.json_schema())
        schema["title"] = f.label
        schema["description"] = f.description + ("（内部字段，不公开）" if f.internal else "")
        props[f.name] = schema
    return {
        "type": "object",
        "properties": props,
        "required": [f.name for f in fields if f.required and f.default is None],
        "additionalProperties": False,
    }
