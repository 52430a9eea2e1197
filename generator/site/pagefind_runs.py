"""Running Pagefind processes side by side within a memory budget (used by ``search_index``).

``schedule`` runs weighted jobs on a few threads, never more than a budget of weight at once (the
pages being indexed: Pagefind's memory follows them); ``PeakMeter`` reads the runs' resident memory
from /proc while they run, the figure the issue-18 target (2 GB) is about.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def schedule(
    jobs: list[tuple[str, int]],
    budget: int,
    workers: int,
    run: Callable[[str], None],
    cancel: Callable[[], None] | None = None,
) -> None:
    """Run ``run(name)`` for each ``(name, weight)`` in ``jobs``, at most ``workers`` at once and
    never more than ``budget`` weight at once (a job heavier than the budget runs alone). Jobs
    start in the order given, the first that fits.

    A failure stops the jobs not yet started (a build fails anyway: minutes of Pagefind saved);
    the jobs running finish, then the first failure is raised. An interrupt (Ctrl-C) calls
    ``cancel`` (stop the Pagefind runs) and waits for the running jobs before it propagates, so
    their ``finally`` blocks (the staging trees) always run."""
    lock = threading.Condition()
    running: dict[str, int] = {}  # jobs given to the pool: their weight counts against the budget
    begun: set[str] = set()  # jobs whose ``run`` was entered: an interrupt waits for them
    failures: list[BaseException] = []
    stopping = False

    def one(name: str) -> None:
        with lock:
            if stopping:  # interrupted before this job began: it never does
                del running[name]
                lock.notify_all()
                return
            begun.add(name)
        try:
            run(name)
        except BaseException as exc:  # noqa: BLE001 - re-raised by the caller below
            failures.append(exc)
        finally:
            with lock:
                del running[name]
                begun.discard(name)
                lock.notify_all()

    def next_job() -> tuple[str, int] | None:
        """The next job that fits, once there is one; None when a job failed."""
        with lock:
            while not failures:
                load = sum(running.values())
                for i, (name, weight) in enumerate(pending):
                    if not running or (len(running) < max(workers, 1) and load + weight <= budget):
                        running[name] = weight
                        return pending.pop(i)
                lock.wait()
            return None

    pending = list(jobs)
    pool = ThreadPoolExecutor(max(workers, 1), thread_name_prefix="pagefind")
    try:
        while pending and (job := next_job()) is not None:
            pool.submit(one, job[0])
        with lock:
            while running:
                lock.wait()
    except BaseException:
        # Waiting on our own record, not on the pool's threads: an interrupt inside submit can
        # leave a started thread the pool has not recorded yet.
        with lock:
            stopping = True
        if cancel is not None:
            cancel()
        with lock:
            while begun:
                lock.wait()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    if failures:
        raise failures[0]


class PeakMeter:
    """The peak resident memory of the Pagefind runs, together: the largest sum of their VmRSS
    sampled while they run, or one run's VmHWM (its own high-water mark) when that is larger.
    Read from /proc while they run: wait4's ru_maxrss would report the forking Python process's
    size when that is larger (issue 18 measured Pagefind so before)."""

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._lock = threading.Lock()
        self._live: dict[int, subprocess.Popen] = {}

    def watch(self, proc: subprocess.Popen) -> None:
        """Wait for ``proc``, sampling every run alive meanwhile."""
        with self._lock:
            self._live[proc.pid] = proc
        try:
            while proc.poll() is None:
                self._sample()
                time.sleep(0.02)
        finally:
            with self._lock:
                self._live.pop(proc.pid, None)

    def stop_runs(self) -> None:
        """Terminate the runs still alive (an interrupted build: their threads then clean up)."""
        with self._lock:
            procs = list(self._live.values())
        for proc in procs:
            proc.terminate()

    def _sample(self) -> None:
        total = 0.0
        with self._lock:
            pids = list(self._live)
        highest = 0.0
        for pid in pids:
            rss, hwm = _memory_mb(pid)
            total += rss
            highest = max(highest, hwm)
        with self._lock:
            self.peak_mb = max(self.peak_mb, highest, total)


def _memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of ``pid`` in MB; zeros once it has gone."""
    rss = hwm = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return rss, hwm
