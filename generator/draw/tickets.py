"""Ticket numbers: Rivest's consistent sampler, re-implemented with hashlib.

Each id gets a pseudo-random "ticket number" in (0, 1) that depends only on the seed and the id;
a sample is the ids in increasing ticket order (Rivest, ``consistent_sampler``, PyPI 1.0.10):

* ``seed_hash = sha256_hex(str(seed))`` (SHA-256 of the UTF-8 seed, lower-case hex);
* ``ticket(id) = sha256_uniform(seed_hash + str(id))`` where ``sha256_uniform(x)`` is ``"0."``
  followed by the **reversed** decimal expansion of ``int(SHA-256(utf8(x)))`` zero-padded to at
  least 64 digits. The digits are reversed because the high-order decimal digits of a 256-bit
  number are biased, the low-order ones are not.
* Tickets are compared **as strings** (that is what the package's heap does); ties, which need a
  SHA-256 collision, are broken by the id string.

Because a ticket depends on nothing but (seed, id), the order is independent of how the pool is
listed, and "the sample of a subset is the sample of the superset, filtered" (Rivest): adding or
removing other ids never changes the relative order of the rest.

>>> sha256_hex("abc")
'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
>>> ticket(sha256_hex("01382438112797316654"), "AB-130")
'0.26299714122838008416507544297546663599715395525154425586041245287750224561854'
>>> order_by_ticket(["a", "b", "c", "d"], "31")
['b', 'a', 'd', 'c']
>>> order_by_ticket(["a", "b", "c", "d"], "77")
['b', 'd', 'c', 'a']
"""

from __future__ import annotations

import hashlib


def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 encoding of ``text``, lower-case hex (consistent_sampler.sha256_hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_uniform(text: str) -> str:
    """``"0."`` + reversed, ≥64-digit zero-padded decimal of int(SHA-256(utf8(text)))."""
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")
    return "0." + f"{number:064d}"[::-1]


def ticket(seed_hash: str, ref: str) -> str:
    """The first-generation ticket of ``ref`` for a seed whose hash is ``seed_hash``."""
    return sha256_uniform(seed_hash + ref)


def tickets_for(refs, seed: str) -> list[tuple[str, str]]:
    """``(ticket, ref)`` pairs in ticket order (ties by ref) for the seed string ``seed``."""
    seed_hash = sha256_hex(seed)
    return sorted((ticket(seed_hash, ref), ref) for ref in refs)


def order_by_ticket(refs, seed: str) -> list[str]:
    """The refs in consistent-sampler order for ``seed`` (no replacement)."""
    return [ref for _, ref in tickets_for(refs, seed)]
