"""Substitutes for a drawn officer who cannot serve (protocol §11, "Substitutes"; issue 13).

The substitute is nobody's choice: it is the first id of ``substitute_order(o, d)``, department d's
eligible officers for object o ranked by (load, SHA-256-hex("substitute|" + seed + "|" + o.id + "|" + id),
id), all from the public bundle, so anyone can check it. Inputs are a verified public bundle; the
functions never raise anything but ``DrawError``.
"""

from __future__ import annotations

from collections import Counter

from .errors import DrawError
from .model import parse_request
from .people import parse_people
from .teams import eligible_by_unit, rank_hash

FIELDS = ("object", "replaced", "substitute")


def substitute_order(bundle: dict, object_id: str, unit_id: str, used: set[str] = frozenset()) -> list[str]:
    """The published order of substitutes of department ``unit_id`` for drawn object ``object_id``;
    ``used`` = people already named by earlier substitutions of this object (never again)."""
    req = parse_request(bundle["request"])
    result = bundle["result"]
    index = {row["id"]: i for i, row in enumerate(result["objects"])}
    if object_id not in index:
        raise DrawError(
            "DRAW_SUBSTITUTE_INVALID", object=object_id, field="object", problem="不是本次抽中的检查对象"
        )
    row, team = result["objects"][index[object_id]], result["teams"][index[object_id]]
    roster = eligible_by_unit(req.task, parse_people(bundle["public_pools"]["inspectors"])).get(unit_id)
    if roster is None:
        raise DrawError(
            "DRAW_SUBSTITUTE_INVALID", object=object_id, field="unit", problem=f"{unit_id} 不是参与部门"
        )
    loads = Counter(person_id for team in result["teams"] for person_id in team.get("members", []))
    cap = req.teams.max_objects_per_inspector
    out = set(row.get("blocked_previous", [])) | set(team.get("members", [])) | set(used)
    township = row.get("township", "") if req.teams.mode == "township" else None
    keys = [
        (loads[p.id], rank_hash("substitute", result["seed"], object_id, p.id), p.id)
        for p in roster
        if p.id not in out
        and (cap is None or loads[p.id] < cap)
        and (township is None or township in p.office_townships)
    ]
    return [person_id for _, _, person_id in sorted(keys)]


def check_substitutions(bundle: dict, substitutions: list[dict]) -> list[tuple[int, str, str]]:
    """Every substitution (in record order) that is not the next id of its order:
    [(index, field, expected)]. Each entry: {"object", "replaced", "substitute", ...}."""
    if not isinstance(substitutions, list):
        raise DrawError(
            "DRAW_SUBSTITUTE_INVALID", object="—", field="substitutions", problem="替补记录应为列表"
        )
    problems: list[tuple[int, str, str]] = []
    result = bundle["result"]
    teams = {t["object"]: list(t.get("members", [])) for t in result["teams"]}
    units = {p["id"]: p.get("unit", "") for p in bundle["public_pools"]["inspectors"]}
    used: dict[str, set[str]] = {}
    for i, sub in enumerate(substitutions):
        if not isinstance(sub, dict):
            sub = {}
        obj, old, new = (v if isinstance(v, str) else None for v in map(sub.get, FIELDS))
        if obj not in teams:
            problems.append((i, "object", "本次抽中的检查对象之一"))
            continue
        if old not in teams[obj]:
            problems.append((i, "replaced", "、".join(teams[obj]) or "（无）"))
            continue
        seen = used.setdefault(obj, set())
        try:
            order = substitute_order(bundle, obj, units.get(old, ""), seen)
        except DrawError as exc:
            problems.append((i, "replaced", exc.message))
            continue
        expected = order[0] if order else "（该部门已无合格的替补人员）"
        if new != expected:
            problems.append((i, "substitute", expected))
            continue
        seen |= {old, new}
        teams[obj][teams[obj].index(old)] = new
    return problems
