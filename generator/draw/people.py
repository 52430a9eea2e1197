"""Rosters: inspectors (执法检查人员) and assistants (experts, testing institutions) as ``Person`` rows.

Validated from the plain dicts the I/O layer reads (docs/draw-protocol.md §4.2): text fields and
lists of text, unique ids, returned sorted by id. Eligibility for a task is teams.py's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter, methodcaller

from .canonical import nfc, normalise
from .errors import DrawError
from .model import _list, _texts


@dataclass(frozen=True)
class Person:
    """An inspector (执法检查人员) or an assistant (expert / testing institution).

    Only ``status == "有效"`` people whose certificate covers the whole window and who hold every
    required qualification are eligible. ``conflicts`` (object ids, 回避) and ``phone`` are internal.
    """

    id: str
    name: str
    unit: str = ""
    status: str = "有效"
    cert_valid_from: str = "0000-01-01"
    cert_valid_until: str = "9999-12-31"
    qualifications: tuple[str, ...] = ()
    office_townships: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    kind: str = ""
    phone: str = ""


PERSON_FIELDS = {f: d for f, d in Person.__dataclass_fields__.items()}
PRIVATE_PERSON_FIELDS = ("conflicts", "phone")


LIST_FIELDS = ("qualifications", "office_townships", "conflicts")


_PERSON_KEYS = frozenset(PERSON_FIELDS)
_LIST_KEYS = frozenset(LIST_FIELDS)
_DEFAULTS = {
    f: ("" if f in ("id", "name") else d.default) for f, d in PERSON_FIELDS.items()
}  # __init__ order
_BY_ID = attrgetter("id")


def _plain_roster(rows) -> list[Person] | None:
    """The people of ``rows`` when every row plainly passes ``parse_people``'s per-row checks (a
    dict of known text keys, text or lists of text, an id, a name, no id twice), else None: the
    row-by-row walk then names the first fault. Checked a field at a time over the whole roster,
    in C loops (``verify`` reads a county's rosters for every draw); ``test_fast_paths`` holds it
    equal to the walk on hostile rows."""
    if type(rows) is not list or not set(map(type, rows)) <= {dict}:
        return None
    keys = set().union(*rows)
    if not keys <= _PERSON_KEYS or not set(map(type, keys)) <= {str}:
        return None
    if not all(map(dict.__contains__, rows, repeat("name"))):
        return None
    columns = []
    for field, default in _DEFAULTS.items():  # a missing field reads as its default
        values = list(map(methodcaller("get", field, default), rows))
        if field in _LIST_KEYS:  # default (): a tuple given for a list reads as the walk reads it
            if not set(map(type, values)) <= {list, tuple}:
                return None
            items = list(chain.from_iterable(values))
            if not set(map(type, items)) <= {str}:
                return None
            values = list(map(tuple, values))
            if not all(map(str.isascii, items)):  # few distinct lists (townships): NFC each once
                table = {texts: tuple(map(nfc, texts)) for texts in set(values)}
                values = list(map(table.__getitem__, values))
        elif not set(map(type, values)) <= {str}:
            return None
        elif not all(map(str.isascii, values)):
            values = list(map(nfc, values))
        columns.append(values)
    ids = columns[0]
    if not all(ids) or len(set(ids)) != len(ids):
        return None
    return sorted(map(Person, *columns), key=_BY_ID)


def parse_people(rows, label: str = "执法检查人员库") -> list[Person]:
    """Validate inspector/assistant rows (text fields, lists of text); returned sorted by id."""
    plain = _plain_roster(rows)
    if plain is not None:
        return plain
    seen, out = set(), []
    for number, row in enumerate(_list(rows, label), 1):
        if not isinstance(row, dict):
            raise DrawError("DRAW_ROW_NOT_MAPPING", where=label, row=number)
        row = normalise(row)
        unknown = set(row) - _PERSON_KEYS
        if unknown:
            raise DrawError("DRAW_FIELD_UNKNOWN", where=label, value=sorted(unknown), id=row.get("id"))
        if not isinstance(row.get("id"), str) or not row["id"]:
            raise DrawError("DRAW_ID_MISSING", where=label, row=number)
        where = f"{label} {row['id']} "
        for key, value in row.items():
            if key in LIST_FIELDS:
                row[key] = _texts(value, where, key)
            elif not isinstance(value, str):
                raise DrawError("DRAW_FIELD_INVALID", where=where, field=key, value=value, expected="文本")
        if "name" not in row:
            raise DrawError("DRAW_FIELD_MISSING", where=where, field="name")
        if row["id"] in seen:
            raise DrawError("DRAW_DUPLICATE_ID", where=label, id=row["id"])
        seen.add(row["id"])
        out.append(Person(**row))
    return sorted(out, key=_BY_ID)


def row_of(item) -> dict:
    """The full canonical row of a candidate/person: every field, lists for tuples, fixed names."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in item.__dict__.items()}
