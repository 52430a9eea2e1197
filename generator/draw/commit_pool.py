"""The public side of a commit-mode object pool: refs, exclusions, view digest, ticket heads.

In ``commit`` mode (protocol §4.2, §7) an object's ref is ``c = SHA-256(utf8(salt ‖ id))`` and the
public view lists, per stratum of the request, the eligible refs sorted and the excluded refs
with their reason. A pool can hold 10^6 rows, so this works on whole columns:

* ``row_refs``: every row's ref as one blob of 32-byte digests (one C-level SHA-256 per row),
  begun by ``RowHashing`` on both cores for a big pool;
* ``ticket_ranks``: of each ticket number ``t = int(SHA-256(utf8(seed_hash ‖ hex c)))`` only
  ``t mod 10^4``, as the rank of the ticket's first four digits (``objects.smallest_tickets``
  explains why that is enough to find the head of the ticket order), with numpy;
* ``commit_side``: per stratum the eligible refs sorted — the byte order of the digests is the
  order of their lower-case hex, which the protocol sorts by — the public view digest, streamed
  as exactly the bytes ``canonical_bytes(view)`` gives, and, when the draw's seed hash is known,
  the head of each stratum's ticket order with each entry's row position (so the drawn rows are
  opened without an index of 10^6 refs).
"""

from __future__ import annotations

import binascii
import gc
import hashlib
from collections import deque
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from .. import parallel
from .canonical import view_digest
from .model import ObjectRule
from .objects import PREFIX_ORDER, SEALED, stratum_count
from .tickets import ticket

HASH = type(hashlib.sha256())
HEX_DIGITS = b"0123456789abcdef"
# each value of n mod 10^4 -> the rank of the first four ticket digits it gives
RESIDUE_RANK = np.empty(10_000, dtype=np.uint16)
RESIDUE_RANK[PREFIX_ORDER] = np.arange(10_000, dtype=np.uint16)
WORD_WEIGHTS = [pow(2, 64 * (3 - k), 10_000) for k in range(4)]  # 2^(64·(3−k)) mod 10^4
TICKET_CHUNK = 16_384  # hash objects alive at once
REFS_PER_TEXT = 65_536  # refs written as JSON text at once (~4 MB)
PARALLEL_ROWS = 50_000  # below this hashing (< 0.15 s) is not worth a fork of the caller
SHARE_AWAY = (5, 6)  # of a big pool's rows hashed on the other core: the caller checks and digests meanwhile


@dataclass
class StratumHead:
    """What a draw needs of one stratum: its size, exclusions and the head of its ticket order."""

    name: str
    eligible: int
    excluded: list[tuple[str, str]]  # (ref, reason), sorted
    head: list[tuple[str, str, int]] | None  # (ticket, ref, row): the first count + reserve, or None


def salt_blob(salts: list) -> bytes | None:
    """The salts joined as ASCII bytes if every one is 64 lower-case hex digits, else None.

    (No character outside ASCII has an NFC form containing a hex digit, so checking the salts as
    given is checking them in NFC.)
    """
    try:
        blob = "".join(salts).encode("ascii")
    except (TypeError, UnicodeEncodeError):
        return None
    if set(map(len, salts)) <= {64} and not blob.translate(None, HEX_DIGITS):
        return blob
    return None


class RowHashing:
    """The two per-row hash passes of a commit-mode pool — refs, and ticket ranks when the seed is
    known — begun as soon as the ids are read. From ``PARALLEL_ROWS`` rows the last ``SHARE_AWAY``
    of the rows are hashed on the other core, from their raw salts, while the caller checks and
    digests the rows; ``finish`` then hashes the first part from the checked salts. The parts are
    contiguous, so joined in order they are the bytes of one pass; the far part is only used once
    every salt has passed ``salt_blob`` (the raw salt of a valid row is its checked salt), and a
    pool that fails a check cancels it. Below ``PARALLEL_ROWS``, and wherever ``parallel`` refuses
    to fork (a pool worker, a threaded ``serve``, one CPU), all runs in ``finish``."""

    def __init__(self, rows: list[dict], ids: list[str], seed_hash: str | None):
        n, self.ids, self.seed_hash = len(ids), ids, seed_hash
        self.split = n - n * SHARE_AWAY[0] // SHARE_AWAY[1] if n >= PARALLEL_ROWS else n
        self.other = None
        if self.split < n:
            self.other = parallel.in_background(_hash_raw_rows, rows, ids, seed_hash, self.split, n)

    def finish(self, salts: list[str]) -> tuple[bytes, np.ndarray | None]:
        """(refs of every row joined, their ticket ranks or None), ``salts`` checked by the caller
        (which cancels the other core's part if anything here raises)."""
        refs, ranks = _hash_rows(salts[: self.split], self.ids[: self.split], self.seed_hash)
        if self.other is None:
            return refs, ranks
        more_refs, more_ranks = self.other.result()
        return refs + more_refs, None if ranks is None else np.concatenate((ranks, more_ranks))

    def cancel(self) -> None:
        if self.other is not None:
            self.other.cancel()


def _hash_raw_rows(rows, ids, seed_hash, first: int, end: int) -> tuple[bytes, np.ndarray | None]:
    # A forked child shares the caller's pages until it writes to them: a collection would walk
    # (and so copy) the whole heap of 10^6 rows, for a job that makes no reference cycles.
    gc.disable()
    return _hash_rows([row.get("salt") for row in rows[first:end]], ids[first:end], seed_hash)


def _hash_rows(salts, ids, seed_hash) -> tuple[bytes, np.ndarray | None]:
    refs = row_refs(salts, ids)
    return refs, None if seed_hash is None else ticket_ranks(seed_hash, refs)


def row_refs(salts: list[str], ids: list[str]) -> bytes:
    """``SHA-256(utf8(salt ‖ id))`` of every row, joined (32 bytes a row, rows as given)."""
    messages = map(str.encode, map(str.__add__, salts, ids))
    return b"".join(map(HASH.digest, map(hashlib.sha256, messages)))


def ticket_ranks(seed_hash: str, digests: bytes) -> np.ndarray:
    """Per ref: ``RESIDUE_RANK`` of its ticket number mod 10^4 (uint16).

    The message ``seed_hash ‖ hex c`` starts with the same 64 bytes for every row: their SHA-256
    state is computed once and copied, and each copy is fed the row's 64 hex digits.
    """
    n = len(digests) // 32
    hexed = binascii.hexlify(digests)
    start = hashlib.sha256(seed_hash.encode("utf-8"))
    blocks = []
    for first in range(0, n, TICKET_CHUNK):
        size = min(TICKET_CHUNK, n - first)
        hashers = list(map(HASH.copy, repeat(start, size)))
        parts = np.frombuffer(hexed, dtype="S64", count=size, offset=64 * first).tolist()  # hex: no NUL
        deque(map(HASH.update, hashers, parts), maxlen=0)
        blocks.append(b"".join(map(HASH.digest, hashers)))
    words = np.frombuffer(b"".join(blocks), dtype=">u8").reshape(n, 4)
    residue = np.zeros(n, dtype=np.uint64)
    for k, weight in enumerate(WORD_WEIGHTS):  # each term < 10^8: no overflow
        residue += (words[:, k] % np.uint64(10_000)) * np.uint64(weight)
    return RESIDUE_RANK[residue % np.uint64(10_000)]


def digest_order(digests: bytes) -> np.ndarray:
    """Row numbers in the order of their 32-byte digests (first 8 bytes; all 32 where those tie)."""
    words = np.frombuffer(digests, dtype=">u8").reshape(-1, 4)
    order = np.argsort(words[:, 0], kind="stable")
    first = words[order, 0]
    if len(order) > 1 and bool((first[1:] == first[:-1]).any()):
        order = np.lexsort((words[:, 3], words[:, 2], words[:, 1], words[:, 0]))
    return order


def digest_text(sorted_refs: bytes):
    """JSON text of the refs of a blob of digests ('"hex","hex",…'), in chunks (buffers)."""
    for start in range(0, len(sorted_refs), 32 * REFS_PER_TEXT):
        hexed = binascii.hexlify(memoryview(sorted_refs)[start : start + 32 * REFS_PER_TEXT])
        rows = len(hexed) // 64
        text = np.empty((rows, 67), dtype=np.uint8)
        text[:, 0] = text[:, 65] = ord('"')
        text[:, 66] = ord(",")
        text[:, 1:65] = np.frombuffer(hexed, dtype=np.uint8).reshape(rows, 64)
        yield memoryview(text).cast("B")[:-1]  # no comma after the last


def _head(seed_hash: str, digests: bytes, ranks: np.ndarray, rows: np.ndarray, m: int) -> list:
    """(ticket, ref, row) of the ``m`` smallest tickets among ``rows``, in ticket order."""
    if m <= 0 or not len(rows):
        return []
    rank = ranks[rows]
    covered = np.cumsum(np.bincount(rank, minlength=10_000))
    limit = int(np.searchsorted(covered, min(m, len(rows))))  # smallest rank covering m rows
    out = []
    for i in rows[rank <= limit].tolist():
        ref = digests[32 * i : 32 * i + 32].hex()
        out.append((ticket(seed_hash, ref), ref, i))
    out.sort()
    return out[:m]


def commit_side(
    rule: ObjectRule, hashed: tuple, strata: np.ndarray, reasons: dict[int, str], seed_hash: str | None
) -> tuple[list[StratumHead], list[bytes], str]:
    """(per-stratum heads, per-stratum sorted eligible refs as digest blobs, public view digest).

    ``hashed``: ``(row_refs, ticket_ranks or None)`` of the rows; ``strata``: each row's stratum as its index in the
    request; ``reasons``: row -> exclusion reason code (``objects.exclusion_reasons``) — all in
    the same row order. Heads are None when ``seed_hash`` is None (no draw yet).
    """
    (digests, ranks), k = hashed, len(rule.strata)
    group = np.array(strata, dtype=np.int32)
    group[np.fromiter(reasons, dtype=np.intp, count=len(reasons))] = k  # excluded rows: group k
    excluded: list[list] = [[] for _ in rule.strata]
    for i, why in reasons.items():
        excluded[strata[i]].append((digests[32 * i : 32 * i + 32].hex(), why))
    excluded = [sorted(pairs) for pairs in excluded]
    heads = []
    for s, stratum in enumerate(rule.strata):
        members = np.flatnonzero(group == s)
        m = stratum_count(stratum, len(members)) + rule.reserve_count
        head = None if ranks is None else _head(seed_hash, digests, ranks, members, m)
        heads.append(StratumHead(stratum.name, len(members), excluded[s], head))
    rows = np.frombuffer(digests, dtype="V32")
    in_order = digest_order(digests)  # all rows once; then each stratum keeps its part, in order
    group_in_order = group[in_order]
    sorted_refs = [rows[in_order[group_in_order == s]].tobytes() for s in range(k)]
    if rule.sealed:  # one public list: no stratum label, size or count (§10)
        merged = sorted(pair for pairs in excluded for pair in pairs)
        texts = [(SEALED, merged, digest_text(rows[in_order[group_in_order < k]].tobytes()))]
    else:
        texts = [(s.name, excluded[n], digest_text(sorted_refs[n])) for n, s in enumerate(rule.strata)]
    return heads, sorted_refs, view_digest(rule.privacy, texts)
