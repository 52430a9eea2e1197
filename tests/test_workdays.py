"""Working days around year boundaries: a schedule's days in the year before, and years whose
schedule is not published yet."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.calendar.workdays import WorkCalendar, schedule_from_record

D = dt.date


def test_a_schedule_day_in_the_year_before_counts():
    # The State Council's schedule for a year can reach into the one before: the 2019 notice made
    # Sat 2018-12-29 a working day and 12-30/12-31 holidays for 元旦. Recorded in holidays/2027.yaml,
    # such a day in 2026 was looked up in 2026's data (the package's, which knows nothing of the 2027
    # notice) and silently ignored.
    record = {
        "year": 2027,
        "holidays": [{"name": "元旦", "from": D(2026, 12, 31), "to": D(2027, 1, 2)}],
        "workdays": [D(2026, 12, 26)],  # a Saturday
    }
    cal = WorkCalendar({2027: schedule_from_record(record)})
    assert cal.is_workday(D(2026, 12, 26)) is True
    assert cal.is_workday(D(2026, 12, 31)) is False  # a Thursday
    assert cal.is_workday(D(2026, 12, 30)) is True  # an ordinary Wednesday: the package's answer
    # Fri 12-25 -> Sat 12-26 (working), Mon 12-28, Tue 12-29, Wed 12-30, then 12-31..1-2 holidays, 1-4
    assert cal.add_working_days(D(2026, 12, 25), 5) == D(2027, 1, 4)
    assert cal.working_days_between(D(2026, 12, 25), D(2027, 1, 4)) == 5


def _entered_in_january(tmp_path, monkeypatch, entered: str, inspected: str = "2026-05-11"):
    from generator.corpus import load
    from tests.support.tree import build_full

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1801008000")  # 2027-01-27 (Beijing): after the entry
    root = build_full(tmp_path / "records")
    path = root / "units/health/results/T2026-market-01.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  inspected_on: 2026-05-11\n  entered_on: 2026-05-15\n"
    new = f"  inspected_on: {inspected}\n  entered_on: {entered}\n"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load(root, display_prefix="")


def test_a_late_entry_is_late_although_the_new_years_schedule_is_not_published(tmp_path, monkeypatch):
    # Inspected 2026-05-11, entered 2027-01-05, before the joint office recorded 2027's holidays
    # (the package knows years up to 2026). More than 150 working days of 2026 alone had passed,
    # yet the entry was neither RESULT_ENTRY_LATE nor late in the figures ("calendar unknown"):
    # every entry made in January escaped the deadline until the schedule was recorded.
    from generator.reports.figures import LATE, Figures
    from generator.validation import validate_corpus

    corpus = _entered_in_january(tmp_path, monkeypatch, "2027-01-05")
    codes = [
        (f.code, f.line)
        for f in validate_corpus(corpus)
        if f.file.endswith("health/results/T2026-market-01.yaml")
    ]
    assert ("RESULT_ENTRY_LATE_AT_LEAST", 9) in codes, codes
    assert ("HOLIDAY_SCHEDULE_MISSING", 9) in codes, codes  # still said: the count is a lower bound
    figures = Figures(corpus)
    late = [e for e in figures.entries_of(2026) if e.entered_on == D(2027, 1, 5)]
    assert late and all(figures.timeliness(e) == LATE for e in late)


@pytest.mark.parametrize(("entered", "kind"), [("2027-01-05", "on_time"), ("2027-01-12", "calendar_unknown")])
def test_an_entry_in_an_unknown_year_is_late_only_when_every_schedule_makes_it_late(
    tmp_path, monkeypatch, entered, kind
):
    # 12-29..12-31 are known working days; each day of 2027 may be a holiday or not. Entered 1-5,
    # the entry is on time even if all five days are working days; entered 1-12 it may or may not be.
    from generator.reports.figures import Figures
    from generator.validation import validate_corpus

    assert WorkCalendar().working_days_bounds(D(2026, 12, 28), D(2027, 1, 5)) == (3, 8)
    corpus = _entered_in_january(tmp_path, monkeypatch, entered, inspected="2026-12-28")
    codes = [
        f.code for f in validate_corpus(corpus) if f.file.endswith("health/results/T2026-market-01.yaml")
    ]
    assert "HOLIDAY_SCHEDULE_MISSING" in codes and not any(
        c.startswith("RESULT_ENTRY_LATE") for c in codes
    ), codes
    figures = Figures(corpus)
    entry = next(e for e in figures.entries_of(2026) if e.entered_on == dt.date.fromisoformat(entered))
    assert figures.timeliness(entry) == kind
