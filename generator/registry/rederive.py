"""Check a request against the records before any randomness exists (issue 11, points 5 and 6).

Nothing in ``request.yaml`` or ``pool-internal.json`` is taken on trust. The candidate pool, the
rosters, the parameters and the sources are rebuilt from the records as of ``requested_on`` with the
same code the ``request`` command uses; any missing or extra row, any other ratio, cap or privacy
mode is a difference. Salts cannot be rebuilt (they are secret), so rows are compared without them.

Then feasibility of *every possible outcome*: in township mode every candidate that could be drawn
must be staffable from its township's inspectors; in unit mode every participating department
(its own minimum, §11) must have enough people left after recusals and caps for any drawn object
in any order; in both, the task's experts and testing bodies too (``assistants_per_team``) — so the
draw cannot fail after the beacon.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.draw import DrawError, check_policy, stratum_count
from generator.draw.model import ALGORITHM, parse_request, parse_source
from generator.draw.objects import exclusion_reason
from generator.draw.people import parse_people
from generator.draw.teams import is_eligible, unit_demand
from generator.errors import Finding
from generator.registry.order import Problem, problem
from generator.registry.request import RequestError, build, engine_view
from generator.rules.draws import outcome_known, registry_key

MAX_LISTED = 5
# How long before CI's acceptance a request may be dated. ``requested_on`` is the reference date of
# every exclusion fact in the pool (结果互认, recently inspected, the yearly cap, the previous team):
# a date the clerk picks freely picks which firms are excluded. The request is made again (a new
# pool, a new date) when its pull request waits longer.
REQUEST_MAX_AGE_DAYS = 14


def _rows_without_salt(rows) -> dict[str, dict]:
    return {r.get("id"): {k: v for k, v in r.items() if k != "salt"} for r in rows if isinstance(r, dict)}


def _diff_rows(label: str, expected: list, found: list) -> list[Problem]:
    want, have = _rows_without_salt(expected), _rows_without_salt(found or [])
    missing = sorted(set(want) - set(have), key=str)
    extra = sorted(set(have) - set(want), key=str)
    changed = sorted((k for k in set(want) & set(have) if want[k] != have[k]), key=str)
    out = []
    for code, ids in (
        ("REGISTRY_POOL_MISSING_ROWS", missing),
        ("REGISTRY_POOL_EXTRA_ROWS", extra),
        ("REGISTRY_POOL_ROW_CHANGED", changed),
    ):
        if ids:
            shown = "、".join(map(str, ids[:MAX_LISTED])) + ("等" if len(ids) > MAX_LISTED else "")
            out.append(problem(code, pool=label, count=len(ids), ids=shown))
    return out


def _diff_values(path: str, expected, found) -> list[str]:
    if isinstance(expected, dict) and isinstance(found, dict):
        out = []
        for key in sorted(set(expected) | set(found), key=str):
            out += _diff_values(f"{path}.{key}", expected.get(key), found.get(key))
        return out
    return [] if expected == found else [f"{path} 应为 {expected!r}，实为 {found!r}"]


def request_problems(corpus, files, now: int | None = None) -> list[Problem]:
    """Every difference between the request and what the records say it must be, plus infeasibility
    (``now``: the moment CI decides, for the rounds that have come)."""
    request = files.request
    try:
        view = engine_view(request)
        algorithm = request.get("algorithm", ALGORITHM)
        parsed_sources = [parse_source(s, algorithm) for s in request.get("sources", [])]
    except (DrawError, KeyError, TypeError, AttributeError) as exc:
        return [problem("REGISTRY_REQUEST_INVALID", detail=f"格式不对：{getattr(exc, 'message', exc)}")]
    from generator.rules.draws import policy_of

    issues = check_policy(policy_of(corpus), parsed_sources)
    out = [problem("REGISTRY_POLICY", detail=i.message.rstrip("。")) for i in issues]
    out += requested_on_problems(request.get("requested_on"), now)
    out += supersedes_problems(corpus, files, now)
    drand = next((s.round for s in parsed_sources if s.kind == "drand"), None)
    commitments = {s.name: s.commitment for s in parsed_sources if s.kind == "commit_reveal"}
    try:
        expected, pools = build(
            corpus,
            request.get("task", ""),
            files.draw_id,
            request.get("seq", 0),
            request.get("requested_on"),
            drand,
            commitments,
            b"rederive",  # any secret: salts are not compared
        )
    except (RequestError, KeyError, TypeError, ValueError, AttributeError) as exc:
        return out + [problem("REGISTRY_REQUEST_INVALID", detail=f"无法按记录重建：{exc}")]
    differences = _diff_values("algorithm", expected["algorithm"], request.get("algorithm"))
    differences += _diff_values("parameters", expected["parameters"], _dates(request.get("parameters")))
    differences += _diff_values("sources", expected["sources"], request.get("sources"))
    if differences:
        shown = "；".join(differences[:MAX_LISTED]) + ("……" if len(differences) > MAX_LISTED else "")
        out.append(problem("REGISTRY_PARAMETERS_MISMATCH", detail=shown))
    internal = files.pools or {}
    for key, label in (
        ("objects", "候选对象池"),
        ("inspectors", "执法检查人员库"),
        ("assistants", "辅助人员库"),
    ):
        out += _diff_rows(label, pools[key], internal.get(key, []))
    if not out:
        out += feasibility_problems(view, pools)
    return out


def requested_on_problems(value, now: int | None) -> list[Problem]:
    """The request's date is at most REQUEST_MAX_AGE_DAYS before the day CI accepts it (``now``:
    CI's clock) and not after today (validate, the pull-request check, has no ``now``). "Today" is
    ``reference_date``'s, the later of the clock and SOURCE_DATE_EPOCH, as for every "not in the
    future" check (a test or a dry run may look ahead)."""
    import datetime as dt

    from generator.registry.clock import today
    from generator.rules.results_context import reference_date

    latest = max(today(now), reference_date()) if now is not None else reference_date()
    earliest = today(now) - dt.timedelta(days=REQUEST_MAX_AGE_DAYS) if now is not None else None
    day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
    if day is None and isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is not None and day <= latest and (earliest is None or day >= earliest):
        return []
    allowed = f"{earliest} 至 {latest}" if earliest else f"不晚于 {latest}"
    return [problem("REGISTRY_REQUESTED_ON_INVALID", value=value, allowed=allowed, days=REQUEST_MAX_AGE_DAYS)]


def _dates(value):
    from generator.registry.store import isoformat_dates

    return isoformat_dates(value) if value is not None else None


def feasibility_problems(view: dict, pools: dict) -> list[Problem]:
    """Every object that could be drawn can be staffed, whatever the randomness (both modes)."""
    try:
        req = parse_request(view)
        inspectors = parse_people(pools.get("inspectors", []))
    except DrawError as exc:
        return [problem("REGISTRY_REQUEST_INVALID", detail=exc.message.rstrip("。"))]
    eligible = [p for p in inspectors if is_eligible(p, req.task, req.task.items)]
    units = {u.id for u in req.task.units}
    eligible = [p for p in eligible if p.unit in units]
    demand = unit_demand(req.task, req.teams)
    candidates, sizes = [], {}
    for row in pools.get("objects", []):
        reason = exclusion_reason(
            row.get("deregistered", False),
            row.get("recognised_result", False),
            row.get("inspections_this_year", 0),
            row.get("key_item", False),
            row.get("last_inspected_by_unit"),
            req.objects,
        )
        if reason is None:
            candidates.append(row)
            sizes[row.get("stratum")] = sizes.get(row.get("stratum"), 0) + 1
    total = sum(stratum_count(s, sizes.get(s.name, 0)) for s in req.objects.strata)
    if total == 0:
        return []
    try:
        helpers = _assistant_problems(req, pools, candidates, total)
    except DrawError as exc:
        return [problem("REGISTRY_REQUEST_INVALID", detail=exc.message.rstrip("。"))]
    cap = req.teams.max_objects_per_inspector
    if req.teams.mode != "township":
        return _unit_mode_problems(req, eligible, candidates, demand, total, cap) + helpers
    by_town: dict[str, list[dict]] = {}
    for row in candidates:
        by_town.setdefault(row.get("township", ""), []).append(row)
    out = []
    for town, rows in sorted(by_town.items()):
        teams = min(total, len(rows))
        for unit in req.task.units:
            here = [p for p in eligible if p.unit == unit.id and town in p.office_townships]
            need = demand[unit.id]
            required = need if cap is None else max(need, -(-need * teams // cap))
            worst = min(
                (len([p for p in here if p.id not in _blocked(row, here)]) for row in rows), default=len(here)
            )
            # people who may already have reached the cap when a candidate of this township is
            # staffed: objects of any township (an office may cover several) took need each
            capped = 0 if cap is None else (total - 1) * need // cap
            if len(here) < required or worst - capped < need:
                # published when accept refuses: the counts stay internal (recusals must not be inferable)
                public = problem(
                    "REGISTRY_INFEASIBLE",
                    township=town or "（无乡镇）",
                    unit=unit.name,
                    teams=teams,
                    need=max(required, need + capped),
                )
                internal = f"覆盖该乡镇的合格人员 {len(here)} 名，排除回避和上次检查人员后最少 {worst} 名" + (
                    "" if cap is None else f"，最多 {capped} 人可能已满额"
                )
                out.append(Problem(public.code, public.message, internal))
    return out + helpers


def _assistant_problems(req, pools: dict, candidates: list[dict], total: int) -> list[Problem]:
    """The experts and testing bodies (专家和检测机构库) as the officers above: whichever objects
    are drawn, in any order, each team gets its ``assistants_per_team``. They are one roster for
    the task (the engine's ``helpers``), ranked per object after the people blocked from it (declared
    conflicts, the previous team) and those at their cap. Before, a single expert who declared a
    conflict with a candidate made the draw fail after the beacon exactly when that firm was drawn,
    and a failed draw may be requested again: the firm was shielded from the task."""
    k = req.teams.assistants_per_team
    if not k:
        return []
    items = (req.teams.assistant_qualification,) if req.teams.assistant_qualification else ()
    helpers = [
        p for p in parse_people(pools.get("assistants", []), "辅助人员库") if is_eligible(p, req.task, items)
    ]
    ids = {p.id for p in helpers}
    worst = max((len(_blocked(row, helpers) & ids) for row in candidates), default=0)
    cap = req.teams.max_objects_per_assistant
    capped = 0 if cap is None else (total - 1) * k // cap
    if len(helpers) - worst - capped >= k:
        return []
    return [
        Problem(
            "REGISTRY_INFEASIBLE",
            f"专家和检测机构库中合格的辅助人员不够：每个检查组需要 {k} 名，最多 {total} 个检查组"
            + ("" if cap is None else f"、每名最多 {cap} 组")
            + "，抽中某些候选对象后可能无法组队。请补充辅助人员或调整规则后重新申请。",
            f"合格辅助人员 {len(helpers)} 名"
            + ("" if cap is None else f"，最多 {capped} 名可能已满额")
            + f"，某候选对象须回避 {worst} 名（利害关系或上次检查）",
        )
    ]


def _unit_mode_problems(req, eligible, candidates, demand, total, cap) -> list[Problem]:
    """Per department (§6, §11): greedy staffing cannot get stuck, whichever objects are drawn.

    When department d staffs an object, at most ⌊(total − 1)·k / cap⌋ of its people have reached the
    cap (each took cap objects out of at most (total − 1)·k places so far) and at most B are blocked
    (the most of d's people any candidate blocks), so N − B − ⌊(total − 1)·k / cap⌋ ≥ k guarantees k
    free people for every object in every order. Checked before any randomness exists."""
    out = []
    for unit in req.task.units:
        here = [p for p in eligible if p.unit == unit.id]
        need = demand[unit.id]
        worst = max((len(_blocked(row, here) & {p.id for p in here}) for row in candidates), default=0)
        capped = 0 if cap is None else (total - 1) * need // cap
        if len(here) - worst - capped < need:
            out.append(
                Problem(
                    "REGISTRY_INFEASIBLE",
                    f"{unit.name}的合格执法检查人员不够：每个检查组需要 {need} 名，最多 {total} 个检查组"
                    + ("" if cap is None else f"、每人最多 {cap} 组")
                    + "，抽中某些候选对象后可能无法组队。请补充人员或调整规则后重新申请。",
                    f"合格人员 {len(here)} 名"
                    + ("" if cap is None else f"，最多 {capped} 人可能已满额")
                    + f"，某候选对象须回避 {worst} 名（利害关系或上次检查）",
                )
            )
    return out


def _blocked(row: dict, people) -> set[str]:
    blocked = set(row.get("previous_inspectors") or [])
    blocked |= {p.id for p in people if row.get("id") in p.conflicts}
    return blocked


def beacon_known(corpus, draw_id: str, request: dict, now: int | None = None) -> bool:
    """The draw's outcome can be known: it has a result or a recorded beacon (``outcome_known``),
    or (``now`` given) its drand round has come. A refused or failed draw has no outcome."""
    from generator.registry.order import chain_of, drand_source, time_of

    known = outcome_known(corpus, draw_id)
    if known is not None:
        return known
    source = drand_source(request)
    return now is not None and source is not None and now >= time_of(source[1], chain_of(request))


def supersedes_problems(corpus, files, now: int | None = None) -> list[Problem]:
    """A later request for an already requested task must name the draw it supersedes and why, and
    no earlier draw of the task may have a known outcome: superseding a draw after its beacon (or
    its result) is public would let a unit redraw until the objects suit it."""
    task, seq = files.request.get("task"), files.request.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        # taken as 0 it would place the request before every draw of its task (no supersedes needed)
        return [problem("REGISTRY_REQUEST_INVALID", detail=f"seq 为“{seq}”，应为正整数（登记簿顺序号）")]
    own = registry_key({**files.request, "id": files.draw_id})
    # any other draw of the task, earlier or (by a seq or id chosen to sort first) later
    others = {
        r.data.get("id"): r.data
        for r in corpus.of("draw_request")
        if r.data.get("task") == task and r.data.get("id") != files.draw_id
    }
    known = sorted(str(d) for d, data in others.items() if beacon_known(corpus, d, data, now))
    earlier = {
        r.data.get("id"): r.data
        for r in corpus.of("draw_request")
        if r.data.get("task") == task and r.data.get("id") != files.draw_id and registry_key(r.data) < own
    }
    target = files.request.get("supersedes")
    if not earlier:
        if known:  # placed first (a seq or id chosen to sort before a drawn draw of the task)
            return [problem("REGISTRY_SUPERSEDES_DRAWN", task=task, drawn="、".join(known))]
        if target:
            return [
                problem(
                    "REGISTRY_SUPERSEDES_INVALID", value=target, task=task, earlier="无，本任务没有更早的抽取"
                )
            ]
        return []
    if not target or not str(files.request.get("reason") or "").strip():
        return [problem("REGISTRY_SUPERSEDES_MISSING", task=task, earlier="、".join(sorted(earlier)))]
    if target not in earlier:
        return [
            problem(
                "REGISTRY_SUPERSEDES_INVALID", value=target, task=task, earlier="、".join(sorted(earlier))
            )
        ]
    if known:
        return [problem("REGISTRY_SUPERSEDES_DRAWN", task=task, drawn="、".join(known))]
    return []


def pending_request_findings(corpus) -> Iterator[Finding]:
    """Requests not accepted yet are rebuilt from the records: the PR check before any randomness.

    Once CI accepted a request (after the same check), the records may change while it waits for its
    round; re-checking it then would fail every later pull request for a legitimate edit.
    """
    from generator.errors import finding
    from generator.registry import store
    from generator.registry.run import DrawFiles
    from generator.registry.store import DRAW_ID as DRAW_FOLDER

    requests = corpus.of("draw_request")
    closed = {
        r.data.get("id")
        for kind in ("draw_accepted", "draw_result", "draw_failed", "draw_refused")
        for r in corpus.of(kind)
    }
    for r in requests:
        draw_id = r.data.get("id")
        if draw_id in closed or not isinstance(draw_id, str) or not DRAW_FOLDER.fullmatch(draw_id):
            continue
        pools_path = store.folder(corpus.root, draw_id) / store.POOLS
        try:
            pools = store.read_json(pools_path) if pools_path.exists() else None
        except ValueError:
            pools = None
        files = DrawFiles(draw_id, pools_path.parent, r.data, pools, None, None, None)
        for p in request_problems(corpus, files):
            if not p.code.startswith("REGISTRY_SUPERSEDES"):
                yield finding(
                    "DRAW_REQUEST_MISMATCH",
                    r.file,
                    *r.loc("parameters"),
                    "parameters",
                    p.code,
                    detail=p.message,
                )
