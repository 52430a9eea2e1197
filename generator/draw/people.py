"""Rosters: inspectors (执法检查人员) and assistants (experts, testing institutions) as ``Person`` rows.

Validated from the plain dicts the I/O layer reads (docs/draw-protocol.md §4.2): text fields and
lists of text, unique ids, returned sorted by id. Eligibility for a task is teams.py's business.
"""

from __future__ import annotations

from dataclasses import dataclass

from .canonical import normalise
from .errors import DrawError
from .model import SALT_RE, _list, _texts


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
    # Internal: 64 lower-hex, so that the internal digest the request pins commits to the declared
    # conflicts without giving them away (the public roster is in every bundle, and conflicts name
    # object ids of the public directory: a hash of the two could be inverted by trying them).
    # "" (pools frozen before red team 7) is left out of the canonical row, keeping their digests.
    salt: str = ""


PERSON_FIELDS = {f: d for f, d in Person.__dataclass_fields__.items()}
PRIVATE_PERSON_FIELDS = ("conflicts", "phone", "salt")


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
            elif key == "salt" and value and not SALT_RE.match(value):
                raise DrawError(
                    "DRAW_FIELD_INVALID", where=where, field=key, value=value, expected="64 位小写十六进制"
                )
        if "name" not in row:
            raise DrawError("DRAW_FIELD_MISSING", where=where, field="name")
        if row["id"] in seen:
            raise DrawError("DRAW_DUPLICATE_ID", where=label, id=row["id"])
        seen.add(row["id"])
        out.append(Person(**row))
    return sorted(out, key=lambda person: person.id)


def row_of(item) -> dict:
    """The full canonical row of a candidate/person: every field, lists for tuples, fixed names
    (a person's empty ``salt`` left out: pools frozen before it existed keep their digests)."""
    row = {k: list(v) if isinstance(v, tuple) else v for k, v in item.__dict__.items()}
    if isinstance(item, Person) and not item.salt:
        del row["salt"]
    return row
