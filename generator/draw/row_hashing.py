"""Per-row SHA-256 of a commit-mode pool — refs and ticket ranks — from byte blobs.

A pool of 10^6 objects needs two SHA-256 per row: its ref ``c = SHA-256(salt ‖ id)`` and its
ticket number ``t = int(SHA-256(utf8(seed_hash ‖ hex c)))``. In CPython each costs about a
microsecond whatever the loop, two seconds in all, so on a 2-core machine they run in a helper
interpreter (``pool_helper``) while this process validates and serialises the rows.

The rows travel as three blobs, not 10^6 objects: the salts (64 hex digits each, checked
beforehand), the UTF-8 ids joined, and their end offsets (None when all ids have one length, as
统一社会信用代码 do). Of each ticket only ``t mod 10^4`` is kept, as the rank of the ticket's first
four digits among all 10^4 (``objects.smallest_tickets`` explains why that is enough to find the
head of the ticket order), computed from the digest's four 64-bit words with numpy.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import deque
from itertools import accumulate, repeat

import numpy as np

from .objects import PREFIX_ORDER

HASH = type(hashlib.sha256())
HEX_DIGITS = b"0123456789abcdef"
# each value of n mod 10^4 -> the rank of the first four ticket digits it gives
RESIDUE_RANK = np.empty(10_000, dtype=np.uint16)
RESIDUE_RANK[PREFIX_ORDER] = np.arange(10_000, dtype=np.uint16)
WORD_WEIGHTS = [pow(2, 64 * (3 - k), 10_000) for k in range(4)]  # 2^(64·(3−k)) mod 10^4
TICKET_CHUNK = 16_384  # hash objects alive at once


def salt_blob(salts: list) -> bytes | None:
    """The salts joined as ASCII bytes, or None when that cannot be 64 bytes a row.

    A cheap first check, so that the helper gets its rows early; ``salts_valid`` completes it.
    """
    try:
        blob = "".join(salts).encode("ascii")
    except (TypeError, UnicodeEncodeError):
        return None
    return blob if len(blob) == 64 * len(salts) else None


def salts_valid(salts: list, blob: bytes | None) -> bool:
    """Whether every salt is 64 lower-case hex digits (``blob``: ``salt_blob(salts)``).

    (No character outside ASCII has an NFC form containing a hex digit, so checking the salts as
    given is checking them in NFC.)
    """
    return blob is not None and set(map(len, salts)) <= {64} and not blob.translate(None, HEX_DIGITS)


def id_blob(ids: list[str]) -> tuple[bytes, bytes | None]:
    """The UTF-8 ids joined and their end offsets (uint64; None when all have one length)."""
    blob = "".join(ids).encode("utf-8")
    widths = set(map(len, ids))
    if len(widths) <= 1 and len(blob) == len(ids) * min(widths, default=0):
        return blob, None  # one width and all ASCII
    lengths = map(len, ids) if blob.isascii() else map(len, map(str.encode, ids))
    return blob, array("Q", accumulate(lengths)).tobytes()


def _messages(salts: bytes, ids: bytes, ends: bytes | None, n: int) -> list[bytes]:
    """``salt ‖ id`` of each row, as bytes."""
    if ends is None and b"\0" not in ids:  # one width: a numpy matrix, one bytes object per row
        width = 64 + len(ids) // max(n, 1)
        matrix = np.empty((n, width), dtype=np.uint8)
        matrix[:, :64] = np.frombuffer(salts, dtype=np.uint8).reshape(n, 64)
        matrix[:, 64:] = np.frombuffer(ids, dtype=np.uint8).reshape(n, width - 64)
        return matrix.view(f"S{width}").ravel().tolist()  # (an S value loses trailing NULs: none here)
    if ends is None:
        width = len(ids) // max(n, 1)
        stops = list(range(width, width * (n + 1), width))
    else:
        stops = np.frombuffer(ends, dtype=np.uint64).tolist()
    id_parts = map(ids.__getitem__, map(slice, [0, *stops[:-1]], stops))
    salt_parts = map(salts.__getitem__, map(slice, range(0, 64 * n, 64), range(64, 64 * (n + 1), 64)))
    return list(map(bytes.__add__, salt_parts, id_parts))


def ticket_ranks(seed_hash: str, digests: bytes) -> np.ndarray:
    """Per ref: ``RESIDUE_RANK`` of its ticket number mod 10^4 (uint16).

    The message ``seed_hash ‖ hex c`` starts with the same 64 bytes for every row: their SHA-256
    state is computed once and copied, and each copy is fed the row's 64 hex digits.
    """
    n = len(digests) // 32
    hexed = digests.hex().encode("ascii")
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


def hash_rows(
    salts: bytes, ids: bytes, ends: bytes | None, seed_hash: str | None
) -> tuple[bytes, bytes | None]:
    """(refs as 32-byte digests joined, ticket ranks as uint16 bytes or None) of the rows."""
    n = len(salts) // 64
    digests = b"".join(map(HASH.digest, map(hashlib.sha256, _messages(salts, ids, ends, n))))
    return digests, None if seed_hash is None else ticket_ranks(seed_hash, digests).tobytes()


def split_rows(salts: bytes, ids: bytes, ends: bytes | None, k: int) -> tuple[tuple, tuple]:
    """The blobs of rows ``[0, k)`` and of rows ``[k, n)``: ((salts, ids, ends), (salts, ids, ends))."""
    n = len(salts) // 64
    if ends is None:
        width = len(ids) // max(n, 1)
        return (salts[: 64 * k], ids[: width * k], None), (salts[64 * k :], ids[width * k :], None)
    stops = np.frombuffer(ends, dtype=np.uint64)
    cut = int(stops[k - 1]) if k else 0
    head, tail = stops[:k], stops[k:] - np.uint64(cut)
    return (salts[: 64 * k], ids[:cut], head.tobytes()), (salts[64 * k :], ids[cut:], tail.tobytes())
