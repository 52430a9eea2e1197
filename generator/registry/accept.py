"""CI's registry steps that decide and record: accept or refuse a request, accept or refuse its
ceremony digits and reveals, record a failed draw. Every decision is written to the draw folder
*and* appended to the public registry log (``draws/log.jsonl``, ``registry/log.py``).

A refusal is a record, never a silent skip: the draw is closed with its reason, published, and a new
request (with ``supersedes`` and ``reason``) is the only way forward.
"""

from __future__ import annotations

import datetime as dt
import fcntl
from dataclasses import dataclass

from generator.draw import digest
from generator.draw.model import ALGORITHM_V2
from generator.draw.seed import entropy_value_problems
from generator.registry import log, order, store
from generator.registry.order import entropy_digest
from generator.registry.request import engine_view
from generator.registry.run import DrawFiles

PUBLIC_DIGESTS = ("objects_public", "inspectors_public", "assistants_public")


@dataclass(frozen=True)
class Decision:
    status: str  # "accepted", "refused", "pending", "ignored" (late entropy the draw does without)
    message: str
    code: str = ""


def public_request(files: DrawFiles) -> dict:
    """The public part of a request as the log carries it (the bundle carries the same request)."""
    request = engine_view(files.request)
    out = {
        "draw_id": files.draw_id,
        "seq": files.request.get("seq"),
        "task": {k: request["task"].get(k) for k in ("id", "name")},
        "request_digest": _digest_or_none(request),
        "rules": {"objects": public_object_rules(request), "teams": request.get("teams")},
        "sources": request.get("sources"),
        "pool_digests": {k: v for k, v in (request.get("pool_digests") or {}).items() if k in PUBLIC_DIGESTS},
    }
    for key in ("supersedes", "reason"):
        if files.request.get(key):
            out[key] = files.request[key]
    return _loggable(out)


def _loggable(value):
    """``value`` as the log can hold it: a request CI refuses may carry anything YAML allows (a
    float seq, a date as reason), and a value the log cannot write must not crash the whole run
    (no draw of the county would go on). Text, integers, booleans and null pass unchanged."""
    if isinstance(value, dict):
        return {str(k): _loggable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_loggable(v) for v in value]
    if value is None or isinstance(value, str | int):
        return value
    return str(value)


PUBLIC_OBJECT_RULES = ("privacy", "strata_disclosure", "reserve_count", "batches", "exclusion")


def strata_sealed(request: dict) -> bool:
    """The engine's choice (protocol §10): a v2 request seals its strata unless it says ``public``."""
    objects = request.get("objects") if isinstance(request.get("objects"), dict) else {}
    default = "sealed" if request.get("algorithm") == ALGORITHM_V2 else "public"
    return objects.get("strata_disclosure", default) != "public"


def public_object_rules(request: dict):
    """The object rules the log publishes: with sealed strata no stratum name, ratio or count, since
    stratum names may be (or be derived from) the internal credit-risk class (issue 11 point 7)."""
    objects = request.get("objects")
    if not isinstance(objects, dict):
        return objects
    keys = PUBLIC_OBJECT_RULES if strata_sealed(request) else (*PUBLIC_OBJECT_RULES, "strata")
    return {k: objects[k] for k in keys if k in objects}


def _digest_or_none(value) -> str | None:
    try:
        return digest(value)
    except Exception:  # noqa: BLE001 - a malformed request (floats, …) still gets logged and refused
        return None


def append_log(records, public: dict) -> str:
    """Append one entry under an exclusive lock; returns the new head."""
    path = store.log_path(records)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8", newline="\n") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        text = fh.read()
        new = log.append(text, public)
        fh.write(new[len(text) :])
        fh.flush()
    return log.head(new)


def _moment(now: int) -> tuple[dt.date, str]:
    return dt.datetime.fromtimestamp(now, order.CHINA).date(), order.utc_text(now)


def refuse(
    records, files: DrawFiles, stage: str, problem: order.Problem, now: int, latest: int | None
) -> None:
    day, at = _moment(now)
    entry = {"event": "refused", "stage": stage, "code": problem.code, "reason": problem.message, "at": at}
    entry.update(public_request(files) if stage == "request" else {"draw_id": files.draw_id})
    if latest is not None:
        entry["latest_round"] = latest
    head = append_log(records, entry)
    data = {"id": files.draw_id, "refused_on": day, "stage": stage, "code": problem.code}
    data["reason"] = problem.message
    if latest is not None:
        data["latest_round"] = latest
    data.update(refused_at=at, log_head=head)
    store.write_text(
        files.path / store.REFUSED, store.dump_yaml(data, "# 拒绝受理记录：由 CI 写入，公开。\n")
    )


def refuse_unreadable(records, draw_id: str, detail: str, now: int) -> bool:
    """Close a draw whose request cannot even be read (so it never blocks a run); False if closed already."""
    folder = store.folder(records, draw_id)
    if any((folder / name).exists() for name in store.CI_FILES):
        return False
    day, at = _moment(now)
    reason = f"抽取申请无法读取：{detail}"
    entry = {"event": "refused", "stage": "request", "code": "REGISTRY_UNREADABLE", "reason": reason}
    head = append_log(records, entry | {"draw_id": draw_id, "at": at})
    data = {"id": draw_id, "refused_on": day, "stage": "request", "code": "REGISTRY_UNREADABLE"}
    data.update(reason=reason, refused_at=at, log_head=head)
    store.write_text(folder / store.REFUSED, store.dump_yaml(data, "# 拒绝受理记录：由 CI 写入，公开。\n"))
    return True


def accept_request(
    records, files: DrawFiles, latest: int | None, now: int, margin: int, commit: str = "", extra=()
) -> Decision:
    """Accept or refuse one new request. ``extra`` are problems found by other checks (pools, policy).

    Without ``latest`` (``beacon latest`` failed) a drand request stays pending: no acceptance, no draw.
    """
    source = order.drand_source(files.request)
    problems = list(extra)
    if source is not None:
        if latest is None:
            return Decision("pending", "无法取得 drand 最新轮次，申请保持待受理，下次运行时再受理。")
        chain = order.chain_of(files.request)
        problem = order.future_round_problem(source[1], now, margin, chain)
        if problem is None and not latest + margin < source[1]:
            problem = order.problem(
                "REGISTRY_ROUND_NOT_FUTURE",
                round=source[1],
                round_time=order.when(order.time_of(source[1], chain)),
                basis=f"受理时 drand 最新轮次 {latest}，",
                margin=margin,
                earliest=latest + margin + 1,
            )
        if problem is not None:
            problems.insert(0, problem)
        clock = order.round_at(now, chain)
        if abs(clock - latest) > margin:
            problems.append(
                order.problem("REGISTRY_CLOCK_MISMATCH", latest=latest, clock=clock, margin=margin)
            )
    if problems:
        refuse(records, files, "request", problems[0], now, latest)
        return Decision("refused", "；".join(p.shown for p in problems), problems[0].code)
    day, at = _moment(now)
    entry = {"event": "accepted", **public_request(files), "at": at}
    data: dict = {"id": files.draw_id, "accepted_on": day}
    if source is not None:
        entry.update(latest_round=latest, margin_rounds=margin)
        data.update(latest_round=latest, margin_rounds=margin)
    head = append_log(records, entry)
    data["accepted_at"] = at
    if commit:
        data["commit"] = commit
    data["log_head"] = head
    store.write_text(files.path / store.ACCEPTED, store.dump_yaml(data, "# 受理记录：由 CI 写入。\n"))
    return Decision("accepted", "已受理。")


def accept_entropy(records, files: DrawFiles, latest: int | None, now: int) -> Decision:
    """Accept the people-written entropy of an accepted draw if round R does not exist yet."""
    source = order.drand_source(files.request)
    if source is not None:
        if latest is None:
            return Decision("pending", "无法取得 drand 最新轮次，随机源保持待受理。")
        chain = order.chain_of(files.request)
        if latest >= source[1] or now >= order.time_of(source[1], chain):
            if not order.names_ceremony(files.request):
                # too late to count, and no reason to refuse the draw: it goes on without it
                # (order.entropy_unused), so sending it late cannot withdraw a draw after the beacon
                ignored = order.problem("REGISTRY_ENTROPY_IGNORED", round=source[1])
                return Decision("ignored", ignored.message, ignored.code)
            problem = order.problem(
                "REGISTRY_ENTROPY_LATE",
                round=source[1],
                round_time=order.when(order.time_of(source[1], chain)),
                state=f"尚未受理（提交受理时最新轮次 {latest}）",
            )
            refuse(records, files, "entropy", problem, now, latest)
            return Decision("refused", problem.message, problem.code)
    malformed = entropy_shape(files.entropy or {}) or "；".join(
        f"{field} 的值“{value}”{why}"
        for field, value, why in entropy_value_problems(files.request.get("sources"), files.entropy)
    )
    if malformed:
        problem = order.problem("REGISTRY_ENTROPY_INVALID", detail=malformed)
        refuse(records, files, "entropy", problem, now, latest)
        return Decision("refused", problem.message, problem.code)
    day, at = _moment(now)
    value = entropy_digest(files.entropy or {})
    entry = {"event": "entropy", "draw_id": files.draw_id, "entropy_digest": value, "at": at}
    entry.update(_public_entropy(files.entropy or {}))
    data: dict = {"id": files.draw_id, "accepted_on": day, "accepted_at": at}
    if source is not None:
        entry["latest_round"] = latest
        data["latest_round"] = latest
    data["entropy_digest"] = value
    data["log_head"] = append_log(records, entry)
    store.write_text(
        files.path / store.ENTROPY_ACCEPTED, store.dump_yaml(data, "# 随机源受理记录：由 CI 写入。\n")
    )
    return Decision("accepted", "随机源已受理。")


def entropy_shape(entropy: dict) -> str:
    """Why the people-written part cannot be digested, logged or used ('' if it can): each of
    ``ceremony`` and ``reveals`` a mapping of names to text or integers."""
    for key in ("ceremony", "reveals"):
        value = entropy.get(key)
        if value is None:
            continue
        if not isinstance(value, dict):
            return f"{key} 应为“名称: 值”的映射，实为“{value}”"
        for name, item in value.items():
            if not isinstance(name, str) or isinstance(item, bool) or not isinstance(item, str | int):
                return f"{key}.{name} 的值“{item}”应为文字或整数"
    return ""


def _public_entropy(entropy: dict) -> dict:
    out = {}
    if entropy.get("ceremony"):
        out["ceremony"] = {str(k): str(v) for k, v in entropy["ceremony"].items()}
    if entropy.get("reveals"):
        out["reveals"] = {str(k): str(v) for k, v in entropy["reveals"].items()}
    return out


def ceremony_overdue(files: DrawFiles, now: int) -> order.Problem | None:
    """Round R has come and people-written entropy the draw cannot go without was not accepted
    before it: the ceremony digits the request names, or a reveal whose rule is ``fail``. Decided
    by what CI accepted before R alone (``entropy-accepted.yaml``), never by what arrives after,
    so nothing sent once the outcome is computable can change it; and the draw is closed, not left
    waiting for ever (it could then neither be drawn nor, its round having come, superseded)."""
    source = order.drand_source(files.request)
    if source is None or now < order.time_of(source[1], order.chain_of(files.request)):
        return None
    sources = [s for s in files.request.get("sources") or [] if isinstance(s, dict)]
    if files.entropy_accepted is None and any(s.get("kind") == "ceremony" for s in sources):
        state = "仍未受理（申请指定了现场摇号）"
    else:
        entropy = (files.entropy or {}) if files.entropy_accepted is not None else {}

        def accepted(key: str) -> dict:
            return entropy.get(key) if isinstance(entropy.get(key), dict) else {}

        missing = [
            f"现场摇号 {s.get('name')} 的数字"
            for s in sources
            if s.get("kind") == "ceremony" and s.get("name") not in accepted("ceremony")
        ] + [
            f"{s.get('name')} 的揭示值（缺失规则为 fail）"
            for s in sources
            if s.get("kind") == "commit_reveal"
            and s.get("missing") != "drop"
            and s.get("name") not in accepted("reveals")
        ]
        if not missing:
            return None
        state = f"缺少{'、'.join(missing)}，须在该轮之前经 CI 受理"
    return order.problem(
        "REGISTRY_ENTROPY_LATE",
        round=source[1],
        round_time=order.when(order.time_of(source[1], order.chain_of(files.request))),
        state=state,
    )


def close_superseded(records, corpus, files: DrawFiles, now: int, latest: int | None) -> list[str]:
    """Close every earlier draw of the task that is still open, now that ``files`` (a later request
    for it) is accepted. Acceptance requires that none of them has a known outcome
    (``rederive.supersedes_problems``), so closing them decides nothing; left open, a superseded
    draw would still be drawn at its round, and a unit that saw its objects could then keep them
    (get the new draw refused, e.g. by withholding its digits) or drop them (let the new one draw)."""
    from generator.registry.run import read
    from generator.rules.draws import registry_key

    task = files.request.get("task")
    own = registry_key({**files.request, "id": files.draw_id})
    closed = []
    for r in corpus.of("draw_request"):
        draw_id = r.data.get("id")
        if r.data.get("task") != task or draw_id == files.draw_id or not registry_key(r.data) < own:
            continue
        try:
            earlier = read(records, str(draw_id))
        except Exception:  # noqa: BLE001 - an unreadable folder is closed by accept's own pass
            continue
        if earlier.closed:
            continue
        found = order.problem("REGISTRY_SUPERSEDED", task=task, later=files.draw_id)
        refuse(records, earlier, "superseded", found, now, latest)
        closed.append(earlier.draw_id)
    return closed


def record_failure(records, files: DrawFiles, code: str, message: str, day: dt.date) -> None:
    """Publish a draw that failed after its randomness was known; it is never redrawn."""
    entry = {"event": "failed", "draw_id": files.draw_id, "code": code, "reason": message}
    entry["task"] = files.request.get("task")
    head = append_log(records, entry)
    data = {"id": files.draw_id, "task": files.request.get("task"), "failed_on": day, "code": code}
    data.update(reason=message, log_head=head)
    store.write_text(files.path / store.FAILED, store.dump_yaml(data, "# 抽取失败记录：由 CI 写入，公开。\n"))
