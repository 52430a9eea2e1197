"""Every "today" a command or CI step defaults to is the county's (Beijing) date, never the machine's:
CI's runners keep UTC, which is still yesterday until 08:00 in the county (an `entropy` recorded, a
`report` made or a draw's dry run between 00:00 and 08:00 carried yesterday's date)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import generator.calendar as calendar

ROOT = Path(__file__).resolve().parents[1]


def test_no_module_reads_the_machines_date():
    pattern = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\)|\bdatetime\.today\(\)")
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in sorted((ROOT / "generator").rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line.split("#")[0]) and "``" not in line
    ]
    assert offenders == []


def test_beijing_today_is_the_date_in_utc_plus_8():
    new_year = dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC).timestamp()  # 01:30 in the county
    assert calendar.beijing_today(new_year) == dt.date(2027, 1, 1)
    assert calendar.beijing_today(new_year - 7200) == dt.date(2026, 12, 31)  # 23:30 on New Year's Eve
    assert abs(calendar.beijing_today() - dt.datetime.now(dt.UTC).date()) <= dt.timedelta(days=1)
