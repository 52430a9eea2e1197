"""The public bundle of a draw: what it publishes, and the citizen's and auditor's checks of it.

``build_public_bundle`` makes the self-contained JSON bundle (protocol §7) from whitelisted fields
only. ``verify_bundle(bundle)`` re-draws from the public bundle alone (the citizen's check) and is
what the standalone ``verify_draw.py`` re-implements line by line; ``audit_bundle`` checks, with
the internal data, that a bundle is exactly what that data gives (recusal commitments included).
"""

from __future__ import annotations

import hashlib
import hmac
import json

from generator.catalog import shown

from .canonical import NOT_TEXT, TOO_DEEP, digest, normalise, too_deep
from .engine import (
    Mismatch,
    _conflicts,
    _core,
    _prepare,
    collector_paused,
    diff,
    draw_id_of,
    error_field,
    verify,
)
from .errors import DrawError
from .model import ALGORITHM, ALGORITHM_V2, SALT_RE, parse_request
from .objects import draw_strata, merge_strata, sealed_strata
from .people import parse_people
from .pools import public_person
from .registry_log import check_acceptance, check_entry, check_inclusion
from .seed import object_commitment
from .teams import replay_public_teams

BUNDLE_FORMAT = "sdr-draw-bundle/2"  # of a v1 request
BUNDLE_FORMAT_V2 = "sdr-draw-bundle/3"  # of a v2 request: + acceptance, registry (§9)
FORMAT_OF = {ALGORITHM: BUNDLE_FORMAT, ALGORITHM_V2: BUNDLE_FORMAT_V2}
RESULT_KEYS = ("algorithm", "draw_id", "request_digest", "seed", "strata")
PUBLIC_OBJECT_KEYS = ("id", "ref", "salt", "township", "batch", "order_ticket")
TEAM_KEYS = ("object", "leader", "members", "assistants")


def blocked_salt(key: bytes, draw_id: str, object_id: str) -> str:
    """Salt of an object's recusal commitment: HMAC-SHA256(key, "sdr-blocked/1" 0x00 draw_id 0x00 id)."""
    message = f"sdr-blocked/1\x00{draw_id}\x00{object_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def blocked_commitment(salt: str, hidden: list[str]) -> str:
    """``SHA-256(utf8(salt ‖ "\\n".join(sorted(hidden))))`` — binds the undisclosed recusals."""
    return hashlib.sha256((salt + "\n".join(sorted(hidden))).encode("utf-8")).hexdigest()


def _blocked_key(pools: dict, key_hasher) -> bytes:
    """The key of the recusal salts: ``pools["blocked_key"]`` (64 hex) if the office stores one,
    else SHA-256("sdr-blocked-key/1\\n" ‖ canonical internal bytes of the three pools), which
    only holders of the internal pools (the office, auditors) can compute."""
    given = pools.get("blocked_key")
    if given is None:
        return key_hasher.digest()
    if not isinstance(given, str) or not SALT_RE.match(given):
        raise DrawError("DRAW_BLOCKED_KEY_INVALID", field="blocked_key")
    return bytes.fromhex(given)


def _recusals(request: dict, pools: dict):
    """(prepared pools, function object id -> (previous, hidden, salt)) from the internal pools."""
    req = parse_request(request)
    key_hasher = hashlib.sha256(b"sdr-blocked-key/1\n")
    with collector_paused():
        prepared = _prepare(req, pools, key_hasher)
    key = _blocked_key(pools, key_hasher)
    conflicts = _conflicts([prepared.inspectors, prepared.assistants])

    def parts(object_id: str):
        opening = prepared.objects.open_id(object_id)
        previous = sorted(set(opening["previous_inspectors"])) if opening else []
        hidden = sorted(conflicts.get(object_id, set()) - set(previous))
        return previous, hidden, blocked_salt(key, req.draw_id, object_id)

    return prepared, parts


def open_recusals(request: dict, pools: dict, object_ids) -> dict:
    """For auditors: object id -> {"salt", "hidden", "commitment"} opening each blocked_commitment."""
    _, parts = _recusals(request, pools)
    out = {}
    for object_id in object_ids:
        _, hidden, salt = parts(object_id)
        out[object_id] = {"salt": salt, "hidden": hidden, "commitment": blocked_commitment(salt, hidden)}
    return out


def build_public_bundle(
    request: dict,
    pools: dict,
    entropy: dict,
    result: dict,
    acceptance: dict | None = None,
    registry: dict | None = None,
) -> dict:
    """The self-contained public JSON bundle (protocol §7; for a v2 request with its
    ``acceptance`` and the ``registry`` inclusion proof of its log entry, §9).

    Built from whitelisted fields only: no credit class, no salt of an undrawn object, no phone,
    no declared conflict. Each drawn object's ``blocked`` list is replaced by ``blocked_previous``
    (the public part: last inspection's team), ``blocked_count`` and ``blocked_commitment``.
    """
    prepared, parts = _recusals(request, pools)
    result = normalise(result or {})
    public_result = {k: result[k] for k in RESULT_KEYS if k in result}
    if "strata" in result and parse_request(request).objects.sealed:
        public_result["strata"] = merge_strata(result["strata"])
    if "objects" in result:
        public_result["objects"] = []
        for row in result["objects"]:
            public_row = {k: row[k] for k in PUBLIC_OBJECT_KEYS if k in row}
            previous, hidden, salt = parts(row.get("id"))
            public_row.update(
                blocked_previous=previous,
                blocked_count=len(hidden),
                blocked_commitment=blocked_commitment(salt, hidden),
            )
            public_result["objects"].append(public_row)
    if "teams" in result:
        public_result["teams"] = [{k: t[k] for k in TEAM_KEYS if k in t} for t in result["teams"]]
    v2 = request.get("algorithm") == ALGORITHM_V2
    extra = {"acceptance": normalise(acceptance), "registry": normalise(registry)} if v2 else {}
    return {
        "format": BUNDLE_FORMAT_V2 if v2 else BUNDLE_FORMAT,
        **extra,
        "request": normalise(request),
        "public_pools": {
            "objects": prepared.objects.view,
            "inspectors": [public_person(p) for p in prepared.inspectors],
            "assistants": [public_person(p) for p in prepared.assistants],
        },
        "entropy": normalise(entropy),
        "result": public_result,
    }


def audit_bundle(
    request: dict, pools: dict, entropy: dict, result: dict, bundle: dict, acceptance: dict | None = None
) -> list[Mismatch]:
    """Auditor's check of a published bundle: the internal result re-draws exactly (``verify``)
    and the bundle is exactly what the internal data gives — including every ``blocked_count``
    and ``blocked_commitment`` (opened with the internal pools)."""
    problems = verify(request, pools, entropy, result, acceptance=acceptance)
    registry = bundle.get("registry") if isinstance(bundle, dict) else None
    expected = build_public_bundle(request, pools, entropy, result, acceptance, registry)
    return problems + diff(expected, normalise(bundle), "bundle", str(request.get("draw_id")))


def _public_recusal(row: dict) -> tuple[dict, list, int]:
    """The published recusal fields of a result row, each replaced by a description when malformed
    (so the diff names the field), plus usable values for the team replay."""
    previous, count, commitment = (
        row.get("blocked_previous"),
        row.get("blocked_count"),
        row.get("blocked_commitment"),
    )
    previous_ok = isinstance(previous, list) and all(isinstance(p, str) for p in previous)
    count_ok = isinstance(count, int) and not isinstance(count, bool) and count >= 0
    shown = {
        "blocked_previous": sorted(set(previous)) if previous_ok else "按编号排序、不重复的人员编号列表",
        "blocked_count": count if count_ok else "非负整数",
        "blocked_commitment": commitment
        if isinstance(commitment, str) and SALT_RE.match(commitment)
        else "64 位小写十六进制",
    }
    return shown, (sorted(set(previous)) if previous_ok else []), (count if count_ok else 0)


def verify_bundle(bundle: dict, verify_beacon: bool = True) -> list[Mismatch]:
    """Citizen's check from the public bundle alone (what verify_draw.py does, plus BLS)."""
    if not isinstance(bundle, dict):
        return [Mismatch("（未知编号）", "format", "完整的公开数据包", "不是映射")]
    request, result = bundle.get("request", {}), bundle.get("result", {})
    draw_id = draw_id_of(request)
    if too_deep(bundle):  # as verify_draw.py and verify-draw.js: a clear message, not a RecursionError
        return [Mismatch(draw_id, "format", "完整的公开数据包", TOO_DEEP)]
    try:
        json.dumps(bundle, ensure_ascii=False).encode("utf-8")  # UnicodeError: a lone surrogate
        algorithm = request.get("algorithm") if isinstance(request, dict) else None
        if algorithm not in FORMAT_OF or bundle.get("format") != FORMAT_OF[algorithm]:
            expected = FORMAT_OF.get(algorithm, " 或 ".join(FORMAT_OF.values()))
            raise DrawError(
                "DRAW_BUNDLE_FORMAT", value=bundle.get("format"), expected=expected, field="format"
            )
        req = parse_request(request)
        if req.algorithm == ALGORITHM_V2:  # §9: accepted before the beacon, and in the public log
            check_acceptance(bundle.get("acceptance"), req.draw_id, digest(request), req.drand_round)
            check_inclusion(bundle.get("registry"))
            check_entry(bundle["registry"], bundle["acceptance"])
        public = bundle["public_pools"]
        out = []
        for key in ("objects", "inspectors", "assistants"):
            found = digest(public[key])
            if found != req.pool_digests.get(f"{key}_public"):
                out.append(
                    Mismatch(draw_id, f"public_pools.{key}", req.pool_digests.get(f"{key}_public"), found)
                )
        if out:
            return out
        inspectors = parse_people(public["inspectors"])
        assistants = parse_people(public["assistants"], "专家和检测机构库")
        published = {o.get("ref"): o for o in result.get("objects", [])}
        team_view = {}  # ref -> what the team replay knows of the object (§7.3)

        def open_refs(refs):
            opened = {}
            for ref in refs:
                row = published.get(ref)
                if row is None:
                    raise DrawError("DRAW_OPENING_MISSING", ref=ref, field="objects")
                if (
                    req.objects.privacy == "commit"
                    and object_commitment(row.get("salt", ""), row.get("id", "")) != ref
                ):
                    raise DrawError("DRAW_OPENING_MISMATCH", id=row.get("id"), field="objects")
                shown, previous, count = _public_recusal(row)
                team_view[ref] = {
                    "id": row["id"],
                    "township": row["township"],
                    "blocked_previous": previous,
                    "blocked_count": count,
                }
                opened[ref] = {
                    "id": row["id"],
                    "salt": row.get("salt", ""),
                    "township": row["township"],
                    "recusal": shown,
                }
            return opened

        def staff(objects, seed):
            view = [team_view[o["ref"]] for o in objects]
            return replay_public_teams(
                req.task, req.teams, view, result.get("teams", []), inspectors, assistants, seed
            )

        def draw_objects(seed):
            if req.objects.sealed:
                return sealed_strata(public["objects"], seed, result.get("strata"))
            return draw_strata(req.objects, public["objects"], seed)

        expected = _core(
            req, digest(request), draw_objects, bundle["entropy"], open_refs, staff, verify_beacon
        )
        published = normalise(result)
    except DrawError as error:
        return [Mismatch(draw_id, error_field(error), "可重现的抽取", f"{error.code}：{error.message}")]
    except UnicodeError:  # a lone surrogate ("\udfff" is valid JSON): no UTF-8 bytes to digest
        return [Mismatch(draw_id, "format", "完整的公开数据包", NOT_TEXT)]
    except (KeyError, TypeError, AttributeError, IndexError, ValueError, ArithmeticError) as error:
        missing = shown(error.args[0]) if isinstance(error, KeyError) and error.args else "（结构不符）"
        return [Mismatch(draw_id, "format", "完整的公开数据包", f"缺少或错误的字段 {missing}")]
    return diff(expected, published, "", draw_id)
