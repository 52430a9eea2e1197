"""Signing what the build cache keeps, so that a warm build believes only its own past builds.

``build --cache DIR`` keeps parts of earlier builds (draw bundles, Pagefind shards, the scan memo,
record parses, record pages). Whoever can write the CI cache (actions/cache: any workflow run on the
default branch) can write ``DIR``. A part that is *checked* against its inputs on every use (a draw
bundle held against its folder, a Pagefind shard against its pages) needs no signature; a part whose
check would cost what it saves (a page's HTML, a file's parse, "this text was found clean") is
believed only when it carries a MAC made under a key the publishing job holds as a secret
(``KEY_ENV``, docs/deploy.md): a writer without the key can make an entry that is ignored, never one
that is believed. Without a key, those parts are neither read nor written.

Each part signs under its own purpose (``purpose`` is hashed in front of the body), so an entry of
one part cannot be replayed as another's.
"""

from __future__ import annotations

import hashlib
import hmac
import os

KEY_ENV = "SSJ_CACHE_KEY"  # the signing key (a CI secret); no key, no signed part
MIN_KEY = 16  # characters: a shorter key is refused as no key
MAC = 32  # bytes of HMAC-SHA256 after the body


def signing_key() -> bytes | None:
    key = os.environ.get(KEY_ENV, "")
    return key.encode("utf-8", "surrogatepass") if len(key) >= MIN_KEY else None


def _mac(key: bytes, purpose: bytes, body: bytes) -> bytes:
    h = hmac.new(key, len(purpose).to_bytes(8, "big") + purpose, hashlib.sha256)
    h.update(body)
    return h.digest()


def sign(purpose: bytes, body: bytes) -> bytes | None:
    """``body`` followed by its MAC under this build's key, or None without a key."""
    key = signing_key()
    return None if key is None else body + _mac(key, purpose, body)


def opened(purpose: bytes, data: bytes) -> bytes | None:
    """The body of ``data`` (what ``sign`` made) if its MAC holds under this build's key and
    ``purpose``; None otherwise (no key, too short, another key, another purpose, any change)."""
    key = signing_key()
    if key is None or len(data) < MAC:
        return None
    body, mac = data[:-MAC], data[-MAC:]
    return body if hmac.compare_digest(_mac(key, purpose, body), mac) else None
