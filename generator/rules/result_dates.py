"""The dates of a results entry: the inspection, the entry and each referral have happened by the
build's "today" (Beijing date, ``results_context.reference_date``), and the entry was made within
the county's working days of the inspection (``timeliness``).

An entry dated after today shows the public an inspection, an entry or a referral that has not
happened. It also could never be published honestly: CI dates ``published_on`` with today, so the
entry would carry a publication before its entry (RESULT_PUBLISHED_BEFORE_ENTRY) in a record that
can no longer change. The error heals itself: once the day comes the date is no longer in the future.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.calendar.workdays import WorkCalendar
from generator.errors import Finding, finding

LABELS = {"inspected_on": "检查日期", "entered_on": "录入日期"}


def future_dates(r, here, entry, today: dt.date) -> Iterator[Finding]:
    """RESULT_DATE_FUTURE at the first of inspected_on / entered_on after ``today`` (the entry date
    follows the inspection, so one finding says it), and at each referral dated after today."""
    for name, label in LABELS.items():
        day = entry.get(name)
        if isinstance(day, dt.date) and day > today:
            line, col = r.loc(*here, name)
            yield finding(
                "RESULT_DATE_FUTURE",
                r.file,
                line,
                col,
                here + (name,),
                day.isoformat(),
                label=label,
                expected=today.isoformat(),
            )
            break
    for k, referral in enumerate(entry.get("referrals") or []):
        day = referral.get("date") if isinstance(referral, dict) else None
        if isinstance(day, dt.date) and day > today:
            path = here + ("referrals", k, "date")
            line, col = r.loc(*path)
            yield finding(
                "RESULT_DATE_FUTURE",
                r.file,
                line,
                col,
                path,
                day.isoformat(),
                label="移交日期",
                expected=today.isoformat(),
            )


def timeliness(r, here, entry, calendar: WorkCalendar, entry_days, publication_days) -> Iterator[Finding]:
    inspected, entered = entry.get("inspected_on"), entry.get("entered_on")
    if not inspected or not entered:
        return
    line, col = r.loc(*here, "entered_on")
    path = here + ("entered_on",)
    if entered < inspected:
        yield finding(
            "RESULT_ENTERED_BEFORE_INSPECTION",
            r.file,
            line,
            col,
            path,
            entered.isoformat(),
            expected=inspected.isoformat(),
        )
        return
    delay = calendar.working_days_between(inspected, entered)
    if delay is None:
        # a year's schedule is unknown (HOLIDAY_SCHEDULE_MISSING, once per year, says so): the
        # entry is late anyway when the days that are known already exceed the deadline
        fewest, _ = calendar.working_days_bounds(inspected, entered)
        if fewest > entry_days:
            yield finding(
                "RESULT_ENTRY_LATE_AT_LEAST",
                r.file,
                line,
                col,
                path,
                entered.isoformat(),
                found=fewest,
                expected=entry_days,
            )
        return
    if delay > entry_days:
        yield finding(
            "RESULT_ENTRY_LATE",
            r.file,
            line,
            col,
            path,
            entered.isoformat(),
            found=delay,
            expected=entry_days,
            late=delay - entry_days,
        )
    if delay > publication_days:
        yield finding("RESULT_PUBLICATION_LATE", r.file, line, col, path, entered.isoformat(), found=delay)
