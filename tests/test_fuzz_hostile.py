"""The fuzz harness's mutations under Hypothesis with a fixed budget (the full 10,000-file run is
bench/fuzz_records.py): every mutated file of every kind only ever yields printable findings."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.corpus import load, read_record_bytes
from tests.support.mutate import mutate, validate_one


@pytest.fixture(scope="module")
def base(full_tree_master):
    corpus = load(full_tree_master, display_prefix="")
    seeds = {rel: read_record_bytes(full_tree_master / rel, rel)[0] for rel in corpus.files}
    return corpus, seeds


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32), pick=st.integers(min_value=0, max_value=10_000))
def test_mutated_files_only_yield_findings(base, seed, pick):
    corpus, seeds = base
    names = sorted(seeds)
    rel = names[pick % len(names)]
    data, _ = mutate(seeds[rel], rel, random.Random(seed))
    assert validate_one(corpus, rel, data) >= 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_arbitrary_unicode_as_a_unit_file_only_yields_findings(base, text):
    corpus, _ = base
    assert validate_one(corpus, "units/market/unit.yaml", text.encode("utf-8", "surrogatepass")) >= 0
