"""Year-long tracking for the compliance report (issue 13): plan execution and frequency, open
follow-ups and unacknowledged referrals past the county's deadlines.

Plain functions of the corpus returning JSON-ready data, kept apart from the report module so they
move with it unchanged (generator/reports/compliance.py calls them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.calendar.workdays import WorkCalendar
from generator.rules.outcomes import category_table, effective, open_follow_up, receipts, referrals
from generator.rules.settings import settings


def plan_execution(corpus, year: int) -> dict:
    """Each plan entry of the year against the tasks that carry it out (and its planned frequency)."""
    done: dict[str, list[str]] = defaultdict(list)
    for task in corpus.tasks.values():
        entry = task.data.get("plan_entry")
        if entry and task.data.get("year") == year:
            done[entry].append(task.data["id"])
    rows = []
    for plan in sorted(corpus.of("plans"), key=lambda p: p.file):
        if plan.data.get("year") != year:
            continue
        for entry in plan.data.get("entries", []):
            tasks = sorted(done.get(entry.get("id"), []))
            frequency = entry.get("frequency", 1)
            status = "未实施" if not tasks else ("未达频次" if len(tasks) < frequency else "已实施")
            rows.append(
                {
                    "unit": plan.data.get("unit"),
                    "entry": entry.get("id"),
                    "name": entry.get("name"),
                    "frequency": frequency,
                    "tasks": tasks,
                    "status": status,
                }
            )
    empty = sorted(
        p.data.get("unit")
        for p in corpus.of("plans")
        if p.data.get("year") == year and p.data.get("unit") != "joint" and not p.data.get("entries")
    )
    return {
        "rows": rows,
        "not_done": [r["entry"] for r in rows if r["status"] != "已实施"],
        "empty_plans": empty,
    }


def open_follow_ups(corpus, today: dt.date) -> list[dict]:
    """Entries still 待后续处理 (no closing amendment) more than ``follow_up_days`` after inspection."""
    days = settings(corpus)["deadlines"]["follow_up_days"]
    table = category_table(corpus)
    out = []
    for r in sorted(corpus.of("results"), key=lambda r: r.file):
        for i, entry in enumerate(r.data.get("entries", [])):
            day = entry.get("inspected_on")
            if not day or not open_follow_up(entry, table):
                continue
            due = day + dt.timedelta(days=days)
            if today > due:
                out.append(
                    {
                        "unit": r.data.get("unit"),
                        "task": r.data.get("task"),
                        "object": entry.get("object"),
                        "inspected_on": day.isoformat(),
                        "due": due.isoformat(),
                        "days_overdue": (today - due).days,
                        "file": r.file,
                        "line": r.loc("entries", i)[0],
                    }
                )
    return out


def unacknowledged_referrals(corpus, today: dt.date) -> list[dict]:
    """Referrals the receiving unit has not acknowledged within ``referral_ack_working_days``."""
    limit = settings(corpus)["deadlines"]["referral_ack_working_days"]
    calendar = WorkCalendar.from_corpus(corpus)
    got = receipts(corpus)
    out = []
    for (task, sender, receiver, obj), day in sorted(referrals(corpus).items(), key=str):
        if (task, sender, receiver, obj) in got or not isinstance(day, dt.date):
            continue
        due = calendar.add_working_days(day, limit)
        if due is not None and today > due:
            out.append(
                {
                    "task": task,
                    "from_unit": sender,
                    "to_unit": receiver,
                    "object": obj,
                    "referred_on": day.isoformat(),
                    "due": due.isoformat(),
                }
            )
    return out


__all__ = ["effective", "open_follow_ups", "plan_execution", "unacknowledged_referrals"]
