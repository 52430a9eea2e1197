"""A demonstration drand chain (protocol §3.1): quicknet's scheme, a key pair anyone can re-derive.

Offline samples, training and tests need beacons for rounds nobody has fetched. Beacons are signed
here exactly as quicknet's are and checked by the engine's ``draw.beacon.verify_quicknet``. The
secret is derived from the chain's label, so it is public by design: a demo beacon proves nothing,
which is why every verifier labels a demo chain and the default policy refuses it for real draws.
Signing lives here, outside ``generator/draw/``, so the engine has no code that makes a beacon.

>>> from generator.draw.beacon import randomness_of, verify_quicknet
>>> secret = 20260101
>>> verify_quicknet(7, sign(7, secret), public_key_of(secret)) == randomness_of(sign(7, secret))
True
"""

from __future__ import annotations

import hashlib

from generator.draw.beacon import DST_G1, _bls, round_message
from generator.draw.errors import DrawError

CURVE_ORDER = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
GENESIS_TIME = 1577836800  # 2020-01-01T00:00:00Z: before every year a sample can hold (sample --years)
PERIOD = 3


def public_key_of(secret: int) -> str:
    """The 96-byte compressed G2 public key (hex) of a test secret key, for demo beacon chains."""
    bls = _bls()
    return (bls.G2Point() * _scalar(bls, secret)).to_compressed_bytes().hex()


def sign(round_number: int, secret: int) -> str:
    """Sign ``round_number`` the quicknet way (``secret · H(SHA-256(u64be(r)))``) with a test key.

    For demo chains and tests only: a real draw's entropy comes from drand, whose key nobody holds.
    """
    bls = _bls()
    hashed = bls.G1Point.hash_to_curve(round_message(round_number), DST_G1)
    return (hashed * _scalar(bls, secret)).to_compressed_bytes().hex()


def _scalar(bls, secret: int):
    if isinstance(secret, bool) or not isinstance(secret, int) or secret < 1:
        raise DrawError("DRAW_BEACON_BAD_KEY", detail="必须是正整数")
    return bls.Scalar.from_be_bytes_mod_order(secret.to_bytes((secret.bit_length() + 7) // 8, "big"))


def demo_secret(label: str) -> int:
    """The chain's secret scalar: SHA-256("sdr-demo-chain/1" 0x00 label) mod r (never 0)."""
    digest = hashlib.sha256(b"sdr-demo-chain/1\x00" + label.encode("utf-8")).digest()
    return int.from_bytes(digest, "big") % (CURVE_ORDER - 1) + 1


def demo_chain(label: str) -> dict:
    """The v2 request fields of the demo chain ``label`` (protocol §3.1)."""
    public_key = public_key_of(demo_secret(label))
    return {
        "name": label,
        "public_key": public_key,
        "genesis_time": GENESIS_TIME,
        "period": PERIOD,
        "demo": True,
    }


def demo_beacon(label: str, round_number: int) -> dict:
    """``entropy.drand`` of round ``round_number`` on the demo chain ``label``."""
    signature = sign(round_number, demo_secret(label))
    return {
        "round": round_number,
        "signature": signature,
        "randomness": hashlib.sha256(bytes.fromhex(signature)).hexdigest(),
    }
