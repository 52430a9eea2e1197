"""Inspection results: only drawn objects, inside the window, by participating units, on time.

The 10-working-day entry rule is the county's (configurable in county.yaml); the national 20-working-day
publication rule (企业信息公示暂行条例 第六条) is reported too. Both are warnings: a late entry is a
fact to publish and report, not a record to reject. A year whose holiday schedule is not yet known
yields HOLIDAY_SCHEDULE_MISSING instead of a guess.
"""

from __future__ import annotations

import datetime as dt
from collections import ChainMap
from collections.abc import Iterator

from generator.calendar.workdays import WorkCalendar
from generator.errors import Finding, finding
from generator.records.results import AMENDABLE
from generator.rules.result_dates import future_dates, timeliness
from generator.rules.results_context import Against, reference_date
from generator.rules.uscc import canonical_id

__all__ = ["Against", "check", "check_records", "entry_delay", "reference_date"]


def check(corpus) -> Iterator[Finding]:
    yield from check_records(corpus)
    yield from check_holiday_schedules(corpus)


def check_records(corpus, records: dict | None = None, against: Against | None = None) -> Iterator[Finding]:
    """Each results record's findings, from it and ``against`` alone (default: every record of
    the corpus, against the corpus), all but HOLIDAY_SCHEDULE_MISSING (once per year: corpus-wide)."""
    against = Against(corpus) if against is None else against
    a = against
    today = a.today
    # A task named by a draw request is a random task whatever its ``type`` says now
    # (drawn.non_random_task_ids).
    for r in corpus.of("results") if records is None else records.get("results", []):
        task = a.tasks.get(r.data.get("task"))
        unit = r.data.get("unit")
        non_random = task is not None and task.data.get("id") in a.non_random
        if task is not None:
            yield from _bound_to_draw(r, task, a, non_random)
        if task is not None and unit and unit not in task.data.get("participants", []):
            line, col = r.loc("unit")
            yield finding(
                "RESULT_UNIT_NOT_PARTICIPANT", r.file, line, col, "unit", unit, task=task.data["id"]
            )
        # the draw's frozen units before today's roster; a merged dict per entry copied every
        # inspector 91,000 times at county size (8 CPU-s)
        units = ChainMap(a.frozen_units.get(r.data.get("task"), {}), a.inspector_units)
        for i, entry in _first_entries(r):
            if i < 0:
                yield entry  # RESULT_DUPLICATE
                continue
            here = ("entries", i)
            if task is not None:
                drawn = None if non_random else a.teams.get(task.data["id"])  # no draw: one finding per file
                yield from _against_task(r, here, entry, task, drawn)
                if not non_random:
                    yield from _before_draw(r, here, entry, a.drawn_on, a.current_draw.get(task.data["id"]))
            yield from _own_inspector(r, here, entry, unit, units, a.min_per_department, units.maps[0])
            yield from _conflicts(r, here, entry, a.conflicts, a.frozen_conflicts.get(r.data.get("task"), {}))
            yield from _categories(r, here, entry, a.categories)
            yield from future_dates(r, here, entry, today)
            yield from timeliness(r, here, entry, a.calendar, a.entry_days, a.publication_days)
            yield from _amendments(r, here, entry, a.categories, today)


def _first_entries(r) -> Iterator[tuple[int, dict]]:
    """(index, entry) of a record's entries, reporting RESULT_DUPLICATE (as a finding in place of
    the entry) for an object listed again: only the first is checked further."""
    seen: dict[str, int] = {}
    for i, entry in enumerate(r.data.get("entries", [])):
        obj = entry.get("object")
        here = ("entries", i)
        if obj in seen:
            line, col = r.loc(*here, "object")
            yield (
                -1,
                finding(
                    "RESULT_DUPLICATE",
                    r.file,
                    line,
                    col,
                    here + ("object",),
                    obj,
                    unit=r.data.get("unit"),
                    other_line=seen[obj],
                ),
            )
            continue
        if obj is not None:
            seen[obj] = r.loc(*here)[0]
        yield i, entry


def check_holiday_schedules(corpus) -> Iterator[Finding]:
    """HOLIDAY_SCHEDULE_MISSING: once per unknown year, at the first entry (in corpus order) whose
    working days cannot be counted for it (a duplicate entry is not counted: RESULT_DUPLICATE)."""
    calendar = WorkCalendar.from_corpus(corpus)
    known: dict[int, bool] = {}
    missing_years: set[int] = set()
    for r in corpus.of("results"):
        seen: set = set()
        for i, entry in enumerate(r.data.get("entries", [])):
            obj = entry.get("object")
            if obj in seen:
                continue
            if obj is not None:
                seen.add(obj)
            inspected, entered = entry.get("inspected_on"), entry.get("entered_on")
            if not inspected or not entered or entered < inspected:
                continue
            years = range(inspected.year, entered.year + 1)
            for y in years:
                if y not in known:
                    known[y] = calendar.known(y)
            # the days counted lie in these years: when each is known the count is never None
            if all(known[y] for y in years) or entry_delay(calendar, entry) is not None:
                continue
            year = next(y for y in years if not known[y])
            if year not in missing_years:
                missing_years.add(year)
                line, col = r.loc("entries", i, "entered_on")
                path = ("entries", i, "entered_on")
                yield finding(
                    "HOLIDAY_SCHEDULE_MISSING", r.file, line, col, path, year, year=year, what="结果录入时限"
                )


# ``check`` in two parts, in its order (HOLIDAY_SCHEDULE_MISSING last): the first is a function of
# each record and ``Against`` alone, so serve's preview re-checks only edited files while the
# context is equal; the second is corpus-wide and cheap (site/rule_cache.py)
check_records.PER_RECORD = True  # type: ignore[attr-defined]
check_records.CONTEXT = Against  # type: ignore[attr-defined]
PARTS = (("results", check_records), ("results.holidays", check_holiday_schedules))


def _bound_to_draw(r, task, a: Against, non_random: bool) -> Iterator[Finding]:
    """A random task's result needs a published draw of that task and names the draw in force (the
    latest with a result: not a refused, failed or superseded one, whose date would not bound the
    inspection). A non-random task's result names no draw at all: naming another task's draw would
    show a hand-picked object as randomly drawn."""
    tid = task.data["id"]
    draw = r.data.get("draw")
    if draw is not None and a.draw_tasks.get(draw) != tid:
        found = a.draw_tasks.get(draw) or "（没有该抽取）"
        yield finding("RESULT_DRAW_OTHER_TASK", r.file, *r.loc("draw"), "draw", draw, task=tid, found=found)
        return
    if non_random:
        return
    current = a.current_draw.get(tid)
    if tid not in a.teams or current is None:
        yield finding("RESULT_WITHOUT_DRAW", r.file, *r.loc("task"), "task", tid)
    elif draw is None:
        yield finding("RESULT_DRAW_MISSING", r.file, *r.loc("task"), "draw", "", task=tid, expected=current)
    elif draw != current:
        line, col = r.loc("draw")
        yield finding("RESULT_DRAW_NOT_CURRENT", r.file, line, col, "draw", draw, task=tid, expected=current)


def _against_task(r, here, entry, task, drawn) -> Iterator[Finding]:
    tid = task.data["id"]
    obj = entry.get("object")
    if drawn is not None and obj is not None and obj not in drawn:
        line, col = r.loc(*here, "object")
        yield finding("RESULT_NOT_DRAWN", r.file, line, col, here + ("object",), obj, task=tid)
    elif drawn is not None and obj in drawn:
        team = set(drawn[obj])
        for j, person in enumerate(entry.get("inspectors", [])):
            if person not in team:
                line, col = r.loc(*here, "inspectors", j)
                yield finding(
                    "RESULT_INSPECTOR_NOT_IN_TEAM",
                    r.file,
                    line,
                    col,
                    here + ("inspectors", j),
                    person,
                    object=obj,
                )
    window = task.data.get("window", {})
    day = entry.get("inspected_on")
    if day and {"from", "to"} <= window.keys() and not (window["from"] <= day <= window["to"]):
        line, col = r.loc(*here, "inspected_on")
        yield finding(
            "RESULT_OUTSIDE_WINDOW",
            r.file,
            line,
            col,
            here + ("inspected_on",),
            day.isoformat(),
            task=tid,
            expected=f"{window['from']} 至 {window['to']}",
        )


def _before_draw(r, here, entry, drawn_on, current) -> Iterator[Finding]:
    """An object is known only once its draw has run: an inspection dated earlier was not chosen by
    it (a task window may open before the draw, and windows can be edited after it). The draw is the
    one in force for the task (``current``), whichever the file names."""
    draw = current or r.data.get("draw")
    day, ran = entry.get("inspected_on"), drawn_on.get(draw)
    if isinstance(day, dt.date) and isinstance(ran, dt.date) and day < ran:
        line, col = r.loc(*here, "inspected_on")
        yield finding(
            "RESULT_BEFORE_DRAW",
            r.file,
            line,
            col,
            here + ("inspected_on",),
            day.isoformat(),
            draw=draw,
            expected=ran.isoformat(),
        )


def _own_inspector(r, here, entry, unit, inspector_units, minimum, frozen) -> Iterator[Finding]:
    """A unit publishes the results of its own officers: every drawn team has one per participating
    unit (TEAM_UNIT_MISSING), and only they are qualified for the unit's items. An entry in
    health's file signed by market's officers alone would show health as the inspecting authority
    for a check no health officer made (issue 13: each result attributed to the right department).
    Its own officers alone make up the department's minimum (TEAM_DEPARTMENT_TOO_SMALL): one market
    officer beside an education officer on market's entry is one market officer, not two.

    An officer's unit comes from the draw's frozen pool (``frozen``) or else today's roster. A
    published entry (CI dated it: it had no error then) that fails only by today's roster is
    RESULT_ROSTER_CHANGED_LATER, a warning: an officer moved since, and the entry can never change."""
    people = list(dict.fromkeys(p for p in entry.get("inspectors", []) if isinstance(p, str)))
    units = [inspector_units.get(p) for p in people]
    if not unit or not people or None in units:
        return  # unknown or unreadable inspectors are reported by their own rules
    own = units.count(unit)
    if own >= minimum:
        return
    line, col = r.loc(*here, "inspectors")
    where = (r.file, line, col, here + ("inspectors",), entry.get("object"))
    published = entry.get("published_on")
    if published and any(p not in frozen for p in people):
        counted = f"按现在的人员名录只有 {own} 名本单位执法检查人员，少于 {minimum} 名"
        day = str(published)
        yield finding("RESULT_ROSTER_CHANGED_LATER", *where, unit=unit, found=counted, published=day)
    elif not own:
        yield finding("RESULT_NO_OWN_INSPECTOR", *where, unit=unit, found="、".join(people))
    else:
        yield finding("TEAM_DEPARTMENT_TOO_SMALL", *where, unit=unit, found=own, expected=minimum)


def _conflicts(r, here, entry, declared, frozen) -> Iterator[Finding]:
    """RESULT_INSPECTOR_CONFLICT: an officer who declared a conflict of interest with the entry's
    object, in today's roster or in the pool the task's draw froze (deleting the declaration
    afterwards does not clear it), signed the entry. A conflict declared after the draw is
    recorded by a substitution, not by the draw (whose team is judged as drawn, rules/teams.py).

    A published entry (``published_on``: CI dated it because it had no error then) with a conflict
    only today's roster declares is RESULT_CONFLICT_DECLARED_LATER, a warning: the declaration
    came after the entry was published, and the entry can never change (append-only), so an error
    would leave the unit's whole results file off the site for good."""
    obj = entry.get("object")
    if not isinstance(obj, str):
        return
    obj = canonical_id(obj)  # declared conflicts are compared as plain codes too (results_context)
    published = entry.get("published_on")
    for j, person in enumerate(entry.get("inspectors", [])):
        known = obj in frozen.get(person, ())
        if not known and obj not in declared.get(person, ()):
            continue
        line, col = r.loc(*here, "inspectors", j)
        if not known and published:
            yield finding(
                "RESULT_CONFLICT_DECLARED_LATER",
                r.file,
                line,
                col,
                here + ("inspectors", j),
                person,
                object=obj,
                published=str(published),
            )
            continue
        yield finding(
            "RESULT_INSPECTOR_CONFLICT",
            r.file,
            line,
            col,
            here + ("inspectors", j),
            person,
            object=obj,
            unit=r.data.get("unit"),
        )


def _categories(r, here, entry, categories) -> Iterator[Finding]:
    if not categories:
        return
    for j, code in enumerate(entry.get("categories", [])):
        if code not in categories:
            line, col = r.loc(*here, "categories", j)
            yield finding(
                "RESULT_CATEGORY_UNKNOWN",
                r.file,
                line,
                col,
                here + ("categories", j),
                code,
                expected="、".join(sorted(categories)),
            )


def entry_delay(calendar: WorkCalendar, entry: dict) -> int | None:
    """Working days from inspection to entry, or None when a year's schedule is unknown."""
    return calendar.working_days_between(entry["inspected_on"], entry["entered_on"])


def _amendments(r, here, entry, categories, today) -> Iterator[Finding]:
    previous = entry.get("entered_on")
    for k, amendment in enumerate(entry.get("amendments", [])):
        path = here + ("amendments", k)
        day = amendment.get("date")
        if day and day > today:
            line, col = r.loc(*path, "date")
            yield finding(
                "AMENDMENT_FUTURE",
                r.file,
                line,
                col,
                path + ("date",),
                day.isoformat(),
                expected=today.isoformat(),
            )
        if day and previous and day < previous:
            line, col = r.loc(*path, "date")
            yield finding(
                "AMENDMENT_ORDER",
                r.file,
                line,
                col,
                path + ("date",),
                day.isoformat(),
                expected=previous.isoformat(),
            )
        previous = day or previous
        changes = amendment.get("changes", {})
        for name in changes:
            if name not in AMENDABLE:
                line, col = r.loc(*path, "changes", name)
                yield finding(
                    "AMENDMENT_FIELD",
                    r.file,
                    line,
                    col,
                    path + ("changes", name),
                    name,
                    expected="、".join(AMENDABLE),
                )
        # The new values obey the same rules as the originals.
        yield from _categories(r, path + ("changes",), changes, categories)
        for j, referral in enumerate(changes.get("referrals", [])):
            when = referral.get("date") if isinstance(referral, dict) else None
            if when and when > today:
                where = path + ("changes", "referrals", j, "date")
                line, col = r.loc(*where)
                yield finding(
                    "AMENDMENT_FUTURE", r.file, line, col, where, when.isoformat(), expected=today.isoformat()
                )
