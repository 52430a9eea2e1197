"""The row hashes of a large commit-mode pool, shared with a helper interpreter.

On a 2-core machine, a draw from 10^6 objects spends about half its work hashing the rows —
two SHA-256 per row (``row_hashing``) — and half validating and serialising them
(``object_rows``). The hashing needs only a few byte blobs, so most of it runs in a second
interpreter (``python -I``, started at once, running ``serve``) while this process serialises;
this process hashes the last ``MAIN_SHARE`` of the rows once it is done, then makes the public
side from all the hashes (``commit_pool``). The share is set so that both finish together
(measured with ``bench/bench_draw.py``).

The helper imports the project from its source directory, reads nothing else, and only talks
through its two pipes; no clock, no randomness, no network. ``result`` computes the helper's
share here whenever the helper cannot start or fails in any way, so a draw never depends on
whether it ran.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from .commit_pool import CommitSide, commit_side
from .row_hashing import hash_rows, split_rows

HELPER_MIN_ROWS = 200_000  # below this, starting an interpreter costs more than it saves (measured)
MAIN_SHARE = 0.2  # of the rows, hashed here after the serialisation (measured)
PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
HELPER = "import sys; sys.path.insert(0, sys.argv[1]); from generator.draw.pool_helper import serve; serve()"


def serve() -> None:
    """The helper's program: one job (``hash_rows`` arguments) from stdin, its answer to stdout."""
    pickle.dump(hash_rows(*pickle.load(sys.stdin.buffer)), sys.stdout.buffer, protocol=5)
    sys.stdout.buffer.flush()


class PublicSide:
    """The public side of one pool, its row hashes shared with a helper for ``rows ≥ helper_min``.

    ``answered`` tells (for the tests) whether the helper's share came from the helper.
    """

    def __init__(self, rows: int, helper_min: int | None = None):
        self.process = None
        self.shares: tuple = ()
        self.seed_hash: str | None = None
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

    def send_rows(self, salts: bytes, ids: bytes, ends: bytes | None, seed_hash: str | None) -> None:
        """The rows as ``row_hashing`` blobs and the draw's seed hash (None: no tickets)."""
        n = len(salts) // 64
        helper_rows = n - int(n * MAIN_SHARE) if self.process is not None else 0
        self.shares, self.seed_hash = split_rows(salts, ids, ends, helper_rows), seed_hash
        if self.process is None:
            return
        try:
            pickle.dump((*self.shares[0], seed_hash), self.process.stdin, protocol=5)
            self.process.stdin.close()
        except (OSError, ValueError, pickle.PickleError):
            self.stop()

    def _helper_share(self) -> tuple[bytes, bytes | None]:
        """The helper's answer if it gave a well-formed one, else the same computed here."""
        share = self.shares[0]
        try:
            if self.process is not None:
                out = self.process.stdout.read()
                if self.process.wait() == 0:
                    digests, ranks = pickle.loads(out)
                    n = len(share[0]) // 64
                    if (
                        isinstance(digests, bytes)
                        and len(digests) == 32 * n
                        and (
                            ranks is None
                            if self.seed_hash is None
                            else isinstance(ranks, bytes) and len(ranks) == 2 * n
                        )
                    ):
                        self.answered = True
                        return digests, ranks
        except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError):
            pass
        finally:
            self.stop()
        return hash_rows(*share, self.seed_hash)

    def result(self, rule, strata, reasons: dict[int, str], meanwhile=None) -> CommitSide:
        """The public side, given the request's object rule, each row's stratum index and the
        exclusions (row -> reason code): this process hashes its share, calls ``meanwhile`` (if
        given), then collects the helper's answer."""
        digests, ranks = hash_rows(*self.shares[1], self.seed_hash)
        if meanwhile is not None:
            meanwhile()
        first_digests, first_ranks = self._helper_share()
        if self.seed_hash is not None:
            ranks = first_ranks + ranks
        return commit_side(rule, first_digests + digests, ranks, strata, reasons, self.seed_hash)

    def stop(self) -> None:
        """End the helper if it still runs (no-op once it has been waited for)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                if pipe is not None and not pipe.closed:
                    pipe.close()
            self.process = None
