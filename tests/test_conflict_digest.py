"""Declared conflicts cannot be read back from a request's pool digests (red team 7).

Every public bundle carries the request, and the request pins ``pool_digests.inspectors``, the
SHA-256 of the internal roster: the public roster (which the bundle also carries) plus each person's
declared conflicts (回避, object ids) and phone. Pools hold no phones, so the only unknown was the
conflicts: trying each person with each object id of the public directory recovered every single
declared conflict of the sample in about a second a draw (D2026-0027, -0034, -0036, -0041), and
whether anybody had declared one at all with a single hash (32 of the sample's 69 drawn draws said
"nobody"). §7.2's recusal commitments hide exactly this. Now each person row of a new pool carries
an internal ``salt`` (derived from the office's secret like the objects' salts, else random), so the
digest commits without revealing; pools frozen before keep their digests (an empty salt is not
written into the canonical row).
"""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from generator.draw import DrawError
from generator.draw.canonical import canonical_bytes
from generator.draw.people import parse_people, row_of
from generator.draw.pools import public_person
from generator.registry import store
from tests.support.tree import BASE
from tests.test_registry_order import BEFORE, COMMIT, TASK, R, run

CONFLICTED = "91321323J3Y7LLJY18"  # SCJG-002's declared conflict in the base records


@pytest.fixture
def root(tmp_path):
    out = tmp_path / "records"
    shutil.copytree(BASE, out)
    return out


def _directory(root) -> list[str]:
    """Every object id of the open data (the directories), where a declared conflict must be."""
    out = []
    for path in sorted(root.glob("units/*/objects.csv")):
        out += [line.split(",", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    return out


def _guesses(public_rows, object_ids):
    """What anyone can hash from a published bundle: the public roster with no conflict, then with
    each person holding one conflict with each object of the directory (phones: pools hold none)."""
    rows = [dict(p, conflicts=[], phone="") for p in public_rows]
    yield rows
    for row in rows:
        for object_id in object_ids:
            row["conflicts"] = [object_id]
            yield rows
        row["conflicts"] = []


def test_the_inspectors_digest_of_a_new_request_does_not_give_its_conflicts_away(root, capsys):
    code, out = run(
        capsys, "request", TASK, "--records", root, "--date", "2026-04-29", "--drand-round", R,
        "--now", BEFORE, "--commit", f"jijian={COMMIT}",
    )  # fmt: skip
    assert code == 0, out
    folder = store.folder(root, store.all_draw_ids(root)[0])
    pools = json.loads((folder / store.POOLS).read_text(encoding="utf-8"))
    request = store.read_yaml(folder / store.REQUEST)
    assert [p["id"] for p in pools["inspectors"] if p["conflicts"]] == ["SCJG-002"]
    assert [p["conflicts"] for p in pools["inspectors"] if p["conflicts"]] == [[CONFLICTED]]
    public = [public_person(p) for p in parse_people(pools["inspectors"])]
    assert all("salt" not in p and "conflicts" not in p for p in public)
    ids = _directory(root)
    assert CONFLICTED in ids
    target = request["pool_digests"]["inspectors"]
    hits = [
        rows
        for rows in _guesses(public, ids)
        if hashlib.sha256(canonical_bytes(rows, True)).hexdigest() == target
    ]
    assert hits == []


def test_a_pool_frozen_before_person_salts_keeps_its_digest_and_a_bad_salt_is_refused():
    people = [{"id": "P1", "name": "甲", "conflicts": ["X"]}, {"id": "P2", "name": "乙"}]
    unsalted = hashlib.sha256(canonical_bytes([row_of(p) for p in parse_people(people)], True)).hexdigest()
    assert "salt" not in row_of(parse_people(people)[0])
    salted = [dict(p, salt="ab" * 32) for p in people]
    assert row_of(parse_people(salted)[0])["salt"] == "ab" * 32
    again = hashlib.sha256(canonical_bytes([row_of(p) for p in parse_people(salted)], True)).hexdigest()
    assert again != unsalted
    assert [public_person(p) for p in parse_people(salted)] == [
        public_person(p) for p in parse_people(people)
    ]
    with pytest.raises(DrawError) as caught:
        parse_people([dict(people[0], salt="AB" * 32)])
    assert caught.value.code == "DRAW_FIELD_INVALID"
