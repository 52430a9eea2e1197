"""generator.parallel: the one place the site build forks or spawns; same results inline or forked."""

from __future__ import annotations

import os
import threading
import time

import pytest

from generator import parallel

FORKS = parallel.can_fork()


def shares(i: int, n: int) -> list[int]:
    return [x * x for x in range(100)[i::n]]


def test_split_gives_the_same_work_whatever_the_number_of_parts():
    whole = sorted(x for part in parallel.split(shares, 1) for x in part)
    for parts in (2, 3, 7):
        results = parallel.split(shares, parts)
        assert sorted(x for part in results for x in part) == whole
        assert len(results) == (parts if FORKS else 1)


@pytest.mark.skipif(not FORKS, reason="needs two CPUs and fork")
def test_split_runs_in_other_processes():
    pids = parallel.split(lambda i, n: os.getpid(), 2)
    assert len(set(pids)) == 2 and os.getpid() not in pids


def test_a_threaded_process_runs_everything_inline():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
        assert parallel.split(lambda i, n: (os.getpid(), i, n), 4) == [(os.getpid(), 0, 1)]
        pending = parallel.in_background(os.getpid)
        assert pending.result() == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_background_result_and_error_come_back():
    assert parallel.in_background(sorted, [3, 1, 2]).result() == [1, 2, 3]

    def fails():
        raise ValueError("坏数据")

    with pytest.raises(ValueError, match="坏数据"):
        parallel.in_background(fails).result()


@pytest.mark.skipif(not FORKS, reason="needs two CPUs and fork")
def test_a_child_that_dies_is_reported_in_chinese():
    pending = parallel.in_background(os._exit, 3)
    with pytest.raises(parallel.ChildDied, match="后台进程意外退出"):
        pending.result()


def test_detach_outlives_the_call(tmp_path):
    target = tmp_path / "done"
    parallel.detach("import sys, pathlib; pathlib.Path(sys.argv[1]).write_text('ok')", str(target))
    deadline = time.monotonic() + 20
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert target.read_text() == "ok"
