"""The engine raises nothing but its own coded errors, whatever its inputs (issue 11 point 10).

Hypothesis mutates a valid request, pools, entropy and public bundle — replacing any value by
another JSON-able value of any type, deleting keys — and every entry point must either answer
or raise ``DrawError`` with a catalogued code and a message free of Python reprs.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog.draw import DRAW_CATALOG
from generator.draw import (
    DrawError,
    build_public_bundle,
    compute_pool_digests,
    draw,
    verify,
    verify_bundle,
)
from tests.draw.scenario import make_request, scenario

REQUEST, POOLS, ENTROPY = scenario(30, per_unit=5)
RESULT = draw(REQUEST, POOLS, ENTROPY)
BUNDLE = build_public_bundle(REQUEST, POOLS, ENTROPY, RESULT)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.text(max_size=8)
    | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:3]):
            yield from _paths(item, (*prefix, i))


def _mutate(value, data):
    """A deep copy of ``value`` with 1–3 places replaced by random values or deleted."""
    value = copy.deepcopy(value)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_paths(value))
        path = data.draw(st.sampled_from(paths))
        if not path:
            return data.draw(json_values)
        parent = value
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(json_values)
    return value


def _coded(error: DrawError) -> None:
    assert error.code in DRAW_CATALOG, error.code
    assert "Traceback" not in error.message and "{'" not in error.message and "['" not in error.message


def _call(function, *args):
    try:
        return function(*args)
    except DrawError as error:
        _coded(error)
        return None


SMALL = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SMALL
@given(st.data())
def test_draw_and_verify_raise_only_coded_errors(data):
    request = _mutate(REQUEST, data) if data.draw(st.booleans()) else REQUEST
    entropy = _mutate(ENTROPY, data) if data.draw(st.booleans()) else ENTROPY
    pools = _mutate(POOLS, data) if data.draw(st.booleans()) else POOLS
    _call(draw, request, pools, entropy, False)
    _call(compute_pool_digests, request, pools)
    problems = verify(request, pools, entropy, _mutate(RESULT, data), False)
    assert isinstance(problems, list)


@SMALL
@given(st.data())
def test_the_citizen_check_never_crashes(data):
    problems = verify_bundle(_mutate(BUNDLE, data), False)
    assert isinstance(problems, list)


def test_a_round_beyond_64_bits_is_a_coded_error():
    request = copy.deepcopy(REQUEST)
    request["sources"][0]["round"] = 2**64
    entropy = copy.deepcopy(ENTROPY)
    entropy["drand"]["round"] = 2**64
    with pytest.raises(DrawError) as caught:
        draw(request, POOLS, entropy)
    assert caught.value.code == "DRAW_BEACON_BAD_ROUND"


def test_a_signature_with_a_leading_space_is_refused():
    entropy = copy.deepcopy(ENTROPY)
    entropy["drand"]["signature"] = " " + entropy["drand"]["signature"]
    with pytest.raises(DrawError) as caught:
        draw(REQUEST, POOLS, entropy)
    assert caught.value.code == "DRAW_BEACON_BAD_HEX"


def test_a_missing_reveal_under_fail_is_coded_and_verify_goes_on():
    request = copy.deepcopy(REQUEST)
    request["sources"][2]["missing"] = "fail"
    request = make_request(POOLS, sources=request["sources"])
    entropy = {k: v for k, v in ENTROPY.items() if k != "reveals"}
    with pytest.raises(DrawError) as caught:
        draw(request, POOLS, entropy)
    assert caught.value.code == "DRAW_REVEAL_MISSING"
    problems = verify(request, POOLS, entropy, RESULT) + verify(REQUEST, POOLS, ENTROPY, RESULT)
    assert [p.field for p in problems] == ["entropy.reveals.jijian"]
