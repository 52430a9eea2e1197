"""Rosters: inspectors (执法检查人员) and assistants (experts, testing institutions) as ``Person`` rows.

Validated from the plain dicts the I/O layer reads (docs/draw-protocol.md §4.2): text fields and
lists of text, unique ids, returned sorted by id. Eligibility for a task is teams.py's business.
"""

from __future__ import annotations

from dataclasses import dataclass

from .canonical import normalise
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


def parse_people(rows, label: str = "执法检查人员库") -> list[Person]:
    """Validate inspector/assistant rows (text fields, lists of text); returned sorted by id."""
    seen, out = set(), []
    for number, row in enumerate(_list(rows, label), 1):
        if not isinstance(row, dict):
            raise DrawError("DRAW_ROW_NOT_MAPPING", where=label, row=number)
        row = normalise(row)
        unknown = set(row) - set(PERSON_FIELDS)
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
    return sorted(out, key=lambda person: person.id)


def row_of(item) -> dict:
    """The full canonical row of a candidate/person: every field, lists for tuples, fixed names."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in item.__dict__.items()}
