"""YAML 1.2-style reading of scalars: no silent conversion of what was meant as text.

PyYAML follows YAML 1.1: ``office_phone: 05270123`` is the octal number 1405011, ``1:30`` is 90
(base 60) and ``1e3`` is 1000.0. The loader keeps the written text of every plain scalar whose
value prints differently (``Loaded.scalars``); here each one is judged against the field it lands
in: where text is expected it is a finding asking for quotes, and a YAML 1.1-only number form in a
numeric field is a finding asking for a plain decimal. A number that prints as written
(``note: 2026``) is harmless and passes.
"""

from __future__ import annotations

from generator.schema.fields import Check, Field, FieldType, ListOf, MapOf, Obj, Text
from generator.schema.kind import YAML_LIST, Kind
from generator.sources import Loaded, is_yaml11_number


def check_scalars(kind: Kind, loaded: Loaded, ctx: Check) -> None:
    for path, written in sorted(loaded.scalars.items(), key=lambda item: loaded.loc(item[0])):
        located = _field_at(kind, path)
        if located is None:
            continue
        f, ftype = located
        converted = _value_at(loaded.value, path)
        if isinstance(ftype, Text):
            ctx.report("FIELD_TEXT_UNQUOTED", path, written, label=f.label, converted=converted)
        elif is_yaml11_number(written):
            ctx.report("YAML_NUMBER_FORM", path, written, label=f.label, converted=converted)


def type_at(fields: tuple[Field, ...], path: tuple) -> tuple[Field, FieldType] | None:
    """The field and the type that checks the value at ``path`` (None when the schema has none)."""
    if not path:
        return None
    f = _named(fields, path[0])
    if f is None:
        return None
    t, rest = f.type, path[1:]
    while rest:
        if isinstance(t, ListOf) and isinstance(rest[0], int):
            t = t.item
        elif isinstance(t, Obj):
            inner = _named(t.fields, rest[0])
            if inner is None:
                return None
            f, t = inner, inner.type
        elif hasattr(t, "field_for"):  # amendments' changes: typed like the fields they change
            inner = t.field_for(rest[0])
            if inner is None:
                return None
            f, t = inner, inner.type
        elif isinstance(t, MapOf):
            t = t.value
        else:
            return None
        rest = rest[1:]
    return f, t


def _field_at(kind: Kind, path: tuple) -> tuple[Field, FieldType] | None:
    if kind.shape == YAML_LIST and path and path[0] == kind.list_key:
        return type_at(kind.fields, path[2:]) if len(path) > 2 and isinstance(path[1], int) else None
    return type_at(kind.header_fields if kind.shape == YAML_LIST else kind.fields, path)


def _named(fields: tuple[Field, ...], key: object) -> Field | None:
    return next((f for f in fields if key in (f.name, f.label)), None)


def _value_at(value: object, path: tuple) -> object:
    for part in path:
        try:
            value = value[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return "?"
    return value
