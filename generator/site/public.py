"""Whitelist of public fields, derived from the schema's ``internal`` flags.

Page models never read ``Record.data`` directly: they go through :func:`public_data`, which keeps only
fields declared in the kind's schema and not marked internal (recursively into nested mappings and
lists of mappings). A field the schema does not know is dropped too, so a new internal field that
someone forgets to flag still cannot leak through an unknown key.
"""

from __future__ import annotations

from generator.records import BY_NAME
from generator.schema.fields import Field, ListOf, Obj, Text


class PrivateFieldError(Exception):
    """Raised when code asks for a field the schema marks internal."""


def _clean(fields: tuple[Field, ...], data: dict) -> dict:
    out: dict = {}
    for f in fields:
        if f.internal:
            continue
        # Absent optional fields become None so templates can test them (StrictUndefined elsewhere).
        value = data.get(f.name)
        if isinstance(f.type, Obj):
            value = (
                _clean(f.type.fields, value if isinstance(value, dict) else {})
                if value is not None or f.required
                else None
            )
        elif isinstance(f.type, ListOf) and isinstance(f.type.item, Obj) and isinstance(value, list):
            value = [_clean(f.type.item.fields, v) if isinstance(v, dict) else v for v in value]
        out[f.name] = value
    return out


def public_data(record) -> dict:
    """The public fields of a record (a new dict; the record is not changed)."""
    kind = BY_NAME[record.kind]
    return _clean(kind.fields, record.data)


def public_header(record) -> dict:
    kind = BY_NAME[record.kind]
    return _clean(kind.header_fields, record.header)


def public_field_names(kind_name: str) -> tuple[str, ...]:
    return tuple(f.name for f in BY_NAME[kind_name].fields if not f.internal)


def require_public(kind_name: str, field_name: str) -> None:
    """Fail the build if a template or exporter asks for an internal field."""
    f = BY_NAME[kind_name].field_named(field_name)
    if f is None or f.internal:
        raise PrivateFieldError(f"{kind_name}.{field_name}")


def internal_values(corpus, kinds=None) -> dict[str, set[str]]:
    """Every internal value in the corpus that is distinctive enough to search the output for.

    Short codes such as a credit class ("A") cannot be searched for as text; those are covered by
    the whitelist and by the label scan in ``privacy``. ``kinds``: those kinds only (keys are
    prefixed with the kind's name, so parts never overlap).
    """
    out: dict[str, set[str]] = {}
    for kind in BY_NAME.values() if kinds is None else kinds:
        for record in corpus.of(kind.name):
            for key, texts in record_internal_values(kind, record):
                out.setdefault(key, set()).update(texts)
    return out


def record_internal_values(kind, record) -> list[tuple[str, list[str]]]:
    """``internal_values``' part from one record: (kind.field path, texts) per internal field.

    Not the values of a prose field (free text without a pattern, such as why an officer could not
    serve): the scan stops every unit's publication on a match, and a clerk's sentence may be, or be
    made, a phrase the site prints anyway (``国家企业信用信息公示系统`` is in every footer). Such a
    field is kept off the pages by the whitelist and its label by the label scan."""
    out = []
    prose = {
        name
        for name in kind.internal_fields
        if (f := _field_at(kind.fields, name)) is not None and _is_prose(f)
    }
    for path in kind.internal_fields:
        if path in prose:
            continue
        texts = []
        for value in _walk(record.data, path.split(".")):
            for text in value if isinstance(value, list) else [value]:
                text = str(text)
                if len(text) >= 7:
                    texts.append(text)
        if texts:
            out.append((f"{kind.name}.{path}", texts))
    return out


def _walk(data, parts):
    if not parts:
        yield data
        return
    head, rest = parts[0], parts[1:]
    if head.endswith("[]"):
        for item in data.get(head[:-2], []) if isinstance(data, dict) else []:
            yield from _walk(item, rest)
    elif isinstance(data, dict) and head in data:
        yield from _walk(data[head], rest)


def _field_at(fields, path: str):
    head, _, rest = path.partition(".")
    for f in fields:
        if f.name == head.removesuffix("[]"):
            if not rest:
                return f
            item = f.type.item if isinstance(f.type, ListOf) else f.type
            return _field_at(item.fields, rest) if isinstance(item, Obj) else None
    return None


def _is_prose(f: Field) -> bool:
    return type(f.type) is Text and f.type.pattern is None
