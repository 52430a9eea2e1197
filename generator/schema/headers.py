"""Header cells -> fields: the one resolver for every table the project reads.

Two readers map a table's header row to the fields of a record kind: the record loader (CSV files
in ``records/``, generator/corpus.py) and spreadsheet import (generator/intake/). Both call
:func:`resolve_header` with a :class:`HeaderTable`; they differ only in which header texts the table
accepts:

* ``HeaderTable.exact(fields)`` — a record file: the field's Chinese label or machine name, as
  written (surrounding spaces aside). A records CSV is written by the project's own tools, so a
  renamed column there is an error for the clerk to fix, not something to guess.
* ``HeaderTable.of(fields)`` — a clerk's sheet: officials rename columns (企业名称 for 名称), add
  notes (名称（必填）, 地址(选填)：), break long headers over two lines and mix half- and full-width
  brackets. A header cell is reduced to a *key* (NFKC, no white space, no trailing colon or asterisk)
  and looked up among each field's label, machine name and declared ``synonyms``; when that fails,
  trailing notes in brackets are dropped one at a time. Blank cells and row-number columns (序号)
  are skipped; a near miss gets a "是否指…" suggestion.

Either way the result is a :class:`Header`: column -> field, the unknown cells, and the cells that
name a field a second time.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from generator.schema.fields import Field

IGNORED_HEADERS = frozenset({"序号", "行号", "编号序号", "no", "no."})
_BRACKETS = re.compile(r"\(([^()]*)\)$")
_SPACE = re.compile(r"\s+")


def header_key(value: object) -> str:
    """What identifies a column in a sheet: ``header_key(" 名称\\n（必填）：") == "名称(必填)"``."""
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
    """Every accepted header text of one record kind -> field name."""

    keys: dict[str, str]
    labels: dict[str, str]  # field name -> label (for suggestions and messages)
    lenient: bool = True  # a clerk's sheet (normalised keys, synonyms, notes) or a record file (exact)

    @classmethod
    def of(cls, fields: tuple[Field, ...]) -> HeaderTable:
        """The table for a clerk's sheet: labels, names, synonyms, notes and punctuation forgiven."""
        keys: dict[str, str] = {}
        for f in fields:  # labels and names first: a synonym never shadows another field's label
            keys.setdefault(header_key(f.label), f.name)
            keys.setdefault(f.name.lower(), f.name)
        for f in fields:
            for word in (f.label, *f.synonyms):
                for variant in _variants(header_key(word)):
                    keys.setdefault(variant, f.name)
        return cls(keys, {f.name: f.label for f in fields})

    @classmethod
    def exact(cls, fields: tuple[Field, ...]) -> HeaderTable:
        """The table for a record file: each field's label or machine name, exactly."""
        keys = {f.label: f.name for f in fields} | {f.name: f.name for f in fields}
        return cls(keys, {f.name: f.label for f in fields}, lenient=False)

    def key(self, value: object) -> str:
        if not self.lenient:
            return "" if value is None else str(value).strip()
        return header_key(value)

    def lookup(self, value: object) -> str | None:
        key = self.key(value)
        if not self.lenient:
            return self.keys.get(key)
        for variant in _variants(key):
            name = self.keys.get(variant) or self.keys.get(variant.lower())
            if name:
                return name
        return None

    def suggest(self, value: object) -> str | None:
        """The label of the field a near-miss header probably means (是否指…)."""
        key = _variants(self.key(value))[-1] if self.lenient else self.key(value)
        if not key:
            return None
        near = difflib.get_close_matches(key, list(self.keys), n=1, cutoff=0.6)
        return self.labels[self.keys[near[0]]] if near else None


@dataclass
class Header:
    """The resolved header of one table."""

    row: int  # 0-based index of the header row
    columns: dict[int, str] = field(default_factory=dict)  # 0-based column -> field name
    unknown: list[tuple[int, str, str | None]] = field(default_factory=list)  # (column, text, 是否指)
    duplicates: list[tuple[int, str, int]] = field(default_factory=list)  # (column, text, first column)

    @property
    def seen(self) -> dict[str, int]:
        return {name: ci for ci, name in self.columns.items()}


def resolve_header(cells: list[object], table: HeaderTable, row: int = 0) -> Header:
    """Each header cell -> its field; unknown cells and second columns for a field are listed.

    A lenient table skips blank cells and row-number columns (a sheet has them); an exact table
    reports them as unknown (a record file has neither)."""
    out = Header(row)
    first: dict[str, int] = {}
    for ci, cell in enumerate(cells):
        key = table.key(cell)
        if table.lenient and (not key or key.lower() in IGNORED_HEADERS):
            continue
        name = table.lookup(cell)
        if name is None:
            out.unknown.append((ci, "" if cell is None else str(cell).strip(), table.suggest(cell)))
        elif name in first:
            out.duplicates.append((ci, str(cell).strip(), first[name]))
        else:
            first[name] = ci
            out.columns[ci] = name
    return out
