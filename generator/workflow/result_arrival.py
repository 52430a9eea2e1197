"""A result's entry date against the day it reached the platform (CI's clock).

``entered_on`` is the unit's word: results submitted in late November for inspections in September
could say they were entered in September and count as entered within the 10 working days on the
site and in 合规. When a pull request adds result entries dated on or before their deadline while
CI checks them after it, APPEND_RESULT_ENTERED_BEFORE_ARRIVAL (one warning per file) points them
out to the reviewer. A warning: results entered in the provincial platform in time and brought here
later, a county's history from earlier years, or a pull request that waited for review are
legitimate; ``ci publish`` then records the day they were published (``published_on``) for all to see.
"""

from __future__ import annotations

import datetime as dt
import re

from generator.calendar.workdays import WorkCalendar, schedule_from_record
from generator.errors import Finding
from generator.workflow.findings import wfinding
from generator.workflow.frozen_tasks import key_line, yaml_mapping

DEFAULT_DAYS = 10  # county.yaml's default deadlines.result_entry_working_days (records/county.py)


def arrived_late(repo, base_rev: str, head_rev: str, prefix: str, changes, today: dt.date) -> list[Finding]:
    result_re = re.compile(rf"^{re.escape(prefix)}/units/[^/]+/results/[^/]+\.ya?ml$")
    touched = [c for c in changes if c.status in ("A", "M") and result_re.match(c.path)]
    if not touched:
        return []
    county, _ = yaml_mapping(repo.show(base_rev, f"{prefix}/county.yaml"))
    deadlines = county.get("deadlines") if isinstance(county.get("deadlines"), dict) else {}
    days = deadlines.get("result_entry_working_days", DEFAULT_DAYS)
    days = days if isinstance(days, int) and not isinstance(days, bool) and days > 0 else DEFAULT_DAYS
    calendar = _calendar(repo, base_rev, prefix)
    out: list[Finding] = []
    for change in touched:
        base, _ = yaml_mapping(repo.show(base_rev, change.path)) if change.status == "M" else ({}, "")
        known = {str(e.get("object")) for e in base.get("entries") or [] if isinstance(e, dict)}
        head_bytes = repo.show(head_rev, change.path)
        head, _ = yaml_mapping(head_bytes)
        early = []
        for e in head.get("entries") or []:
            if not isinstance(e, dict) or str(e.get("object")) in known:
                continue
            inspected, entered = e.get("inspected_on"), e.get("entered_on")
            if not isinstance(inspected, dt.date) or not isinstance(entered, dt.date):
                continue  # validate reports them
            due = calendar.add_working_days(inspected, days)
            if due is not None and inspected <= entered <= due < today:
                early.append((str(e.get("object")), entered))
        if early:
            obj, entered = early[0]
            out.append(
                wfinding(
                    "APPEND_RESULT_ENTERED_BEFORE_ARRIVAL",
                    change.path,
                    key_line(head_bytes, "entries"),
                    0,
                    "entries",
                    entered.isoformat(),
                    count=len(early),
                    object=obj,
                    entered=entered.isoformat(),
                    days=days,
                    today=today.isoformat(),
                )
            )
    return out


def _calendar(repo, base_rev: str, prefix: str) -> WorkCalendar:
    """The working days as the base branch's recorded schedules (holidays/) and the package say."""
    overrides = {}
    for path in repo.files(base_rev, f"{prefix}/holidays"):
        data, _ = yaml_mapping(repo.show(base_rev, path))
        try:
            schedule = schedule_from_record(data)
        except (KeyError, TypeError, AttributeError):
            continue  # validate reports a malformed schedule
        if isinstance(schedule.year, int):
            overrides[schedule.year] = schedule
    return WorkCalendar(overrides)
