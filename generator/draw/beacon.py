"""drand quicknet beacon: round/time arithmetic and offline BLS verification.

quicknet (League of Entropy) publishes one BLS signature every 3 s since 2023-08-23T15:09:27Z.
Scheme ``bls-unchained-g1-rfc9380``: the signature of round r is ``s·H(m)`` with
``m = SHA-256(u64be(r))`` hashed to G1 with the RFC 9380 suite DST
``BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_``; the group key is a 96-byte G2 point.
There is exactly one valid signature per round, so ``randomness = SHA-256(signature)`` cannot be
biased by the network once the round is fixed. Verification is ``e(sig, g2) == e(H(m), pk)``.

Time: ``time_of_round(r) = genesis + (r-1)·period``; ``round_at(t) = floor((t-genesis)/period) + 1``.

>>> time_of_round(1000)
1692806364
>>> round_at(1692806364)
1000
>>> randomness_of("b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39")
'fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd'

The signature check needs a pairing, so it uses ``py_arkworks_bls12381`` (Rust arkworks, wheels for
CPython 3.11-3.13; imported lazily, only here). Every malformed input becomes a ``DrawError`` with a
code, never a crash inside the Rust library. The engine only verifies: signing, for demo chains
and tests, lives outside it (``generator/demo_chain.py``).
"""

from __future__ import annotations

import functools
import hashlib

from .errors import DrawError

QUICKNET = {  # chain info as drand serves it; chain_hash pins the rest (tests/draw/test_beacon_seed.py)
    "chain_hash": "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
    "public_key": (
        "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510"
        "d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
    ),
    "period": 3,
    "genesis_time": 1692803367,
    "group_hash": "f477d5c89f21a17c863a7f937c6a6d15859414d2be09cd448d4279af331c5d3e",
    "scheme": "bls-unchained-g1-rfc9380",
    "beacon_id": "quicknet",
}
CHAINS = {"quicknet": QUICKNET}  # production chains by name; any other name is a demo chain (§3.1)
DST_G1 = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"
SIGNATURE_BYTES = 48


def time_of_round(round_number: int, info: dict = QUICKNET) -> int:
    """Unix time (s) at which ``round_number`` is produced; round 1 is at genesis."""
    _check_round(round_number)
    return info["genesis_time"] + (round_number - 1) * info["period"]


def round_at(unix_time: int, info: dict = QUICKNET) -> int:
    """The latest round produced at or before ``unix_time`` (0 before genesis)."""
    if unix_time < info["genesis_time"]:
        return 0
    return (unix_time - info["genesis_time"]) // info["period"] + 1


def check_round_is_future(requested_round: int, recorded_round: int, margin: int = 0) -> None:
    """Refuse a beacon round that is not later than ``recorded_round + margin``.

    ``recorded_round`` is the round CI recorded when it accepted the request (its notion of
    "now"); the request must name a round nobody could have seen then.

    >>> check_round_is_future(1200, 1000, margin=100)
    >>> check_round_is_future(1000, 1000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    generator.draw.errors.DrawError: DRAW_BEACON_ROUND_NOT_FUTURE: ...
    """
    _check_round(requested_round)
    if requested_round <= recorded_round + margin:
        raise DrawError(
            "DRAW_BEACON_ROUND_NOT_FUTURE",
            requested_round=requested_round,
            recorded_round=recorded_round,
            margin=margin,
        )


def parse_signature(signature_hex: str) -> bytes:
    """Decode a 48-byte compressed G1 signature, rejecting bad hex, bad length and infinity."""
    if (
        not isinstance(signature_hex, str)
        or signature_hex.strip("0123456789abcdef")
        or len(signature_hex) % 2
    ):
        raise DrawError("DRAW_BEACON_BAD_HEX")  # (checked here: fromhex allows spaces)
    raw = bytes.fromhex(signature_hex)
    if len(raw) != SIGNATURE_BYTES:
        raise DrawError("DRAW_BEACON_BAD_LENGTH", length=len(raw))
    # Compressed infinity: flag bits 0b11 then all zero. The library accepts it, the check must not.
    if raw[0] & 0x40:
        raise DrawError("DRAW_BEACON_INFINITY")
    if not raw[0] & 0x80:
        raise DrawError("DRAW_BEACON_NOT_COMPRESSED")
    return raw


def randomness_of(signature_hex: str) -> str:
    """``SHA-256(signature bytes)`` in hex: the beacon's randomness for that round."""
    return hashlib.sha256(parse_signature(signature_hex)).hexdigest()


def round_message(round_number: int) -> bytes:
    """The signed message of an unchained round: SHA-256(u64be(round))."""
    _check_round(round_number)
    return hashlib.sha256(round_number.to_bytes(8, "big")).digest()


def verify_quicknet(
    round_number: int, signature_hex: str, public_key_hex: str = QUICKNET["public_key"]
) -> str:
    """Verify a quicknet beacon offline; return its randomness (hex) or raise ``DrawError``."""
    raw = parse_signature(signature_hex)
    message = round_message(round_number)
    # draws made together share a round: a signature is checked once per process (failures raise)
    check = _verify if type(public_key_hex) is str else _verify.__wrapped__  # (a list: no cache key)
    check(round_number, raw, message, public_key_hex)
    return hashlib.sha256(raw).hexdigest()


@functools.lru_cache(maxsize=256, typed=True)
def _verify(round_number: int, raw: bytes, message: bytes, public_key_hex) -> None:
    bls = _bls()
    try:
        signature = bls.G1Point.from_compressed_bytes(raw)  # checks curve and subgroup
        public_key = bls.G2Point.from_compressed_bytes(bytes.fromhex(public_key_hex))
        # arkworks reads any infinity flag as the identity; an identity key would verify nothing.
        if public_key == bls.G2Point.identity() or signature == bls.G1Point.identity():
            raise ValueError("point at infinity")
    except (ValueError, TypeError):  # arkworks: "serialised data seems to be invalid" and kin
        raise DrawError("DRAW_BEACON_BAD_POINT", round=round_number) from None
    hashed = bls.G1Point.hash_to_curve(message, DST_G1)
    # e(sig, g2) == e(H(m), pk)  <=>  e(sig, g2) · e(-H(m), pk) == 1 (one final exponentiation).
    if not bls.GT.pairing_check([signature, -hashed], [bls.G2Point(), public_key]):
        raise DrawError("DRAW_BEACON_BAD_SIGNATURE", round=round_number)


def _bls():
    try:
        import py_arkworks_bls12381  # Rust pairing; only the functions above need it
    except ImportError:  # pragma: no cover - depends on the environment
        raise DrawError("DRAW_BEACON_NO_BLS") from None
    return py_arkworks_bls12381


def _check_round(round_number) -> None:
    if isinstance(round_number, bool) or not isinstance(round_number, int) or not 1 <= round_number < 2**64:
        raise DrawError("DRAW_BEACON_BAD_ROUND")
