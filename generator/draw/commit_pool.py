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

import binascii
from dataclasses import dataclass

import numpy as np

from .canonical import view_digest
from .model import ObjectRule
from .objects import stratum_count
from .tickets import ticket

TEXT_CHUNK = 65_536  # refs written as JSON text at once (~4 MB)


@dataclass
class StratumHead:
    """What a draw needs of one stratum: its size, exclusions and the head of its ticket order."""

    name: str
    eligible: int
    excluded: list[tuple[str, str]]  # (ref, reason), sorted
    head: list[tuple[str, str, int]] | None  # (ticket, ref, row): the first count + reserve, or None


@dataclass
class PublicView:
    """Per stratum, the eligible refs sorted (32 bytes each; None if not kept); the view's digest."""

    sorted_refs: list[bytes] | None
    public_digest: str


def _digest_order(digests: bytes) -> np.ndarray:
    """Row numbers in the order of their 32-byte digests (first 8 bytes; all 32 where those tie)."""
    words = np.frombuffer(digests, dtype=">u8").reshape(-1, 4)
    order = np.argsort(words[:, 0], kind="stable")
    first = words[order, 0]
    if len(order) > 1 and bool((first[1:] == first[:-1]).any()):
        order = np.lexsort((words[:, 3], words[:, 2], words[:, 1], words[:, 0]))
    return order


def _ref_text(sorted_refs: bytes):
    """JSON text of the refs of a blob of digests ('"hex","hex",…'), in chunks (buffers)."""
    for start in range(0, len(sorted_refs), 32 * TEXT_CHUNK):
        hexed = binascii.hexlify(memoryview(sorted_refs)[start : start + 32 * TEXT_CHUNK])
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


def _groups(rule: ObjectRule, strata, reasons: dict[int, str]) -> np.ndarray:
    """Each row's stratum index, or ``len(rule.strata)`` for an excluded row."""
    group = np.array(strata, dtype=np.int32)
    group[np.fromiter(reasons, dtype=np.intp, count=len(reasons))] = len(rule.strata)
    return group


def _excluded(rule: ObjectRule, digests: bytes, strata, reasons: dict[int, str]) -> list[list]:
    """Per stratum, the sorted (ref, reason) pairs of its excluded rows."""
    excluded: list[list] = [[] for _ in rule.strata]
    for i, why in reasons.items():
        excluded[strata[i]].append((digests[32 * i : 32 * i + 32].hex(), why))
    for pairs in excluded:
        pairs.sort()
    return excluded


def stratum_heads(
    rule: ObjectRule,
    digests: bytes,
    ranks: bytes | None,
    strata,
    reasons: dict[int, str],
    seed_hash: str | None,
) -> list[StratumHead]:
    """Per stratum: eligible size, exclusions and (with ``seed_hash``) the head of the ticket order.

    ``digests``, ``ranks``: ``row_hashing.hash_rows`` of the rows for ``seed_hash``; ``strata``:
    each row's stratum as its index in the request; ``reasons``: row -> exclusion reason code
    (``objects.exclusion_reasons``) — all in the same row order.
    """
    group = _groups(rule, strata, reasons)
    excluded = _excluded(rule, digests, strata, reasons)
    rank = None if seed_hash is None else np.frombuffer(ranks, dtype=np.uint16)
    out = []
    for k, stratum in enumerate(rule.strata):
        members = np.flatnonzero(group == k)
        head = None
        if rank is not None:
            head = _head(
                seed_hash, digests, rank, members, stratum_count(stratum, len(members)) + rule.reserve_count
            )
        out.append(StratumHead(stratum.name, len(members), excluded[k], head))
    return out


def public_view(
    rule: ObjectRule, digests: bytes, strata, reasons: dict[int, str], keep_refs: bool = True
) -> PublicView:
    """The sorted eligible refs of each stratum (if ``keep_refs``) and the digest of the public
    view (same inputs as ``stratum_heads``)."""
    group = _groups(rule, strata, reasons)
    excluded = _excluded(rule, digests, strata, reasons)
    rows = np.frombuffer(digests, dtype="V32")
    in_order = _digest_order(digests)  # all rows once; then each stratum keeps its part, in order
    group_in_order = group[in_order]
    sorted_refs = [rows[in_order[group_in_order == k]].tobytes() for k in range(len(rule.strata))]
    texts = [(s.name, excluded[k], _ref_text(sorted_refs[k])) for k, s in enumerate(rule.strata)]
    return PublicView(sorted_refs if keep_refs else None, view_digest(rule.privacy, texts))
