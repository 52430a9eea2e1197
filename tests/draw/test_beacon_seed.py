"""drand quicknet vectors (offline BLS), round/time helpers, seed string and county policy."""

import hashlib

import pytest

from generator.draw import (
    QUICKNET,
    DrawError,
    build_seed,
    check_policy,
    check_round_is_future,
    commitment_of,
    randomness_of,
    round_at,
    time_of_round,
    verify_quicknet,
)
from generator.draw.model import Source
from tests.draw.scenario import QUICKNET_VECTORS, REVEAL, ROUND_1000


@pytest.mark.parametrize("vector", QUICKNET_VECTORS["positive"], ids=lambda v: f"round{v['round']}")
def test_quicknet_positive(vector):
    assert verify_quicknet(vector["round"], vector["signature"]) == vector["randomness"]
    assert randomness_of(vector["signature"]) == vector["randomness"]


@pytest.mark.parametrize("vector", QUICKNET_VECTORS["negative"], ids=lambda v: v["name"])
def test_quicknet_negative_is_a_clean_error(vector):
    with pytest.raises(DrawError) as caught:
        verify_quicknet(vector["round"], vector["signature"])
    assert caught.value.code in vector["code"].split("|")
    assert caught.value.message  # Chinese text for the clerk


def test_quicknet_chain_hash_pins_the_chain_info():
    """drand's chain hash: SHA-256(u32be(period) ‖ i64be(genesis) ‖ pubkey ‖ groupHash ‖ beaconID)."""
    info = (
        QUICKNET["period"].to_bytes(4, "big")
        + QUICKNET["genesis_time"].to_bytes(8, "big", signed=True)
        + bytes.fromhex(QUICKNET["public_key"])
        + bytes.fromhex(QUICKNET["group_hash"])
        + QUICKNET["beacon_id"].encode("ascii")
    )
    assert hashlib.sha256(info).hexdigest() == QUICKNET["chain_hash"]


def test_round_time_helpers():
    assert time_of_round(1) == 1692803367
    assert time_of_round(1000) == 1692806364  # 2023-08-23T15:59:24Z
    assert round_at(1692806364) == 1000 and round_at(1692806366) == 1000 and round_at(1692806367) == 1001
    assert round_at(0) == 0
    check_round_is_future(2201, 1000, margin=1200)
    with pytest.raises(DrawError) as caught:
        check_round_is_future(2200, 1000, margin=1200)
    assert caught.value.code == "DRAW_BEACON_ROUND_NOT_FUTURE"


def sources(missing="drop"):
    return [
        Source("drand", "quicknet", round=1000),
        Source("ceremony", "dice"),
        Source("commit_reveal", "jijian", commitment=commitment_of(REVEAL), missing=missing),
    ]


ENTROPY = {
    "drand": {k: ROUND_1000[k] for k in ("round", "signature", "randomness")},
    "ceremony": {"dice": "0123"},
    "reveals": {"jijian": REVEAL},
}


def test_seed_string_worked_example():
    assert build_seed("ab" * 32, sources(), ENTROPY) == (
        "sdr-draw/1/request." + "ab" * 32 + "/drand.quicknet.1000."
        "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd/ceremony.dice.0123/"
        "reveal.jijian.jijian-0123456789abcdef/"
    )


def test_missing_reveal_rules():
    entropy = {**ENTROPY, "reveals": {}}
    assert build_seed("0" * 64, sources("drop"), entropy).endswith("/reveal.jijian.-/")
    with pytest.raises(DrawError) as caught:
        build_seed("0" * 64, sources("fail"), entropy)
    assert caught.value.code == "DRAW_REVEAL_MISSING"
    with pytest.raises(DrawError) as caught:
        build_seed("0" * 64, sources(), {**ENTROPY, "reveals": {"jijian": "x" * 20}})
    assert caught.value.code == "DRAW_REVEAL_MISMATCH"


def test_randomness_must_be_hash_of_signature():
    bad = {**ENTROPY, "drand": {**ENTROPY["drand"], "randomness": "00" * 32}}
    with pytest.raises(DrawError) as caught:
        build_seed("0" * 64, sources(), bad)
    assert caught.value.code == "DRAW_BEACON_RANDOMNESS_MISMATCH"


def test_check_policy():
    assert check_policy({"require_drand": True, "min_commit_reveal": 1}, sources()) == []
    issues = check_policy(
        {"require_ceremony": True, "min_commit_reveal": 2, "allowed_missing_rules": ["fail"]},
        [Source("drand", "quicknet", round=5), sources()[2]],
    )
    assert [i.code for i in issues] == [
        "POLICY_CEREMONY_REQUIRED",
        "POLICY_COMMIT_REVEAL_REQUIRED",
        "POLICY_MISSING_RULE",
    ]
    assert check_policy({}, [])[0].message.startswith("本县规定必须使用 drand 随机信标，抽取申请未声明。请")
