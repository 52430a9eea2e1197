"""The engine's shortcuts that ``verify`` at scale 40 relies on (issue 18), each held equal to the
definition it replaces on random and hostile input: the k smallest (rank hash, id) pairs of a
staffing step (``teams.smallest``), the roster reader's field-at-a-time path (``parse_people``)
and the roster's canonical bytes written a field at a time (``pools.roster_bytes``)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.draw import DrawError
from generator.draw.canonical import canonical_bytes, normalise
from generator.draw.model import _list, _texts
from generator.draw.people import LIST_FIELDS, PERSON_FIELDS, Person, parse_people, row_of
from generator.draw.pools import SORTED_PERSON_FIELDS, SORTED_PUBLIC_FIELDS, roster_bytes
from generator.draw.teams import smallest

# Few distinct digests, so that equal digests (what a SHA-256 collision would give) are common.
DIGESTS = st.sampled_from([b"", b"\x00", b"\x00\x01", b"\x01", b"\x7f", b"\xff", b"\xff\x00"])


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_the_smallest_pairs_are_the_sorted_pairs_cut(data):
    """Equal digests are decided by the key, as sorting the pairs decides them."""
    keys = data.draw(st.lists(st.binary(max_size=3), unique=True))
    digests = data.draw(st.lists(DIGESTS, min_size=len(keys), max_size=len(keys)))
    need = data.draw(st.integers(0, len(keys) + 2))
    expected = [key for _, key in sorted(zip(digests, keys, strict=True))[:need]]
    assert smallest(list(digests), list(keys), need) == expected


def test_an_equal_digest_among_the_smallest_is_decided_by_the_key():
    """The shortcut looks digests up by position: two equal ones must not both name the first key."""
    keys = [b"b", b"a", b"c", b"d"]
    digests = [b"\x01", b"\x01", b"\x00", b"\x09"]
    assert smallest(digests, keys, 2) == [b"c", b"a"]
    assert smallest(digests, keys, 3) == [b"c", b"a", b"b"]


def obvious_parse_people(rows, label: str = "执法检查人员库") -> list[Person]:
    """``parse_people`` before its plain-row path (commit ade1112): every row walked by normalise."""
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
    return sorted(out, key=lambda item: item.id)


DECOMPOSED = unicodedata.normalize("NFD", "é")  # not NFC: both readers must compose it
TEXT = st.sampled_from(["", "P1", "P2", "甲", DECOMPOSED, "e" + DECOMPOSED, "有效"])
VALUE = st.one_of(
    TEXT,
    st.lists(TEXT, max_size=3),
    st.sampled_from([None, True, 0, 1.5, ("P1",), {"a": "b"}, ["x", 1], [[]]]),
)
KEY = st.one_of(st.sampled_from([*PERSON_FIELDS, "salary", "i" + DECOMPOSED]), st.integers(0, 2))


@st.composite
def rows(draw_):
    """Mostly well-formed roster rows, some with one hostile field or key, some not mappings."""
    out = []
    for k in range(draw_(st.integers(0, 5))):
        row = {
            "id": draw_(st.sampled_from([f"P{k}", "P0", DECOMPOSED + str(k)])),
            "name": draw_(TEXT),
            "unit": "scjg",
            "qualifications": draw_(st.lists(TEXT, max_size=2)),
            "office_townships": [DECOMPOSED],
        }
        for _ in range(draw_(st.integers(0, 2))):
            choice = draw_(st.integers(0, 2))
            if choice == 0:
                row[draw_(KEY)] = draw_(VALUE)
            elif choice == 1 and row:
                del row[draw_(st.sampled_from(sorted(row, key=str)))]
        out.append(draw_(st.sampled_from([row, row, row, [row], "row", None])))
    return out


def _outcome(rows_):
    try:
        return parse_people(rows_)
    except DrawError as error:
        return error.code, error.message


def _obvious_outcome(rows_):
    try:
        return obvious_parse_people(rows_)
    except DrawError as error:
        return error.code, error.message


@settings(max_examples=500, deadline=None)
@given(rows())
def test_the_roster_reader_equals_the_walk_of_every_row(rows_):
    """Same people (NFC text, tuples), or the same first error with the same message."""
    assert _outcome(rows_) == _obvious_outcome(rows_)


@settings(max_examples=300, deadline=None)
@given(rows())
def test_the_roster_reader_returns_people_in_their_field_order(rows_):
    """The field-at-a-time reader builds people through ``Person`` itself: the same attributes in
    the same order as the walk's (``row_of`` and every dict made from a person follow it)."""
    found, expected = _outcome(rows_), _obvious_outcome(rows_)
    if isinstance(expected, list):
        assert [list(p.__dict__.items()) for p in found] == [list(p.__dict__.items()) for p in expected]


HOSTILE_TEXT = st.lists(
    st.sampled_from(['"', "\\", "\n", "\x00", "\x1f", "\x7f", "é", DECOMPOSED, "甲", "\U0001f600", "a", ","]),
    max_size=6,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_the_roster_bytes_are_the_canonical_bytes_of_its_rows(data):
    """``roster_bytes`` writes a roster a field at a time; ``canonical_bytes`` of the rows is the
    definition (the digests the request pins), on quotes, escapes, controls and non-BMP text."""
    count = data.draw(st.integers(0, 5))
    people = [
        Person(
            id=f"P{k}",
            name=data.draw(HOSTILE_TEXT),
            unit=data.draw(HOSTILE_TEXT),
            qualifications=tuple(data.draw(st.lists(HOSTILE_TEXT, max_size=3))),
            office_townships=data.draw(st.sampled_from([(), ("甲",), ("甲", DECOMPOSED)])),
            conflicts=tuple(data.draw(st.lists(HOSTILE_TEXT, max_size=2))),
            phone=data.draw(HOSTILE_TEXT),
        )
        for k in range(count)
    ]
    for fields in (SORTED_PERSON_FIELDS, SORTED_PUBLIC_FIELDS):
        rows_ = [{f: row_of(p)[f] for f in fields} for p in people]
        assert roster_bytes(people, fields) == canonical_bytes(rows_, True)
