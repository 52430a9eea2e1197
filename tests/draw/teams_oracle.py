"""The obvious definition of team staffing (protocol §6, §7.3, §11), kept as the test oracle.

Every step ranks the *whole* roster by (load, rank hash, id) — the cost is drawn objects ×
inspectors (issue 18), which is why the engine buckets people by load instead. This is the code
the engine had before (commit c0d2063), generalised only by the per-department prefix of §11.
"""

from __future__ import annotations

from generator.draw.errors import DrawError
from generator.draw.teams import (
    _replay_step,
    check_feasible,
    eligible_by_unit,
    person_problems,
    rank_hash,
    steps,
)


def ranked(pool, obj, blocked, loads, cap, mode, seed, prefix) -> list[str]:
    township = obj["township"] if mode == "township" else None
    keys = [
        (loads.get(p.id, 0), rank_hash(prefix, seed, obj["id"], p.id), p.id)
        for p in pool
        if p.id not in blocked
        and (cap is None or loads.get(p.id, 0) < cap)
        and (township is None or township in p.office_townships)
    ]
    return [person_id for _, _, person_id in sorted(keys)]


def _helpers(task, rule, assistants):
    items = (rule.assistant_qualification,) if rule.assistant_qualification else ()
    return [p for p in assistants if not person_problems(p, task, items)]


def assign_teams(task, rule, objects, inspectors, assistants, seed) -> list[dict]:
    by_unit = eligible_by_unit(task, inspectors)
    check_feasible(task, rule, by_unit, len(objects))
    helpers = _helpers(task, rule, assistants)
    loads: dict[str, int] = {}
    teams = []
    for obj in objects:
        blocked, members = set(obj["blocked"]), []
        for unit_id, k, prefix in steps(task, rule):
            if k == 0:
                continue
            order = ranked(
                by_unit[unit_id],
                obj,
                blocked | set(members),
                loads,
                rule.max_objects_per_inspector,
                rule.mode,
                seed,
                prefix,
            )
            if len(order) < k:
                raise DrawError(
                    "DRAW_INFEASIBLE_OBJECT_SHORTFALL",
                    object=obj["id"],
                    unit=unit_id,
                    where="",
                    have=len(order),
                    need=k,
                )
            members += order[:k]
        chosen = []
        if rule.assistants_per_team:
            order = ranked(
                helpers, obj, blocked, loads, rule.max_objects_per_assistant, "unit", seed, "assistant"
            )
            if len(order) < rule.assistants_per_team:
                raise DrawError(
                    "DRAW_INFEASIBLE_OBJECT_SHORTFALL",
                    object=obj["id"],
                    unit="专家和检测机构库",
                    where="",
                    have=len(order),
                    need=rule.assistants_per_team,
                )
            chosen = order[: rule.assistants_per_team]
        for person_id in members + chosen:
            loads[person_id] = loads.get(person_id, 0) + 1
        teams.append({"object": obj["id"], "leader": members[0], "members": members, "assistants": chosen})
    return teams


def replay_public_teams(task, rule, objects, published, inspectors, assistants, seed) -> list[dict]:
    by_unit = eligible_by_unit(task, inspectors)
    check_feasible(task, rule, by_unit, len(objects))
    helpers = _helpers(task, rule, assistants)
    loads: dict[str, int] = {}
    teams = []
    for i, obj in enumerate(objects):
        claim = published[i] if i < len(published) and isinstance(published[i], dict) else {}
        claimed, hard = list(claim.get("members") or []), set(obj["blocked_previous"])
        skipped: set[str] = set()
        members: list[str] = []
        for unit_id, k, prefix in steps(task, rule):
            order = ranked(
                by_unit[unit_id],
                obj,
                hard | set(members),
                loads,
                rule.max_objects_per_inspector,
                rule.mode,
                seed,
                prefix,
            )
            members += _replay_step(
                order, claimed[len(members) : len(members) + k], k, skipped, obj["blocked_count"]
            )
        order = ranked(helpers, obj, hard, loads, rule.max_objects_per_assistant, "unit", seed, "assistant")
        chosen = _replay_step(
            order,
            list(claim.get("assistants") or []),
            rule.assistants_per_team,
            skipped,
            obj["blocked_count"],
        )
        for person_id in members + chosen:
            loads[person_id] = loads.get(person_id, 0) + 1
        teams.append(
            {
                "object": obj["id"],
                "leader": members[0] if members else None,
                "members": members,
                "assistants": chosen,
            }
        )
    return teams
