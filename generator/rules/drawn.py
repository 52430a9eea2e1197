"""What the draw registry says was drawn: per task, each drawn object and its team.

Reads the engine's output as stored in ``draws/<year>/<id>/result.yaml`` (``output.objects`` and
``output.teams``, docs/draw-protocol.md). A task with no result yet maps to nothing, and a task whose
draw was corrected uses the latest draw that supersedes the earlier one.
"""

from __future__ import annotations


def drawn_teams(corpus) -> dict[str, dict[str, list[str]]]:
    """task id -> {object id -> team member ids (leader first)}; latest draw per task wins."""
    cached = getattr(corpus, "_drawn", None)
    if cached is not None:
        return cached
    seq = {r.data.get("id"): r.data.get("seq", 0) for r in corpus.of("draw_request")}
    out: dict[str, dict[str, list[str]]] = {}
    # In registry order, so a correcting draw (a later request for the same task) wins.
    for result in sorted(corpus.of("draw_result"), key=lambda r: seq.get(r.data.get("id"), 0)):
        output = result.data.get("output", {})
        teams = {
            t.get("object"): list(t.get("members", []))
            for t in output.get("teams", [])
            if isinstance(t, dict)
        }
        for obj in output.get("objects", []):
            if isinstance(obj, dict) and obj.get("id") not in teams:
                teams[obj.get("id")] = []
        out[result.data.get("task")] = teams
    corpus._drawn = out
    return out
