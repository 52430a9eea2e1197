"""What the last build's privacy scan found clean, kept in the build cache (issue 18, warm build).

The final privacy scan (``privacy.Scanner``) reads every text the site publishes: ~51,000 record
pages, the open data and draw bundles, and Pagefind's page texts, ~90 CPU-s at county size, a third
of a warm build. A merge changes a few of those texts. So ``build --cache DIR`` keeps, in the part
``DIR/scan``, one memo: the digests of every text (its name and bytes, BLAKE2b) that the scan found
clean in the last build that published, and the digests of the needles (internal values) it
looked for. A text whose digest is in the memo is looked at again only for the needles that are new
since (an inspector's phone added by the merge); every other text is scanned whole, as before.

What a memo entry says is "this exact text held nothing the scan looks for", so a memo that lied
would publish private data. Three things hold it to the scan that made it:

* **The scan's context** (``context``): the code of the scan (``CODE``, every byte), the Python and
  Unicode versions (normalisation), the internal labels and the published values that carry one
  (``Scanner._in_record_text``). A memo made under any other context is not read at all. The
  needles are not in the context: a needle removed cannot make a clean text unclean, and a needle
  added is looked for in every text, remembered or not.
* **A key** (``KEY_ENV``): the memo is signed with HMAC-SHA256 under a key the publishing job holds
  as a secret, and read only when the signature holds under the same key. A cache is written by
  whatever can write the CI cache (actions/cache: any workflow run on the default branch); without
  the key such a writer can make a memo that is ignored, not one that is believed. Without a key
  there is no memo: every text is scanned (docs/security.md, "The scan memo").
* **Only a clean build writes it**, and only with the texts this build published: a text that had
  a finding is never in it, and the memo does not grow from build to build.

Any failure to read or write the memo costs the scan, never the build.
"""

from __future__ import annotations

import hashlib
import os
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.site import build_cache, cache_signing
from generator.site.cache_signing import KEY_ENV, signing_key  # noqa: F401 - the bench and tests name them here

PART = "scan"
FILE = "memo.bin"
FORMAT = b"ssj-scan-memo/1\n"
PURPOSE = b"scan-memo"  # what the memo is signed as (cache_signing)
DIGEST = 16  # bytes of BLAKE2b per text or needle
MAX_ENTRIES = 8_000_000  # ~128 MB: far above a county's ~110,000 texts; a bigger file is not read
# what decides what the scan finds in a text, besides its needles and labels
LAST_RUN: dict = {}  # what the last load read (bench_site prints it)
CODE = (
    "generator/site/privacy.py",
    "generator/private_data.py",
    "generator/private_pieces.py",
    "generator/site/scan_memo.py",
    "generator/site/output_texts.py",
    "generator/site/cache_signing.py",
)
# the modules CODE's modules import that decide no verdict, or whose part in it the context hashes
# as values; any other import must join CODE (tests/site/test_scan_memo.py; red team 8)
BESIDE_CODE = {
    "generator.records": "the internal labels: hashed as values (``context``)",
    "generator.schema.fields": "the internal labels: hashed as values",
    "generator.site.build_cache": "where the memo is kept",
    "generator.parallel": "how the texts are shared among processes",
    "generator.errors": "a finding's wording",
}


@dataclass(frozen=True)
class Memo:
    """The last clean build's texts (digests) and the needles they were scanned for (digests)."""

    clean: frozenset[bytes]
    needles: frozenset[bytes]


def digest(rel: str, text: str | bytes) -> bytes:
    """The digest a text is remembered by: its name (which decides how it is read) and its bytes."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    name = rel.encode("utf-8", "surrogatepass")
    h = hashlib.blake2b(len(name).to_bytes(8, "big") + name, digest_size=DIGEST)
    h.update(data)
    return h.digest()


def needle_digest(value: str) -> bytes:
    return hashlib.blake2b(
        value.encode("utf-8", "surrogatepass"), digest_size=DIGEST, person=b"needle"
    ).digest()


@cache
def code_fingerprint() -> bytes:
    base = Path(__file__).resolve().parents[2]
    h = hashlib.sha256()
    for name in CODE:
        data = (base / name).read_bytes()
        h.update(len(name).to_bytes(8, "big") + name.encode() + len(data).to_bytes(8, "big") + data)
    return h.digest()


def context(labels: Iterable[str], carriers: dict[str, list[tuple[str, int]]]) -> bytes:
    """SHA-256 of everything but the needles that decides what the scan finds in a text."""
    h = hashlib.sha256(FORMAT + code_fingerprint())
    for part in (sys.version, unicodedata.unidata_version, *sorted(labels)):
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "big") + data)
    for label in sorted(carriers):
        for shown, n in sorted(carriers[label]):
            data = f"{label}\0{shown}\0{n}".encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "big") + data)
    return h.digest()


def folder() -> Path | None:
    """The memo's part of this build's cache; None without a cache or without a key."""
    if signing_key() is None:
        return None
    return build_cache.part(build_cache.root(), PART)


def load(part: Path | None, ctx: bytes) -> Memo | None:
    """The memo in ``part`` if it was signed under this build's key and made under ``ctx``."""
    if part is None or signing_key() is None:
        return None
    try:
        data = build_cache.read_plain(part / FILE, limit=len(FORMAT) + 64 + 2 * DIGEST * MAX_ENTRIES + 16)
    except OSError:
        return None
    body = cache_signing.opened(PURPOSE, data)
    if body is None or len(body) < len(FORMAT) + 48:
        return None
    if not body.startswith(FORMAT) or body[len(FORMAT) : len(FORMAT) + 32] != ctx:
        return None
    at = len(FORMAT) + 32
    n_needles, n_clean = (int.from_bytes(body[at + i : at + i + 8], "big") for i in (0, 8))
    at += 16
    if at + DIGEST * (n_needles + n_clean) != len(body):
        return None
    cut = at + DIGEST * n_needles
    LAST_RUN["remembered"] = n_clean
    return Memo(clean=frozenset(_chunks(body[cut:])), needles=frozenset(_chunks(body[at:cut])))


def _chunks(data: bytes) -> Iterable[bytes]:
    return (data[i : i + DIGEST] for i in range(0, len(data), DIGEST))


def save(part: Path | None, ctx: bytes, clean: Iterable[bytes], needles: Iterable[bytes]) -> None:
    """Replace the memo with this clean build's texts and needles (written whole, then renamed)."""
    if part is None or signing_key() is None:
        return
    clean, needles = sorted(set(clean)), sorted(set(needles))
    if len(clean) + len(needles) > MAX_ENTRIES:
        return
    body = b"".join(
        [FORMAT, ctx, len(needles).to_bytes(8, "big"), len(clean).to_bytes(8, "big"), *needles, *clean]
    )
    signed = cache_signing.sign(PURPOSE, body)
    if signed is None:
        return
    temp = part / f".{FILE}.{os.getpid()}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(signed)
        os.replace(temp, part / FILE)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
