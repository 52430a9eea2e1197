"""Deterministic writers for the sample tree: a small YAML emitter that keeps key order and
comments, and a CSV writer whose header is the Chinese labels of a record kind's fields.

PyYAML's dumper cannot place comments and re-sorts nothing we can rely on across versions, so
mappings are emitted by hand; only scalars go through ``yaml.safe_dump`` (for correct quoting).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import yaml

from generator.records import BY_NAME


class Note(str):
    """A mapping key that is emitted as a ``# comment`` line instead of a field."""

    _count = 0

    def __new__(cls, text: str):
        # Distinct objects so several notes can live in one dict.
        Note._count += 1
        obj = super().__new__(cls, f"\0note{Note._count}\0{text}")
        obj.text = text
        return obj


_FLOW_SAFE = re.compile(r"[A-Za-z0-9_@./-]+")


def scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = yaml.safe_dump(str(value), allow_unicode=True, width=10**9)
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text.rstrip("\n")


def _flow_list(values: list) -> str | None:
    """Short lists of ids read best on one line: ``[market, education]``."""
    if not all(isinstance(v, str) and _FLOW_SAFE.fullmatch(v) and scalar(v) == v for v in values):
        return None
    text = "[" + ", ".join(values) + "]"
    return text if len(text) <= 90 else None


def _emit_map(data: dict, indent: int, out: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    pending = first_prefix  # a list item's "- " goes on its first real field, after any notes
    for key, value in data.items():
        if isinstance(key, Note):
            col = pad if pending is None else " " * (len(pending) - 2)  # notes sit at the dash column
            out.append(f"{col}# {key.text}")
            continue
        lead = pending if pending is not None else pad
        pending = None
        _emit_field(str(key), value, indent, lead, out)


def _emit_field(key: str, value: object, indent: int, lead: str, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append(f"{lead}{key}: {{}}")
            return
        out.append(f"{lead}{key}:")
        _emit_map(value, indent + 2, out)
    elif isinstance(value, list):
        if not value:
            out.append(f"{lead}{key}: []")
            return
        flow = _flow_list(value)
        if flow is not None:
            out.append(f"{lead}{key}: {flow}")
            return
        out.append(f"{lead}{key}:")
        _emit_list(value, indent + 2, out)
    else:
        out.append(f"{lead}{key}: {scalar(value)}")


def _emit_list(values: list, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for value in values:
        if isinstance(value, dict):
            _emit_map(value, indent + 2, out, first_prefix=f"{pad}- ")
        else:
            out.append(f"{pad}- {scalar(value)}")


def yaml_text(doc: dict, comments: tuple[str, ...] = ()) -> str:
    out = [f"# {c}" if c else "#" for c in comments]
    _emit_map(doc, 0, out)
    return "\n".join(out) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_text(kind_name: str, rows: list[dict]) -> str:
    """Rows keyed by field name -> CSV text with the kind's Chinese labels as header."""
    fields = BY_NAME[kind_name].fields
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([f.label for f in fields])
    for row in rows:
        writer.writerow([_cell(row.get(f.name)) for f in fields])
    return buf.getvalue()


class Tree:
    """Collects files (relative path -> text) and writes them in sorted order."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def add(self, rel: str, text: str) -> None:
        if rel in self.files:
            raise ValueError(f"duplicate sample file {rel}")
        self.files[rel] = text

    def write(self, root: Path) -> None:
        for rel in sorted(self.files):
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(self.files[rel])
