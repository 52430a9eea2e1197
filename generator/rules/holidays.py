"""Holiday schedules recorded by the joint office are consistent."""

from __future__ import annotations

from collections.abc import Iterator

from generator.calendar.workdays import schedule_from_record
from generator.errors import Finding, finding


def check(corpus) -> Iterator[Finding]:
    for r in corpus.of("holidays"):
        if not {"year", "holidays"} <= r.data.keys():
            continue
        schedule = schedule_from_record(r.data)
        for i, day in enumerate(r.data.get("workdays", [])):
            if day in schedule.holidays:
                line, col = r.loc("workdays", i)
                yield finding("HOLIDAY_DATE_CONFLICT", r.file, line, col, ("workdays", i), day.isoformat())
