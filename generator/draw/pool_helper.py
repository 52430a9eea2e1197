"""The row hashes and public view of a large commit-mode pool, shared with a helper interpreter.

On a 2-core machine, a draw from 10^6 objects spends about half its work hashing the rows —
two SHA-256 per row (``row_hashing``) — and half validating and serialising them
(``object_rows``). The hashing needs only a few byte blobs, so most of it runs in a second
interpreter (``python -I``, started at once, running ``serve``) while this process works on:

1. ``send_rows``: this process sends the salts and ids (``row_hashing`` blobs) and the seed hash;
   the helper hashes the first rows, this process the last ``MAIN_SHARE`` once it has serialised
   them (the share is set so that both finish together, measured with ``bench/bench_draw.py``);
2. ``heads``: this process sends each row's stratum, the exclusions and its own hashes, receives
   the helper's hashes and finds the ticket heads (``commit_pool.stratum_heads``) — the draw can
   go on — while the helper sorts the refs and digests the public view (it starts as soon as it
   has the columns, writing the hashes from a thread meanwhile);
3. ``view``: the helper's ``commit_pool.PublicView``.

The helper imports the project from its source directory, reads nothing else, and only talks
through its two pipes; no clock, no randomness, no network. Whenever it cannot start, fails or
answers something malformed, its part is computed here, so a draw never depends on whether it ran.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from pathlib import Path

from .commit_pool import PublicView, StratumHead, public_view, stratum_heads
from .row_hashing import hash_rows, split_rows

HELPER_MIN_ROWS = 200_000  # below this, starting an interpreter costs more than it saves (measured)
MAIN_SHARE = 0.1  # of the rows, hashed here after the serialisation (measured: 0.05–0.2 tried)
PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
HELPER = "import sys; sys.path.insert(0, sys.argv[1]); from generator.draw.pool_helper import serve; serve()"


def serve() -> None:
    """The helper's program: rows in, hashes out; columns in, public view out.

    The hashes are written by a thread while the view is computed: this process reads them
    only once it has finished its own work, and the view should not wait for that.
    """
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    rows = pickle.load(stdin)
    digests, ranks = hash_rows(*rows)
    rule, strata, reasons, rest, keep_refs = pickle.load(stdin)
    writer = threading.Thread(target=_write, args=(stdout, pickle.dumps((digests, ranks), protocol=5)))
    writer.start()
    view = public_view(rule, digests + rest, strata, reasons, keep_refs)
    writer.join()
    _write(stdout, pickle.dumps(view, protocol=5))


def _write(pipe, data: bytes) -> None:
    pipe.write(data)
    pipe.flush()


class PublicSide:
    """Hashes, heads and view of one pool, shared with a helper for ``rows ≥ helper_min``.

    ``answered`` tells (for the tests) whether the helper gave both its answers.
    """

    def __init__(self, rows: int, helper_min: int | None = None):
        self.process = None
        self.shares: tuple = ()
        self.seed_hash: str | None = None
        self.columns: tuple = ()
        self.digests = b""
        self.answered = False
        if rows >= (HELPER_MIN_ROWS if helper_min is None else helper_min) and sys.executable:
            try:  # started first: the interpreter boots while the blobs are made
                self.process = subprocess.Popen(
                    [sys.executable, "-I", "-c", HELPER, PROJECT_ROOT],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except (OSError, ValueError, TypeError):
                self.process = None

    def _send(self, message: tuple, last: bool) -> None:
        try:
            pickle.dump(message, self.process.stdin, protocol=5)
            self.process.stdin.flush()
            if last:
                self.process.stdin.close()
        except (OSError, ValueError, pickle.PickleError):
            self.stop()

    def _receive(self):
        try:
            return pickle.load(self.process.stdout)
        except (OSError, ValueError, EOFError, TypeError, AttributeError, pickle.UnpicklingError):
            self.stop()
            return None

    def send_rows(self, salts: bytes, ids: bytes, ends: bytes | None, seed_hash: str | None) -> None:
        """The rows as ``row_hashing`` blobs and the draw's seed hash (None: no tickets)."""
        n = len(salts) // 64
        helper_rows = n - int(n * MAIN_SHARE) if self.process is not None else 0
        self.shares, self.seed_hash = split_rows(salts, ids, ends, helper_rows), seed_hash
        if self.process is not None:
            self._send((*self.shares[0], seed_hash), last=False)

    def heads(
        self, rule, strata, reasons: dict[int, str], meanwhile=None, keep_refs=True
    ) -> list[StratumHead]:
        """Per stratum: size, exclusions, ticket head — given the request's object rule, each row's
        stratum index and the exclusions (row -> reason code). Hashes this process's share, sends
        it, calls ``meanwhile`` (if given), then collects the helper's hashes. ``keep_refs``: whether the
        view will need its sorted refs, or only its digest."""
        digests, ranks = hash_rows(*self.shares[1], self.seed_hash)
        self.columns = (rule, strata, reasons, keep_refs)
        if self.process is not None:  # (waits until the helper has hashed its rows)
            self._send((rule, strata, reasons, digests, keep_refs), last=True)
        if meanwhile is not None:
            meanwhile()
        first = self._receive() if self.process is not None else None
        n = len(self.shares[0][0]) // 64
        if not (
            isinstance(first, tuple)
            and len(first) == 2
            and isinstance(first[0], bytes)
            and len(first[0]) == 32 * n
            and (
                first[1] is None
                if self.seed_hash is None
                else isinstance(first[1], bytes) and len(first[1]) == 2 * n
            )
        ):
            self.stop()
            first = hash_rows(*self.shares[0], self.seed_hash)
        self.digests = first[0] + digests
        all_ranks = None if self.seed_hash is None else first[1] + ranks
        return stratum_heads(rule, self.digests, all_ranks, strata, reasons, self.seed_hash)

    def view(self, heads: list[StratumHead]) -> PublicView:
        """The public view (``heads``: what ``heads()`` returned, to check the helper's answer)."""
        try:
            if self.process is not None:
                view = self._receive()
                refs = view.sorted_refs if isinstance(view, PublicView) else None
                if (
                    isinstance(view, PublicView)
                    and isinstance(view.public_digest, str)
                    and (refs is None) == (not self.columns[3])
                    and (
                        refs is None
                        or len(refs) == len(heads)
                        and all(
                            isinstance(r, bytes) and len(r) == 32 * h.eligible
                            for r, h in zip(refs, heads, strict=True)
                        )
                    )
                ):
                    self.answered = True
                    return view
        finally:
            self.stop()
        return public_view(self.columns[0], self.digests, *self.columns[1:])

    def stop(self) -> None:
        """End the helper if it still runs (no-op once it has been waited for)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                try:
                    pipe.close()
                except OSError:  # unflushed data to a helper that is gone
                    pass
            self.process = None
