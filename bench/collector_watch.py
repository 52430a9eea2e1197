"""What the garbage collector and the main thread did during a timed stretch (bench/ only, prints).

``CollectorWatch`` times every collection (``gc.callbacks``) by generation and reports the
collector's state (enabled, frozen objects, counts); ``StackSampler`` notes the innermost project
frames of the main thread every ``interval`` seconds — a sampling profile with no cost worth
measuring, where cProfile doubles a county edit's time. Issue 18: the county preview's first edit
took 298.6 CPU-s where the same work outside a full build took 11-17; these tell where it went.
"""

from __future__ import annotations

import collections
import gc
import sys
import threading
import time


class CollectorWatch:
    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self.longest = 0.0
        self._start = 0.0

    def _callback(self, event: str, info: dict) -> None:
        if event == "start":
            self._start = time.perf_counter()
            return
        spent = time.perf_counter() - self._start
        generation = info["generation"]
        self.seconds[generation] += spent
        self.count[generation] += 1
        self.longest = max(self.longest, spent)

    def __enter__(self) -> CollectorWatch:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self._callback)

    def summary(self) -> str:
        gens = "，".join(
            f"gen{g} {n}× {s:.1f} s" for g, (n, s) in enumerate(zip(self.count, self.seconds, strict=True))
        )
        return f"collections: {gens}; longest {self.longest:.2f} s"


def collector_state() -> str:
    return (
        f"collector {'on' if gc.isenabled() else 'OFF'}, frozen {gc.get_freeze_count():,} objects, "
        f"counts {gc.get_count()}, thresholds {gc.get_threshold()}"
    )


class StackSampler:
    """Every ``interval`` s: the main thread's innermost frame in generator/ (and its caller)."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.hits: collections.Counter[str] = collections.Counter()
        self._stop = threading.Event()
        self._main = threading.main_thread().ident
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            frame = sys._current_frames().get(self._main)
            names = []
            while frame is not None and len(names) < 2:
                code = frame.f_code
                if "/generator/" in code.co_filename:
                    names.append(f"{code.co_filename.split('/generator/')[-1]}:{code.co_name}")
                frame = frame.f_back
            self.hits[" <- ".join(names) or "(outside generator/)"] += 1

    def __enter__(self) -> StackSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def top(self, n: int = 12) -> str:
        total = sum(self.hits.values()) or 1
        return "\n".join(f"    {100 * k / total:5.1f}%  {name}" for name, k in self.hits.most_common(n))
