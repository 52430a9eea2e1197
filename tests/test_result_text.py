"""``result_text.render`` is PyYAML's dump or nothing: ``verify`` trusts equal bytes only if so.

If ``render`` ever returned text that differs from ``store.dump_yaml`` for the same value, a file
equal to that text could mean something other than the recomputed draw (a quoted id read as an
int, a ticket read as a float). These tests pin the property on every sample result and on random
values built from strings chosen to trip YAML (numbers, booleans, nulls, dates, indicators, quotes,
non-printable and CJK characters).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.registry import store
from generator.registry.result_text import render
from generator.registry.run import RESULT_HEADER

RECORDS = Path(__file__).resolve().parents[1] / "records"

TRICKY = [
    "",
    " ",
    "0",
    "007",
    "0o7",
    "0x1F",
    "1_000",
    "1:20",
    "190:20:30",
    "1e5",
    "1.5e+3",
    ".5",
    "0.12345678901234567890",
    ".inf",
    "-.inf",
    ".NaN",
    "-5",
    "+5",
    "true",
    "True",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "null",
    "Null",
    "~",
    "2026-03-20",
    "2026-03-20 10:00:00",
    "2026-3-2",
    "913213234066201389",
    "92321323281446497T",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "#a",
    "- a",
    "-a",
    "--- a",
    "...",
    "? a",
    "[a]",
    "{a}",
    "a, b",
    "&a",
    "*a",
    "!a",
    "|a",
    ">a",
    "'a'",
    '"a"',
    "it's",
    "%a",
    "@a",
    "`a",
    " lead",
    "trail ",
    "a  b",
    "a\tb",
    "a\nb",
    "\x85",
    "\u2028",
    "\ufeff",
    "\x00",
    "\x7f",
    "\ue000",
    "来安街道",
    "县市场监管局（众兴）",
    "ratio 1/50",
    "S1",
    "SCJG-1284",
    "=",
    "<<",
    "x" * 200,
    "y " * 600,
]

scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.text(
        alphabet=st.sampled_from(list("0123456789abcdefxXeE.:-+_ #'\"\n\t~[]{},&*!|>%@`来安\u2028\x85")),
        max_size=12,
    ),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.floats(allow_nan=False, allow_infinity=False),
)
keys = st.one_of(st.sampled_from(TRICKY), st.text(max_size=6))
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, min_size=1, max_size=5))
def test_render_is_the_dumpers_text_or_nothing(value):
    text = render(value)
    if text is not None:
        assert text == store.dump_yaml(value)
        assert yaml.safe_load(text) == value


def test_every_tricky_string_is_dumped_or_refused_exactly():
    handled = 0
    for s in TRICKY:
        for value in ({"k": s}, {s: 1}, {"k": [s, {s: s}]}):
            text = render(value)
            if text is not None:
                handled += 1
                assert text == store.dump_yaml(value), (s, text)
    assert handled > len(TRICKY) * 2  # the fast path covers the ordinary strings, not only refusals


def test_render_refuses_what_it_does_not_know():
    assert render({"a": 1.5}) is None
    assert render({"a": "two\nlines"}) is None
    assert render({"a": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}) is None
    assert render({"k" * 130: 1}) is None
    assert render({1: "a"}) is None
    assert render({"a": "\x00"}) is None


def test_the_per_process_caches_answer_only_for_plain_text():
    """Keys and short strings are remembered once rendered; a value equal to one of them but of
    another type (a str subclass, a number) is not answered from the cache."""

    class Text(str):
        pass

    assert render({"status": "有效", "n": "1"}) == store.dump_yaml({"status": "有效", "n": "1"})
    assert render({Text("status"): "x"}) is None
    assert render({"n": 1}) == "n: 1\n"
    assert render({"k": "1"}) == "k: '1'\n"


def test_every_sample_result_renders_byte_for_byte():
    paths = sorted(RECORDS.glob("draws/*/D*/result.yaml"))
    assert len(paths) >= 20
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert RESULT_HEADER + render(yaml.safe_load(text)) == text, path
