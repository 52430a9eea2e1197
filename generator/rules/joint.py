"""Joint tasks as the county plan means them: each department brings, inspects and enters its own items.

* Every participant of a task brings at least one item of its own current list (谁主管、谁监管); a
  department that brings nothing would otherwise publish results on another department's items.
* Co-initiators (方案 二（五）“由多个部门共同发起”) are participants too.
* Each department's own inspection rests on at least ``min_per_department`` certified officers
  (county setting, default 2: 《行政处罚法》第四十二条, 《特种设备安全监督检查办法》第十九条), both in
  the task's staffing and in the teams as they actually inspected (the results: its own officers,
  counted by ``rules/results.py`` with the units the draw froze).
* A result entry covers only the entering department's own items of the task.
* A pending draw request draws officers the way the task (or the county) chose: centrally or each
  department from its own roster (docs/draw-protocol.md §11).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.rules.items import version_on
from generator.rules.settings import settings


def check(corpus) -> Iterator[Finding]:
    yield from check_tasks(corpus)
    yield from check_results(corpus)


def check_tasks(corpus) -> Iterator[Finding]:
    """Tasks, plans and draw requests (no results)."""
    minimum = settings(corpus)["object_rules"]["min_per_department"]
    for task in corpus.of("tasks"):
        yield from _departments_bring_items(corpus, task)
        yield from _co_initiators(task, task.data)
        yield from _per_department_staffing(task, minimum)
    for plan in corpus.of("plans"):
        for i, entry in enumerate(plan.data.get("entries", [])):
            yield from _co_initiators(plan, entry, ("entries", i))
    yield from _officer_draw_in_requests(corpus)


class ResultsAgainst:
    """What each results record is checked against: the tasks and the items lists
    (``own_items``). Equal when those are equal: serve's preview keeps each results file's findings
    while it is (site/rule_cache.py)."""

    def __init__(self, corpus):
        self.key = (
            {tid: t.data for tid, t in corpus.tasks.items()},
            [(r.data, r.owner) for r in corpus.of("items")],
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ResultsAgainst) and self.key == other.key

    __hash__ = None  # type: ignore[assignment]


def check_results(
    corpus, records: dict | None = None, against: ResultsAgainst | None = None
) -> Iterator[Finding]:
    """Each results record's items (default: every record): a function of the record and
    ``against``."""
    for r in corpus.of("results") if records is None else records.get("results", []):
        yield from _result_items(corpus, r)


# ``check`` in two parts, in its order: the first reads no results (reused when only results
# change), the second is kept per results file while its context is equal (site/rule_cache.py)
check_results.PER_RECORD = True  # type: ignore[attr-defined]
check_results.CONTEXT = ResultsAgainst  # type: ignore[attr-defined]
PARTS = (("joint", check_tasks), ("joint.results", check_results))


def own_items(corpus, task: dict, unit: str) -> list[str]:
    """The task's items that belong to ``unit``'s own list on the window's first day."""
    day = task.get("window", {}).get("from")
    out = []
    for code in task.get("items", []):
        version = version_on(corpus, code, day)
        if version is not None and version.owner.get("unit") == unit:
            out.append(code)
    return out


def entry_items(corpus, task: dict, unit: str, entry: dict) -> list[str]:
    """Items a result entry speaks for: those it lists, else the unit's own items of the task."""
    return list(entry.get("items") or own_items(corpus, task, unit))


def _departments_bring_items(corpus, task) -> Iterator[Finding]:
    t = task.data
    if not t.get("window", {}).get("from"):
        return
    known = [c for c in t.get("items", []) if c in corpus.items_by_code]
    if len(known) < len(t.get("items", [])):
        return  # an unknown item is already reported; ownership cannot be judged
    for i, unit in enumerate(t.get("participants", [])):
        if not own_items(corpus, t, unit):
            line, col = task.loc("participants", i)
            yield finding(
                "TASK_PARTICIPANT_NO_ITEM",
                task.file,
                line,
                col,
                ("participants", i),
                unit,
                expected="、".join(t.get("items", [])),
            )


def _co_initiators(record, t: dict, prefix: tuple = ()) -> Iterator[Finding]:
    """Co-initiators of a task or of a plan entry are participants other than the initiator."""
    participants = t.get("participants", [])
    for i, unit in enumerate(t.get("co_initiators", [])):
        if unit not in participants or unit == t.get("initiator"):
            path = (*prefix, "co_initiators", i)
            line, col = record.loc(*path)
            yield finding("TASK_CO_INITIATOR_INVALID", record.file, line, col, path, unit)


def _per_department_staffing(task, minimum) -> Iterator[Finding]:
    staffing = task.data.get("inspectors", {})
    per_unit = staffing.get("per_unit", 1)
    if "team_size" in staffing and per_unit < minimum:
        line, col = task.loc("inspectors")
        yield finding(
            "TASK_PER_UNIT_BELOW_MINIMUM",
            task.file,
            line,
            col,
            ("inspectors", "per_unit"),
            per_unit,
            expected=minimum,
        )


def _result_items(corpus, r) -> Iterator[Finding]:
    task = corpus.tasks.get(r.data.get("task"))
    unit = r.data.get("unit")
    if task is None or not unit:
        return
    own = set(own_items(corpus, task.data, unit))
    for i, entry in enumerate(r.data.get("entries", [])):
        for j, code in enumerate(entry.get("items", [])):
            if code not in own:
                line, col = r.loc("entries", i, "items", j)
                yield finding(
                    "RESULT_ITEM_NOT_OWN",
                    r.file,
                    line,
                    col,
                    ("entries", i, "items", j),
                    code,
                    unit=unit,
                    expected="、".join(sorted(own)) or "无",
                )


def _officer_draw_in_requests(corpus) -> Iterator[Finding]:
    """Requests not yet accepted must carry the task's officer draw choice (§11) in their parameters."""
    default = settings(corpus)["object_rules"].get("officer_draw", "central")
    closed = {
        r.data.get("id")
        for kind in ("draw_accepted", "draw_result", "draw_failed", "draw_refused")
        for r in corpus.of(kind)
    }
    for r in corpus.of("draw_request"):
        task = corpus.tasks.get(r.data.get("task"))
        params = r.data.get("parameters")
        if task is None or r.data.get("id") in closed or not isinstance(params, dict):
            continue
        wanted = task.data.get("inspectors", {}).get("officer_draw") or default
        teams = params.get("teams") if isinstance(params.get("teams"), dict) else {}
        found = teams.get("officer_draw", "central")
        if found != wanted:
            yield finding(
                "DRAW_OFFICER_DRAW_MISMATCH",
                r.file,
                *r.loc("parameters"),
                ("parameters", "teams", "officer_draw"),
                found,
                expected=wanted,
                task=task.data.get("id"),
            )
