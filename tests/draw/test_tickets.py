"""Tickets: golden vectors, the consistent-sampler oracle and Rivest's consistency properties."""

import consistent_sampler
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.draw import order_by_ticket, sha256_hex, sha256_uniform, ticket
from generator.draw.tickets import tickets_for

ids = st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=25, unique=True)
seeds = st.text(max_size=30)


def oracle(id_list, seed):
    return list(consistent_sampler.sampler(id_list, seed=seed, output="id"))


def test_known_vectors_from_randomness_md():
    assert sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert ticket(sha256_hex("01382438112797316654"), "AB-130") == (
        "0.26299714122838008416507544297546663599715395525154425586041245287750224561854"
    )
    assert order_by_ticket(["a", "b", "c", "d"], "31") == ["b", "a", "d", "c"]
    assert order_by_ticket(["a", "b", "c", "d"], "77") == ["b", "d", "c", "a"]
    top = tickets_for(["A-1", "A-2", "A-3", "B-1", "B-2", "B-3"], "31415")[:3]
    assert [(t[:11], ref) for t, ref in top] == [
        ("0.134908443", "B-1"),
        ("0.385336754", "A-3"),
        ("0.393594229", "B-2"),
    ]


def test_chinese_and_emoji_seed_golden_vector():
    seed = "县联合抽查🎲2025"
    pool = ["91320000MA00000001X", "91320000MA00000002X", "甲乙丙", "🏪"]
    assert order_by_ticket(pool, seed) == oracle(pool, seed)
    assert sha256_uniform(sha256_hex(seed) + "甲乙丙") == GOLDEN_CHINESE_TICKET


GOLDEN_CHINESE_TICKET = "0.71882317407735137141904994628184504827194797565607338680929149465505370848002"


@settings(max_examples=60, deadline=None)
@given(ids, seeds)
def test_oracle_consistent_sampler_agrees(id_list, seed):
    assert order_by_ticket(id_list, seed) == oracle(id_list, seed)


@settings(max_examples=60, deadline=None)
@given(ids, seeds, st.randoms(use_true_random=False))
def test_order_independence(id_list, seed, rnd):
    """Rivest: the ticket of an id depends only on the seed and the id, not on the list order."""
    shuffled = list(id_list)
    rnd.shuffle(shuffled)
    assert order_by_ticket(shuffled, seed) == order_by_ticket(id_list, seed)


@settings(max_examples=60, deadline=None)
@given(ids, seeds, st.data())
def test_subset_and_prefix_consistency(id_list, seed, data):
    """Rivest: "the sample of a subset is the sample of the superset, filtered" — and a longer
    sample extends a shorter one (prefix consistency)."""
    full = order_by_ticket(id_list, seed)
    subset = data.draw(st.lists(st.sampled_from(id_list), unique=True))
    assert order_by_ticket(subset, seed) == [x for x in full if x in set(subset)]
    k = data.draw(st.integers(0, len(full)))
    assert full[:k] == oracle(id_list, seed)[:k]
