"""Working days as Chinese law counts them, with statutory holidays and adjusted working days (调休).

Counting follows 民法典 第二百零一条: the day an event happens is not counted; counting starts on the
next day. "Result entered within 10 working days of the inspection" therefore means the entry date is
at most the 10th working day *after* the inspection date. A Saturday or Sunday that the State Council
makes a working day (调休) counts as a working day; this is the ``chinesecalendar`` package's reading
and a documented assumption (docs/records.md).

Data comes from ``chinesecalendar`` (2004 through its latest release) unless the joint office has
recorded the year in ``records/holidays/<year>.yaml``, which then replaces the package's data for that
year. A year neither knows is *unknown*: functions return ``None`` ("schedule not yet published")
instead of guessing or crashing.

>>> cal = WorkCalendar()
>>> import datetime as dt
>>> cal.add_working_days(dt.date(2025, 9, 25), 20)   # 9-28 and 10-11 are 调休 working days
datetime.date(2025, 10, 29)
>>> cal.working_days_between(dt.date(2025, 9, 25), dt.date(2025, 10, 29))
20
>>> cal.add_working_days(dt.date(2099, 3, 2), 10) is None
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class YearSchedule:
    """One year's schedule as recorded by the joint office."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]


def schedule_from_record(data: dict) -> YearSchedule:
    days: set[dt.date] = set()
    for h in data.get("holidays", []):
        d = h["from"]
        while d <= h["to"]:
            days.add(d)
            d += ONE_DAY
    return YearSchedule(data["year"], frozenset(days), frozenset(data.get("workdays", [])))


# the package's answer per day: fixed for the process (its data ships with it), while every build
# and each of serve's rebuilds makes new calendars (the package checks each date slowly)
_PACKAGE: dict[dt.date, bool | None] = {}


@dataclass
class WorkCalendar:
    overrides: dict[int, YearSchedule] = field(default_factory=dict)
    _cache: dict[dt.date, bool | None] = field(default_factory=dict, repr=False)

    @classmethod
    def from_corpus(cls, corpus) -> WorkCalendar:
        overrides = {}
        for r in corpus.of("holidays"):
            if {"year", "holidays"} <= r.data.keys():
                overrides[r.data["year"]] = schedule_from_record(r.data)
        return cls(overrides)

    def known(self, year: int) -> bool:
        return self.is_workday(dt.date(year, 6, 1)) is not None

    def is_workday(self, day: dt.date) -> bool | None:
        if day in self._cache:
            return self._cache[day]
        schedule = self.overrides.get(day.year)
        if schedule is not None:
            result: bool | None = day in schedule.workdays or (
                day.weekday() < 5 and day not in schedule.holidays
            )
        elif day in _PACKAGE:
            result = _PACKAGE[day]
        else:
            try:
                result = chinese_calendar.is_workday(day)
            except NotImplementedError:
                result = None  # the package has no data for this year yet
            _PACKAGE[day] = result
        self._cache[day] = result
        return result

    def add_working_days(self, start: dt.date, n: int) -> dt.date | None:
        """The n-th working day after ``start`` (start not counted); None if a year is unknown."""
        day, counted = start, 0
        while counted < n:
            day += ONE_DAY
            known = self.is_workday(day)
            if known is None:
                return None
            counted += known
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int | None:
        """Working days in (start, end]: how many working days after ``start`` ``end`` falls on.

        0 when ``end`` is on or before ``start``; None if a year in between is unknown.
        """
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            known = self.is_workday(day)
            if known is None:
                return None
            count += known
        return count
