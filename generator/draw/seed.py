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

from .errors import DrawError, Issue
from .model import ALGORITHM, Source

DIGITS_RE = re.compile(r"^[0-9]{1,200}$")
REVEAL_RE = re.compile(r"^[0-9A-Za-z_-]{16,256}$")


def commitment_of(reveal: str) -> str:
    """The commitment a party publishes in advance: SHA-256(utf8(reveal)) hex."""
    return hashlib.sha256(reveal.encode("utf-8")).hexdigest()


def build_seed(request_digest: str, sources: list[Source], entropy: dict) -> str:
    """Combine the entropy values of ``sources`` into the seed string (see module docstring).

    ``entropy`` = ``{"drand": {"round", "signature", "randomness"}, "ceremony": {name: digits},
    "reveals": {party: reveal}}``. The drand signature itself is checked by the caller
    (``beacon.verify_quicknet``); here only randomness = SHA-256(signature) is enforced.
    """
    segments = [f"{ALGORITHM}/", f"request.{request_digest}/"]
    for source in sources:
        segments.append(_segment(source, entropy))
    return "".join(segments)


def _segment(source: Source, entropy: dict) -> str:
    if source.kind == "drand":
        beacon = entropy.get("drand")
        if not beacon:
            raise DrawError("DRAW_ENTROPY_MISSING", "缺少 drand 随机信标数据", {"source": "drand"})
        if beacon.get("round") != source.round:
            raise DrawError(
                "DRAW_BEACON_WRONG_ROUND",
                f"drand 数据的轮次 {beacon.get('round')} 与抽取请求指定的轮次 {source.round} 不符",
                {"expected": source.round, "found": beacon.get("round")},
            )
        from .beacon import randomness_of  # local: keeps this module free of the BLS dependency

        randomness = randomness_of(beacon.get("signature"))
        if beacon.get("randomness") != randomness:
            raise DrawError("DRAW_BEACON_RANDOMNESS_MISMATCH", "drand randomness 不等于 SHA-256(签名)", {})
        return f"drand.{source.name}.{source.round}.{randomness}/"
    if source.kind == "ceremony":
        digits = entropy.get("ceremony", {}).get(source.name)
        if not isinstance(digits, str) or not DIGITS_RE.match(digits):
            raise DrawError(
                "DRAW_CEREMONY_INVALID",
                f"现场摇号 {source.name} 的数字缺失或格式不对（应为 1–200 位数字），实为 {digits!r}",
                {"name": source.name},
            )
        return f"ceremony.{source.name}.{digits}/"
    reveal = entropy.get("reveals", {}).get(source.name)
    if reveal is None:
        if source.missing == "drop":
            return f"reveal.{source.name}.-/"
        raise DrawError(
            "DRAW_REVEAL_MISSING",
            f"参与方 {source.name} 未揭示其随机值，按事先声明的规则（fail）本次抽取不能进行",
            {"party": source.name},
        )
    if (
        not isinstance(reveal, str)
        or not REVEAL_RE.match(reveal)
        or commitment_of(reveal) != source.commitment
    ):
        raise DrawError(
            "DRAW_REVEAL_MISMATCH",
            f"参与方 {source.name} 揭示的值与其事先公布的承诺不符",
            {"party": source.name, "commitment": source.commitment},
        )
    return f"reveal.{source.name}.{reveal}/"


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


def check_policy(policy: dict, request_sources: list[Source]) -> list[Issue]:
    """Check the declared sources against county policy; return every shortfall (empty = OK).

    ``policy`` keys (all optional): ``require_drand`` (bool), ``require_ceremony`` (bool),
    ``min_ceremony_sources`` (int), ``min_commit_reveal`` (int), ``allowed_missing_rules`` (list).
    """
    issues = []
    kinds = [s.kind for s in request_sources]
    if policy.get("require_drand", True) and "drand" not in kinds:
        issues.append(
            Issue("POLICY_DRAND_REQUIRED", "本县规定必须使用 drand quicknet 随机信标，抽取请求未声明")
        )
    if kinds.count("drand") > 1:
        issues.append(Issue("POLICY_DRAND_DUPLICATE", "抽取请求声明了多个 drand 随机信标，只允许一个"))
    need_ceremony = max(int(policy.get("require_ceremony", False)), policy.get("min_ceremony_sources", 0))
    if kinds.count("ceremony") < need_ceremony:
        issues.append(
            Issue(
                "POLICY_CEREMONY_REQUIRED",
                f"本县规定至少需要 {need_ceremony} 个现场摇号随机源，抽取请求只声明了 {kinds.count('ceremony')} 个",
            )
        )
    need_reveal = policy.get("min_commit_reveal", 0)
    if kinds.count("commit_reveal") < need_reveal:
        issues.append(
            Issue(
                "POLICY_COMMIT_REVEAL_REQUIRED",
                f"本县规定至少需要 {need_reveal} 个承诺—揭示随机源，抽取请求只声明了 {kinds.count('commit_reveal')} 个",
            )
        )
    allowed = policy.get("allowed_missing_rules", ["drop", "fail"])
    for s in request_sources:
        if s.kind == "commit_reveal" and s.missing not in allowed:
            issues.append(
                Issue(
                    "POLICY_MISSING_RULE",
                    f"参与方 {s.name} 的未揭示处理规则 {s.missing} 不在本县允许的 {allowed} 中",
                )
            )
    names = [(s.kind, s.name) for s in request_sources]
    if len(set(names)) != len(names):
        issues.append(Issue("POLICY_SOURCE_DUPLICATE", "抽取请求中有重复的随机源名称"))
    return issues
