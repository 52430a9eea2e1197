"""Tasks: planned or justified, coordinated at a meeting, staffed by every participating unit."""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.rules.items import version_on
from generator.rules.settings import settings

STRATA_KEYS = {"credit_risk": {"A", "B", "C", "D"}}


def check(corpus) -> Iterator[Finding]:
    min_team = settings(corpus)["object_rules"]["min_team_size"]
    for task in corpus.of("tasks"):
        d = task.data
        yield from _type_and_reason(task)
        yield from _year_and_plan(corpus, task)
        participants = d.get("participants", [])
        initiator = d.get("initiator")
        if initiator and participants and initiator not in participants:
            line, col = task.loc("participants")
            yield finding("TASK_INITIATOR_NOT_PARTICIPANT", task.file, line, col, "participants", initiator)
        present = set(d.get("meeting", {}).get("units_present", []))
        if present:
            for unit in participants:
                if unit not in present:
                    line, col = task.loc("meeting", "units_present")
                    yield finding(
                        "TASK_MEETING_MISSING_UNIT", task.file, line, col, ("meeting", "units_present"), unit
                    )
        yield from _staffing(task, participants, min_team)
        yield from _items_in_force(corpus, task)
        yield from _strata(task)


def _type_and_reason(task) -> Iterator[Finding]:
    d = task.data
    kind = d.get("type")
    if kind == "计划内" and "plan_entry" not in d:
        line, col = task.loc("type")
        yield finding("TASK_PLAN_MISSING", task.file, line, col, "plan_entry", kind)
    if kind in ("临时", "专项整治", "投诉举报", "转办") and not str(d.get("reason") or "").strip():
        line, col = task.loc("type")
        yield finding("TASK_REASON_MISSING", task.file, line, col, "reason", kind)


def _year_and_plan(corpus, task) -> Iterator[Finding]:
    """A task counts in the year its id names and carries out a plan entry of that year's plan of a
    unit taking part. ``year`` and ``plan_entry`` are not frozen by the draw (its request holds the
    id, window, units and items), so without this a drawn task could be moved to another year's
    figures (plan execution, the yearly joint-task duty) or credited to another unit's plan entry,
    which then showed 已实施 for a task that unit never took part in."""
    d = task.data
    tid, year = d.get("id"), d.get("year")
    named = int(tid[1:5]) if isinstance(tid, str) and tid[1:5].isdigit() else None
    if named is not None and isinstance(year, int) and year != named:
        yield finding("TASK_YEAR_MISMATCH", task.file, *task.loc("year"), "year", year, expected=named)
    found = corpus.plan_entries.get(d.get("plan_entry"))
    if found is None or not isinstance(year, int):
        return  # no plan entry, or REF_UNKNOWN
    plan = found[0].data
    units = [u for u in [d.get("initiator"), *d.get("participants", [])] if isinstance(u, str)]
    units = list(dict.fromkeys(units))  # an initiator left out of the participants is its own finding
    problems = []
    if plan.get("year") != (named or year):
        problems.append(f"属于 {plan.get('year')} 年度的计划")
    if plan.get("unit") not in units:
        problems.append(f"属于未参与本任务的单位“{plan.get('unit')}”的计划")
    if problems:
        yield finding(
            "TASK_PLAN_ENTRY_FOREIGN",
            task.file,
            *task.loc("plan_entry"),
            "plan_entry",
            d.get("plan_entry"),
            detail="、".join(problems),
            year=named or year,
            units="、".join(units),
        )


def _staffing(task, participants, min_team) -> Iterator[Finding]:
    staffing = task.data.get("inspectors", {})
    size, per_unit = staffing.get("team_size"), staffing.get("per_unit", 1)
    if size is None:
        return
    path = ("inspectors", "team_size")
    line, col = task.loc(*path)
    needed = max(min_team, per_unit * len(participants))
    if size < needed:
        yield finding("TASK_TEAM_TOO_SMALL", task.file, line, col, path, size, found=size, expected=needed)


def _items_in_force(corpus, task) -> Iterator[Finding]:
    window = task.data.get("window", {})
    day = window.get("from")
    if day is None:
        return
    for i, code in enumerate(task.data.get("items", [])):
        if code not in corpus.items_by_code:
            continue  # REF_UNKNOWN already says so
        version = version_on(corpus, code, day)
        if version is None or version.data.get("status") == "已废止":
            versions = corpus.items_by_code[code]
            span = "、".join(
                f"{v.data.get('effective_from')} 至 {v.data.get('effective_to') or '今'}" for v in versions
            )
            line, col = task.loc("items", i)
            yield finding(
                "ITEM_NOT_EFFECTIVE",
                task.file,
                line,
                col,
                ("items", i),
                code,
                date=day.isoformat(),
                expected=span,
            )


def _strata(task) -> Iterator[Finding]:
    sampling = task.data.get("sampling", {})
    stratify = sampling.get("stratify", "credit_risk")
    ratios, counts = sampling.get("ratios", {}), sampling.get("counts", {})
    line, col = task.loc("sampling")
    if bool(ratios) == bool(counts):
        yield finding(
            "TASK_STRATUM_RULE",
            task.file,
            line,
            col,
            "sampling",
            "",
            stratify=stratify,
            detail="“各层抽查比例”和“各层抽查数量”必须且只能填写一项",
        )
    keys = set(ratios) | set(counts)
    allowed = STRATA_KEYS.get(stratify)
    if stratify == "none" and keys - {"all"}:
        yield finding(
            "TASK_STRATUM_RULE",
            task.file,
            line,
            col,
            "sampling",
            "",
            stratify=stratify,
            detail="比例或数量只能用键 all",
        )
    elif allowed and keys - allowed:
        bad = "、".join(sorted(keys - allowed))
        yield finding(
            "TASK_STRATUM_RULE",
            task.file,
            line,
            col,
            "sampling",
            bad,
            stratify=stratify,
            detail=f"层只能是 A、B、C、D，不能是“{bad}”",
        )
