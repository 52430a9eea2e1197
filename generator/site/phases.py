"""Wall and CPU seconds per build phase, for bench/bench_site.py (a timer, never a limit).

CPU counts this process and the children it has reaped by the end of the phase (forked page writers,
Pagefind); the background export is counted in the phase that collects it."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator

# name -> [wall s, CPU s] of the last build in this process, in the order the phases first ran
LAST: dict[str, list[float]] = {}


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def reset() -> None:
    LAST.clear()


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), _cpu()
    try:
        yield
    finally:
        spent = LAST.setdefault(name, [0.0, 0.0])
        spent[0] += time.perf_counter() - wall
        spent[1] += _cpu() - cpu


def summary() -> str:
    """One line: ``name wall/CPU s`` per phase."""
    return "；".join(f"{name} {wall:.1f}/{cpu:.1f}" for name, (wall, cpu) in LAST.items())
