"""Dates: Chinese working days (with 调休) and the county's annual milestones.

``CHINA`` is the county's time zone (Beijing time, UTC+8): every "today" the rules, the registry and
CI's steps read is a Beijing date (CI's runners keep UTC, where 00:00-08:00 in the county is still
the day before). One definition for all of them, in the lowest layer that deals with dates.
"""

import datetime as _dt

CHINA = _dt.timezone(_dt.timedelta(hours=8))


def beijing_today(unix: float | None = None) -> _dt.date:
    """Today in the county, whatever the machine's time zone (``date.today()`` is the machine's:
    UTC on CI's runners, which is yesterday until 08:00 in the county). Every command's "today"
    default reads this; tests/test_beijing_today.py fails on a ``date.today()`` in ``generator/``."""
    if unix is None:
        return _dt.datetime.now(CHINA).date()
    return _dt.datetime.fromtimestamp(unix, CHINA).date()
