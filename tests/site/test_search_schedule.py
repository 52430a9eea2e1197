"""The preview's re-index runs Pagefind on several shards at once only while their pages fit in one
bucket (issue 18: two county buckets at once peaked at 2.2 GB, over the 2 GB target)."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.search_index import schedule


class Recorder:
    """Runs jobs for ``schedule``: notes what ran at once, and fails the jobs named in ``fail``."""

    def __init__(self, weights: dict[str, int], fail: frozenset[str] = frozenset()) -> None:
        self.weights, self.fail = weights, fail
        self.lock = threading.Lock()
        self.running: set[str] = set()
        self.ran: list[str] = []
        self.most_at_once = 0
        self.heaviest_at_once = 0
        self.overlapping_sets: list[frozenset[str]] = []

    def __call__(self, name: str) -> None:
        with self.lock:
            self.running.add(name)
            self.ran.append(name)
            self.most_at_once = max(self.most_at_once, len(self.running))
            if len(self.running) > 1:
                self.heaviest_at_once = max(self.heaviest_at_once, sum(self.weights[n] for n in self.running))
                self.overlapping_sets.append(frozenset(self.running))
        time.sleep(0.003)
        with self.lock:
            self.running.discard(name)
        if name in self.fail:
            raise RuntimeError(name)


jobs_strategy = st.lists(st.integers(min_value=0, max_value=120), min_size=0, max_size=7).map(
    lambda weights: [(f"s{i}", w) for i, w in enumerate(weights)]
)


@settings(max_examples=60, deadline=None)
@given(jobs=jobs_strategy, budget=st.integers(min_value=1, max_value=150), workers=st.integers(1, 3))
def test_shards_indexed_at_once_never_hold_more_pages_than_one_bucket(jobs, budget, workers):
    recorder = Recorder(dict(jobs))
    schedule(jobs, budget, workers, recorder)
    assert sorted(recorder.ran) == sorted(name for name, _ in jobs)  # each exactly once
    assert recorder.most_at_once <= max(workers, 1)
    assert recorder.heaviest_at_once <= budget  # overlapping runs fit; a heavy one ran alone


def test_small_shards_do_run_together():
    """The budget is not an excuse to run everything in turn: two shards that fit overlap."""
    both = threading.Barrier(2, timeout=5)
    seen = []

    def run(name: str) -> None:
        both.wait()  # raises BrokenBarrierError unless the other shard runs at the same time
        seen.append(name)

    schedule([("a", 40), ("b", 60)], 100, 2, run)
    assert sorted(seen) == ["a", "b"]


def test_every_shard_runs_and_the_first_failure_is_raised_after_them():
    recorder = Recorder({"a": 10, "b": 10, "c": 10}, fail=frozenset({"a"}))
    with pytest.raises(RuntimeError, match="a"):
        schedule([("a", 10), ("b", 10), ("c", 10)], 15, 2, recorder)
    assert sorted(recorder.ran) == ["a", "b", "c"]
