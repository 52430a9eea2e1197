"""Pure, verifiable draw engine for 双随机、一公开 (algorithm "sdr-draw/1").

No files, clocks, network or OS randomness: every function takes values and returns values.
The specification is docs/draw-protocol.md; ``site_templates/verify/verify_draw.py`` is an independent
stdlib-only verifier of the public bundle.
"""

from .beacon import QUICKNET, check_round_is_future, randomness_of, round_at, time_of_round, verify_quicknet
from .bundle import (
    audit_bundle,
    blocked_commitment,
    build_public_bundle,
    open_recusals,
    verify_bundle,
)
from .canonical import digest
from .engine import Mismatch, compute_pool_digests, draw, verify
from .errors import DrawError
from .model import parse_request
from .objects import stratum_count
from .seed import build_seed, check_policy, commitment_of, derive_salt, object_commitment
from .tickets import order_by_ticket, sha256_hex, sha256_uniform, ticket

__all__ = [
    "QUICKNET",
    "DrawError",
    "Mismatch",
    "audit_bundle",
    "blocked_commitment",
    "build_public_bundle",
    "build_seed",
    "check_policy",
    "check_round_is_future",
    "commitment_of",
    "compute_pool_digests",
    "derive_salt",
    "digest",
    "draw",
    "object_commitment",
    "open_recusals",
    "order_by_ticket",
    "parse_request",
    "randomness_of",
    "round_at",
    "sha256_hex",
    "sha256_uniform",
    "stratum_count",
    "ticket",
    "time_of_round",
    "verify",
    "verify_bundle",
    "verify_quicknet",
]
