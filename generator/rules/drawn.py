"""What the draw registry says was drawn: per task, each drawn object and its team.

Reads the engine's output as stored in ``draws/<year>/<id>/result.yaml`` (``output.objects`` and
``output.teams``, docs/draw-protocol.md). A task with no result yet maps to nothing, and a task whose
draw was corrected uses the latest draw that supersedes the earlier one. Substitutions recorded in
``substitutions.yaml`` beside the result (protocol §11) replace the named member in order; whether
each one is the next of the published order is checked by ``generator/registry/substitutions.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path


def drawn_teams(corpus) -> dict[str, dict[str, list[str]]]:
    """task id -> {object id -> team member ids (leader first)}; latest draw per task wins."""
    cached = getattr(corpus, "_drawn", None)
    if cached is not None:
        return cached
    seq = {r.data.get("id"): r.data.get("seq", 0) for r in corpus.of("draw_request")}
    out: dict[str, dict[str, list[str]]] = {}
    substitutions = {
        r.data.get("id"): _list(r.data.get("substitutions")) for r in corpus.of("draw_substitutions")
    }
    # In registry order, so a correcting draw (a later request for the same task) wins.
    for result in sorted(corpus.of("draw_result"), key=lambda r: seq.get(r.data.get("id"), 0)):
        # result.yaml is machine-written but may be hand-edited into any shape: read defensively
        # (its own verifier reports the damage), never crash the other rules.
        output = result.data.get("output", {})
        teams: dict[str, list[str]] = {}
        for t in _list(output.get("teams") if isinstance(output, dict) else None):
            if isinstance(t, dict) and isinstance(t.get("object"), str):
                teams[t["object"]] = [m for m in _list(t.get("members")) if isinstance(m, str)]
        for obj in _list(output.get("objects") if isinstance(output, dict) else None):
            oid = obj.get("id") if isinstance(obj, dict) else None
            if isinstance(oid, str) and oid not in teams:
                teams[oid] = []
        for sub in substitutions.get(result.data.get("id"), []):
            team = teams.get(sub.get("object")) if isinstance(sub, dict) else None
            if team is not None and sub.get("replaced") in team and isinstance(sub.get("substitute"), str):
                team[team.index(sub["replaced"])] = sub["substitute"]
        task = result.data.get("task")
        if isinstance(task, str):
            out[task] = teams
    corpus._drawn = out
    return out


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


FROZEN_FACTS = ("unit", "status", "conflicts")  # qualifications: the pool holds codes, the roster names


def frozen_people(corpus) -> dict[str, dict[str, dict]]:
    """draw id -> {person id -> the facts the draw used}: unit, status, declared conflicts, the
    certificate's dates and (``qualified_items``) the task's items an officer was qualified for, as
    the frozen pool ``pool-internal.json`` beside the request holds them.

    A drawn team and the results entered for it are judged by the roster the draw used, not by
    today's: an officer who moves department (or retires) after the draw must not flip an old
    team's or an old result's validity (TEAM_UNIT_MISSING, RESULT_NO_OWN_INSPECTOR), nor does a
    conflict declared since (TEAM_CONFLICT; the results it touches: RESULT_INSPECTOR_CONFLICT), nor a
    qualification or an item's requirement changed since (TEAM_NOT_QUALIFIED). The pool is
    append-only and its digest was fixed at acceptance (the registry re-derived it from the
    records then). A draw whose pool is missing or unreadable maps to {}: today's roster is used.
    """
    cached = getattr(corpus, "_frozen_people", None)
    if cached is not None:
        return cached
    read = getattr(corpus, "pools_read", None) or {}  # read_pools, run while the records were read
    out: dict[str, dict[str, dict]] = {}
    for result in corpus.of("draw_result"):
        year, draw_id = result.owner.get("year"), result.owner.get("id")
        if not (isinstance(year, str) and isinstance(draw_id, str)):
            continue
        key = (year, draw_id)
        people = (
            read[key] if key in read else pool_people(Path(corpus.root) / "draws" / year / draw_id / POOL)
        )
        if people is not None:
            out[draw_id] = people
    corpus._frozen_people = out
    return out


POOL = "pool-internal.json"
_YEAR, _DRAW = re.compile(r"\d{4}"), re.compile(r"D\d{4}-\d{4}")


def read_pools(root) -> dict[tuple[str, str], dict | None]:
    """``pool_people`` of every frozen pool under ``root/draws/<year>/<id>/`` (real folders only, named
    as draw folders are), keyed by (year, id): the build reads them on the other core while it reads
    the records (the 302 pools of a five-year county took 12 CPU-s to parse in validation's child,
    which the build then waited for). ``frozen_people`` takes a folder's entry when there is one and
    reads the pool itself otherwise, so the result is the same either way."""
    out: dict[tuple[str, str], dict | None] = {}
    for year in _folders(Path(root) / "draws", _YEAR):
        for folder in _folders(year, _DRAW):
            out[(year.name, folder.name)] = pool_people(folder / POOL)
    return out


def _folders(parent: Path, name: re.Pattern) -> list[Path]:
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return []
    return sorted(Path(e.path) for e in entries if name.fullmatch(e.name) and e.is_dir(follow_symlinks=False))


def pool_people(path: Path) -> dict[str, dict] | None:
    """person id -> the facts the draw used, from one frozen pool (None: missing or unreadable; the
    draw's verifier reports a damaged pool, and the person is judged by today's roster)."""
    from generator import bounded

    try:
        pools = bounded.read_json(path, parents=3)
    except (OSError, bounded.FileRefused):
        return None
    if not isinstance(pools, dict):
        pools = {}
    people: dict[str, dict] = {}
    for row in _list(pools.get("inspectors")) + _list(pools.get("assistants")):
        if isinstance(row, dict) and isinstance(row.get("id"), str):
            facts = {k: row[k] for k in FROZEN_FACTS if k in row}
            if "cert_valid_from" in row and isinstance(row.get("qualifications"), list):
                # an officer's row: the task's items the officer was qualified for (request.people)
                facts["qualified_items"] = [c for c in row["qualifications"] if isinstance(c, str)]
            for ours, theirs in (
                ("badge_valid_from", "cert_valid_from"),
                ("badge_valid_to", "cert_valid_until"),
            ):
                with contextlib.suppress(TypeError, ValueError):
                    facts[ours] = dt.date.fromisoformat(row.get(theirs))
            people.setdefault(row["id"], facts)
    return people


def task_draw_ids(corpus) -> dict[str, str]:
    """task id -> the id of its latest draw with a result (the one ``drawn_teams`` uses)."""
    seq = {r.data.get("id"): r.data.get("seq", 0) for r in corpus.of("draw_request")}
    out: dict[str, str] = {}
    for result in sorted(corpus.of("draw_result"), key=lambda r: seq.get(r.data.get("id"), 0)):
        task, draw_id = result.data.get("task"), result.data.get("id")
        if isinstance(task, str) and isinstance(draw_id, str):
            out[task] = draw_id
    return out


def non_random_task_ids(corpus) -> set[str]:
    """Ids of the tasks that are not random inspections: typed 投诉举报 or 转办 and named by no draw
    request. A task a draw request names is random whatever its ``type`` says now (tasks are not
    append-only: relabelling a drawn task must not free its results from the draw). Their results
    need no draw and are never counted as 双随机 inspections (reports/figures.py) nor as a unit's
    joint random task (rules/governance.py)."""
    from generator.records.tasks import NON_RANDOM_TYPES

    requested = {r.data.get("task") for r in corpus.of("draw_request")}
    return {
        tid
        for tid, t in corpus.tasks.items()
        if t.data.get("type") in NON_RANDOM_TYPES and tid not in requested
    }
