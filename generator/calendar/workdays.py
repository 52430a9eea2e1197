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


def _names(schedule: YearSchedule, day: dt.date) -> bool:
    return day in schedule.holidays or day in schedule.workdays


# the package's answer per day: fixed for the process (its data ships with it), while every build
# and each of serve's rebuilds makes new calendars (the package checks each date slowly)
_PACKAGE: dict[dt.date, bool | None] = {}


@dataclass
class WorkCalendar:
    overrides: dict[int, YearSchedule] = field(default_factory=dict)
    _cache: dict[dt.date, bool | None] = field(default_factory=dict, repr=False)
    # every day a recorded schedule names, by the day itself: a year's notice can reach into the
    # year before (the 2019 notice made Sat 2018-12-29 a working day), and such a day must not be
    # looked up in that earlier year's data, which knows nothing of the later notice
    _named: dict[dt.date, bool] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for year in sorted(self.overrides):
            schedule = self.overrides[year]
            self._named.update((d, False) for d in schedule.holidays if d.year != year)
            self._named.update((d, True) for d in schedule.workdays if d.year != year)

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
        if day in self._named and (schedule is None or not _names(schedule, day)):
            result: bool | None = self._named[day]
        elif schedule is not None:
            result = day in schedule.workdays or (day.weekday() < 5 and day not in schedule.holidays)
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

    def working_days_bounds(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        """(fewest, most) working days in (start, end]: a day of a year whose schedule is unknown
        may be a holiday or a 调休 working day, so it counts 0 in the first and 1 in the second.
        Equal when every year is known. A deadline passed on known days alone is passed whatever
        the State Council decides for the unknown ones (a result entered in January, before the new
        year's schedule is recorded, is late when December had already closed its time).
        """
        low = high = 0
        day = start
        while day < end:
            day += ONE_DAY
            known = self.is_workday(day)
            low += known is True
            high += known is not False
        return low, high
