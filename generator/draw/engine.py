"""draw / verify / public bundle: the engine's entry points, all pure.

``draw(request, pools, entropy)`` checks that the pools hash to the digests pinned in the request,
verifies the drand beacon offline, builds the seed string, draws objects per stratum, fixes the
assignment order and batches, and staffs every object. It returns plain JSON-able data (str, int,
list, dict) in a stable field order.

``verify(request, pools, entropy, published)`` re-runs the draw and lists every field where the
published result differs (the auditor's check, with internal data). ``verify_bundle(bundle)``
does the same from the public bundle only (the citizen's check) and is what the standalone
``verify_draw.py`` re-implements line by line.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
from contextlib import contextmanager
from dataclasses import dataclass

from .beacon import verify_quicknet
from .canonical import digest, normalise
from .errors import DrawError
from .model import SALT_RE, parse_people, parse_request
from .objects import assignment_order, draw_strata
from .pools import prepare_objects, prepare_people, public_person
from .seed import build_seed, object_commitment
from .teams import assign_teams, replay_public_teams
from .tickets import sha256_hex

BUNDLE_FORMAT = "sdr-draw-bundle/2"
DIGEST_KEYS = (
    "objects",
    "objects_public",
    "inspectors",
    "inspectors_public",
    "assistants",
    "assistants_public",
)
RESULT_KEYS = ("algorithm", "draw_id", "request_digest", "seed", "strata")
PUBLIC_OBJECT_KEYS = ("id", "ref", "salt", "township", "batch", "order_ticket")
TEAM_KEYS = ("object", "leader", "members", "assistants")


@dataclass(frozen=True)
class Mismatch:
    """One disagreement between a recomputed and a published draw: which draw, which field."""

    draw_id: str
    field: str
    expected: object
    found: object

    def describe(self) -> str:
        return f"抽取 {self.draw_id}：{self.field} 应为 {self.expected!r}，公布的是 {self.found!r}"


@contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while a pool is processed.

    A 10^6-row pool allocates millions of short-lived, acyclic containers; the collector would
    re-walk them at every threshold and cost several seconds. Reference counting still frees
    them; the previous collector state is restored on exit. (Process state only — no I/O.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Pools:
    objects: object  # pools.ObjectPool
    inspectors: list
    assistants: list
    people_digests: dict

    @property
    def digests(self) -> dict:
        """The six pool digests (reading the objects' public digest collects the helper's view)."""
        return {
            "objects": self.objects.internal_digest,
            "objects_public": self.objects.public_digest,
            **self.people_digests,
        }


def _prepare(req, pools: dict, *key_hashers, ticket_seed_hash: str | None = None, defer_view=False) -> _Pools:
    people = []

    def prepare_both():  # run by prepare_objects once the object rows are checked and hashed
        people.append(prepare_people(pools.get("inspectors", []), "执法检查人员库", *key_hashers))
        people.append(prepare_people(pools.get("assistants", []), "专家和检测机构库", *key_hashers))

    objects = prepare_objects(
        req.objects,
        pools.get("objects", []),
        *key_hashers,
        ticket_seed_hash=ticket_seed_hash,
        meanwhile=prepare_both,
        defer_view=defer_view,
    )
    (inspectors, ins, ins_public), (assistants, asi, asi_public) = people
    digests = {
        "inspectors": ins,
        "inspectors_public": ins_public,
        "assistants": asi,
        "assistants_public": asi_public,
    }
    return _Pools(objects, inspectors, assistants, digests)


def compute_pool_digests(request: dict, pools: dict) -> dict:
    """The six digests a request must pin: internal and public views of the three pools."""
    req = parse_request({**request, "pool_digests": {}})
    with _no_cyclic_gc():
        return _prepare(req, pools).digests


def _core(req, request_digest, view, entropy, open_refs, staff, verify_beacon) -> dict:
    """Seed, strata, objects (rows from ``open_refs``) and teams (from ``staff``), in result order."""
    for source in req.sources:
        if source.kind == "drand" and verify_beacon:
            beacon = entropy.get("drand") or {}
            if beacon.get("round") == source.round:
                verify_quicknet(source.round, beacon.get("signature"))
    seed = build_seed(request_digest, list(req.sources), entropy)
    strata = draw_strata(req.objects, view, seed)
    order = assignment_order(strata, seed, req.objects.batches)
    opened = open_refs([entry["ref"] for entry in order])
    objects = []
    for entry in order:
        if entry["ref"] not in opened:
            raise DrawError("DRAW_OPENING_MISSING", f"中签对象 {entry['ref']} 未公开", {"field": "objects"})
        row = opened[entry["ref"]]
        out = {"id": row["id"], "ref": entry["ref"]}
        if req.objects.privacy == "commit":
            out["salt"] = row["salt"]
        out.update(township=row["township"], batch=entry["batch"], order_ticket=entry["order_ticket"])
        out.update(row["recusal"])
        objects.append(out)
    return {
        "algorithm": "sdr-draw/1",
        "draw_id": req.draw_id,
        "request_digest": request_digest,
        "seed": seed,
        "strata": strata,
        "objects": objects,
        "teams": staff(objects, seed),
    }


def _conflicts(people_lists) -> dict[str, set]:
    """object id -> ids of people who declared a conflict of interest with it (internal)."""
    out: dict[str, set] = {}
    for people in people_lists:
        for person in people:
            for object_id in person.conflicts:
                out.setdefault(object_id, set()).add(person.id)
    return out


def draw(request: dict, pools: dict, entropy: dict, verify_beacon: bool = True) -> dict:
    """Make the draw. Raises ``DrawError`` (code + Chinese message) when it cannot be made."""
    req = parse_request(request)
    request_digest = digest(request)
    try:  # known before the pools are read: their tickets are then computed in the same pass
        ticket_seed_hash = sha256_hex(build_seed(request_digest, list(req.sources), entropy))
    except DrawError:
        ticket_seed_hash = None  # reported by _core, after the pool checks, as before
    with _no_cyclic_gc():  # (a large pool's public view is still being digested by the helper)
        prepared = _prepare(req, pools, ticket_seed_hash=ticket_seed_hash, defer_view=True)
    try:
        try:  # an error of the draw itself is reported only if the pools are those of the request
            result, failure = (
                _draw_from(req, request_digest, prepared, entropy, ticket_seed_hash, verify_beacon),
                None,
            )
        except DrawError as error:
            result, failure = None, error
        found = prepared.digests
    finally:
        prepared.objects.close()
    for key in DIGEST_KEYS:
        if req.pool_digests.get(key) != found[key]:
            raise DrawError(
                "DRAW_POOL_DIGEST_MISMATCH",
                f"名录 {key} 的摘要与抽取请求登记的不符（名录在登记后被改动）",
                {"field": f"pool_digests.{key}", "expected": req.pool_digests.get(key), "found": found[key]},
            )
    if failure is not None:
        raise failure
    return result


def _draw_from(
    req, request_digest: str, prepared: _Pools, entropy: dict, ticket_seed_hash, verify_beacon
) -> dict:
    """The draw from prepared pools (their digests are checked by the caller)."""
    conflicts = _conflicts([prepared.inspectors, prepared.assistants])

    def open_refs(refs):
        out = {}
        for ref, row in prepared.objects.open_refs(refs).items():
            blocked = conflicts.get(row["id"], set()) | set(row["previous_inspectors"])
            out[ref] = {**row, "recusal": {"blocked": sorted(blocked)}}
        return out

    def staff(objects, seed):
        return assign_teams(req.task, req.teams, objects, prepared.inspectors, prepared.assistants, seed)

    return _core(
        req,
        request_digest,
        prepared.objects.draw_view(ticket_seed_hash),
        entropy,
        open_refs,
        staff,
        verify_beacon,
    )


def diff(expected, found, path: str, draw_id: str) -> list[Mismatch]:
    """Field-by-field differences; lists of scalars (e.g. team members) are compared whole."""
    if isinstance(expected, dict) and isinstance(found, dict):
        out = []
        for key in list(expected) + [k for k in found if k not in expected]:
            sub = f"{path}.{key}" if path else str(key)
            out += diff(expected.get(key), found.get(key), sub, draw_id)
        return out
    if (
        isinstance(expected, list)
        and isinstance(found, list)
        and any(isinstance(x, (dict, list)) for x in expected + found)
    ):
        out = (
            []
            if len(expected) == len(found)
            else [Mismatch(draw_id, f"{path}.length", len(expected), len(found))]
        )
        for i, (a, b) in enumerate(zip(expected, found, strict=False)):
            out += diff(a, b, f"{path}[{i}]", draw_id)
        return out
    return [] if expected == found else [Mismatch(draw_id, path, expected, found)]


def error_field(error: DrawError) -> str:
    """Which published field a draw error points at (shared convention with verify_draw.py)."""
    if "field" in error.details:
        return error.details["field"]
    if error.code.startswith("DRAW_BEACON"):
        return "entropy.drand"
    if error.code.startswith("DRAW_REVEAL"):
        return f"entropy.reveals.{error.details.get('party')}"
    if error.code.startswith("DRAW_CEREMONY"):
        return f"entropy.ceremony.{error.details.get('name')}"
    return "draw"


def verify(
    request: dict, pools: dict, entropy: dict, published: dict, verify_beacon: bool = True
) -> list[Mismatch]:
    """Auditor's check with internal data: every field where ``published`` differs from a re-draw."""
    draw_id = str(request.get("draw_id"))
    try:
        expected = draw(request, pools, entropy, verify_beacon)
    except DrawError as error:
        return [Mismatch(draw_id, error_field(error), "可重现的抽取", f"{error.code}：{error.message}")]
    return diff(expected, normalise(published), "", draw_id)


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
        raise DrawError(
            "DRAW_FIELD_INVALID", "pools.blocked_key 必须是 64 位小写十六进制", {"field": "blocked_key"}
        )
    return bytes.fromhex(given)


def _recusals(request: dict, pools: dict):
    """(prepared pools, function object id -> (previous, hidden, salt)) from the internal pools."""
    req = parse_request(request)
    key_hasher = hashlib.sha256(b"sdr-blocked-key/1\n")
    with _no_cyclic_gc():
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


def build_public_bundle(request: dict, pools: dict, entropy: dict, result: dict) -> dict:
    """The self-contained public JSON bundle (protocol §7).

    Built from whitelisted fields only: no credit class, no salt of an undrawn object, no phone,
    no declared conflict. Each drawn object's ``blocked`` list is replaced by ``blocked_previous``
    (the public part: last inspection's team), ``blocked_count`` and ``blocked_commitment``.
    """
    prepared, parts = _recusals(request, pools)
    result = normalise(result or {})
    public_result = {k: result[k] for k in RESULT_KEYS if k in result}
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
    return {
        "format": BUNDLE_FORMAT,
        "request": normalise(request),
        "public_pools": {
            "objects": prepared.objects.view,
            "inspectors": [public_person(p) for p in prepared.inspectors],
            "assistants": [public_person(p) for p in prepared.assistants],
        },
        "entropy": normalise(entropy),
        "result": public_result,
    }


def audit_bundle(request: dict, pools: dict, entropy: dict, result: dict, bundle: dict) -> list[Mismatch]:
    """Auditor's check of a published bundle: the internal result re-draws exactly (``verify``)
    and the bundle is exactly what the internal data gives — including every ``blocked_count``
    and ``blocked_commitment`` (opened with the internal pools)."""
    problems = verify(request, pools, entropy, result)
    expected = build_public_bundle(request, pools, entropy, result)
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
    request, result = bundle.get("request", {}), bundle.get("result", {})
    draw_id = str(request.get("draw_id"))
    try:
        if bundle.get("format") != BUNDLE_FORMAT:
            raise DrawError("DRAW_BUNDLE_FORMAT", f"不是 {BUNDLE_FORMAT} 格式", {"field": "format"})
        req = parse_request(request)
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
        replay_blocks = {}

        def open_refs(refs):
            opened = {}
            for ref in refs:
                row = published.get(ref)
                if row is None:
                    raise DrawError("DRAW_OPENING_MISSING", f"中签对象 {ref} 未公开", {"field": "objects"})
                if (
                    req.objects.privacy == "commit"
                    and object_commitment(row.get("salt", ""), row.get("id", "")) != ref
                ):
                    raise DrawError(
                        "DRAW_OPENING_MISMATCH",
                        f"对象 {row.get('id')} 的盐值与承诺不符",
                        {"field": "objects"},
                    )
                shown, previous, count = _public_recusal(row)
                replay_blocks[row["id"]] = (previous, count)
                opened[ref] = {
                    "id": row["id"],
                    "salt": row.get("salt", ""),
                    "township": row["township"],
                    "recusal": shown,
                }
            return opened

        def staff(objects, seed):
            team_view = [
                {
                    "id": o["id"],
                    "township": o["township"],
                    "blocked_previous": replay_blocks[o["id"]][0],
                    "blocked_count": replay_blocks[o["id"]][1],
                }
                for o in objects
            ]
            return replay_public_teams(
                req.task, req.teams, team_view, result.get("teams", []), inspectors, assistants, seed
            )

        expected = _core(
            req, digest(request), public["objects"], bundle["entropy"], open_refs, staff, verify_beacon
        )
    except DrawError as error:
        return [Mismatch(draw_id, error_field(error), "可重现的抽取", f"{error.code}：{error.message}")]
    except (KeyError, TypeError, AttributeError) as error:
        return [Mismatch(draw_id, "format", "完整的公开数据包", f"缺少或错误的字段 {error}")]
    return diff(expected, normalise(result), "", draw_id)
