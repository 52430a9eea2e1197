"""Protocol v2 (docs/draw-protocol.md §0, §9, §10): acceptance, registry log, sealed strata.

Attacks from issue 11: re-registering with a changed salt after the beacon is known (point 1),
an acceptance recorded too late (point 2), a rewritten log, and recovering risk classes from the
published strata (point 7).
"""

from __future__ import annotations

import copy

import pytest

from generator.draw import DrawError, build_public_bundle, compute_pool_digests, draw, verify, verify_bundle
from generator.draw.audit import build_audit_bundle, verify_audit_bundle
from generator.draw.canonical import canonical_bytes, digest
from generator.draw.model import QUICKNET_CHAIN
from generator.draw.registry_log import check_inclusion, line_hash
from tests.draw.scenario import (
    GENESIS,
    accepted_entry,
    chain,
    inclusion,
    make_entropy,
    make_request,
    scenario,
)

_, POOLS, ENTROPY = scenario(200, per_unit=8)


def v2_request(pools=POOLS, **objects):
    base = make_request(pools)  # v1, for its shape
    drand, *others = base["sources"]
    request = {
        **base,
        "algorithm": "sdr-draw/2",
        "objects": {**base["objects"], **objects},
        "sources": [*others, {**drand, **QUICKNET_CHAIN}],
    }
    request["pool_digests"] = compute_pool_digests(request, pools)
    return request


def _v2(pools=POOLS, recorded=900, margin=50, **objects):
    request = v2_request(pools, **objects)
    request["pool_digests"] = __import__("generator.draw", fromlist=["x"]).compute_pool_digests(
        request, pools
    )
    acceptance = {
        "draw_id": request["draw_id"],
        "request_digest": digest(request),
        "recorded_round": recorded,
        "margin": margin,
        "accepted_at": "2023-08-23T15:54:27Z",
    }
    entry = accepted_entry(acceptance, seq=2, task={"id": request["task"]["id"]}, algorithm="sdr-draw/2")
    log = [{"event": "refused", "draw_id": "D-0", "code": "X", "reason": "某原因"}, entry]
    log.append({"event": "refused", "draw_id": "D-9", "code": "Y", "reason": "另一原因"})
    return request, acceptance, inclusion(log, 1)


REQUEST, ACCEPTANCE, PROOF = _v2()
RESULT = draw(REQUEST, POOLS, ENTROPY, acceptance=ACCEPTANCE)
BUNDLE = build_public_bundle(REQUEST, POOLS, ENTROPY, RESULT, ACCEPTANCE, PROOF)


def test_the_log_worked_vector_of_the_protocol():
    # docs/draw-protocol.md §9.4; the registry's writer (generator/registry/log.py) gives the same bytes
    from generator.registry import log as registry_log

    e1 = {"event": "accepted", "draw_id": "D2026-0001", "seq": 1}
    e1.update(task={"id": "T2026-market-01", "name": "市场监管抽查"}, request_digest="1" * 64)
    e1.update(latest_round=900, margin_rounds=50, at="2026-03-18T09:00:00Z")
    e2 = {"event": "refused", "stage": "request", "draw_id": "D2026-0002"}
    e2.update(code="REGISTRY_ROUND_NOT_FUTURE", reason="drand 轮次不在未来", at="2026-03-19T09:00:00Z")
    lines = chain([e1, e2])
    assert lines[0] == (
        '{"at":"2026-03-18T09:00:00Z","draw_id":"D2026-0001","event":"accepted","latest_round":900,'
        '"margin_rounds":50,"prev":"' + GENESIS + '","request_digest":"' + "1" * 64 + '","seq":1,'
        '"task":{"id":"T2026-market-01","name":"市场监管抽查"}}'
    )
    h1 = "b3cd5efaf610cf54907032d4e49031eb8b784fc6a97f310cbccbcf18421d3f24"
    head = "97d24ce0ff23032690733d6ac8ad4f136a7d9c1a28b07788d5e7f698b15680ca"
    assert line_hash(lines[0]) == h1 and f'"prev":"{h1}"' in lines[1]
    assert line_hash(lines[1]) == head
    text = registry_log.append(registry_log.append("", e1), e2)
    assert text == "\n".join(lines) + "\n" and registry_log.head(text) == head
    path = inclusion([e1, e2], 0)
    assert path == registry_log.inclusion(text, 1)
    assert path == {"index": 1, "entry": lines[0], "following": [lines[1]], "head": head}
    assert check_inclusion(path) == head


def test_a_v2_bundle_verifies_and_carries_acceptance_and_log_path():
    assert BUNDLE["format"] == "sdr-draw-bundle/3"
    assert BUNDLE["acceptance"] == ACCEPTANCE and BUNDLE["registry"] == PROOF
    assert RESULT["seed"].startswith("sdr-draw/2/request.")
    assert verify_bundle(BUNDLE) == []
    assert verify(REQUEST, POOLS, ENTROPY, RESULT, acceptance=ACCEPTANCE) == []


@pytest.mark.parametrize(
    "change, code",
    [
        (lambda a: None, "DRAW_ACCEPTANCE_MISSING"),
        (lambda a: a.update(recorded_round=960), "DRAW_ACCEPTANCE_LATE"),  # 960 + 50 ≥ 1000
        (lambda a: a.update(margin=100), "DRAW_ACCEPTANCE_LATE"),
        (lambda a: a.update(request_digest="0" * 64), "DRAW_ACCEPTANCE_INVALID"),
        (lambda a: a.update(accepted_at="yesterday"), "DRAW_ACCEPTANCE_INVALID"),
        (lambda a: a.update(extra=1), "DRAW_ACCEPTANCE_INVALID"),
    ],
)
def test_draw_refuses_without_a_timely_acceptance(change, code):
    acceptance = copy.deepcopy(ACCEPTANCE)
    acceptance = None if change(acceptance) is None and code == "DRAW_ACCEPTANCE_MISSING" else acceptance
    with pytest.raises(DrawError) as caught:
        draw(REQUEST, POOLS, ENTROPY, acceptance=acceptance)
    assert caught.value.code == code


def test_re_registering_with_a_changed_salt_after_the_beacon_fails():
    # issue 11 point 1: the office changes one salt, re-pins the digests and redraws
    pools = copy.deepcopy(POOLS)
    pools["objects"][0]["salt"] = "ab" * 32
    request, _, _ = _v2(pools)
    with pytest.raises(DrawError) as caught:  # the old acceptance names the old request
        draw(request, pools, ENTROPY, acceptance=ACCEPTANCE)
    assert caught.value.code == "DRAW_ACCEPTANCE_INVALID"
    # a new acceptance would record a round ≥ the beacon's, already public: refused
    late = {**ACCEPTANCE, "request_digest": digest(request), "recorded_round": 1000}
    with pytest.raises(DrawError) as caught:
        draw(request, pools, ENTROPY, acceptance=late)
    assert caught.value.code == "DRAW_ACCEPTANCE_LATE"
    # a forged bundle (result made with a back-dated acceptance) published with the real, old
    # acceptance and log entry fails the citizen's check
    backdated = {**ACCEPTANCE, "request_digest": digest(request)}
    result = draw(request, pools, ENTROPY, acceptance=backdated)
    forged = build_public_bundle(request, pools, ENTROPY, result, ACCEPTANCE, PROOF)
    assert [m.field for m in verify_bundle(forged)] == ["acceptance.request_digest"]
    # and with the back-dated acceptance, the log entry (which cannot be rewritten) does not match
    forged = build_public_bundle(request, pools, ENTROPY, result, backdated, PROOF)
    assert [m.field for m in verify_bundle(forged)] == ["registry.entry.request_digest"]


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda b: b["registry"]["following"].pop(), "registry.head"),
        (lambda b: b["registry"].update(head="1" * 64), "registry.head"),
        (
            lambda b: b["registry"].update(entry=b["registry"]["entry"].replace('"seq":2', '"seq":7')),
            "registry.following[0]",
        ),
        (
            lambda b: b["registry"].update(entry=b["registry"]["entry"].replace(",", ", ", 1)),
            "registry.entry",
        ),
        (lambda b: b["registry"].update(following="x"), "registry.following"),
        (lambda b: b["registry"].update(index=0), "registry.index"),
        (lambda b: b.pop("registry"), "registry.entry"),
        (lambda b: b.pop("acceptance"), "acceptance"),
        (lambda b: b.update(format="sdr-draw-bundle/2"), "format"),
    ],
)
def test_the_citizen_check_refuses_a_bad_log_path_or_acceptance(change, field):
    bundle = copy.deepcopy(BUNDLE)
    change(bundle)
    assert [m.field for m in verify_bundle(bundle, verify_beacon=False)] == [field]


def test_an_entry_of_another_request_is_refused_even_with_a_valid_chain():
    entry = accepted_entry({**ACCEPTANCE, "request_digest": "2" * 64}, seq=2)
    log = [entry]
    bundle = copy.deepcopy(BUNDLE)
    bundle["registry"] = inclusion(log, 0)
    assert [m.field for m in verify_bundle(bundle, verify_beacon=False)] == ["registry.entry.request_digest"]


def test_v2_needs_drand_last_with_its_full_key():
    request = copy.deepcopy(REQUEST)
    request["sources"] = request["sources"][::-1]
    with pytest.raises(DrawError) as caught:
        draw(request, POOLS, ENTROPY, acceptance=ACCEPTANCE)
    assert caught.value.code == "DRAW_SOURCE_INVALID"
    request = copy.deepcopy(REQUEST)
    request["sources"][-1]["public_key"] = "a" * 192
    with pytest.raises(DrawError) as caught:
        draw(request, POOLS, ENTROPY, acceptance=ACCEPTANCE)
    assert caught.value.code == "DRAW_SOURCE_CHAIN_UNKNOWN"


def test_a_sealed_bundle_publishes_no_stratum_label_size_or_count():
    text = canonical_bytes(BUNDLE["public_pools"]).decode() + canonical_bytes(BUNDLE["result"]).decode()
    assert list(BUNDLE["result"]["strata"]) == ["sealed"]
    assert set(BUNDLE["result"]["strata"]["sealed"]) == {"eligible", "excluded", "drawn", "reserve"}
    assert [s["name"] for s in BUNDLE["public_pools"]["objects"]["strata"]] == ["sealed"]
    assert '"rule"' not in text and '"count"' not in text
    drawn = sum(len(s["drawn"]) for s in RESULT["strata"].values())
    assert len(BUNDLE["result"]["strata"]["sealed"]["drawn"]) == drawn == len(BUNDLE["result"]["objects"])


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s["drawn"].pop(),  # an object dropped from the draw
        lambda s: s["drawn"].append(s["reserve"].pop(0)),  # a reserve object moved in
        lambda s: s["drawn"][0].update(ticket="0.1"),
        lambda s: s["drawn"][0].update(ref="f" * 64),  # not in the committed pool
        lambda s: s["reserve"].append(copy.deepcopy(s["drawn"][0])),  # drawn twice
    ],
)
def test_the_citizen_still_catches_changes_to_a_sealed_draw(change):
    bundle = copy.deepcopy(BUNDLE)
    change(bundle["result"]["strata"]["sealed"])
    assert verify_bundle(bundle, verify_beacon=False) != []


def test_the_auditor_checks_minimality_and_counts_that_the_public_cannot():
    audit = build_audit_bundle(REQUEST, POOLS, ENTROPY, RESULT, ACCEPTANCE, PROOF)
    assert verify_audit_bundle(audit) == []
    # swap a drawn object for its stratum's first reserve one: same merged list shape, tickets
    # right, all refs in the pool — the public check cannot see it, the audit can
    strata = copy.deepcopy(RESULT["strata"])
    name = next(n for n, s in strata.items() if s["drawn"] and s["reserve"])
    strata[name]["drawn"][-1], strata[name]["reserve"][0] = (
        strata[name]["reserve"][0],
        strata[name]["drawn"][-1],
    )
    from generator.draw.objects import merge_strata

    forged = copy.deepcopy(audit)
    forged["audit"]["strata"] = strata
    forged["public"]["result"]["strata"] = merge_strata(strata)
    # (objects and teams were not re-staffed here, so the public check names those — never strata)
    public_fields = [m.field for m in verify_bundle(forged["public"], verify_beacon=False)]
    assert all(not f.startswith("strata") for f in public_fields)
    assert any(m.field.startswith("audit.strata") for m in verify_audit_bundle(forged, verify_beacon=False))


def test_open_privacy_needs_public_strata():
    with pytest.raises(DrawError) as caught:
        v2_request(privacy="open")
    assert caught.value.code == "DRAW_CHOICE_INVALID"


def test_v1_draws_still_verify():
    request, pools, entropy = scenario(120)
    result = draw(request, pools, entropy)
    bundle = build_public_bundle(request, pools, entropy, result)
    assert bundle["format"] == "sdr-draw-bundle/2" and verify_bundle(bundle) == []
    assert make_entropy() == entropy


def test_a_demo_chain_is_signed_and_verified_like_quicknet():
    import sys
    from pathlib import Path

    from generator.demo_chain import demo_beacon, demo_chain
    from generator.draw.beacon import verify_quicknet

    chain = demo_chain("demo-siyang")
    beacon = demo_beacon("demo-siyang", 4242)
    assert len(chain["public_key"]) == 192 and len(beacon["signature"]) == 96
    assert verify_quicknet(4242, beacon["signature"], chain["public_key"]) == beacon["randomness"]
    with pytest.raises(DrawError):  # the demo key does not verify a quicknet round, nor vice versa
        verify_quicknet(4242, beacon["signature"])
    with pytest.raises(DrawError):
        verify_quicknet(4243, beacon["signature"], chain["public_key"])
    # a whole v2 draw on the demo chain: engine, bundle check and the stdlib verifier (with BLS)
    drand, *others = v2_request()["sources"][::-1]
    request = {**REQUEST, "sources": [*others[::-1], {"kind": "drand", "round": 4242, **chain}]}
    request["pool_digests"] = compute_pool_digests(request, POOLS)
    acceptance = {**ACCEPTANCE, "request_digest": digest(request), "recorded_round": 4000, "margin": 100}
    entry = accepted_entry(acceptance, seq=2)
    entropy = {**ENTROPY, "drand": beacon}
    result = draw(request, POOLS, entropy, acceptance=acceptance)
    bundle = build_public_bundle(request, POOLS, entropy, result, acceptance, inclusion([entry], 0))
    assert verify_bundle(bundle) == []
    sys.path.insert(0, str(Path(__file__).parents[2] / "site_templates" / "verify"))
    import verify_draw

    assert verify_draw.BLS is not None and verify_draw.check(copy.deepcopy(bundle)) == []
    forged = copy.deepcopy(bundle)
    forged["entropy"]["drand"] = demo_beacon("another-demo", 4242)
    assert [f for f, _, _ in verify_draw.check(forged)] == ["entropy.drand"]
    assert [m.field for m in verify_bundle(forged)] == ["entropy.drand"]
