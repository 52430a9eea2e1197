"""The fast pool pass (column-wise rows, id-order gathering, numpy) against the definitions.

Every digest, view and ref here is also computed the slow, obvious way — ``canonical_bytes`` of
the sorted full rows, ``exclusion_reason`` and ``object_commitment`` row by row — and must agree
bit for bit, whatever the order of the rows, the fields present or the characters used.
"""

import hashlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.draw import (
    DrawError,
    compute_pool_digests,
    digest,
    object_commitment,
    open_recusals,
    pools,
)
from generator.draw.canonical import normalise
from generator.draw.commit_pool import PREFIX_ORDER, digest_order, row_refs, salt_blob, ticket_ranks
from generator.draw.model import parse_request
from generator.draw.objects import exclusion_reason, smallest_tickets, stratum_count, ticket_residues
from generator.draw.tickets import sha256_hex, ticket
from tests.draw.scenario import make_request, scenario

DEFAULTS = {
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
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=5)
tricky = st.sampled_from(["", "城关镇", "e\u0301", "é", 'a"b', "x\\y", "t\nz", "\x00", "🏪"])


def slow_pool(request: dict, rows: list[dict]) -> tuple[str, dict]:
    """(internal digest, public view) straight from the protocol text (§2, §4.2, §5, §7)."""
    rule = parse_request({**request, "pool_digests": {}}).objects
    full = sorted((normalise({**DEFAULTS, **row}) for row in rows), key=lambda r: r["id"])
    groups = {s.name: ([], []) for s in rule.strata}
    for row in full:
        ref = object_commitment(row["salt"], row["id"]) if rule.privacy == "commit" else row["id"]
        why = exclusion_reason(
            row["deregistered"],
            row["recognised_result"],
            row["inspections_this_year"],
            row["key_item"],
            row["last_inspected_by_unit"],
            rule,
        )
        if why is None:
            groups[row["stratum"]][0].append(ref)
        else:
            groups[row["stratum"]][1].append((ref, why))
    view = {
        "privacy": rule.privacy,
        "strata": [
            {
                "name": s.name,
                "refs": sorted(groups[s.name][0]),
                "excluded": [{"ref": r, "reason": why} for r, why in sorted(groups[s.name][1])],
            }
            for s in rule.strata
        ],
    }
    return digest(full), view


row_facts = st.fixed_dictionaries(
    {},
    optional={
        "township": st.one_of(text, tricky),
        "deregistered": st.booleans(),
        "recognised_result": st.booleans(),
        "inspections_this_year": st.integers(0, 6),
        "key_item": st.booleans(),
        "last_inspected_by_unit": st.one_of(
            st.none(), st.sampled_from(["", "2023-05-01", "2024-11-15", "2025-03-01"])
        ),
        "previous_inspectors": st.one_of(
            st.lists(st.one_of(text, tricky), max_size=2), st.tuples(st.sampled_from(["P1", "P\u00e9"]))
        ),
    },
)


@settings(max_examples=60, deadline=None)
@given(
    facts=st.lists(row_facts, min_size=0, max_size=30),
    id_tails=st.lists(st.one_of(text, tricky), min_size=30, max_size=30),
    privacy=st.sampled_from(["commit", "open"]),
    recent=st.sampled_from([0, 12]),
    cap=st.sampled_from([None, 3]),
    seed=st.integers(0, 2**32),
)
def test_fast_pool_pass_matches_the_definition(facts, id_tails, privacy, recent, cap, seed):
    rnd = random.Random(seed)
    rows = []
    for n, extra in enumerate(facts):
        row = {"id": f"{rnd.randrange(1000):03d}-{n}-{id_tails[n]}", "stratum": "ABCD"[rnd.randrange(4)]}
        if privacy == "commit":
            row["salt"] = hashlib.sha256(row["id"].encode()).hexdigest()
        row.update(extra)
        rows.append(row)
    if len({normalise(r["id"]) for r in rows}) != len(rows):
        return  # ids equal after NFC: duplicates, refused by design (tested below)
    request = make_request({"objects": [], "inspectors": [], "assistants": []})
    request["objects"]["privacy"] = privacy
    request["objects"]["exclusion"].update(recent_months=recent, annual_cap=cap)
    internal, view = slow_pool(request, rows)
    digests = compute_pool_digests(request, {"objects": rows, "inspectors": [], "assistants": []})
    assert digests["objects"] == internal
    assert digests["objects_public"] == digest(view)
    rule = parse_request({**request, "pool_digests": {}}).objects
    seed_hash = sha256_hex(str(seed))
    pool = pools.check_objects(rule, rows, ticket_seed_hash=seed_hash)
    assert pool.view == view
    draw_view = pool.draw_view(seed_hash)["strata"]
    for stratum, entry, public in zip(rule.strata, draw_view, view["strata"], strict=True):
        m = stratum_count(stratum, len(public["refs"])) + rule.reserve_count
        if privacy == "commit":  # heads computed with the refs: the same as from the public view
            assert entry["head"] == smallest_tickets(seed_hash, public["refs"], m)
            assert entry["eligible"] == len(public["refs"]) and entry["excluded"] == public["excluded"]
        else:
            assert entry == public


def test_row_order_and_sparse_fields_give_the_same_digests():
    _, pools, _ = scenario(300)
    request = make_request(pools)
    shuffled = dict(pools, objects=random.Random(3).sample(pools["objects"], 300))
    assert compute_pool_digests(request, shuffled) == request["pool_digests"]
    ids = [o["id"] for o in pools["objects"][:25]] + ["no-such-id"]
    assert open_recusals(request, shuffled, ids) == open_recusals(request, pools, ids)


@pytest.mark.parametrize(
    "change, code, culprit",
    [
        ({"b": {"stratum": "Z"}}, "DRAW_STRATUM_UNKNOWN", "b"),
        # the first bad row in id order, whatever its problem
        ({"a": {"stratum": "Z"}, "c": {"salt": "xyz"}}, "DRAW_STRATUM_UNKNOWN", "a"),
        ({"c": {"stratum": "Z"}, "b": {"salt": "xyz"}}, "DRAW_SALT_INVALID", "b"),
        ({"a": {"salt": "A" * 64}, "c": {"inspections_this_year": "3"}}, "DRAW_SALT_INVALID", "a"),
        ({"b": {"colour": "red"}, "c": {"inspections_this_year": "3"}}, "DRAW_FIELD_UNKNOWN", "b"),
        ({"c": {"deregistered": 0.5}}, "DRAW_FLOAT_FORBIDDEN", None),
        ({"b": {"previous_inspectors": ["P1", 7]}}, "DRAW_FIELD_INVALID", "b"),
        ({"c": {"colour": "red"}}, "DRAW_FIELD_UNKNOWN", "c"),
        ({"c": {"id": "a"}}, "DRAW_DUPLICATE_ID", "a"),
    ],
)
@pytest.mark.parametrize("far", [False, True], ids=["inline", "most rows hashed on the other core"])
def test_bad_pools_report_the_same_first_error(change, code, culprit, far, monkeypatch):
    from generator.draw import commit_pool

    if far:  # the other core hashes raw salts (bad ones too): the checks here still decide
        monkeypatch.setattr(commit_pool, "PARALLEL_ROWS", 1)
    rows = {
        k: {"id": k, "stratum": "A", "salt": hashlib.sha256(k.encode()).hexdigest()} for k in ("c", "a", "b")
    }
    for key, fields in change.items():
        rows[key].update(fields)
    request = make_request({"objects": [], "inspectors": [], "assistants": []})
    with pytest.raises(DrawError) as caught:
        compute_pool_digests(request, {"objects": list(rows.values()), "inspectors": [], "assistants": []})
    assert caught.value.code == code
    if culprit is not None:
        assert caught.value.details.get("id") == culprit


def test_smallest_tickets_of_shuffled_refs_equals_a_full_sort():
    refs = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(3000)]
    seed_hash = sha256_hex("residues")
    shuffled = random.Random(1).sample(refs, len(refs))
    full = sorted((ticket(seed_hash, r), r) for r in refs)
    for m in (1, 13, 200, 3000):
        assert smallest_tickets(seed_hash, shuffled, m) == full[:m]


@pytest.mark.parametrize(
    "ids",
    [
        [f"91320{i:013d}" for i in range(3000)],
        [f"9132{i}" + ("甲" if i % 7 == 0 else "") for i in range(3000)],  # varying width, non-ASCII
        [f"{i:05d}\x00" for i in range(3000)],  # ending in NUL
    ],
)
def test_row_hashes_are_the_commitments_and_ticket_ranks(ids):
    seed_hash = sha256_hex("rows")
    salts = [hashlib.sha256(i.encode()).hexdigest() for i in ids]
    refs = row_refs(salts, ids).hex(",", 32).split(",")
    assert refs == [object_commitment(s, i) for s, i in zip(salts, ids, strict=True)]
    ranks = ticket_ranks(seed_hash, row_refs(salts, ids)).tolist()
    assert [PREFIX_ORDER[r] for r in ranks] == ticket_residues(seed_hash, refs)


def test_hash_passes_split_over_two_cores_give_the_same_bytes(monkeypatch):
    """A big pool hashes most rows on the other core from their raw salts; the joined parts equal
    one inline pass whatever the split point (one row, odd sizes), with or without the seed."""
    import os

    from generator import parallel
    from generator.draw import commit_pool

    seed_hash = sha256_hex("halves")
    forked = []
    real = parallel.in_background

    def watch(*args):
        forked.append(parallel.can_fork())
        return real(*args)

    monkeypatch.setattr(parallel, "in_background", watch)
    for n in (1, 2, 3, 1001):
        ids = [f"9132{i:07d}" + ("甲" if i % 5 == 0 else "") for i in range(n)]
        salts = [hashlib.sha256(i.encode()).hexdigest() for i in ids]
        refs = row_refs(salts, ids)
        for seed in (seed_hash, None):
            inline = (refs, None if seed is None else ticket_ranks(seed, refs).tolist())
            monkeypatch.setattr(commit_pool, "PARALLEL_ROWS", 1)
            rows = [{"id": i, "salt": salt} for i, salt in zip(ids, salts, strict=True)]
            got, ranks = commit_pool.RowHashing(rows, ids, seed).finish(salts)
            assert (got, None if ranks is None else ranks.tolist()) == inline
            monkeypatch.setattr(commit_pool, "PARALLEL_ROWS", 200_000)
            assert commit_pool.RowHashing(rows, ids, seed).other is None  # small: never forks
    assert len(forked) == 6  # every size but one row (5/6 of one row is none) forks, with and without seed
    assert forked[0] == ((os.cpu_count() or 1) >= 2)  # really on two processes where it can be


def test_a_pool_worker_never_forks():
    """A draw recomputed inside a pool's worker (``verify`` splits draws over the cores) hashes
    inline: daemonic workers may not start processes."""
    import multiprocessing

    from generator import parallel

    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(parallel.can_fork) is False


def test_salts_must_be_64_hex_digits():
    good = hashlib.sha256(b"x").hexdigest()
    assert salt_blob([good, good]) == (good * 2).encode()
    assert salt_blob([]) == b""
    for bad in (
        good.upper(),
        good[:-1],
        good + "0",
        7,
        None,
        "\u212a" + good[1:],
        "g" + good[1:],
        "\x00" * 64,
    ):
        assert salt_blob([good, bad]) is None
    assert salt_blob([good[:-1], good + "0"]) is None  # 128 bytes in all


def test_digest_order_sorts_on_all_32_bytes_when_first_words_tie():
    rnd = random.Random(5)
    prefixes = [rnd.randbytes(8) for _ in range(4)]  # many digests share their first 8 bytes
    digests = [rnd.choice(prefixes) + rnd.randbytes(24) for _ in range(500)]
    digests[7] = digests[3]  # and two are equal: both kept, in row order
    order = digest_order(b"".join(digests)).tolist()
    assert [digests[i] for i in order] == sorted(digests)
    assert order.index(3) < order.index(7)
    distinct = [rnd.randbytes(32) for _ in range(500)]
    assert [distinct[i] for i in digest_order(b"".join(distinct))] == sorted(distinct)


def test_a_row_without_salt_is_named_in_commit_mode():
    rows = [
        {"id": k, "stratum": "A", "salt": hashlib.sha256(k.encode()).hexdigest()} for k in ("c", "a", "b")
    ]
    del rows[2]["salt"]
    request = make_request({"objects": [], "inspectors": [], "assistants": []})
    with pytest.raises(DrawError) as caught:
        compute_pool_digests(request, {"objects": rows, "inspectors": [], "assistants": []})
    assert (caught.value.code, caught.value.details.get("id")) == ("DRAW_SALT_INVALID", "b")


@pytest.mark.parametrize("bad_objects", [False, True])
def test_the_other_cores_hashing_never_outlives_the_pool_check(bad_objects, monkeypatch):
    """Part of the object rows is hashed on the other core while the rows are checked: a bad
    object pool stops that work (no child left running) and its error is the one reported, before
    any people pool is read; with good objects the work is collected, then a bad people pool is
    reported."""
    from generator import parallel
    from generator.draw import commit_pool

    monkeypatch.setattr(commit_pool, "PARALLEL_ROWS", 1)
    started, cancelled = [], []
    real = parallel.in_background

    def watch(*args):
        work = real(*args)
        started.append(work)
        cancel = work.cancel
        work.cancel = lambda: (cancelled.append(work), cancel())
        return work

    monkeypatch.setattr(parallel, "in_background", watch)
    objects = [{"id": k, "stratum": "A", "salt": hashlib.sha256(k.encode()).hexdigest()} for k in "abcdef"]
    if bad_objects:
        objects[2]["township"] = 3
    inspectors = [{"id": "P1", "name": "甲", "unit": "scjg"}, {"id": "P2", "unit": "scjg"}]  # P2: no name
    request = make_request({"objects": [], "inspectors": [], "assistants": []})
    with pytest.raises(DrawError) as caught:
        compute_pool_digests(request, {"objects": objects, "inspectors": inspectors, "assistants": []})
    if bad_objects:
        assert (caught.value.code, caught.value.details.get("id")) == ("DRAW_FIELD_INVALID", "c")
    else:
        assert (caught.value.code, caught.value.details.get("field")) == ("DRAW_FIELD_MISSING", "name")
    assert started and all(work._process is None for work in started)  # no child left running
    assert cancelled == (started if bad_objects else [])  # dropped on a bad pool, else collected
