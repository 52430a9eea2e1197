"""Record kinds: a declarative schema plus where the files live and how they are shaped.

A :class:`Kind` is data, in the spirit of mkdocs' config schema: the same declaration drives
checking, the JSON Schema export, the field reference in ``docs/records.md``, the ``new`` command's
starter files and the Excel templates. Nothing here reads files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.schema.fields import INVALID, Check, Field, ListOf, MapOf, Obj

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


def check_fields(fields: tuple[Field, ...], data: object, path: tuple, ctx: Check, kind_label: str) -> dict:
    """Check a mapping against ``fields``; returns the cleaned mapping (bad values dropped).

    Unknown keys, missing required keys and every field's own rule are reported through ``ctx``.
    """
    if not isinstance(data, dict):
        ctx.report("FIELD_TYPE", path, data, label=kind_label, expected="“字段: 值”的映射", hint="")
        return {}
    by_name = {f.name: f for f in fields}
    by_label = {f.label: f for f in fields}
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
        checked = check_value(f, value, path + (key,), ctx)
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
                check_value(f, f.default, path + (f.name,), ctx) if isinstance(f.type, Obj) else f.default
            )
        elif f.required:
            ctx.report("FIELD_REQUIRED", path, "", label=f.label, field=f.name, hint=f.hint)
    return out


def check_value(f: Field, value: object, path: tuple, ctx: Check) -> object:
    t = f.type
    if isinstance(t, Obj):
        return check_fields(t.fields, value, path, ctx, f.label)
    if isinstance(t, ListOf) and isinstance(t.item, Obj):
        if not isinstance(value, list):
            ctx.report("FIELD_TYPE", path, value, label=f.label, expected="列表", hint=f.hint)
            return INVALID
        return [check_fields(t.item.fields, v, path + (i,), ctx, f.label) for i, v in enumerate(value)]
    if isinstance(t, MapOf):
        if not isinstance(value, dict):
            ctx.report("FIELD_TYPE", path, value, label=f.label, expected="“键: 值”的映射", hint=f.hint)
            return INVALID
        out = {}
        for k, v in value.items():
            key = t.key.check(k, path + (k,), f, ctx)
            val = t.value.check(v, path + (k,), f, ctx)
            if key is not INVALID and val is not INVALID:
                out[key] = val
        return out
    return t.check(value, path, f, ctx)


def fields_json_schema(fields: tuple[Field, ...]) -> dict:
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
