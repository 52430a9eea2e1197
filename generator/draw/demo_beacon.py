"""A demonstration drand chain (protocol §3.1): quicknet's scheme, a key pair anyone can re-derive.

Offline samples, training and tests need beacons for rounds nobody has fetched. Beacons are signed
here exactly as quicknet's are and checked by the same ``beacon.verify_quicknet``. The secret is
derived from the chain's label, so it is public by design: a demo beacon proves nothing, which is
why every verifier labels a demo chain and the default policy refuses it for real draws.
"""

from __future__ import annotations

import hashlib

from .beacon import public_key_of, sign

CURVE_ORDER = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
GENESIS_TIME = 1577836800  # 2020-01-01T00:00:00Z: before every year a sample can hold (sample --years)
PERIOD = 3


def demo_secret(label: str) -> int:
    """The chain's secret scalar: SHA-256("sdr-demo-chain/1" 0x00 label) mod r (never 0)."""
    digest = hashlib.sha256(b"sdr-demo-chain/1\x00" + label.encode("utf-8")).digest()
    return int.from_bytes(digest, "big") % (CURVE_ORDER - 1) + 1


def demo_chain(label: str) -> dict:
    """The v2 request fields of the demo chain ``label`` (protocol §3.1)."""
    public_key = public_key_of(demo_secret(label))  # the library beacon.verify_quicknet uses
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
