"""Every draw code is reachable: one case per code that produces it (or a reason it cannot be).

``CASES`` maps each code of ``generator.catalog.draw.DRAW_CATALOG`` to a callable that must
raise ``DrawError`` with that code or return ``DrawError``s containing it (``check_policy``); tests/test_docs.py
requires a case or a reason for every code.
"""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path

import pytest

from generator.catalog.draw import DRAW_CATALOG
from generator.draw import DrawError, build_public_bundle, check_policy, draw, verify_bundle
from generator.draw.beacon import check_round_is_future, verify_quicknet
from generator.draw.canonical import digest, normalise
from generator.draw.model import Source, parse_request
from generator.draw.seed import build_seed
from tests.draw.scenario import ROUND_1000, make_request, scenario

REQUEST, POOLS, ENTROPY = scenario(40, per_unit=5)


def _req(**changes):
    request = copy.deepcopy(REQUEST)
    for path, value in changes.items():
        target = request
        *parents, last = path.split("__")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return request


def _parse(**changes):
    return lambda: parse_request(_req(**changes))


def _draw(request=None, pools=None, entropy=None):
    return lambda: draw(request or REQUEST, pools or POOLS, entropy or ENTROPY)


def _entropy(**drand):
    entropy = copy.deepcopy(ENTROPY)
    entropy["drand"].update(drand)
    return entropy


def _objects(change):
    pools = copy.deepcopy(POOLS)
    change(pools["objects"])
    return pools


def _with_people(change):
    pools = copy.deepcopy(POOLS)
    change(pools["inspectors"])
    return lambda: draw(make_request(pools), pools, ENTROPY)


def _bundle(change):
    bundle = build_public_bundle(REQUEST, POOLS, ENTROPY, draw(REQUEST, POOLS, ENTROPY))
    change(bundle)
    return lambda: _raise_first(verify_bundle(bundle, verify_beacon=False))


def _substitute_of_undrawn():
    from generator.draw.substitutes import substitute_order

    bundle = build_public_bundle(REQUEST, POOLS, ENTROPY, draw(REQUEST, POOLS, ENTROPY))
    substitute_order(bundle, "未抽中的对象", "scjg")


def _raise_first(mismatches):
    for m in mismatches:
        code = str(m.found).split("：")[0]
        if code in DRAW_CATALOG:
            raise DrawError(code)
    return mismatches


def _unit_shortfall():
    pools = copy.deepcopy(POOLS)
    pools["inspectors"] = [p for p in pools["inspectors"] if p["unit"] != "xfjy" or p["id"] == "P-xfjy-01"]
    request = make_request(pools)
    return draw(request, pools, ENTROPY)


def _object_shortfall():
    pools = copy.deepcopy(POOLS)
    ids = [o["id"] for o in pools["objects"]]
    for p in pools["inspectors"]:
        if p["unit"] == "xfjy":
            p["conflicts"] = ids  # every xfjy inspector declares a conflict with every object
    request = make_request(pools)
    return draw(request, pools, ENTROPY)


REASONS = {
    "DRAW_BEACON_BAD_KEY": "raised by demo_chain.sign for a demo chain's secret: tests/draw/test_bls_backend.py",
    "DRAW_BEACON_NO_BLS": "depends on the environment: py-arkworks-bls12381 is a declared dependency, installed in CI",
    "DRAW_BEACON_BAD_POINT": "needs a 48-byte compressed point off the curve; covered by the quicknet negative "
    "vectors in tests/draw/test_beacon_seed.py when that file's fixture holds one",
    "DRAW_POOL_MISSING": "raised by generator/registry (a draw folder without pools), tested there",
    "DRAW_ACCEPTANCE_MISSING": "protocol v2 (acceptance in the bundle): tested in tests/draw/test_v2.py",
    "DRAW_ACCEPTANCE_INVALID": "protocol v2: tested in tests/draw/test_v2.py",
    "DRAW_ACCEPTANCE_LATE": "protocol v2: tested in tests/draw/test_v2.py",
    "DRAW_LOG_PATH_INVALID": "protocol v2: tested in tests/draw/test_v2.py",
}

CASES = {
    "DRAW_INPUT_NOT_MAPPING": _parse(task=[1]),
    "DRAW_ALGORITHM_UNSUPPORTED": _parse(algorithm="sdr-draw/9"),
    "DRAW_FIELD_MISSING": _parse(task__window=...),
    "DRAW_FIELD_UNKNOWN": _draw(pools=_objects(lambda rows: rows[3].update(colour="red"))),
    "DRAW_FIELD_INVALID": _draw(pools=_objects(lambda rows: rows[3].update(key_item="yes"))),
    "DRAW_INTEGER_INVALID": _parse(objects__batches=0),
    "DRAW_DATE_INVALID": _parse(task__window__start="2025/04/01"),
    "DRAW_CHOICE_INVALID": _parse(teams__mode="county"),
    "DRAW_INITIATOR_NOT_PARTICIPATING": _parse(task__initiating_unit="nobody"),
    "DRAW_STRATUM_RULE": _parse(objects__strata__0__count=3),
    "DRAW_STRATA_NAMES": _parse(objects__strata__1__name="A"),
    "DRAW_RATIO_INVALID": _parse(objects__strata__0__ratio="5%"),
    "DRAW_FLOAT_FORBIDDEN": _parse(objects__strata__0__ratio=0.02),
    "DRAW_KEY_NOT_TEXT": lambda: normalise({1: "a"}),
    "DRAW_VALUE_NOT_SERIALISABLE": lambda: normalise({"a": {1, 2}}),
    "DRAW_SOURCE_INVALID": _parse(sources__1__kind="dice"),
    "DRAW_SOURCE_CHAIN_UNKNOWN": _parse(sources__0__name="mainnet"),
    "DRAW_SOURCE_REVEAL_RULE": _parse(sources__2__missing="ignore"),
    "DRAW_ENTROPY_MISSING": _draw(entropy={k: v for k, v in ENTROPY.items() if k != "drand"}),
    "DRAW_CEREMONY_INVALID": _draw(entropy={**ENTROPY, "ceremony": {"dice": "12 34"}}),
    "DRAW_REVEAL_MISSING": lambda: build_seed(
        "0" * 64, [Source("commit_reveal", "p", None, "0" * 64, "fail")], {}
    ),
    "DRAW_REVEAL_MISMATCH": _draw(entropy={**ENTROPY, "reveals": {"jijian": "x" * 20}}),
    "DRAW_BEACON_BAD_ROUND": lambda: check_round_is_future(2**64, 1),
    "DRAW_BEACON_ROUND_NOT_FUTURE": lambda: check_round_is_future(1000, 990, margin=10),
    "DRAW_BEACON_BAD_HEX": _draw(entropy=_entropy(signature=" " + ROUND_1000["signature"])),
    "DRAW_BEACON_BAD_LENGTH": _draw(entropy=_entropy(signature=ROUND_1000["signature"][:-2])),
    "DRAW_BEACON_INFINITY": _draw(entropy=_entropy(signature="c0" + "00" * 47)),
    "DRAW_BEACON_NOT_COMPRESSED": _draw(entropy=_entropy(signature="00" + ROUND_1000["signature"][2:])),
    "DRAW_BEACON_BAD_SIGNATURE": lambda: verify_quicknet(1001, ROUND_1000["signature"]),
    "DRAW_BEACON_WRONG_ROUND": _draw(entropy=_entropy(round=1001)),
    "DRAW_BEACON_RANDOMNESS_MISMATCH": _draw(entropy=_entropy(randomness="0" * 64)),
    "DRAW_ROW_NOT_MAPPING": _with_people(lambda rows: rows.append("P-9")),
    "DRAW_ID_MISSING": _draw(pools=_objects(lambda rows: rows[5].update(id=""))),
    "DRAW_DUPLICATE_ID": _draw(pools=_objects(lambda rows: rows[5].update(id=rows[6]["id"]))),
    "DRAW_SALT_INVALID": _draw(pools=_objects(lambda rows: rows[5].update(salt="AB" * 32))),
    "DRAW_STRATUM_UNKNOWN": _draw(pools=_objects(lambda rows: rows[5].update(stratum="risk-z"))),
    "DRAW_BLOCKED_KEY_INVALID": lambda: build_public_bundle(
        REQUEST, {**POOLS, "blocked_key": "xyz"}, ENTROPY, {}
    ),
    "DRAW_POOL_DIGEST_MISMATCH": _draw(pools=_objects(lambda rows: rows.pop())),
    "DRAW_OPENING_MISSING": _bundle(lambda b: b["result"]["objects"].pop()),
    "DRAW_OPENING_MISMATCH": _bundle(lambda b: b["result"]["objects"][0].update(salt="0" * 64)),
    "DRAW_BUNDLE_FORMAT": _bundle(lambda b: b.update(format="sdr-draw-bundle/0")),
    "DRAW_INFEASIBLE_UNIT_SHORTFALL": _unit_shortfall,
    "DRAW_INFEASIBLE_OBJECT_SHORTFALL": _object_shortfall,
    "DRAW_SUBSTITUTE_INVALID": _substitute_of_undrawn,
    "POLICY_DRAND_REQUIRED": lambda: check_policy({}, []),
    "POLICY_DRAND_DUPLICATE": lambda: check_policy({}, [Source("drand", "a", 5), Source("drand", "b", 6)]),
    "POLICY_CEREMONY_REQUIRED": lambda: check_policy({"require_ceremony": True}, [Source("drand", "a", 5)]),
    "POLICY_COMMIT_REVEAL_REQUIRED": lambda: check_policy(
        {"min_commit_reveal": 1}, [Source("drand", "a", 5)]
    ),
    "POLICY_MISSING_RULE": lambda: check_policy(
        {"allowed_missing_rules": ["drop"]},
        [Source("drand", "q", 5), Source("commit_reveal", "p", None, "0" * 64, "fail")],
    ),
    "POLICY_DRAND_NOT_LAST": lambda: check_policy(
        {"drand_last": True}, [Source("drand", "q", 5), Source("ceremony", "d")]
    ),
    "POLICY_SOURCE_DUPLICATE": lambda: check_policy(
        {}, [Source("drand", "q", 5), Source("ceremony", "d"), Source("ceremony", "d")]
    ),
}


def test_every_code_has_a_case_or_a_reason_and_no_more():
    assert set(CASES) | set(REASONS) == set(DRAW_CATALOG)
    assert not set(CASES) & set(REASONS)


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_case_produces_its_code(code):
    try:
        outcome = CASES[code]()
    except DrawError as error:
        assert error.code == code, error.message
        assert error.message and "'" not in error.message
        return
    codes = [i.code for i in outcome or []]
    assert code in codes, codes
    assert all("'" not in i.message and "[" not in i.message for i in outcome)


def test_every_code_the_engine_names_is_catalogued():
    source = "".join(p.read_text("utf-8") for p in Path("generator/draw").glob("*.py"))
    named = set(re.findall(r'"((?:DRAW|POLICY|TEAM)_[A-Z_]+)"', source))
    named -= {"DRAW_BEACON", "DRAW_REVEAL", "DRAW_CEREMONY"}  # prefixes engine.error_field matches
    assert named <= set(DRAW_CATALOG), sorted(named - set(DRAW_CATALOG))


def test_messages_show_values_not_python_reprs():
    with pytest.raises(DrawError) as caught:
        parse_request(_req(teams__mode=["county", None]))
    assert "['" not in caught.value.message and "None" not in caught.value.message
    assert "county、（空）" in caught.value.message
    assert digest({"a": 1}) == hashlib.sha256(b'{"a":1}\n').hexdigest()
