"""Stages 2 and 3 of reading a sheet: locate the header row, then resolve each header cell to a field.

Officials rename columns (企业名称 for 名称), add notes (名称（必填）, 地址(选填)：), break long headers
over two lines and mix half- and full-width brackets. A header cell is reduced to a *key* (NFKC, no
white space, no trailing colon or asterisk) and looked up among each field's label, machine name and
declared ``synonyms`` (generator/records/*.py); when that fails, trailing notes in brackets are
dropped one at a time. A cell that still names no field is *ignored* with a warning (extra columns
such as 备注 or 法定代表人 may hold personal data: they are never imported), with a "是否指…"
suggestion when it is close to a field's label.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from generator.schema.fields import Field

HEADER_SEARCH_ROWS = 30
IGNORED_HEADERS = {"序号", "行号", "编号序号", "no", "no."}
_BRACKETS = re.compile(r"\(([^()]*)\)$")
_SPACE = re.compile(r"\s+")


def header_key(value: object) -> str:
    """What identifies a column: ``header_key(" 名称\\n（必填）：") == "名称(必填)"``."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = _SPACE.sub("", text).replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    return text.strip("*:").strip()


def _variants(key: str) -> list[str]:
    """``key`` and ``key`` without its trailing bracketed notes: 名称(必填)(内部) -> 名称(必填), 名称."""
    out = [key[1:-1]] if key.startswith("(") and key.endswith(")") and key.count("(") == 1 else [key]
    while True:
        shorter = _BRACKETS.sub("", out[-1]).strip("*:")
        if shorter == out[-1] or not shorter:
            return out
        out.append(shorter)


@dataclass(frozen=True)
class HeaderTable:
    """Every accepted header key of one sheet kind -> field name."""

    keys: dict[str, str]
    labels: dict[str, str]  # field name -> label (for suggestions and messages)

    @classmethod
    def of(cls, fields: tuple[Field, ...]) -> HeaderTable:
        keys: dict[str, str] = {}
        for f in fields:  # labels and names first: a synonym never shadows another field's label
            keys.setdefault(header_key(f.label), f.name)
            keys.setdefault(f.name.lower(), f.name)
        for f in fields:
            for word in (f.label, *f.synonyms):
                for variant in _variants(header_key(word)):
                    keys.setdefault(variant, f.name)
        return cls(keys, {f.name: f.label for f in fields})

    def lookup(self, value: object) -> str | None:
        key = header_key(value)
        for variant in _variants(key):
            name = self.keys.get(variant) or self.keys.get(variant.lower())
            if name:
                return name
        return None

    def suggest(self, value: object) -> str | None:
        """The label of the field a near-miss header probably means (是否指…)."""
        key = _variants(header_key(value))[-1]
        if not key:
            return None
        near = difflib.get_close_matches(key, list(self.keys), n=1, cutoff=0.6)
        return self.labels[self.keys[near[0]]] if near else None


def score(row: list[object], table: HeaderTable) -> int:
    """How many distinct fields a row names (a header names many, a data row few or none)."""
    found = set()
    for cell in row:
        if isinstance(cell, str):
            name = table.lookup(cell)
            if name:
                found.add(name)
    return len(found)


def locate_header(rows: list[list[object]], table: HeaderTable) -> tuple[int, int]:
    """(0-based index, score) of the first row among the first 30 that names the most fields."""
    best, best_score = 0, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        s = score(row, table)
        if s > best_score:
            best, best_score = i, s
    return best, best_score


@dataclass
class Header:
    """The resolved header of one sheet."""

    row: int  # 0-based index of the header row
    columns: dict[int, str] = field(default_factory=dict)  # 0-based column -> field name
    unknown: list[tuple[int, str, str | None]] = field(default_factory=list)  # (column, text, 是否指)
    duplicates: list[tuple[int, str, int]] = field(default_factory=list)  # (column, text, first column)

    @property
    def seen(self) -> dict[str, int]:
        return {name: ci for ci, name in self.columns.items()}


def resolve_header(cells: list[object], table: HeaderTable, row: int = 0) -> Header:
    out = Header(row)
    first: dict[str, int] = {}
    for ci, cell in enumerate(cells):
        key = header_key(cell)
        if not key or key.lower() in IGNORED_HEADERS:
            continue
        name = table.lookup(cell)
        if name is None:
            out.unknown.append((ci, str(cell).strip(), table.suggest(cell)))
        elif name in first:
            out.duplicates.append((ci, str(cell).strip(), first[name]))
        else:
            first[name] = ci
            out.columns[ci] = name
    return out
