"""Dates: Chinese working days (with 调休) and the county's annual milestones.

``CHINA`` is the county's time zone (Beijing time, UTC+8): every "today" the rules, the registry and
CI's steps read is a Beijing date (CI's runners keep UTC, where 00:00-08:00 in the county is still
the day before). One definition for all of them, in the lowest layer that deals with dates.
"""

import datetime as _dt

CHINA = _dt.timezone(_dt.timedelta(hours=8))
