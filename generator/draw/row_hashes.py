"""The per-row SHA-256 work of a large pool — commitments and ticket residues — shared with one
helper process.

SHA-256 of ~100 bytes costs about a microsecond in CPython whatever the loop, and a pool of 10^6
objects needs two per row (its commitment, its ticket), so on a 2-core machine a second process
halves that part. The helper is a fresh ``python -I`` running the constant stdlib-only program
``HELPER`` below: it imports nothing from this project, reads no file, writes none, and only
receives the messages to hash through a pipe and returns the digests (and residues) through
another. It computes exactly what ``local_hashes`` computes (``tests/draw`` compares both), so a
draw never depends on whether the helper ran: when it cannot be started or fails in any way,
its share is computed here. No clock, no randomness, no network — OS machinery only, like
memory allocation.
"""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import sys
from array import array

from .objects import ticket_residues

HELPER_MIN_ROWS = 200_000  # below this, starting a process costs more than it saves
HELPER_SHARE = 0.5  # the helper's share of the rows (this process also serialises them; measured)
HEXDIGEST = type(hashlib.sha256()).hexdigest
HELPER = r"""
import hashlib, pickle, sys
from array import array
from itertools import accumulate, repeat
salts, ids, lengths, seed_hash = pickle.load(sys.stdin.buffer)
ends = list(accumulate(array("I", lengths)))
id_parts = map(ids.__getitem__, map(slice, [0] + ends[:-1], ends))
salt_parts = map(salts.__getitem__, map(slice, range(0, len(salts), 64), range(64, len(salts) + 64, 64)))
sha, digest = hashlib.sha256, type(hashlib.sha256()).digest
digests = b"".join(map(digest, map(sha, map(bytes.__add__, salt_parts, id_parts))))
residues = b""
if seed_hash is not None and ends:
    refs = digests.hex(",", 32).split(",")
    tickets = map(digest, map(sha, map(str.encode, map(seed_hash.__add__, refs))))
    mods = map(int.__mod__, map(int.from_bytes, tickets, repeat("big")), repeat(10_000))
    residues = array("H", mods).tobytes()
pickle.dump((digests, residues), sys.stdout.buffer, protocol=5)
"""


def local_hashes(messages, seed_hash: str | None) -> tuple[list[str], list[int] | None]:
    """Hex SHA-256 of each message (the refs) and, with a seed, their ticket residues."""
    refs = list(map(HEXDIGEST, map(hashlib.sha256, messages)))
    return refs, None if seed_hash is None else ticket_residues(seed_hash, refs)


def start_helper() -> subprocess.Popen | None:
    """Start the helper interpreter now (it waits for its input), or None if it cannot start."""
    if not sys.executable:
        return None
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-c", HELPER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except (OSError, ValueError, TypeError):
        return None


def stop_helper(process: subprocess.Popen | None) -> None:
    """End a helper that is still running (no-op once it has been waited for)."""
    if process is not None:
        process.kill()
        process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()


class _Helper:
    """One helper process hashing salt ‖ id of some rows while this process works on.

    It is sent three blobs (salts, each 64 bytes; ids; their lengths) rather than 10^5 small
    objects, so that sending costs this process a few copies, not a pickle per row.
    """

    def __init__(self, salts: list[bytes], ids: list[bytes], seed_hash: str | None, process=None):
        self.salts, self.ids, self.seed_hash = salts, ids, seed_hash
        self.process = process or start_helper()
        self.answered = False  # whether the result came from the helper (for the tests)
        try:
            if self.process is None:
                return
            lengths = array("I", map(len, ids)).tobytes()
            message = (b"".join(salts), b"".join(ids), lengths, seed_hash)
            pickle.dump(message, self.process.stdin, protocol=5)
            self.process.stdin.close()
        except (OSError, ValueError, OverflowError, pickle.PickleError):
            self.stop()

    def stop(self) -> None:
        stop_helper(self.process)
        self.process = None

    def result(self) -> tuple[list[str], list[int] | None]:
        """The helper's answer, or the same computed here if it has none."""
        try:
            if self.process is not None:
                out = self.process.stdout.read()
                if self.process.wait() == 0:
                    digests, residues = pickle.loads(out)
                    n = len(self.ids)
                    if len(digests) == 32 * n and (self.seed_hash is None or len(residues) == 2 * n):
                        refs = digests.hex(",", 32).split(",") if n else []
                        known = None
                        if self.seed_hash is not None:
                            known = array("H", residues).tolist() if n else []
                        self.answered = True
                        return refs, known
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            pass
        finally:
            self.stop()
        return local_hashes(map(bytes.__add__, self.salts, self.ids), self.seed_hash)


def commitments_and_residues(
    salt_bytes: list[bytes],
    id_bytes: list[bytes],
    seed_hash: str | None,
    between=None,
    helper_min: int | None = None,
    process: subprocess.Popen | None = None,
) -> tuple[list[str], list[int] | None]:
    """Refs ``SHA-256(salt ‖ id)`` hex of every row and, with a seed hash, their ticket residues.

    UTF-8 of a concatenation is the concatenation of the UTF-8 bytes, so the bytes made for the
    row text are reused. ``between()`` (optional) is run while the helper works; ``process``: a
    helper started earlier with ``start_helper`` (this function ends it in any case).
    """
    n = len(id_bytes)
    threshold = HELPER_MIN_ROWS if helper_min is None else helper_min
    split = n - int(n * HELPER_SHARE) if n >= threshold else n
    helper = None
    if split < n:
        helper = _Helper(salt_bytes[split:], id_bytes[split:], seed_hash, process)
    else:
        stop_helper(process)
    try:
        if between is not None:
            between()
        refs, residues = local_hashes(map(bytes.__add__, salt_bytes[:split], id_bytes[:split]), seed_hash)
        if helper is not None:
            more_refs, more_residues = helper.result()
            refs += more_refs
            if residues is not None:
                residues += more_residues
    finally:
        if helper is not None:
            helper.stop()
    return refs, residues
