"""Inspector matching: a lawful team for every drawn object, deterministic and checkable.

Eligibility (per task): status ``有效``; certificate valid from ≤ window start and until ≥ window
end; holds every item code of the task; belongs to a participating unit. In ``township`` mode the
inspector's ``office_townships`` must contain the object's township. Blocked per object (回避):
declared conflicts and the inspectors of the object's previous inspection.

Greedy staffing, objects taken in assignment order (see objects.py):

1. for each participating unit, initiating unit first, take ``per_unit_min`` people;
2. if the team is still smaller than ``team_size``, take the rest from the initiating unit;
3. within a unit, candidates are ranked by (objects already assigned in this draw, rank hash, id)
   — the load term spreads work evenly, the rank hash
   ``SHA-256(utf8("team|" + seed + "|" + object_id + "|" + inspector_id))`` (hex) makes the choice
   random yet reproducible; people at their cap (``max_objects_per_inspector``) are skipped;
4. the leader is the first person taken from the initiating unit;
5. assistants (experts, testing institutions) are drawn the same way from their own pool with
   prefix ``"assistant|"`` and their own cap.

There is no backtracking: if greedy staffing gets stuck the draw fails with a Chinese message
naming the unit, the rule and the shortfall, before any result is produced.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter

from .errors import DrawError
from .model import Task, TeamRule
from .people import Person

VALID = "有效"


def rank_hash(prefix: str, seed: str, object_id: str, person_id: str) -> str:
    """Per-object ranking key of a person (hex; string order = numeric order)."""
    return hashlib.sha256(f"{prefix}|{seed}|{object_id}|{person_id}".encode()).hexdigest()


def is_eligible(person: Person, task: Task, required: tuple[str, ...]) -> bool:
    """Whether ``person`` may serve on this task at all (see the module docstring)."""
    return (
        person.status == VALID
        and person.cert_valid_from <= task.window_start
        and person.cert_valid_until >= task.window_end
        and all(item in person.qualifications for item in required)
    )


def unit_demand(task: Task, rule: TeamRule) -> dict[str, int]:
    """People each unit must supply per team."""
    demand = {u.id: rule.unit_min for u in task.units}
    demand[task.initiating_unit] += max(0, rule.team_size - rule.unit_min * len(task.units))
    return demand


def eligible_by_unit(task: Task, inspectors) -> dict[str, list[Person]]:
    """Each participating unit's eligible inspectors (its roster for this task)."""
    out: dict[str, list[Person]] = {u.id: [] for u in task.units}
    for person in inspectors:
        if person.unit in out and is_eligible(person, task, task.items):
            out[person.unit].append(person)
    return out


def steps(task: Task, rule: TeamRule) -> list[tuple[str, int, str]]:
    """(unit id, people to take, ranking prefix) per staffing step, in order (§6, §11)."""
    extra = max(0, rule.team_size - rule.unit_min * len(task.units))
    out = [(u.id, rule.unit_min, rule.prefix(u.id)) for u in task.units]
    return [*out, (task.initiating_unit, extra, rule.prefix(task.initiating_unit))]


def check_feasible(task: Task, rule: TeamRule, by_unit: dict[str, list[Person]], teams: int) -> None:
    """Raise DRAW_INFEASIBLE_UNIT_SHORTFALL if a unit cannot staff ``teams`` teams even in theory."""
    cap = rule.max_objects_per_inspector
    for unit in task.units:
        need = unit_demand(task, rule)[unit.id]
        have = len(by_unit.get(unit.id, []))
        if cap is None:
            required, rule_text = need, f"每组每单位至少 {need} 名"
        else:
            required = max(need, -(-need * teams // cap))
            per_person = "" if cap == 1 else f"、每人最多 {cap} 组"
            rule_text = f"每组每单位至少 {need} 名 × {teams} 个检查组{per_person}"
        if have < required:
            raise DrawError(
                "DRAW_INFEASIBLE_UNIT_SHORTFALL",
                unit=unit.name,
                unit_id=unit.id,
                have=have,
                rule=rule_text,
                required=required,
                missing=required - have,
            )


class Loads:
    """Objects assigned to each person so far in this draw, with every roster's people bucketed by
    load: a ranking then hashes only the people of the lowest loads it needs (issue 18), and the
    order it yields is exactly (load, rank hash, id) over the whole roster."""

    def __init__(self) -> None:
        self.load: dict[str, int] = {}
        self._rosters: dict[str, list[Roster]] = {}

    def roster(self, people) -> Roster:
        roster = Roster(people, self)
        for person_id in roster.people:
            self._rosters.setdefault(person_id, []).append(roster)
        return roster

    def add(self, person_id: str) -> None:
        old = self.load.get(person_id, 0)
        self.load[person_id] = old + 1
        for roster in self._rosters.get(person_id, ()):
            roster.move(person_id, old)


class Roster:
    """One pool of people (a unit's eligible inspectors, or the helpers), bucketed by load.

    People are held by their UTF-8 id (``key``): the bytes the rank hash takes, and bytes order
    is code point order, so (digest, key) pairs sort as (digest, id) pairs do."""

    def __init__(self, people, loads: Loads) -> None:
        self.people = {p.id: p for p in people}
        self.key = {person_id: person_id.encode() for person_id in self.people}
        self.name = {key: person_id for person_id, key in self.key.items()}
        self.levels: dict[int, dict[bytes, None]] = {}
        self.townships: dict[str, set[bytes]] = {}  # township -> keys of the people whose office covers it
        for person in people:
            key = self.key[person.id]
            self.levels.setdefault(loads.load.get(person.id, 0), {})[key] = None
            for township in person.office_townships:
                self.townships.setdefault(township, set()).add(key)

    def move(self, person_id: str, old: int) -> None:
        key = self.key[person_id]
        bucket = self.levels[old]
        del bucket[key]
        if not bucket:
            del self.levels[old]
        self.levels.setdefault(old + 1, {})[key] = None

    def ranked(self, obj, blocked, cap, mode, seed, prefix, first: int | None = None) -> list[str]:
        """Ids of the people who may serve ``obj`` now, in (load, rank hash, id) order: all of them,
        or only the ``first`` ones. Loads are taken lowest first and hashed only as far as needed.
        Within a load the order comes from the (digest, id) pairs (see ``smallest``), so the order
        the candidates are gathered in (set operations, in C) does not matter."""
        in_township = None
        if mode == "township":  # a public bundle may hold anything here: what is not text matches no office
            township = obj["township"]
            in_township = self.townships.get(township, set()) if isinstance(township, str) else set()
        skip = {self.key[p] for p in blocked if p in self.key} if blocked else None
        # every message starts with the same ~270 bytes (the seed is long): hash them once, copy the state
        copy = hashlib.sha256(f"{prefix}|{seed}|{obj['id']}|".encode()).copy
        out: list[str] = []
        for level in sorted(self.levels):
            if (cap is not None and level >= cap) or (first is not None and len(out) >= first):
                break
            bucket = self.levels[level]
            if in_township is not None:
                present = bucket.keys() & in_township
                keys = list(present - skip if skip else present)
            else:
                keys = [key for key in bucket if key not in skip] if skip else list(bucket)
            digests = []  # raw digests sort as their lower-hex form does
            for key in keys:  # one state alive at a time, its memory still in cache (not a level's ~300)
                state = copy()
                state.update(key)
                digests.append(state.digest())
            need = len(keys) if first is None else first - len(out)
            out += map(self.name.__getitem__, smallest(digests, keys, need))
        return out


def smallest(digests: list[bytes], keys: list, need: int) -> list:
    """The ``keys`` of the ``need`` smallest (digest, key) pairs, in that order (all when ``need``
    covers them): ``[k for _, k in sorted(zip(digests, keys))[:need]]``, by a heap (a step usually
    takes one or two people out of hundreds)."""
    return [key for _, key in heapq.nsmallest(max(need, 0), zip(digests, keys, strict=True))]


def assign_teams(
    task: Task, rule: TeamRule, objects: list[dict], inspectors, assistants, seed: str
) -> list[dict]:
    """Staff every object; ``objects`` = [{"id", "township", "blocked": [person ids]}] in order."""
    return _staff(task, rule, objects, inspectors, assistants, seed, None)


def replay_public_teams(
    task: Task, rule: TeamRule, objects: list[dict], published: list, inspectors, assistants, seed: str
) -> list[dict]:
    """The citizen's team check (protocol §7.3): the teams the public data allows, given ``published``.

    Per object only ``blocked_previous`` and ``blocked_count`` are public (declared conflicts are
    not). A published step is accepted when its people are the first in rank order after skipping
    at most ``blocked_count`` people over the object's steps (``_replay_step``); otherwise the
    expected step differs and names the field. Only the first ``k + blocked_count`` of a step's
    order can decide either way, so only they are ranked.
    """
    return _staff(task, rule, objects, inspectors, assistants, seed, published)


def _staff(task: Task, rule: TeamRule, objects: list[dict], inspectors, assistants, seed, published):
    """Greedy staffing of ``objects`` in order: a draw (``published`` None: every recusal known,
    a shortfall stops it) or the replay of the ``published`` teams (a draw is a replay of nothing
    with no one skipped)."""
    by_unit = eligible_by_unit(task, inspectors)
    check_feasible(task, rule, by_unit, len(objects))
    loads = Loads()
    rosters = {unit_id: loads.roster(people) for unit_id, people in by_unit.items()}
    items = (rule.assistant_qualification,) if rule.assistant_qualification else ()
    helpers = loads.roster([p for p in assistants if is_eligible(p, task, items)])
    teams, plan, wanted = [], steps(task, rule), Counter()
    for unit_id, k, prefix in plan:  # the initiating unit's two steps share one ranking
        wanted[unit_id, prefix] += k
    for i, obj in enumerate(objects):
        if published is None:
            claim, hard, budget = {}, set(obj["blocked"]), 0
        else:
            claim = published[i] if i < len(published) and isinstance(published[i], dict) else {}
            hard, budget = set(obj["blocked_previous"]), obj["blocked_count"]
        claimed, skipped, members = list(claim.get("members") or []), set(), []
        orders: dict[tuple[str, str], list[str]] = {}  # one ranking per roster and prefix (loads are fixed)
        for unit_id, k, prefix in plan:
            if (unit_id, prefix) not in orders:
                orders[unit_id, prefix] = rosters[unit_id].ranked(
                    obj,
                    hard | set(members),
                    rule.max_objects_per_inspector,
                    rule.mode,
                    seed,
                    prefix,
                    wanted[unit_id, prefix] + budget,
                )
            order = orders[unit_id, prefix]
            if published is None:  # a draw: the first k of the order, or a shortfall
                if len(order) < k:
                    raise _shortfall(obj, task.unit_name(unit_id), rule.mode, len(order), k)
                members += order[:k]
                del order[:k]
            else:
                taken = set(members)
                ranked = [p for p in order if p not in taken][: k + budget]
                members += _replay_step(ranked, claimed[len(members) : len(members) + k], k, skipped, budget)
        k, chosen = rule.assistants_per_team, []
        if k:
            ranked = helpers.ranked(
                obj, hard, rule.max_objects_per_assistant, "unit", seed, "assistant", k + budget
            )
            if published is None and len(ranked) < k:
                raise _shortfall(obj, "专家和检测机构库", "unit", len(ranked), k)
            chosen = _replay_step(ranked, list(claim.get("assistants") or []), k, skipped, budget)
        for person_id in members + chosen:
            loads.add(person_id)
        leader = members[0] if members else None
        teams.append({"object": obj["id"], "leader": leader, "members": members, "assistants": chosen})
    return teams


def _shortfall(obj, unit_name, mode, have, need) -> DrawError:
    where = "所辖乡镇、" if mode == "township" else ""
    return DrawError(
        "DRAW_INFEASIBLE_OBJECT_SHORTFALL",
        object=obj["id"],
        unit=unit_name,
        where=where,
        have=have,
        need=need,
    )


def _replay_step(ranked: list[str], claimed: list[str], k: int, skipped: set, budget: int) -> list[str]:
    """Accept ``claimed`` if it is ``ranked`` minus at most ``budget`` skipped people (see above)."""
    if k <= 0:
        return []
    position = {person_id: n for n, person_id in enumerate(ranked)}
    places = [position.get(person_id, -1) for person_id in claimed]
    if (
        len(claimed) == k
        and min(places) >= 0
        and all(a < b for a, b in zip(places, places[1:], strict=False))
    ):
        passed = set(ranked[: places[-1] + 1]) - set(claimed)
        if len(skipped | passed) <= budget:
            skipped |= passed
            return list(claimed)
    return [person_id for person_id in ranked if person_id not in skipped][:k]
