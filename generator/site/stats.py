"""Yearly figures for the home page and the 统计 page. Pure; rates are exact fractions until shown."""

from __future__ import annotations

from fractions import Fraction

from generator.site.site_data import SiteData, effective_entry


def _rate(num: int, den: int) -> Fraction | None:
    return Fraction(num, den) if den else None


def _entries(sd: SiteData, year: int):
    for r in sd.results:
        task = sd.tasks.get(r.get("task"), {})
        if task.get("year") != year:
            continue
        for e in r.get("entries", []):
            yield r, effective_entry(e)


def year_figures(sd: SiteData, year: int) -> dict:
    tasks = [t for t in sd.tasks.values() if t.get("year") == year]
    entries = list(_entries(sd, year))
    problems = sum(1 for _, e in entries if sd.is_problem(e.get("categories", [])))
    return {
        "plans": sum(1 for p in sd.plans if p.get("year") == year),
        "tasks": len(tasks),
        "joint_tasks": sum(1 for t in tasks if len(t.get("participants", [])) > 1),
        "objects": len({e.get("object") for _, e in entries}),
        "results": len(entries),
        "problems": problems,
        "problem_rate": _rate(problems, len(entries)),
    }


def year_stats(sd: SiteData, year: int, calendar=None) -> dict:
    tasks = [t for t in sd.tasks.values() if t.get("year") == year]
    units = list(sd.units)
    by_unit = {}
    for u in units:
        initiated = sum(1 for t in tasks if t.get("initiator") == u)
        joined = sum(1 for t in tasks if u in t.get("participants", []) and t.get("initiator") != u)
        by_unit[sd.unit_short(u)] = initiated + joined
    joint = sum(1 for t in tasks if len(t.get("participants", [])) > 1)
    entries = list(_entries(sd, year))
    problem_rate, on_time = {}, {}
    days = sd.county.get("deadlines", {}).get("result_entry_working_days", 10)
    for u in units:
        mine = [e for r, e in entries if r.get("unit") == u]
        if not mine:
            continue
        problem_rate[sd.unit_short(u)] = _rate(
            sum(1 for e in mine if sd.is_problem(e.get("categories", []))), len(mine)
        )
        ok = sum(1 for e in mine if _entered_in_time(e, days, calendar))
        on_time[sd.unit_short(u)] = _rate(ok, len(mine))
    inspected = {e.get("object") for _, e in entries}
    coverage = {}
    for township in sd.county.get("townships", []):
        ids = [o["id"] for o in sd.objects.values() if o.get("township") == township]
        if ids:
            coverage[township] = _rate(sum(1 for i in ids if i in inspected), len(ids))
    return {
        "tasks_by_unit": by_unit,
        "joint_share": {"部门联合抽查": joint, "本部门抽查": len(tasks) - joint},
        "problem_rate": problem_rate,
        "on_time": on_time,
        "coverage": coverage,
    }


def _entered_in_time(entry: dict, days: int, calendar) -> bool:
    inspected, entered = entry.get("inspected_on"), entry.get("entered_on")
    if not inspected or not entered:
        return False
    if calendar is None:
        calendar = _default_calendar()
    deadline = calendar.add_working_days(inspected, days) if calendar else None
    if deadline is None:  # schedule unknown for that year: count weekdays only
        import datetime as dt

        d, n = inspected, 0
        while n < days:
            d += dt.timedelta(days=1)
            if d.weekday() < 5:
                n += 1
        deadline = d
    return entered <= deadline


_CAL = []


def _default_calendar():
    if not _CAL:
        try:
            from generator.calendar.workdays import WorkCalendar

            _CAL.append(WorkCalendar())
        except Exception:  # the calendar module is optional for the site; fall back to weekdays
            _CAL.append(None)
    return _CAL[0]
