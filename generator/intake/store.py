"""Merge imported rows into the record files, changing only what changed.

Existing rows keep their order and, when unchanged, their exact bytes (the raw text of the row is
copied); changed rows are re-serialised in place; new rows are appended in key order. Columns the
sheet did not have keep their existing values, so importing a public copy never wipes internal
fields. Everything is computed in memory; :func:`write_atomically` puts files in place.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import yaml

from generator.paths import held_interrupts, stage_file
from generator.schema.fields import Check, Field, format_ratio
from generator.schema.headers import HeaderTable
from generator.schema.kind import check_fields


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    removed: int = 0
    same: int = 0
    kept: int = 0  # rows of the file that the sheet does not list (merge keeps them)

    def add(self, other: Counts) -> None:
        self.added += other.added
        self.changed += other.changed
        self.removed += other.removed
        self.same += other.same
        self.kept += other.kept

    def summary(self) -> str:
        text = f"新增 {self.added} 条，修改 {self.changed} 条，删除 {self.removed} 条，未变 {self.same} 条"
        return text + (f"；表中没有的 {self.kept} 条保留不变" if self.kept else "")


@dataclass
class Merge:
    text: str
    counts: Counts
    removed_keys: list[tuple] = field(default_factory=list)
    added_keys: list[tuple] = field(default_factory=list)
    # (row key, [(field name, old text, new text)]) for every changed row
    changed_keys: list[tuple[tuple, list[tuple[str, str, str]]]] = field(default_factory=list)
    removed_names: dict[tuple, str] = field(default_factory=dict)


def cell_text(value: object) -> str:
    """A value as an official would type it in a CSV cell or read it in a table."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Fraction):
        return format_ratio(value)
    if isinstance(value, list):
        return ";".join(cell_text(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def canon(fields: Iterable[Field], data: dict) -> dict:
    """``data`` without empty values and defaults, for comparing rows that were written differently."""
    defaults = {f.name: f.default for f in fields}
    return {k: v for k, v in data.items() if v not in (None, "", [], {}) and v != defaults.get(k)}


def overlay(existing: dict, new: dict, present: Iterable[str]) -> dict:
    merged = dict(existing)
    for name in present:
        if name in new:
            merged[name] = new[name]
        else:
            merged.pop(name, None)  # the official cleared the cell
    return merged


class _Silent(Check):
    csv = True

    def report(self, code, path, value, **params):  # existing files are judged by validate, not here
        pass


def existing_csv_rows(fields: tuple[Field, ...], text: str) -> tuple[list[str], list[tuple[dict, str, str]]]:
    """(header cells, [(cells by field name, raw text of the row, raw text before the first row)]).

    Leaner than the loader (no per-cell locations, no checks): a 100,000-row directory is re-read on
    every import and most rows compare equal as text. Raw text keeps each row's exact bytes,
    including quoted cells that span lines; blank lines stay with the row above.
    """
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    reader = csv.reader(lines)
    by_label = HeaderTable.exact(fields).keys  # the loader's header mapping: label or name -> name
    header: list[str] = []
    out: list[tuple[dict, str, str]] = []
    prev = 0
    prefix = ""
    try:
        for cells in reader:
            raw = "".join(lines[prev : reader.line_num])
            prev = reader.line_num
            if not header:
                header, prefix = [c.strip() for c in cells], raw
                continue
            if not any(c.strip() for c in cells):
                if out:
                    row, chunk, p = out[-1]
                    out[-1] = (row, chunk + raw, p)
                else:
                    prefix += raw
                continue
            row = {by_label[h]: v for h, v in zip(header, cells, strict=False) if h in by_label}
            out.append((row, raw, prefix))
    except csv.Error:
        return header, []
    return header, out


def checked(fields: tuple[Field, ...], cells: dict) -> dict:
    known = tuple(f for f in fields if f.name in cells)
    return check_fields(known, cells, (), _Silent(), "")


def _reread(fields: tuple[Field, ...], file_header: list[str], raw_text: str) -> dict:
    """A kept row's values, its cells read under the header of the file it comes from (a file may
    lack optional columns or order them its own way: never the full header's order)."""
    _, rows = existing_csv_rows(fields, _csv_line(file_header) + raw_text)
    return checked(fields, rows[0][0]) if rows else {}


def _csv_line(cells: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


def merge_csv(
    kind_name: str,
    fields: tuple[Field, ...],
    key: tuple[str, ...],
    existing: str | None,
    rows: list[dict],
    present: tuple[str, ...],
    file: str,
    replace: bool = False,
) -> Merge:
    """Merge ``rows`` into the CSV text ``existing``: rows the sheet lacks are kept unless ``replace``."""
    new_by_key = {tuple(str(r.get(k, "")) for k in key): r for r in rows}
    counts = Counts()
    out_rows: list[tuple[str | None, dict]] = []  # (raw text or None, data)
    header_fields = [f.name for f in fields]
    header_line = _csv_line([f.label for f in fields])
    removed: list[tuple] = []
    removed_names: dict[tuple, str] = {}
    changes: list[tuple[tuple, list[tuple[str, str, str]]]] = []
    header_cells: list[str] = []
    if existing:
        header_cells, parsed = existing_csv_rows(fields, existing)
        table = HeaderTable.exact(fields)
        mapped = [table.lookup(c) for c in header_cells]
        if None not in mapped:
            header_fields, header_line = mapped, _csv_line(header_cells) if not parsed else parsed[0][2]
        for cells, chunk, _ in parsed:
            k = tuple(cells.get(n, "").strip() for n in key)
            data = None
            if k not in new_by_key:
                data = checked(fields, cells)
                k = tuple(str(data.get(n, "")) for n in key)
            if k not in new_by_key:
                if replace:
                    counts.removed += 1
                    removed.append(k)
                    removed_names[k] = cells.get("name", "")
                else:
                    counts.kept += 1
                    out_rows.append((chunk, {}))
                continue
            new = new_by_key.pop(k)
            # Fast path: the sheet's cells, written out, are the file's cells.
            if all(cell_text(new.get(n)) == cells.get(n, "") for n in present):
                counts.same += 1
                out_rows.append((chunk, {}))
                continue
            data = data or checked(fields, cells)
            merged = overlay(data, new, present)
            if canon(fields, merged) == canon(fields, data):
                counts.same += 1
                out_rows.append((chunk, {}))
            else:
                counts.changed += 1
                out_rows.append((None, merged))
                changes.append((k, field_changes(fields, data, merged, present)))
    added = sorted(new_by_key)
    for k in added:
        counts.added += 1
        out_rows.append((None, new_by_key[k]))
    # A value in a column the existing file lacks forces the canonical header (and a full rewrite).
    lacking = {f.name for f in fields} - set(header_fields)
    if lacking and any(n in lacking for raw, d in out_rows if raw is None for n in canon(fields, d)):
        # Rare: a value for a column the file lacks. Rewrite the whole file with the full header.
        header_fields, header_line = [f.name for f in fields], _csv_line([f.label for f in fields])
        out_rows = [(None, d if raw is None else _reread(fields, header_cells, raw)) for raw, d in out_rows]
    return Merge(
        _csv_text(header_line, header_fields, out_rows), counts, removed, added, changes, removed_names
    )


def _csv_text(header_line: str, names: list[str], out_rows: list[tuple[str | None, dict]]) -> str:
    """The file: kept rows as their exact raw text, new and changed rows written by one csv writer."""
    buf = io.StringIO()
    buf.write(header_line)
    writer = csv.writer(buf, lineterminator="\n")
    for raw, d in out_rows:
        if raw is not None:
            buf.write(raw)
        else:
            writer.writerow([v if type(v := d.get(n)) is str else cell_text(v) for n in names])
    return buf.getvalue()


def field_changes(fields, old: dict, new: dict, present) -> list[tuple[str, str, str]]:
    """(field name, old text, new text) of each field whose value differs."""
    out = []
    for f in fields:
        if f.name in present:
            a, b = canon(fields, {f.name: old.get(f.name)}), canon(fields, {f.name: new.get(f.name)})
            if a != b:
                out.append((f.name, cell_text(old.get(f.name)), cell_text(new.get(f.name))))
    return out


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        # Records never hold anchors: rows share equal values (one date object for every row with
        # that date, from the check memo), and a clerk must read the value, not ``*id001``.
        return True


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Fraction, lambda d, v: _str(d, format_ratio(v)))


def yaml_record(fields: tuple[Field, ...], data: dict) -> dict:
    return {f.name: data[f.name] for f in fields if data.get(f.name) not in (None, "", [], {})}


def dump_yaml(value: object) -> str:
    return yaml.dump(
        value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )


def list_item_text(fields: tuple[Field, ...], data: dict, indent: int) -> str:
    text = dump_yaml([yaml_record(fields, data)])
    return "".join(" " * indent + line for line in text.splitlines(keepends=True))


def list_spans(text: str, list_key: str) -> tuple[int, list[int], int]:
    """(indent of "-", start line of each item, line after the list) for the top-level ``list_key``."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    for key_node, value_node in node.value if isinstance(node, yaml.MappingNode) else []:
        if key_node.value == list_key and isinstance(value_node, yaml.SequenceNode):
            starts = [child.start_mark.line + 1 for child in value_node.value]
            indent = value_node.value[0].start_mark.column - 2 if value_node.value else 0
            end = value_node.end_mark.line + (1 if value_node.end_mark.column else 0)
            lines = text.splitlines()
            while end > (starts[-1] if starts else 0) and end - 1 < len(lines) and not lines[end - 1].strip():
                end -= 1  # trailing blank lines belong after the list
            return max(indent, 0), starts, end + 1
    return 0, [], 0


def write_atomically(files: dict[Path, str]) -> None:
    """All files or none: every file is written to a temporary sibling first (a full disk or a size
    limit fails here, before any record changed), then all are renamed into place with Ctrl-C held
    back until the last rename, so an interrupt cannot leave half of a multi-file import."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in sorted(files.items()):
            staged.append((stage_file(path, text), path))
        with held_interrupts():
            for tmp, path in staged:
                os.replace(tmp, path)
            staged = []
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
