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

from dataclasses import dataclass

from .beacon import verify_quicknet
from .canonical import digest, normalise
from .errors import DrawError
from .model import (
    PRIVATE_PERSON_FIELDS,
    Person,
    parse_candidates,
    parse_people,
    parse_request,
    row_of,
)
from .objects import assignment_order, draw_strata, public_objects
from .seed import build_seed, object_commitment
from .teams import assign_teams

BUNDLE_FORMAT = "sdr-draw-bundle/1"
DIGEST_KEYS = (
    "objects",
    "objects_public",
    "inspectors",
    "inspectors_public",
    "assistants",
    "assistants_public",
)


@dataclass(frozen=True)
class Mismatch:
    """One disagreement between a recomputed and a published draw: which draw, which field."""

    draw_id: str
    field: str
    expected: object
    found: object

    def describe(self) -> str:
        return f"抽取 {self.draw_id}：{self.field} 应为 {self.expected!r}，公布的是 {self.found!r}"


def public_person(person: Person) -> dict:
    """A person's row without internal fields (conflicts, phone)."""
    return {k: v for k, v in row_of(person).items() if k not in PRIVATE_PERSON_FIELDS}


def _parse_pools(req, pools):
    candidates = parse_candidates(pools.get("objects", []))
    inspectors = parse_people(pools.get("inspectors", []))
    assistants = parse_people(pools.get("assistants", []), "专家和检测机构库")
    view, by_ref = public_objects(req.objects, candidates)
    return candidates, inspectors, assistants, view, by_ref


def compute_pool_digests(request: dict, pools: dict) -> dict:
    """The six digests a request must pin: internal and public views of the three pools."""
    req = parse_request({**request, "pool_digests": {}})
    return _digests(*_parse_pools(req, pools)[:4])


def _digests(candidates, inspectors, assistants, view) -> dict:
    # Rows come from parsed (already NFC-normalised) data: skip the normalising walk.
    return {
        "objects": digest([row_of(c) for c in candidates], True),
        "objects_public": digest(view, True),
        "inspectors": digest([row_of(p) for p in inspectors], True),
        "inspectors_public": digest([public_person(p) for p in inspectors], True),
        "assistants": digest([row_of(p) for p in assistants], True),
        "assistants_public": digest([public_person(p) for p in assistants], True),
    }


def _core(req, request_digest, view, inspectors, assistants, entropy, open_ref, verify_beacon) -> dict:
    for source in req.sources:
        if source.kind == "drand" and verify_beacon:
            beacon = entropy.get("drand") or {}
            if beacon.get("round") == source.round:
                verify_quicknet(source.round, beacon.get("signature"))
    seed = build_seed(request_digest, list(req.sources), entropy)
    strata = draw_strata(req.objects, view, seed)
    objects = []
    for entry in assignment_order(strata, seed, req.objects.batches):
        opened = open_ref(entry["ref"])
        row = {"id": opened["id"], "ref": entry["ref"]}
        if req.objects.privacy == "commit":
            row["salt"] = opened["salt"]
        row.update(
            township=opened["township"],
            batch=entry["batch"],
            order_ticket=entry["order_ticket"],
            blocked=sorted(opened["blocked"]),
        )
        objects.append(row)
    teams = assign_teams(req.task, req.teams, objects, inspectors, assistants, seed)
    return {
        "algorithm": "sdr-draw/1",
        "draw_id": req.draw_id,
        "request_digest": request_digest,
        "seed": seed,
        "strata": strata,
        "objects": objects,
        "teams": teams,
    }


def draw(request: dict, pools: dict, entropy: dict, verify_beacon: bool = True) -> dict:
    """Make the draw. Raises ``DrawError`` (code + Chinese message) when it cannot be made."""
    req = parse_request(request)
    candidates, inspectors, assistants, view, by_ref = _parse_pools(req, pools)
    computed = _digests(candidates, inspectors, assistants, view)
    for key in DIGEST_KEYS:
        if req.pool_digests.get(key) != computed[key]:
            raise DrawError(
                "DRAW_POOL_DIGEST_MISMATCH",
                f"名录 {key} 的摘要与抽取请求登记的不符（名录在登记后被改动）",
                {
                    "field": f"pool_digests.{key}",
                    "expected": req.pool_digests.get(key),
                    "found": computed[key],
                },
            )
    conflicts: dict[str, set] = {}
    for person in inspectors + assistants:
        for object_id in person.conflicts:
            conflicts.setdefault(object_id, set()).add(person.id)

    def open_ref(ref):
        c = by_ref[ref]
        blocked = conflicts.get(c.id, set()) | set(c.previous_inspectors)
        return {"id": c.id, "salt": c.salt, "township": c.township, "blocked": blocked}

    return _core(req, digest(request), view, inspectors, assistants, entropy, open_ref, verify_beacon)


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


def build_public_bundle(request: dict, pools: dict, entropy: dict, result: dict) -> dict:
    """The self-contained public JSON bundle (protocol §6): no class labels, undrawn salts,
    conflicts or phones — only commitments/refs, public rosters, entropy and the result."""
    req = parse_request(request)
    _, inspectors, assistants, view, _ = _parse_pools(req, pools)
    return {
        "format": BUNDLE_FORMAT,
        "request": normalise(request),
        "public_pools": {
            "objects": view,
            "inspectors": [public_person(p) for p in inspectors],
            "assistants": [public_person(p) for p in assistants],
        },
        "entropy": normalise(entropy),
        "result": normalise(result),
    }


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

        def open_ref(ref):
            row = published.get(ref)
            if row is None:
                raise DrawError("DRAW_OPENING_MISSING", f"中签对象 {ref} 未公开", {"field": "objects"})
            if (
                req.objects.privacy == "commit"
                and object_commitment(row.get("salt", ""), row.get("id", "")) != ref
            ):
                raise DrawError(
                    "DRAW_OPENING_MISMATCH", f"对象 {row.get('id')} 的盐值与承诺不符", {"field": "objects"}
                )
            return {
                "id": row["id"],
                "salt": row.get("salt", ""),
                "township": row["township"],
                "blocked": row["blocked"],
            }

        expected = _core(
            req,
            digest(request),
            public["objects"],
            inspectors,
            assistants,
            bundle["entropy"],
            open_ref,
            verify_beacon,
        )
    except DrawError as error:
        return [Mismatch(draw_id, error_field(error), "可重现的抽取", f"{error.code}：{error.message}")]
    except (KeyError, TypeError, AttributeError) as error:
        return [Mismatch(draw_id, "format", "完整的公开数据包", f"缺少或错误的字段 {error}")]
    return diff(expected, normalise(result), "", draw_id)
