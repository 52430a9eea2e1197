"""The draw registry is consistent: sequence numbers, policy, meeting before request, matching files."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.draw import DrawError, check_policy
from generator.draw.model import ALGORITHM, ALGORITHM_V2, parse_source
from generator.draw.seed import entropy_value_problems
from generator.errors import Finding, display, finding
from generator.records import kind_for
from generator.records.common import DRAW_ID
from generator.rules.settings import settings

DRAW_FOLDER = re.compile(DRAW_ID)


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
    demo = demo_chain_of(corpus)
    settled = settled_ids(corpus)
    expected, raced = 1, None
    # the settled requests first, then the open ones continue their sequence (a pull request can
    # change only the latter, so a gap between the two is reported there)
    for r in sorted(requests, key=lambda r: r.data.get("id") not in settled):
        seq = r.data.get("seq")
        if r.data.get("id") in settled and seq is not None and seq == raced:
            pass  # raced in beside the request before it (two pull requests, one seq): CI settled both
        else:
            if seq is not None and seq != expected:
                yield finding("DRAW_SEQ_GAP", r.file, *r.loc("seq"), "seq", seq, expected=expected)
            expected += 1
            raced = seq if r.data.get("id") in settled else None
        yield from _policy(r, policy, demo)
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
    yield from _tasks_as_drawn(corpus, requests)
    yield from _drawn_objects_present(corpus)
    yield from _pooled_objects_present(corpus)
    yield from _folders(corpus)
    yield from _supersedes(requests, by_id, settled)
    yield from _superseding_a_drawn_draw(corpus, requests)
    yield from _entropy_values(corpus, requests)
    for kind in DRAW_FILE_KINDS:
        seen: dict[str, str] = {}
        for r in corpus.of(kind):
            draw_id = r.data.get("id")
            if draw_id in seen:
                yield finding("DRAW_ID_DUPLICATE", r.file, *r.loc("id"), "id", draw_id, other=seen[draw_id])
                continue
            seen[draw_id] = r.file
            if kind == "draw_request":
                continue
            request = by_id.get(draw_id)
            if request is None:
                yield finding("DRAW_RESULT_WITHOUT_REQUEST", r.file, *r.loc("id"), "id", r.data.get("id"))
            elif kind in ("draw_result", "draw_failed") and r.data.get("task") != request.data.get("task"):
                yield finding(
                    "DRAW_TASK_MISMATCH",
                    r.file,
                    *r.loc("task"),
                    "task",
                    r.data.get("task"),
                    expected=request.data.get("task"),
                )


DRAW_FILE_KINDS = (
    "draw_request",
    "draw_accepted",
    "draw_refused",
    "draw_entropy",
    "draw_entropy_accepted",
    "draw_result",
    "draw_failed",
)


def _folders(corpus) -> Iterator[Finding]:
    """A draw id lives in exactly one folder: the one under the (ASCII) year its id names."""
    for kind in DRAW_FILE_KINDS:
        for r in corpus.of(kind):
            year, folder = r.owner.get("year"), r.owner.get("id", "")
            if year != folder[1:5] or r.data.get("id") not in (None, folder):
                yield finding("DRAW_FOLDER_YEAR", r.file, *r.loc("id"), "id", r.data.get("id"), year=year)
    requested = {rel[: -len("/request.yaml")] for rel in corpus.files if rel.endswith("/request.yaml")}
    for rel in corpus.files:
        parts = rel.split("/")
        if parts[0] == "draws" and len(parts) == 4 and not parts[3].startswith("pool-"):
            if kind_for(rel) is None:  # claimed files are checked as records above
                yield finding(
                    "DRAW_FOLDER_YEAR", f"{corpus_prefix(corpus)}{rel}", 0, 0, "id", parts[2], year=parts[1]
                )
        elif parts[0] == "draws" and len(parts) == 4 and "/".join(parts[:3]) not in requested:
            # a frozen pool with no request: not a draw, and CI must not take it for one (accept.py)
            yield finding(
                "DRAW_RESULT_WITHOUT_REQUEST", f"{corpus_prefix(corpus)}{rel}", 0, 0, "id", parts[2]
            )


def corpus_prefix(corpus) -> str:
    r = next(iter(corpus.of("county")), None)
    return r.file[: -len("county.yaml")] if r is not None and r.file.endswith("county.yaml") else ""


def settled_ids(corpus) -> set:
    """Requests CI has decided (accepted, refused, drawn or failed): their place in the registry is recorded in the
    log and no pull request may change them. The order rules a pull request must follow (the next
    seq, naming the draw a request supersedes) are checked on the others only: reported on a
    settled request, a race CI resolved (two pull requests adding the same seq, each valid alone)
    stayed an error in the registry, which ci site cannot leave out, and no unit's site was built."""
    kinds = ("draw_accepted", "draw_refused", "draw_result", "draw_failed")  # a v1 draw has no acceptance
    return {r.data.get("id") for k in kinds for r in corpus.of(k)}


def _supersedes(requests, by_id, settled=frozenset()) -> Iterator[Finding]:
    """A second request for a task names the draw it supersedes (same task, earlier) and why."""
    first: dict[str, list[str]] = {}
    for r in requests:
        task, draw_id = r.data.get("task"), r.data.get("id")
        earlier = first.setdefault(task, [])
        target = r.data.get("supersedes")
        if draw_id in settled:
            pass  # CI applied the same rule when it decided (registry/rederive.supersedes_problems)
        elif earlier and (not target or not str(r.data.get("reason") or "").strip()):
            yield finding(
                "DRAW_SUPERSEDES_MISSING", r.file, *r.loc("task"), "task", task, earlier="、".join(earlier)
            )
        elif target and target not in earlier:
            other = by_id.get(target)
            yield finding(
                "DRAW_SUPERSEDES_INVALID",
                r.file,
                *r.loc("supersedes"),
                "supersedes",
                target,
                task=task,
                found=other.data.get("task") if other is not None else "（不存在）",
            )
        earlier.append(draw_id)


def registry_key(data: dict) -> tuple:
    """A request's place in the registry: its seq, then its id (two requests raced in with one seq
    are still ordered, so one of them is the later and must name the other)."""
    seq = data.get("seq")
    return (seq if isinstance(seq, int) and not isinstance(seq, bool) else 0, str(data.get("id")))


def outcome_known(corpus, draw_id: str) -> bool | None:
    """False for a refused or failed draw (it has no outcome), True for one with a result or a
    recorded drand beacon, None when the records alone cannot tell (the clock decides)."""

    def has(kind: str, test=lambda data: True) -> bool:
        return any(r.data.get("id") == draw_id and test(r.data) for r in corpus.of(kind))

    if has("draw_refused") or has("draw_failed"):
        return False
    if has("draw_result") or has("draw_entropy", lambda d: isinstance(d.get("drand"), dict)):
        return True
    return None


def _entropy_values(corpus, requests) -> Iterator[Finding]:
    """Ceremony digits and reveals of an open draw that CI has not accepted yet (the pull request that
    adds them) must be usable by the engine: refused at round R they would fail the draw in public."""
    closed = {
        r.data.get("id")
        for kind in ("draw_result", "draw_failed", "draw_refused", "draw_entropy_accepted")
        for r in corpus.of(kind)
    }
    sources = {r.data.get("id"): r.data.get("sources") for r in requests}
    for r in corpus.of("draw_entropy"):
        draw_id = r.data.get("id")
        if draw_id in closed or draw_id not in sources:
            continue
        for field, value, why in entropy_value_problems(sources[draw_id], r.data):
            path = tuple(field.split(".", 1))
            yield finding(
                "DRAW_ENTROPY_VALUE_INVALID", r.file, *r.loc(*path), field, value, field=field, why=why
            )


def _superseding_a_drawn_draw(corpus, requests) -> Iterator[Finding]:
    """A request not yet settled by CI may not follow a draw of its task whose outcome is known (a
    result or a recorded beacon): the pull request would redraw a task after seeing its objects.
    Settled requests are history (CI decided them with the clock: registry/rederive.py)."""
    settled = {r.data.get("id") for k in ("draw_accepted", "draw_refused") for r in corpus.of(k)}
    by_task: dict[str, list] = {}
    for r in requests:
        if isinstance(r.data.get("task"), str):  # any other shape is the schema's finding
            by_task.setdefault(r.data["task"], []).append(r.data.get("id"))
    for r in requests:  # before or after it: a seq or id can be chosen to sort first
        task, draw_id = r.data.get("task"), r.data.get("id")
        if isinstance(task, str) and draw_id not in settled:
            known = [d for d in by_task[task] if d != draw_id and outcome_known(corpus, d)]
            if known:
                line, col = r.loc("supersedes") if "supersedes" in r.data else r.loc("task")
                field = "supersedes" if "supersedes" in r.data else "task"
                yield finding(
                    "DRAW_SUPERSEDES_DRAWN",
                    r.file,
                    line,
                    col,
                    field,
                    r.data.get(field),
                    task=task,
                    drawn="、".join(known),
                )


def demo_chain_of(corpus) -> dict | None:
    """The demo chain county.yaml declares, usable only by a demonstration county (``demo: true``)."""
    conf = settings(corpus)
    chain = conf.get("draw_policy", {}).get("demo_chain")
    if conf.get("demo") is not True or not isinstance(chain, dict):
        return None
    return {k: chain.get(k) for k in ("name", "public_key", "genesis_time", "period")}


def _policy(r, policy, demo: dict | None) -> Iterator[Finding]:
    algorithm = r.data.get("algorithm", ALGORITHM)
    raw = [s for s in r.data.get("sources", []) if isinstance(s, dict)]
    try:
        sources = [parse_source(s, algorithm) for s in raw]
    except DrawError as exc:
        yield finding(
            "DRAW_POLICY", r.file, *r.loc("sources"), "sources", "", detail=exc.message.rstrip("。")
        )
        return
    issues = [i.message for i in check_policy(policy | {"drand_last": algorithm == ALGORITHM_V2}, sources)]
    for s in raw:
        # A demo chain's key is public: only the chain a demonstration county declares may be used.
        declared = {k: s.get(k) for k in ("name", "public_key", "genesis_time", "period")}
        if s.get("kind") == "drand" and s.get("demo") is True and declared != demo:
            issues.append(
                f"drand 演示链“{s.get('name')}”不是本县 county.yaml 声明的演示链（draw_policy.demo_chain，"
                "且仅限 demo: true 的示例数据），真实抽取必须使用 quicknet"
            )
    if issues:
        detail = "；".join(i.rstrip("。") for i in issues)
        yield finding("DRAW_POLICY", r.file, *r.loc("sources"), "sources", "", detail=detail)


def _tasks_as_drawn(corpus, requests) -> Iterator[Finding]:
    """A task keeps what its latest draw request froze (``parameters.task``): initiator, participants,
    items and window. Tasks are ordinary records, so without this a unit could widen the window
    after the draw to admit late results, add a participant whose results then count, or change
    the initiator the drawn teams were led for. A real change needs a new request that supersedes
    the draw (with its reason), which freezes the new values. A request CI refused froze nothing:
    it drew nothing and closed no earlier draw, so the task answers to the request before it (the
    one that still draws), or to none."""
    latest: dict[str, dict] = {}
    refused = {r.data.get("id") for r in corpus.of("draw_refused")}
    for r in requests:  # in registry order: the last request for a task wins
        if r.data.get("id") in refused:
            continue
        params = r.data.get("parameters")
        frozen = params.get("task") if isinstance(params, dict) else None
        if isinstance(frozen, dict) and isinstance(r.data.get("task"), str):
            latest[r.data["task"]] = {**frozen, "draw": r.data.get("id")}
    for task_id, frozen in latest.items():
        task = corpus.tasks.get(task_id)
        if task is None:
            continue  # REF_UNKNOWN says so
        units = frozen.get("units")
        window = frozen.get("window") if isinstance(frozen.get("window"), dict) else {}
        d, win = task.data, task.data.get("window") if isinstance(task.data.get("window"), dict) else {}
        compared = (
            (("initiator",), d.get("initiator"), frozen.get("initiating_unit")),
            (
                ("participants",),
                d.get("participants"),
                [u.get("id") for u in units if isinstance(u, dict)] if isinstance(units, list) else None,
            ),
            (("items",), _as_set(d.get("items")), _as_set(frozen.get("items"))),  # order is not used
            (("window", "from"), _iso(win.get("from")), window.get("start")),
            (("window", "to"), _iso(win.get("to")), window.get("end")),
        )
        for path, now, then in compared:
            if then is not None and now != then:
                line, col = task.loc(*path)
                yield finding(
                    "TASK_CHANGED_AFTER_DRAW",
                    task.file,
                    line,
                    col,
                    path if len(path) > 1 else path[0],
                    now,
                    draw=frozen["draw"],
                    expected=display(then),
                )


def _drawn_objects_present(corpus) -> Iterator[Finding]:
    """Every object a draw result names is still in some unit's directory (deregistered at most).

    The pages of a drawn task, its check sheet and its results look the object up by id; a row
    deleted after the draw would leave the public record naming an enterprise nobody can find
    (and the site builder without a name to show). Deregistration is a status, not a deletion."""
    known = corpus.objects_by_id
    for r in corpus.of("draw_result"):
        output = r.data.get("output")
        objects = output.get("objects") if isinstance(output, dict) else None
        for i, obj in enumerate(objects if isinstance(objects, list) else []):
            oid = obj.get("id") if isinstance(obj, dict) else None
            if isinstance(oid, str) and oid not in known:
                yield finding(
                    "DRAW_OBJECT_MISSING",
                    r.file,
                    *r.loc("output", "objects", i, "id"),
                    ("output", "objects", i, "id"),
                    oid,
                    draw=r.data.get("id"),
                    task=r.data.get("task"),
                )


def _pooled_objects_present(corpus) -> Iterator[Finding]:
    """Every object of the frozen pool of an accepted draw that has no outcome yet is still in some
    unit's directory. Acceptance froze the pool (pool-internal.json); the draw still picks from it,
    so a row deleted between acceptance and the beacon (a pull request no result made fail yet) would
    come back as DRAW_OBJECT_MISSING in the result, where no leaving out can clear it."""
    from pathlib import Path

    from generator import bounded

    settled = {r.data.get("id") for k in ("draw_result", "draw_failed", "draw_refused") for r in corpus.of(k)}
    accepted = {r.data.get("id") for r in corpus.of("draw_accepted")}
    known = corpus.objects_by_id
    for r in corpus.of("draw_request"):
        draw_id, year = r.data.get("id"), r.owner.get("year")
        if draw_id in settled or draw_id not in accepted or not isinstance(year, str):
            continue
        folder = r.owner.get("id")
        try:
            pools = bounded.read_json(
                Path(corpus.root) / "draws" / year / folder / "pool-internal.json", parents=3
            )
        except (OSError, bounded.FileRefused):
            continue  # the draw's verifier reports a damaged pool
        rows = pools.get("objects") if isinstance(pools, dict) else None
        missing = sorted(
            {
                o["id"]
                for o in (rows if isinstance(rows, list) else [])
                if isinstance(o, dict) and isinstance(o.get("id"), str)
            }
            - set(known)
        )
        line, col = r.loc("pool_digests")
        for oid in missing:
            yield finding(
                "DRAW_POOL_OBJECT_MISSING",
                r.file,
                line,
                col,
                "pool_digests",
                oid,
                draw=draw_id,
                task=r.data.get("task"),
            )


def _as_set(value) -> object:
    return sorted(map(str, value)) if isinstance(value, list) else value


def _iso(value) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value
