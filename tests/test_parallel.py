"""generator.parallel: the one place the site build forks or spawns; same results inline or forked."""

from __future__ import annotations

import os
import threading
import time

import pytest

from generator import parallel

TWO_CPUS = parallel.cpus() >= 2


def in_a_fresh_process(code: str) -> str:
    """Run ``code`` in a new single-threaded interpreter (pytest-xdist workers run a thread of their
    own, so the fork path can only be exercised outside them); returns its stdout."""
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def shares(i: int, n: int) -> list[int]:
    return [x * x for x in range(100)[i::n]]


def test_split_gives_the_same_work_whatever_the_number_of_parts():
    whole = sorted(x for part in parallel.split(shares, 1) for x in part)
    for parts in (2, 3, 7):
        results = parallel.split(shares, parts)
        assert sorted(x for part in results for x in part) == whole
        assert len(results) == (parts if parallel.can_fork() else 1)


@pytest.mark.skipif(not TWO_CPUS, reason="needs two CPUs")
def test_split_runs_in_other_processes_and_agrees_with_inline():
    out = in_a_fresh_process(
        """
        import os
        from generator import parallel
        assert parallel.can_fork()
        pids = parallel.split(lambda i, n: os.getpid(), 2)
        # Both parts ran in pool workers, not here. Which worker takes which part is the scheduler's
        # choice: on a loaded machine one worker may take both, so distinct pids are not asserted.
        assert len(pids) == 2 and os.getpid() not in pids, pids
        shares = lambda i, n: [x * x for x in range(100)[i::n]]
        forked = sorted(x for part in parallel.split(shares, 3) for x in part)
        assert forked == [x * x for x in range(100)]
        print("ok")
        """
    )
    assert out.strip() == "ok"


def test_deal_gives_each_item_once_in_order_whatever_the_number_of_parts():
    for parts in (1, 2, 5):
        assert parallel.deal(lambda k: k * k, 11, parts) == [k * k for k in range(11)]
    assert parallel.deal(lambda k: k, 0, 2) == []


@pytest.mark.skipif(not TWO_CPUS, reason="needs two CPUs")
def test_deal_runs_items_in_other_processes_and_a_free_worker_takes_the_next():
    out = in_a_fresh_process(
        """
        import os, tempfile, time
        from pathlib import Path
        from generator import parallel
        assert parallel.can_fork()
        done = Path(tempfile.mkdtemp())
        # item 0 lasts until the last item is done: the other worker must have taken all the others
        def item(k):
            (done / str(k)).touch()
            deadline = time.monotonic() + 60
            while k == 0 and not (done / "11").exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            return k, os.getpid()
        results = parallel.deal(item, 12, 2)
        assert [k for k, _ in results] == list(range(12)), results
        pids = [pid for _, pid in results]
        assert os.getpid() not in pids, pids
        assert pids[0] not in pids[1:], pids
        print("ok")
        """
    )
    assert out.strip() == "ok"


def test_a_threaded_process_runs_everything_inline():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
        assert parallel.split(lambda i, n: (os.getpid(), i, n), 4) == [(os.getpid(), 0, 1)]
        assert parallel.deal(lambda k: (os.getpid(), k), 3, 2) == [(os.getpid(), k) for k in range(3)]
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


@pytest.mark.skipif(not TWO_CPUS, reason="needs two CPUs")
def test_a_background_child_reports_results_errors_and_its_death():
    out = in_a_fresh_process(
        """
        import os
        from generator import parallel
        assert parallel.in_background(os.getpid).result() != os.getpid()
        try:
            parallel.in_background(int, "x").result()
        except ValueError as e:
            print("error:", type(e).__name__)
        try:
            parallel.in_background(os._exit, 3).result()
        except parallel.ChildDied as e:
            print("died:", e)
        slow = parallel.in_background(__import__("time").sleep, 60)
        slow.cancel()
        import multiprocessing
        print("children:", len(multiprocessing.active_children()))
        """
    )
    assert out.splitlines() == ["error: ValueError", "died: 后台进程意外退出", "children: 0"]


def test_detach_outlives_the_call(tmp_path):
    target = tmp_path / "done"
    parallel.detach("import sys, pathlib; pathlib.Path(sys.argv[1]).write_text('ok')", str(target))
    deadline = time.monotonic() + 20
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert target.read_text() == "ok"
