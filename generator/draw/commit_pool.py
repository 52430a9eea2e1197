"""The public side of a commit-mode object pool: refs, exclusions, view digest, ticket heads.

In ``commit`` mode (protocol §4.2, §7) an object's ref is ``c = SHA-256(utf8(salt ‖ id))`` and the
public view lists, per stratum of the request, the eligible refs sorted and the excluded refs
with their reason. Given every row's ref and ticket rank (``row_hashing``, for 10^6 rows in a
helper process) and the validated columns (``object_rows.read_columns``), ``commit_side``
computes with numpy rather than a Python statement per row:

* the exclusions (``objects.exclusion_reasons``) and each row's stratum;
* per stratum, the eligible refs sorted — the byte order of the digests is the order of their
  lower-case hex, which the protocol sorts by — and the public view digest, streamed as exactly
  the bytes ``canonical_bytes(view)`` gives;
* when the draw's seed hash is known, the head of each stratum's ticket order (drawn, then
  reserve): full tickets only for the rows whose first four ticket digits can reach the head
  (``objects.smallest_tickets`` shows this equals sorting every ticket), each with its row
  position so the drawn rows are opened without an index of 10^6 refs.

The full view, 10^6 hex refs, is made only when asked for (``StratumSide.refs``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from .canonical import view_digest
from .model import ObjectRule
from .objects import stratum_count
from .tickets import ticket

HASH = type(hashlib.sha256())
TEXT_CHUNK = 65_536  # refs written as JSON text at once (~4 MB)


@dataclass
class StratumSide:
    """One stratum of the public view, with the head of its ticket order when the seed is known."""

    name: str
    eligible: int
    sorted_refs: bytes  # the eligible refs, sorted, 32 bytes each
    excluded: list[tuple[str, str]]  # (ref, reason), sorted
    head: list[tuple[str, str, int]] | None  # (ticket, ref, row position): the first count + reserve

    def refs(self) -> list[str]:
        """The eligible refs as lower-case hex strings, sorted."""
        return self.sorted_refs.hex(",", 32).split(",") if self.sorted_refs else []


@dataclass
class CommitSide:
    strata: list[StratumSide]
    public_digest: str
    seed_hash: str | None  # the seed hash the heads were computed for


def _sorted_rows(words: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``rows`` ordered by their 32-byte digests (first 8 bytes, all 32 where those tie)."""
    order = rows[np.argsort(words[rows, 0], kind="stable")]
    first = words[order, 0]
    if len(order) > 1 and bool((first[1:] == first[:-1]).any()):
        part = words[rows]
        order = rows[np.lexsort((part[:, 3], part[:, 2], part[:, 1], part[:, 0]))]
    return order


def _ref_text(sorted_refs: bytes):
    """JSON text of the refs of a blob of digests ('"hex","hex",…'), in chunks."""
    for start in range(0, len(sorted_refs), 32 * TEXT_CHUNK):
        hexed = sorted_refs[start : start + 32 * TEXT_CHUNK].hex().encode("ascii")
        rows = len(hexed) // 64
        text = np.empty((rows, 67), dtype=np.uint8)
        text[:, 0] = text[:, 65] = ord('"')
        text[:, 66] = ord(",")
        text[:, 1:65] = np.frombuffer(hexed, dtype=np.uint8).reshape(rows, 64)
        yield text.tobytes()[:-1]


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
    rule: ObjectRule,
    digests: bytes,
    ranks: bytes | None,
    strata: np.ndarray,
    reasons: dict[int, str],
    seed_hash: str | None,
) -> CommitSide:
    """Sorted refs, exclusions, public view digest and (with ``seed_hash``) ticket heads.

    ``digests``, ``ranks``: ``row_hashing.hash_rows`` of the rows for ``seed_hash``; ``strata``:
    each row's stratum as its index in the request; ``reasons``: row -> exclusion reason code
    (``objects.exclusion_reasons``) — all in the same row order.
    """
    n = len(digests) // 32
    group = np.array(strata, dtype=np.int32)
    group[np.fromiter(reasons, dtype=np.intp, count=len(reasons))] = len(rule.strata)  # dropped
    excluded: list[list] = [[] for _ in rule.strata]
    for i, why in reasons.items():
        excluded[strata[i]].append((digests[32 * i : 32 * i + 32].hex(), why))
    words = np.frombuffer(digests, dtype=">u8").reshape(n, 4)
    octets = np.frombuffer(digests, dtype=np.uint8).reshape(n, 32)
    ranks = None if seed_hash is None else np.frombuffer(ranks, dtype=np.uint16)
    strata, texts = [], []
    for k, stratum in enumerate(rule.strata):
        members = np.flatnonzero(group == k)
        sorted_refs = octets[_sorted_rows(words, members)].tobytes()
        head = None
        if ranks is not None:
            m = stratum_count(stratum, len(members)) + rule.reserve_count
            head = _head(seed_hash, digests, ranks, members, m)
        excluded[k].sort()
        strata.append(StratumSide(stratum.name, len(members), sorted_refs, excluded[k], head))
        texts.append((stratum.name, excluded[k], _ref_text(sorted_refs)))
    return CommitSide(strata, view_digest(rule.privacy, texts), seed_hash)
