"""Record kinds: a declarative schema plus where the files live and how they are shaped.

A :class:`Kind` is data, in the spirit of mkdocs' config schema: the same declaration drives
checking, the JSON Schema export, the field reference in ``docs/records.md``, the ``new`` command's
starter files and the Excel templates. Nothing here reads files. Field checking and the field-level
JSON Schema live with the fields (``fields.check_fields``, ``fields.fields_json_schema``); they are
re-exported here for the loader's existing imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.schema.fields import Field, ListOf, Obj, check_fields, fields_json_schema

__all__ = [
    "CSV_ROWS",
    "YAML_LIST",
    "YAML_ONE",
    "Kind",
    "check_fields",
    "fields_json_schema",
    "kind_json_schema",
]

YAML_ONE = "yaml-one"  # the file is one record (a mapping)
YAML_LIST = "yaml-list"  # the file is a mapping whose ``list_key`` holds many records
CSV_ROWS = "csv"  # one record per CSV row, header = Chinese labels (field names also accepted)


@dataclass(frozen=True)
class Kind:
    """A record kind. ``pattern`` is a regex over the path relative to ``records/``.

    Named groups in ``pattern`` (``unit``, ``year``, ``id``) tell who the file speaks for; the
    rules use them to check that a file in a unit's folder speaks only for that unit.
    """

    name: str
    label: str
    description: str
    pattern: str
    fields: tuple[Field, ...]
    shape: str = YAML_ONE
    list_key: str = ""
    id_field: str = "id"
    example_path: str = ""
    header_fields: tuple[Field, ...] = ()  # YAML_LIST: fields of the surrounding mapping
    starter: str = ""  # the commented YAML (or CSV) the ``new`` command writes
    notes: tuple[str, ...] = field(default_factory=tuple)

    def matches(self, relpath: str) -> re.Match | None:
        return re.fullmatch(self.pattern, relpath)

    def field_named(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def internal_fields(self) -> tuple[str, ...]:
        return tuple(_internal_names(self.fields))


def _internal_names(fields, prefix=""):
    for f in fields:
        if f.internal:
            yield prefix + f.name
        if isinstance(f.type, Obj):
            yield from _internal_names(f.type.fields, prefix + f.name + ".")
        if isinstance(f.type, ListOf) and isinstance(f.type.item, Obj):
            yield from _internal_names(f.type.item.fields, prefix + f.name + "[].")


def kind_json_schema(kind: Kind) -> dict:
    """JSON Schema (draft 2020-12) for one file of ``kind``."""
    base = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://shuangsuiji.example/schemas/{kind.name}.schema.json",
        "title": kind.label,
        "description": kind.description,
    }
    record = fields_json_schema(kind.fields)
    if kind.shape == YAML_LIST:
        outer = fields_json_schema(kind.header_fields)
        outer["properties"][kind.list_key] = {"type": "array", "items": record}
        outer["required"] = sorted(set(outer["required"]) | {kind.list_key})
        return base | outer
    if kind.shape == CSV_ROWS:
        # CSV rows are text cells; the schema documents one row, keyed by field name.
        return base | {"type": "array", "items": record}
    return base | record
