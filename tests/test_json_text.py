"""``json_text.dumps_indented`` writes what ``json.dumps(..., ensure_ascii=False, indent=1)`` writes:
the published bundles and open data keep their bytes (and their hashes) whichever writes them."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.json_text import dumps_indented


def reference(value, sort_keys=True) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, indent=1)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # any code point: control characters, quotes, backslashes, surrogates' neighbours
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=6)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=60,
)


@settings(max_examples=400, deadline=None)
@given(values, st.booleans())
def test_the_text_is_json_dumps_text_for_any_json_value(value, sort_keys):
    assert dumps_indented(value, sort_keys=sort_keys) == reference(value, sort_keys)


@pytest.mark.parametrize(
    "value",
    [
        {1: "a", "b": 2},  # json turns the number key into "1"
        {None: 1, True: 2, 2.5: 3},
        {"a": {"n": float("nan"), "i": -math.inf}},
        [1, {"deep": [[[]]]}],
        {"subclass": type("Text", (str,), {})("x")},
        [type("Count", (int,), {})(3)],
    ],
)
def test_values_it_hands_to_json_come_out_as_json_writes_them(value):
    sort = not any(
        isinstance(k, (int, float)) or k is None for k in (value if isinstance(value, dict) else {})
    )
    assert dumps_indented(value, sort_keys=sort) == reference(value, sort)


def test_what_json_refuses_is_refused_the_same_way():
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(loop)
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"when": object()})
    with pytest.raises(TypeError):
        dumps_indented({"a": 1, 2: "mixed keys cannot be sorted"})


def test_a_draw_bundle_shape_keeps_its_bytes():
    bundle = {
        "format": "sdr-bundle/2",
        "registry": None,
        "public_pools": {"objects": [{"ref": "ab" * 32, "township": "城关镇", "batch": 1}] * 3},
        "result": {"seed": "00" * 32, "teams": [{"members": ["I-1", "I-2"], "leader": "I-1"}]},
        "request": {"parameters": {"n": 3, "ratio": 0.05}, "units": []},
    }
    text = dumps_indented(bundle)
    assert text == reference(bundle)
    assert '\n "registry": null,\n' in text  # the slot draws.published() puts the proof in
