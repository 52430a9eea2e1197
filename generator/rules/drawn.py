"""What the draw registry says was drawn: per task, each drawn object and its team.

Reads the engine's output as stored in ``draws/<year>/<id>/result.yaml`` (``output.objects`` and
``output.teams``, docs/draw-protocol.md). A task with no result yet maps to nothing, and a task whose
draw was corrected uses the latest draw that supersedes the earlier one. Substitutions recorded in
``substitutions.yaml`` beside the result (protocol §11) replace the named member in order; whether
each one is the next of the published order is checked by ``generator/registry/substitutions.py``.
"""

from __future__ import annotations


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
