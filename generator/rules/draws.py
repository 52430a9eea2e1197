"""The draw registry is consistent: sequence numbers, policy, meeting before request, matching files."""

from __future__ import annotations

from collections.abc import Iterator

from generator.draw import DrawError, check_policy
from generator.draw.model import parse_source
from generator.errors import Finding, finding
from generator.rules.settings import settings


def policy_of(corpus) -> dict:
    """The engine's policy keys from county.yaml's ``draw_policy``."""
    conf = settings(corpus).get("draw_policy", {})
    required = set(conf.get("required_sources", []))
    return {
        "require_drand": "drand" in required,
        "require_ceremony": "ceremony" in required,
        "min_commit_reveal": 1 if "commit_reveal" in required else 0,
    }


def check(corpus) -> Iterator[Finding]:
    requests = sorted(corpus.of("draw_request"), key=lambda r: (r.data.get("seq", 0), r.file))
    policy = policy_of(corpus)
    for expected, r in enumerate(requests, start=1):
        seq = r.data.get("seq")
        if seq is not None and seq != expected:
            yield finding("DRAW_SEQ_GAP", r.file, *r.loc("seq"), "seq", seq, expected=expected)
        yield from _policy(r, policy)
        task = corpus.tasks.get(r.data.get("task"))
        meeting = task.data.get("meeting", {}).get("date") if task else None
        requested = r.data.get("requested_on")
        if meeting and requested and meeting > requested:
            yield finding(
                "TASK_MEETING_AFTER_DRAW",
                task.file,
                *task.loc("meeting", "date"),
                ("meeting", "date"),
                meeting.isoformat(),
                expected=requested.isoformat(),
            )
    by_id = {r.data.get("id"): r for r in requests}
    for kind in ("draw_accepted", "draw_entropy", "draw_result"):
        for r in corpus.of(kind):
            request = by_id.get(r.data.get("id"))
            if request is None:
                yield finding("DRAW_RESULT_WITHOUT_REQUEST", r.file, *r.loc("id"), "id", r.data.get("id"))
            elif kind == "draw_result" and r.data.get("task") != request.data.get("task"):
                yield finding(
                    "DRAW_TASK_MISMATCH",
                    r.file,
                    *r.loc("task"),
                    "task",
                    r.data.get("task"),
                    expected=request.data.get("task"),
                )


def _policy(r, policy) -> Iterator[Finding]:
    try:
        sources = [parse_source(s) for s in r.data.get("sources", []) if isinstance(s, dict)]
    except DrawError as exc:
        yield finding("DRAW_POLICY", r.file, *r.loc("sources"), "sources", "", detail=exc.message)
        return
    issues = check_policy(policy, sources)
    if issues:
        detail = "；".join(i.message for i in issues)
        yield finding("DRAW_POLICY", r.file, *r.loc("sources"), "sources", "", detail=detail)
