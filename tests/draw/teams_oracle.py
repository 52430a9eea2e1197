"""The obvious definition of team staffing (protocol §6, §7.3, §11), kept as the test oracle,
and ``team_problems``: the rules a lawful team obeys, checked one by one on every drawn team.

Every step ranks the *whole* roster by (load, rank hash, id) — the cost is drawn objects ×
inspectors (issue 18), which is why the engine buckets people by load instead. This is the code
the engine had before (commit c0d2063), generalised only by the per-department prefix of §11.
"""

from __future__ import annotations

from collections import Counter

from generator.draw.errors import DrawError
from generator.draw.teams import VALID, _replay_step, check_feasible, eligible_by_unit, rank_hash, steps


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


def person_problems(person, task, required) -> list[str]:
    """Why ``person`` may not serve on this task at all (protocol §6), as rule names."""
    out = []
    if person.status != VALID:
        out.append("not valid")
    if person.cert_valid_from > task.window_start or person.cert_valid_until < task.window_end:
        out.append("certificate does not cover the window")
    if any(item not in person.qualifications for item in required):
        out.append("missing qualification")
    return out


def team_problems(team, obj, task, rule, people, assistants=None) -> list[str]:
    """Every rule of protocol §6 a staffed team breaks, read straight from the rules (empty = lawful).

    ``obj``: a result row (``blocked``) or a public bundle row (``blocked_previous``)."""
    members = team.get("members", [])
    blocked = obj["blocked"] if "blocked" in obj else obj.get("blocked_previous", [])
    known = [people[m] for m in members if m in people]
    out = ["duplicate member"] * (len(members) != len(set(members)))
    out += ["too small"] * (len(members) < max(2, rule.team_size))
    out += [f"unknown {m}" for m in members if m not in people]
    out += [f"{u.id} short" for u in task.units if sum(p.unit == u.id for p in known) < rule.unit_min]
    leader = people.get(team.get("leader"))
    if team.get("leader") not in members or leader is None or leader.unit != task.initiating_unit:
        out.append("leader not from the initiating unit")
    for p in known:
        out += [f"{p.id} {why}" for why in person_problems(p, task, task.items)]
        out += [f"{p.id} outside the task"] * (p.unit not in [u.id for u in task.units])
        out += [f"{p.id} must recuse"] * (p.id in blocked)
        out += [f"{p.id} wrong township"] * (
            rule.mode == "township" and obj["township"] not in p.office_townships
        )
    helpers = team.get("assistants", [])
    out += ["assistant count"] * (len(helpers) != rule.assistants_per_team)
    out += [f"assistant {h} unknown" for h in helpers if assistants is not None and h not in assistants]
    out += [f"assistant {h} must recuse" for h in helpers if h in blocked]
    return out


def over_cap(teams, rule) -> list[str]:
    """People on more teams than ``max_objects_per_inspector`` allows."""
    loads = Counter(m for team in teams for m in team.get("members", []))
    cap = rule.max_objects_per_inspector
    return sorted(p for p, load in loads.items() if cap is not None and load > cap)


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
