"""Parse and check one record file: YAML (one record, or a list of entries under a header) or CSV rows.

``corpus`` walks a records tree and hands each file here; checks outside validation (the append check,
the importer) parse single files the same way. Each value keeps its file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.errors import Findings, finding
from generator.scalars import check_scalars
from generator.schema.fields import Check, FieldMemo
from generator.schema.headers import HeaderTable, resolve_header
from generator.schema.kind import CSV_ROWS, YAML_LIST, Kind, check_fields
from generator.sources import Loaded, load_csv, load_yaml


@dataclass
class Record:
    """One validated record: its cleaned data and where every value came from."""

    kind: str
    data: dict
    file: str
    prefix: tuple  # path of this record inside its file, e.g. ("items", 3) or (12,)
    owner: dict[str, str]  # named groups of the file path: unit, year, id
    source: Loaded = field(repr=False)
    header: dict = field(default_factory=dict)  # YAML_LIST: the surrounding mapping's fields

    def loc(self, *path: object) -> tuple[int, int]:
        return self.source.loc(self.prefix + tuple(path))

    @property
    def line(self) -> int:
        return self.loc()[0]

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def __getitem__(self, key: str):
        return self.data[key]


class _Ctx(Check):
    def __init__(self, file: str, loaded: Loaded, findings: Findings, csv: bool = False):
        self.file, self.loaded, self.findings, self.csv = file, loaded, findings, csv

    def report(self, code: str, path: tuple, value: object, **params: object) -> None:
        line, col = self.loaded.loc(path)
        self.findings.add(finding(code, self.file, line, col, _display_path(path, self.csv), value, **params))


def _display_path(path: tuple, csv: bool) -> tuple:
    # CSV paths start with the row index, which the line number already shows.
    return path[1:] if csv and path and isinstance(path[0], int) else path


def load_file(kind: Kind, text: str, file: str, owner: dict[str, str], findings: Findings) -> list[Record]:
    """Parse and check one file of ``kind``; returns its records (possibly partial)."""
    if kind.shape == CSV_ROWS:
        return _load_csv(kind, text, file, owner, findings)
    loaded = load_yaml(text, file)
    findings.extend(loaded.findings)
    if loaded.value is None and loaded.findings:
        return []
    ctx = _Ctx(file, loaded, findings)
    if not isinstance(loaded.value, dict):
        findings.add(
            finding(
                "YAML_NOT_MAPPING",
                file,
                1,
                1,
                value=loaded.value,
                detail=_shape(loaded.value),
                kind=kind.name,
            )
        )
        return []
    if kind.shape == YAML_LIST:
        header = {k: v for k, v in loaded.value.items() if k != kind.list_key}
        header_data = check_fields(kind.header_fields, header, (), ctx, kind.label)
        rows = loaded.value.get(kind.list_key)
        if not isinstance(rows, list):
            ctx.report(
                "FIELD_REQUIRED", (), "", label=kind.label, field=kind.list_key, hint="请在文件中列出各条目。"
            )
            return []
        out = []
        for i, row in enumerate(rows):
            data = check_fields(kind.fields, row, (kind.list_key, i), ctx, kind.label)
            out.append(Record(kind.name, data, file, (kind.list_key, i), owner, loaded, header_data))
        if loaded.scalars:
            check_scalars(kind, loaded, ctx)
        return out
    data = check_fields(kind.fields, loaded.value, (), ctx, kind.label)
    if loaded.scalars:
        check_scalars(kind, loaded, ctx)
    return [Record(kind.name, data, file, (), owner, loaded)]


def _shape(value: object) -> str:
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空文件（没有任何字段）"
    return f"单个值“{value}”"


def _load_csv(kind: Kind, text: str, file: str, owner: dict[str, str], findings: Findings) -> list[Record]:
    loaded = load_csv(text, file)
    findings.extend(loaded.findings)
    if any(f.code == "FILE_TOO_LARGE" for f in loaded.findings):
        return []  # refused: checking the part read would only bury the one finding that matters
    rows = loaded.value or []
    header = _csv_header(text)
    if header is None:
        return []  # the header row itself cannot be parsed: CSV_SYNTAX says where and why
    resolved = resolve_header(header, HeaderTable.exact(kind.fields))  # the resolver import shares
    for i, cell, _ in resolved.unknown:
        line, col = loaded.loc(("header", i))
        findings.add(
            finding(
                "CSV_HEADER_UNKNOWN",
                file,
                line,
                col,
                value=cell,
                kind_label=kind.label,
                expected="、".join(f.label for f in kind.fields),
            )
        )
    # header cell -> field name; a second column for a field is read too (the later cell wins)
    named = {i: resolved.columns[first] for i, _, first in resolved.duplicates}
    named |= resolved.columns
    columns: dict[str, str] = {}
    for i in sorted(named):
        columns[header[i]] = named[i]
        loaded.columns.setdefault(named[i], i + 1)  # messages point at the column by field name
    present = set(columns.values())
    for f in kind.fields:
        if f.required and f.default is None and f.name not in present:
            findings.add(finding("CSV_HEADER_MISSING", file, 1, 1, value="", label=f.label, field=f.name))
    known = tuple(f for f in kind.fields if f.name in present)
    ctx = _Ctx(file, loaded, findings, csv=True)
    memo = FieldMemo()
    out = []
    for i, row in enumerate(rows):
        renamed = {columns[k]: v for k, v in row.items() if k in columns}
        if i in loaded.malformed:
            # Cells are shifted; checking them would only repeat CSV_ROW_WIDTH in other words. Keep
            # the id (first column) so references to this row still resolve.
            first = next(iter(row.values()), "").strip()
            out.append(Record(kind.name, {kind.id_field: first} if first else {}, file, (i,), owner, loaded))
            continue
        data = check_fields(known, renamed, (i,), ctx, kind.label, memo)
        for f in kind.fields:  # columns absent from the header still get their defaults
            if f.name not in present and f.default is not None:
                data.setdefault(f.name, f.default)
        out.append(Record(kind.name, data, file, (i,), owner, loaded))
    return out


def csv_header_fields(kind: Kind, text: str) -> set[str] | None:
    """The fields a CSV record file's header names, resolved exactly as ``load_file`` resolves them
    (label or machine name): checks outside validation (append-check) read the same columns.
    None when the header row cannot be parsed."""
    header = _csv_header(text)
    if header is None:
        return None
    return set(resolve_header(header, HeaderTable.exact(kind.fields)).columns.values())


def _csv_header(text: str) -> list[str] | None:
    """The header row's cells; None when the csv module refuses it (a cell over its field limit)."""
    import csv
    import io

    try:
        for cells in csv.reader(io.StringIO(text, newline="")):
            return [c.strip() for c in cells]
    except csv.Error:
        return None
    return []
