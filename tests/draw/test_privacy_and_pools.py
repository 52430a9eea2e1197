"""Recusal privacy in the public bundle, the public team check, and the fast pool serialiser."""

import copy
import hashlib
import json
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.draw import (
    audit_bundle,
    blocked_commitment,
    build_public_bundle,
    compute_pool_digests,
    digest,
    draw,
    open_recusals,
    verify_bundle,
)
from generator.draw.canonical import normalise
from generator.draw.objects import smallest_tickets
from generator.draw.tickets import sha256_hex, ticket
from tests.draw.scenario import make_request, scenario

sys.path.insert(0, str(Path(__file__).parents[2] / "site_templates" / "verify"))
import verify_draw  # noqa: E402


def conflicted_case():
    """Every inspector declares conflicts with about a quarter of the objects (internal data)."""
    _, pools, entropy = scenario()
    for person in pools["inspectors"] + pools["assistants"]:
        person["conflicts"] = sorted(
            o["id"]
            for o in pools["objects"]
            if hashlib.sha256((person["id"] + o["id"]).encode()).digest()[0] < 64
        )
    request = make_request(
        pools,
        teams={
            "mode": "unit",
            "team_size": 3,
            "per_unit_min": 1,
            "max_objects_per_inspector": 8,
            "assistants_per_team": 1,
            "max_objects_per_assistant": 5,
        },
    )
    result = draw(request, pools, entropy)
    return request, pools, entropy, result, build_public_bundle(request, pools, entropy, result)


def declared_only(pools, result):
    """(object id, person id) pairs that are blocked only because of a declared conflict."""
    previous = {o["id"]: set(o.get("previous_inspectors", [])) for o in pools["objects"]}
    drawn = {o["id"] for o in result["objects"]}
    return {
        (object_id, p["id"])
        for p in pools["inspectors"] + pools["assistants"]
        for object_id in p["conflicts"]
        if object_id in drawn and p["id"] not in previous[object_id]
    }


def strings_under(value):
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *strings_under(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings_under(v)]
    return [value] if isinstance(value, str) else []


def test_public_bundle_contains_no_declared_conflict():
    request, pools, entropy, result, bundle = conflicted_case()
    pairs = declared_only(pools, result)
    # The internal result does name them (the auditor needs them) — so the test is not vacuous.
    internal = {(o["id"], p) for o in result["objects"] for p in o["blocked"]}
    assert pairs and pairs <= internal
    text = json.dumps(bundle, ensure_ascii=False)
    assert "conflicts" not in text and '"blocked"' not in text
    public_rows = {o["id"]: o for o in bundle["result"]["objects"]}
    for object_id, person_id in pairs:
        assert person_id not in strings_under(public_rows[object_id])
    for node in [bundle["public_pools"], bundle["request"], bundle["entropy"]]:
        assert not any(object_id in s for s in strings_under(node) for object_id, _ in pairs)
    counts = {o["id"]: o["blocked_count"] for o in bundle["result"]["objects"]}
    assert sum(counts.values()) == len(pairs)


def test_conflicted_bundle_verifies_publicly_and_for_the_auditor():
    request, pools, entropy, result, bundle = conflicted_case()
    assert verify_bundle(bundle) == []
    assert verify_draw.check(bundle) == []
    assert audit_bundle(request, pools, entropy, result, bundle) == []
    ids = [o["id"] for o in result["objects"]]
    opened = open_recusals(request, pools, ids)
    for row, internal in zip(bundle["result"]["objects"], result["objects"], strict=True):
        opening = opened[row["id"]]
        assert (
            row["blocked_commitment"]
            == opening["commitment"]
            == blocked_commitment(opening["salt"], opening["hidden"])
        )
        assert sorted(set(opening["hidden"]) | set(row["blocked_previous"])) == internal["blocked"]


def test_understated_blocked_count_is_caught_publicly():
    """Setting blocked_count to 0 where people were skipped for a hidden reason breaks the team check."""
    *_, bundle = conflicted_case()
    caught = 0
    for i, row in enumerate(bundle["result"]["objects"]):
        if row["blocked_count"] == 0:
            continue
        bad = copy.deepcopy(bundle)
        bad["result"]["objects"][i]["blocked_count"] = 0
        engine = sorted({m.field for m in verify_bundle(bad)})
        assert engine == sorted({f for f, _, _ in verify_draw.check(bad)})
        caught += any(f.startswith(f"teams[{i}].") for f in engine)
    assert caught > 0


def test_auditor_catches_a_false_blocked_count_the_public_cannot():
    request, pools, entropy, result, bundle = conflicted_case()
    i = next(n for n, o in enumerate(bundle["result"]["objects"]) if o["blocked_count"] >= 1)
    bad = copy.deepcopy(bundle)
    bad["result"]["objects"][i]["blocked_count"] += 5  # a larger budget is consistent with the teams
    assert verify_bundle(bad) == []
    fields = {m.field for m in audit_bundle(request, pools, entropy, result, bad)}
    assert fields == {f"bundle.result.objects[{i}].blocked_count"}


def test_malformed_recusal_fields_name_the_field():
    *_, bundle = conflicted_case()
    bad = copy.deepcopy(bundle)
    bad["result"]["objects"][2]["blocked_commitment"] = "not-hex"
    bad["result"]["objects"][3]["blocked_count"] = -1
    engine = sorted({m.field for m in verify_bundle(bad)})
    assert engine == sorted({f for f, _, _ in verify_draw.check(bad)})
    assert {"objects[2].blocked_commitment", "objects[3].blocked_count"} <= set(engine)


def test_smallest_tickets_equals_a_full_sort():
    refs = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(5000)]
    seed_hash = sha256_hex("prefix selection")
    full = sorted((ticket(seed_hash, r), r) for r in refs)
    for m in (0, 1, 7, 60, 700, 5000):
        assert smallest_tickets(seed_hash, refs, m) == full[:m]


def reference_digest(rows):
    """The protocol's definition: every field present, NFC, sorted by id, digest of the list."""
    defaults = {
        "salt": "",
        "township": "",
        "deregistered": False,
        "last_inspected_by_unit": None,
        "recognised_result": False,
        "inspections_this_year": 0,
        "key_item": False,
        "previous_inspectors": [],
        "stratum": None,
    }
    full = [normalise({**defaults, **r}) for r in rows]
    for row in full:
        row["previous_inspectors"] = list(row["previous_inspectors"])
    return digest(sorted(full, key=lambda r: r["id"]))


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            text,
            text,
            st.booleans(),
            st.integers(0, 9),
            st.one_of(st.none(), text),
            st.lists(text, max_size=2),
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda t: t[0],
    )
)
def test_streamed_object_digest_matches_canonical_bytes(rows):
    pools = {"inspectors": [], "assistants": [], "objects": []}
    for n, (town, last_text, flag, times, last, previous) in enumerate(rows):
        pools["objects"].append(
            {
                "id": f"obj-{n:02d}-{town}",
                "stratum": "ABCD"[n % 4],
                "township": town + last_text,
                "deregistered": flag,
                "inspections_this_year": times,
                "last_inspected_by_unit": last,
                "previous_inspectors": previous,
            }
        )
    request = make_request({"objects": [], "inspectors": [], "assistants": []})
    request["objects"]["privacy"] = "open"
    ids = [o["id"] for o in pools["objects"]]
    if len(set(normalise(ids))) != len(ids):
        return  # two ids equal after NFC: a duplicate, rejected by design
    assert compute_pool_digests(request, pools)["objects"] == reference_digest(pools["objects"])
