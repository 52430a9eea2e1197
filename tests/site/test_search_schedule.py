"""The preview's re-index runs Pagefind on several shards at once only while their pages fit in one
bucket (issue 18: two county buckets at once peaked at 2.2 GB, over the 2 GB target)."""

from __future__ import annotations

import os
import signal
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


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failure_starts_no_new_shard_and_is_raised_once_the_running_ones_end(workers):
    """A build fails anyway: the shards not started are not indexed (minutes at county size)."""
    recorder = Recorder({"a": 10, "b": 10, "c": 10}, fail=frozenset({"a"}))
    failing = threading.Event()

    def run(name: str) -> None:
        # b runs on until a has failed (at load 5+, two equal sleeps ended b first, and c then
        # started rightly: no job had failed yet)
        if name == "a":
            failing.set()
        elif name == "b":
            failing.wait(timeout=10)
            time.sleep(0.5)
        recorder(name)

    with pytest.raises(RuntimeError, match="a"):
        schedule([("a", 10), ("b", 10), ("c", 10)], 20, workers, run)
    assert "c" not in recorder.ran and recorder.running == set()
    assert recorder.ran[0] == "a"


def test_an_interrupt_waits_for_the_running_shards_and_cancels_them():
    """Ctrl-C: the running Pagefind runs are stopped (``cancel``) and their threads end, cleaning
    their staging trees, before the interrupt leaves ``schedule`` (daemon threads would be killed
    at exit with the staging tree left inside the published site)."""
    stopped = threading.Event()
    lock = threading.Lock()
    alive: set[str] = set()
    started = []

    def run(name: str) -> None:
        with lock:
            alive.add(name)
            started.append(name)
        try:
            if name == "a":
                os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C does: the main thread is interrupted
            stopped.wait(timeout=10)  # a Pagefind run, until it is terminated
        finally:
            with lock:
                alive.discard(name)

    begun = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        schedule([("a", 1), ("b", 1), ("c", 1)], 2, 2, run, cancel=stopped.set)
        time.sleep(5)  # not reached when the interrupt propagates from schedule
    assert stopped.is_set() and alive == set()
    assert "c" not in started  # nothing new starts after the interrupt
    assert time.perf_counter() - begun < 5  # cancelled, not waited out


def test_year_buckets_never_exceed_the_limit_so_two_always_fit_together(monkeypatch):
    """Buckets are cut by a hash of the page path, which spreads pages unevenly: 11,999 pages in
    3 hash buckets gave 3,897 / 3,971 / 4,131. One more bucket is taken until none is over."""
    from collections import Counter

    from generator.site import search_index
    from generator.site.page import PageModel

    for n in (3 * search_index.MAX_SHARD_PAGES - 1, 2 * search_index.MAX_SHARD_PAGES + 1, 9001):
        models = [
            PageModel(f"objects/913213{i:012d}.md", "x", "t", "c", filters={"年度": ["2026"]})
            for i in range(n)
        ]
        sizes = sorted(Counter(search_index.assign(models).values()).values())
        assert sum(sizes) == n and len(sizes) >= -(-n // search_index.MAX_SHARD_PAGES)
        assert sizes[-1] <= search_index.MAX_SHARD_PAGES, (n, sizes)
        assert sizes[-1] + sizes[-2] <= search_index.PAGES_AT_ONCE


def test_a_build_indexes_two_shards_at_once_within_the_budget(tmp_path, monkeypatch):
    """run_pagefind hands its shards to the scheduler with two workers and the page budget (a
    build that went back to one shard at a time would leave a core idle for minutes)."""
    from generator.site import search_index
    from generator.site.page import PageModel

    seen = []
    real = search_index.schedule

    def recording(jobs, budget, workers, run, cancel=None):
        seen.append((sorted(name for name, _ in jobs), budget, workers))
        return real(jobs, budget, workers, run, cancel)

    monkeypatch.setattr(search_index, "schedule", recording)
    site = tmp_path / "site"
    models = [
        PageModel(f"tasks/T{y}.md", f"任务{y}", "t", "c", filters={"年度": [y]}) for y in ("2025", "2026")
    ]
    models.append(PageModel("units/a.md", "单位甲", "t", "c"))  # the 栏目 shard
    for m in models:
        page = site / m.url / "index.html"
        page.parent.mkdir(parents=True)
        body = f"<h1>{m.title}</h1><p>检查内容</p>"
        page.write_text(
            f'<html lang="zh-CN"><body><main data-pagefind-body>{body}</main></body></html>', "utf-8"
        )
    search_index.run_pagefind(site, models)
    assert seen == [(["site", "y2025", "y2026"], search_index.PAGES_AT_ONCE, min(2, os.cpu_count() or 1))]
    assert (site / "pagefind/y2026/pagefind-entry.json").exists()


@pytest.mark.parametrize("preview", [False, True], ids=["build", "preview"])
def test_pages_whose_hashes_collide_still_fit_the_bucket_limit(monkeypatch, preview):
    """Page paths come from record ids a unit chooses; colliding FNV-1a hashes must neither hang
    the build (one more bucket never splits equal hashes) nor overfill a bucket — with the
    published build's limit and with serve's preview's smaller one alike."""
    from collections import Counter

    from generator.site import search_index
    from generator.site.page import PageModel

    monkeypatch.setattr(search_index, "_fnv1a", lambda text: 7)
    limit = search_index.PREVIEW_SHARD_PAGES if preview else search_index.MAX_SHARD_PAGES
    n = 2 * limit + 3
    models = [PageModel(f"objects/x{i:06d}.md", "x", "t", "c", filters={"年度": ["2026"]}) for i in range(n)]
    sizes = sorted(Counter(search_index.assign(models, limit if preview else None).values()).values())
    assert sum(sizes) == n and len(sizes) == 3 and sizes[-1] <= limit
