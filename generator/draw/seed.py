"""The published seed string: pre-announced randomness sources combined RFC 3797-style.

The request names its sources, in order, before any of them exists. After the last one is known
the seed string is written as ASCII segments, each ending in ``/`` (the RFC 3797 "key string"
idea: one segment per source, in the announced order)::

    sdr-draw/1/request.<request digest hex>/<segment of source 1>/<segment of source 2>/...

* drand:          ``drand.quicknet.<round>.<randomness hex>/`` (randomness = SHA-256(signature))
* ceremony:       ``ceremony.<name>.<digits>/`` (digits as read out, order kept, ``[0-9]{1,200}``)
* commit–reveal:  ``reveal.<party>.<reveal>/`` where SHA-256(utf8(reveal)) = the commitment in the
  request; a missing reveal under the rule ``drop`` is written ``reveal.<party>.-/``, under
  ``fail`` the draw stops (DRAW_REVEAL_MISSING).

The request digest as first segment binds the seed to this request (and thus to its pool digests),
so one beacon round can never serve two requests with the same tickets.

>>> build_seed("0" * 64, [], {})
'sdr-draw/1/request.0000000000000000000000000000000000000000000000000000000000000000/'
"""

from __future__ import annotations

import hashlib
import hmac
import re

from .errors import DrawError
from .model import ALGORITHM, Source, _map

DIGITS_RE = re.compile(r"^[0-9]{1,200}$")
REVEAL_RE = re.compile(r"^[0-9A-Za-z_-]{16,256}$")


def commitment_of(reveal: str) -> str:
    """The commitment a party publishes in advance: SHA-256(utf8(reveal)) hex."""
    return hashlib.sha256(reveal.encode("utf-8")).hexdigest()


def build_seed(request_digest: str, sources: list[Source], entropy: dict, algorithm: str = ALGORITHM) -> str:
    """Combine the entropy values of ``sources`` into the seed string (see module docstring).

    ``entropy`` = ``{"drand": {"round", "signature", "randomness"}, "ceremony": {name: digits},
    "reveals": {party: reveal}}``. The drand signature itself is checked by the caller
    (``beacon.verify_quicknet``); here only randomness = SHA-256(signature) is enforced.
    """
    entropy = _map(entropy, "entropy")
    return f"{algorithm}/request.{request_digest}/" + "".join(_segment(source, entropy) for source in sources)


def _segment(source: Source, entropy: dict) -> str:
    if source.kind == "drand":
        beacon = entropy.get("drand")
        if not beacon:
            raise DrawError("DRAW_ENTROPY_MISSING", source="drand")
        beacon = _map(beacon, "entropy.drand")
        if beacon.get("round") != source.round:
            raise DrawError("DRAW_BEACON_WRONG_ROUND", expected=source.round, found=beacon.get("round"))
        from .beacon import randomness_of  # local: keeps this module free of the BLS dependency

        randomness = randomness_of(beacon.get("signature"))
        if beacon.get("randomness") != randomness:
            raise DrawError("DRAW_BEACON_RANDOMNESS_MISMATCH")
        return f"drand.{source.name}.{source.round}.{randomness}/"
    if source.kind == "ceremony":
        digits = _map(entropy.get("ceremony", {}), "entropy.ceremony").get(source.name)
        if not isinstance(digits, str) or not DIGITS_RE.match(digits):
            raise DrawError("DRAW_CEREMONY_INVALID", name=source.name, value=digits)
        return f"ceremony.{source.name}.{digits}/"
    reveal = _map(entropy.get("reveals", {}), "entropy.reveals").get(source.name)
    if reveal is None:
        if source.missing == "drop":
            return f"reveal.{source.name}.-/"
        raise DrawError("DRAW_REVEAL_MISSING", party=source.name)
    if (
        not isinstance(reveal, str)
        or not REVEAL_RE.match(reveal)
        or commitment_of(reveal) != source.commitment
    ):
        raise DrawError("DRAW_REVEAL_MISMATCH", party=source.name, commitment=source.commitment)
    return f"reveal.{source.name}.{reveal}/"


def entropy_value_problems(sources, entropy) -> list[tuple[str, object, str]]:
    """``(field, value, why)`` for each ceremony digits or reveal in ``entropy`` that ``_segment``
    would refuse for the request's ``sources`` (raw request dicts): checked when the values arrive
    (``entropy``, validate, CI's acceptance), so a draw never fails on them once round R is out."""
    out: list[tuple[str, object, str]] = []
    entropy = entropy if isinstance(entropy, dict) else {}
    for s in sources if isinstance(sources, list) else []:
        if not isinstance(s, dict) or not isinstance(s.get("name"), str):
            continue
        kind, name = s.get("kind"), s["name"]
        if kind == "ceremony":
            values = entropy.get("ceremony")
            if not isinstance(values, dict) or name not in values:
                continue
            value = values[name]
            text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
            if not isinstance(text, str) or not DIGITS_RE.match(text):
                out.append(
                    (f"ceremony.{name}", value, "应为 1–200 位半角数字 0–9，不含空格、全角或其他文字的数字")
                )
        elif kind == "commit_reveal":
            values = entropy.get("reveals")
            if not isinstance(values, dict) or name not in values:
                continue
            value = values[name]
            if not isinstance(value, str) or not REVEAL_RE.match(value):
                out.append((f"reveals.{name}", value, "揭示值应为 16–256 位 0-9、A-Z、a-z、_ 或 -"))
            elif commitment_of(value) != s.get("commitment"):
                out.append((f"reveals.{name}", value, "其 SHA-256 与申请中登记的承诺不符"))
    return out


def derive_salt(secret: bytes, draw_id: str, object_id: str) -> str:
    """A per-object salt the joint office can re-derive: HMAC-SHA256(secret, draw_id ‖ 0x00 ‖ id).

    The secret never leaves the office; salts of undrawn objects are never published.
    """
    message = f"sdr-salt/1\x00{draw_id}\x00{object_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def object_commitment(salt: str, object_id: str) -> str:
    """``c = SHA-256(utf8(salt_hex ‖ object_id))`` — the public stand-in for an object (64-hex salt).

    >>> object_commitment("00" * 32, "913213233BJ1XG612E")[:16]
    '2679818a7540a02a'
    """
    return hashlib.sha256((salt + object_id).encode("utf-8")).hexdigest()


def check_policy(policy: dict, request_sources: list[Source]) -> list[DrawError]:
    """Check the declared sources against county policy; return every shortfall (empty = OK), each a
    ``DrawError`` (code + message) returned, not raised.

    ``policy`` keys (all optional): ``require_drand`` (bool), ``require_ceremony`` (bool),
    ``min_ceremony_sources`` (int), ``min_commit_reveal`` (int), ``allowed_missing_rules`` (list).
    """
    issues = []
    kinds = [s.kind for s in request_sources]
    if policy.get("require_drand", True) and "drand" not in kinds:
        issues.append(DrawError("POLICY_DRAND_REQUIRED"))
    if kinds.count("drand") > 1:
        issues.append(DrawError("POLICY_DRAND_DUPLICATE"))
    if policy.get("drand_last", False) and "drand" in kinds and kinds[-1] != "drand":  # (v2: always)
        issues.append(DrawError("POLICY_DRAND_NOT_LAST"))
    need_ceremony = max(int(policy.get("require_ceremony", False)), policy.get("min_ceremony_sources", 0))
    if kinds.count("ceremony") < need_ceremony:
        issues.append(DrawError("POLICY_CEREMONY_REQUIRED", need=need_ceremony, have=kinds.count("ceremony")))
    need_reveal = policy.get("min_commit_reveal", 0)
    if kinds.count("commit_reveal") < need_reveal:
        issues.append(
            DrawError("POLICY_COMMIT_REVEAL_REQUIRED", need=need_reveal, have=kinds.count("commit_reveal"))
        )
    allowed = policy.get("allowed_missing_rules", ["drop", "fail"])
    for s in request_sources:
        if s.kind == "commit_reveal" and s.missing not in allowed:
            issues.append(DrawError("POLICY_MISSING_RULE", party=s.name, rule=s.missing, allowed=allowed))
    names = [(s.kind, s.name) for s in request_sources]
    if len(set(names)) != len(names):
        issues.append(DrawError("POLICY_SOURCE_DUPLICATE"))
    return issues
