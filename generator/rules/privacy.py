"""Private data typed into public fields: mobile numbers and resident ID numbers, in any spelling.

Every field not marked internal is published (pages, open data, the feed). A unit's clerk who puts
``联系人 张三 138-1234-5678`` in an address or a note would publish it; the build's final scan would
stop the site, but only ``validate`` can name the record's file:line in the pull request. Walks the
schema's declarations, so a new field is covered without touching this file. Not scanned: internal
fields, fields with a pattern (codes, ids, dates: their shape already rules a phone out), choices,
machine-written data, and an object id that is a 统一社会信用代码 (checked by its own rule).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.private_data import find
from generator.records import BY_NAME
from generator.schema.fields import Field, ListOf, MapOf, Obj, Text

CODES = {"mobile": "PRIVACY_MOBILE", "id_number": "PRIVACY_ID_NUMBER"}


def public_texts(fields, data, path=()) -> Iterator[tuple[tuple, Field, Text, str]]:
    """(path, field, its text type, text) of every public free-text value in ``data``."""
    if not isinstance(data, dict):
        return
    for f in fields:
        value = data.get(f.name)
        if f.internal or value is None:
            continue
        yield from _values(f, f.type, value, path + (f.name,))


def _values(f, ftype, value, path):
    if isinstance(ftype, Obj):
        yield from public_texts(ftype.fields, value, path)
    elif isinstance(ftype, ListOf) and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _values(f, ftype.item, item, path + (i,))
    elif isinstance(ftype, MapOf) and isinstance(value, dict):
        for key, item in value.items():
            yield from _values(f, ftype.value, item, path + (key,))
    elif type(ftype) is Text and ftype.pattern is None and isinstance(value, str):
        yield path, f, ftype, value


def check(corpus) -> Iterator[Finding]:
    for kind_name, records in corpus.records.items():
        kind = BY_NAME.get(kind_name)
        if kind is None:
            continue
        for r in records:
            for path, f, _, text in public_texts(kind.fields, r.data):
                if kind_name == "objects" and path == ("id",) and r.data.get("id_kind") == "统一社会信用代码":
                    continue
                for hit in find(text):
                    line, col = r.loc(*path)
                    yield finding(CODES[hit.kind], r.file, line, col, path, hit.masked, label=f.label)
