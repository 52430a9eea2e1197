"""Every process the site build starts besides its tools (MkDocs, Pagefind), in one place.

Four shapes, one policy:

- ``in_background(fn, *args)``: run one function on the other core while this one goes on; the
  result comes back through a pipe when asked for (``Pending.result()``), or the work is dropped
  (``Pending.cancel()``).
- ``split(fn, parts)``: run ``fn(i, parts)`` for i in range(parts) on ``parts`` processes and return
  the results in order; ``fn(i, n)`` does the i-th of n interleaved shares of the work, so the
  output never depends on how many parts ran.
- ``deal(fn, count, parts)``: ``[fn(0), …, fn(count - 1)]`` on ``parts`` processes, each taking
  the next item as soon as it is free — for items of uneven, unknown cost (``verify``'s draws),
  dealt largest first by the caller's estimate.
- ``detach(script, *argv)``: start a Python script that outlives us (cleanup nobody waits for).

The forking shapes use ``fork`` so a child inherits the parent's data (page models, Jinja
environments) without pickling it; only results travel back. Forking is refused — and the work
runs inline, with identical results — when it is unsafe or useless: a process with other threads
(``serve`` runs a web server and a file watcher; a forked child could inherit a held lock and
hang), one CPU, or a platform without ``fork``.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any


def cpus() -> int:
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking is safe and worth it here and now."""
    return (
        cpus() >= 2
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon  # a pool's worker may not start processes
        and "fork" in multiprocessing.get_all_start_methods()
    )


class Pending:
    """A result being computed elsewhere (or already computed inline)."""

    def __init__(self, value: Any = None, receive=None, process=None):
        self._value, self._receive, self._process = value, receive, process
        self._error: BaseException | None = None

    def result(self) -> Any:
        """Wait for the value; an exception raised by the function (or ``ChildDied``) is raised
        here, and again on every later call: a failed result never reads as ``None`` (red team 8)."""
        if self._error is not None:
            raise self._error
        if self._process is None:
            return self._value
        try:
            ok, value = self._receive.recv()
        except EOFError:
            self._error = ChildDied("后台进程意外退出")
            raise self._error from None
        finally:
            self._process.join()
            self._receive.close()
            self._process = None
        if not ok:
            self._error = value
            raise value
        self._value = value
        return value

    def cancel(self) -> None:
        """Drop the work (kills the child if it is still running)."""
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._receive.close()
            self._process = None


class ChildDied(RuntimeError):
    """A forked child exited without sending its result (killed, out of memory)."""


def in_background(fn: Callable, *args) -> Pending:
    """Start ``fn(*args)`` on another core; inline (already finished) when forking is refused."""
    if not can_fork():
        return Pending(fn(*args))
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send((True, fn(*args)))
        except BaseException as e:  # noqa: BLE001 - handed to the parent, which raises it
            send.send((False, e))

    process = ctx.Process(target=child, daemon=True)
    process.start()
    send.close()
    return Pending(receive=receive, process=process)


_SPLIT: dict = {}  # the function of the running ``split``, read by the forked workers


def _run_part(args: tuple[int, int]) -> Any:
    return _SPLIT["fn"](*args)


def split(fn: Callable[[int, int], Any], parts: int) -> list[Any]:
    """``[fn(0, parts), …, fn(parts - 1, parts)]`` on ``parts`` processes; ``[fn(0, 1)]`` (the
    whole job in this process) when there is one part or forking is refused."""
    if parts <= 1 or not can_fork():
        return [fn(0, 1)]
    _SPLIT["fn"] = fn
    try:
        with multiprocessing.get_context("fork").Pool(parts) as pool:
            return pool.map(_run_part, [(i, parts) for i in range(parts)])
    finally:
        _SPLIT.clear()


def _run_item(k: int) -> Any:
    return _SPLIT["fn"](k)


def deal(fn: Callable[[int], Any], count: int, parts: int) -> list[Any]:
    """``[fn(0), …, fn(count - 1)]`` computed on ``parts`` processes, each worker taking the next
    ``k`` when it is done with its last (so a worker that drew cheap items takes more of them);
    the results come back in order. Inline (in order, here) when there is one part, one item, or
    forking is refused."""
    if parts <= 1 or count <= 1 or not can_fork():
        return [fn(k) for k in range(count)]
    _SPLIT["fn"] = fn
    try:
        with multiprocessing.get_context("fork").Pool(min(parts, count)) as pool:
            return pool.map(_run_item, range(count), chunksize=1)
    finally:
        _SPLIT.clear()


def detach(script: str, *argv: str) -> None:
    """Run ``python -c script argv…`` in its own session, silent, not waited for."""
    subprocess.Popen(
        [sys.executable, "-c", script, *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
