"""draw / verify: the engine's entry points, all pure (the public bundle is in ``bundle``).

``draw(request, pools, entropy)`` checks that the pools hash to the digests pinned in the request,
verifies the drand beacon offline, builds the seed string, draws objects per stratum, fixes the
assignment order and batches, and staffs every object. It returns plain JSON-able data (str, int,
list, dict) in a stable field order.

``verify(request, pools, entropy, published)`` re-runs the draw and lists every field where the
published result differs (the auditor's check, with internal data).
"""

from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass

from generator.catalog import shown

from .beacon import QUICKNET, verify_quicknet
from .canonical import digest, normalise
from .errors import DrawError
from .model import ALGORITHM_V2, _map, parse_request
from .objects import assignment_order, draw_strata
from .pools import check_objects, prepare_people
from .registry_log import check_acceptance
from .seed import build_seed
from .teams import assign_teams
from .tickets import sha256_hex


@dataclass(frozen=True)
class Mismatch:
    """One disagreement between a recomputed and a published draw: which draw, which field."""

    draw_id: str
    field: str
    expected: object
    found: object

    def describe(self) -> str:
        return (
            f"抽取 {self.draw_id}：{self.field} 应为“{shown(self.expected)}”，公布的是“{shown(self.found)}”"
        )


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector while a pool is processed or a draw is made.

    A 10^6-row pool allocates millions of short-lived, acyclic containers, and so does staffing
    (a hash state and a digest per rank key: 7 million in ``verify`` at scale 40); the collector
    would re-walk them, and the pools still alive, at every threshold and cost several seconds.
    Reference counting still frees them; the previous collector state is restored on exit.
    (Process state only — no I/O.)
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
    digests: dict  # the six pool digests, in the order a request pins them


def _prepare(req, pools: dict, *key_hashers, ticket_seed_hash: str | None = None) -> _Pools:
    pools = _map(pools, "名录文件")
    objects = check_objects(
        req.objects, pools.get("objects", []), *key_hashers, ticket_seed_hash=ticket_seed_hash
    )
    inspectors, ins, ins_public = prepare_people(pools.get("inspectors", []), "执法检查人员库", *key_hashers)
    assistants, asi, asi_public = prepare_people(
        pools.get("assistants", []), "专家和检测机构库", *key_hashers
    )
    digests = {
        "objects": objects.internal_digest,
        "objects_public": objects.public_digest,
        "inspectors": ins,
        "inspectors_public": ins_public,
        "assistants": asi,
        "assistants_public": asi_public,
    }
    return _Pools(objects, inspectors, assistants, digests)


def compute_pool_digests(request: dict, pools: dict) -> dict:
    """The six digests a request must pin: internal and public views of the three pools."""
    req = parse_request({**_map(request, "抽取请求"), "pool_digests": {}})
    with collector_paused():
        return _prepare(req, pools).digests


def _core(req, request_digest, draw_objects, entropy, open_refs, staff, verify_beacon) -> dict:
    """Seed, strata (``draw_objects(seed)``), objects (rows from ``open_refs``, which opens every
    drawn ref or raises) and teams (from ``staff``), in result order."""
    seed = build_seed(request_digest, list(req.sources), entropy, req.algorithm)  # checks the entropy's shape
    for source in req.sources:
        if source.kind == "drand" and verify_beacon:
            verify_quicknet(
                source.round, entropy["drand"]["signature"], source.public_key or QUICKNET["public_key"]
            )
    strata = draw_objects(seed)
    order = assignment_order(strata, seed, req.objects.batches)
    opened = open_refs([entry["ref"] for entry in order])
    objects = []
    for entry in order:
        row = opened[entry["ref"]]
        out = {"id": row["id"], "ref": entry["ref"]}
        if req.objects.privacy == "commit":
            out["salt"] = row["salt"]
        out.update(township=row["township"], batch=entry["batch"], order_ticket=entry["order_ticket"])
        out.update(row["recusal"])
        objects.append(out)
    return {
        "algorithm": req.algorithm,
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


def draw(
    request: dict, pools: dict, entropy: dict, verify_beacon: bool = True, acceptance: dict | None = None
) -> dict:
    """Make the draw. Raises ``DrawError`` (code + Chinese message) when it cannot be made.

    A v2 request (``sdr-draw/2``) needs its ``acceptance`` (§9.2): recorded before the beacon."""
    req = parse_request(request)
    request_digest = digest(request)
    if req.algorithm == ALGORITHM_V2:
        check_acceptance(acceptance, req.draw_id, request_digest, req.drand_round)
    try:  # known before the pools are read: their tickets are then computed in the same pass
        ticket_seed_hash = sha256_hex(build_seed(request_digest, list(req.sources), entropy, req.algorithm))
    except DrawError:
        ticket_seed_hash = None  # reported by _core: a pool's errors come before the entropy's
    # Staffing, too, makes millions of short-lived acyclic objects (a hash state per rank key)
    with collector_paused():
        prepared = _prepare(req, pools, ticket_seed_hash=ticket_seed_hash)
        for key, found in prepared.digests.items():
            if req.pool_digests.get(key) != found:
                raise DrawError(
                    "DRAW_POOL_DIGEST_MISMATCH",
                    pool=key,
                    field=f"pool_digests.{key}",
                    expected=req.pool_digests.get(key),
                    found=found,
                )
        conflicts = _conflicts([prepared.inspectors, prepared.assistants])

        def open_refs(refs):
            out = {}
            for ref, row in prepared.objects.open_refs(refs).items():
                blocked = conflicts.get(row["id"], set()) | set(row["previous_inspectors"])
                out[ref] = {**row, "recusal": {"blocked": sorted(blocked)}}
            return out

        def staff(objects, seed):
            return assign_teams(req.task, req.teams, objects, prepared.inspectors, prepared.assistants, seed)

        def draw_objects(seed):
            return draw_strata(req.objects, prepared.objects.draw_view(ticket_seed_hash), seed)

        return _core(req, request_digest, draw_objects, entropy, open_refs, staff, verify_beacon)


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
    # Equal as JSON: true is not 1 (Python's == says it is), as verify_draw.py and the browser compare.
    same = json.dumps(expected, sort_keys=True, default=str) == json.dumps(found, sort_keys=True, default=str)
    return [] if same else [Mismatch(draw_id, path, expected, found)]


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


def draw_id_of(request) -> str:
    """The draw id to name in a mismatch, whatever shape the request has."""
    found = request.get("draw_id") if isinstance(request, dict) else None
    return found if isinstance(found, str) else "（未知编号）"


def verify(
    request: dict,
    pools: dict,
    entropy: dict,
    published: dict,
    verify_beacon: bool = True,
    acceptance: dict | None = None,
) -> list[Mismatch]:
    """Auditor's check with internal data: every field where ``published`` differs from a re-draw."""
    draw_id = draw_id_of(request)
    try:
        expected = draw(request, pools, entropy, verify_beacon, acceptance)
    except DrawError as error:
        return [Mismatch(draw_id, error_field(error), "可重现的抽取", f"{error.code}：{error.message}")]
    try:
        published = normalise(published)
    except DrawError as error:
        return [Mismatch(draw_id, "result", "可规范化的抽取结果", f"{error.code}：{error.message}")]
    return diff(expected, published, "", draw_id)
