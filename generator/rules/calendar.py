"""The seed's calendar: unit plans by end of January, the joint plan in early March and by end of
March at the latest, joint inspections April to November. Dates come from county.yaml (deadlines)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.rules.settings import settings


def on(year: int, mmdd: str) -> dt.date:
    month, day = (int(x) for x in mmdd.split("-"))
    return dt.date(year, month, day)


def check(corpus) -> Iterator[Finding]:
    deadlines = settings(corpus)["deadlines"]
    for plan in corpus.of("plans"):
        year, filed = plan.data.get("year"), plan.data.get("filed_on")
        if year is None or filed is None:
            continue
        line, col = plan.loc("filed_on")
        if plan.data.get("unit") == "joint":
            latest = on(year, deadlines["joint_plan_latest"])
            target = on(year, deadlines["joint_plan_target"])
            if filed > latest:
                yield finding(
                    "CAL_JOINT_PLAN_OVERDUE",
                    plan.file,
                    line,
                    col,
                    "filed_on",
                    filed.isoformat(),
                    year=year,
                    expected=latest.isoformat(),
                )
            elif filed > target:
                yield finding(
                    "CAL_JOINT_PLAN_LATE",
                    plan.file,
                    line,
                    col,
                    "filed_on",
                    filed.isoformat(),
                    year=year,
                    expected=target.isoformat(),
                    rule="每年 3 月初",
                )
        else:
            due = on(year, deadlines["unit_plan"])
            if filed > due:
                yield finding(
                    "CAL_UNIT_PLAN_LATE",
                    plan.file,
                    line,
                    col,
                    "filed_on",
                    filed.isoformat(),
                    unit=plan.data.get("unit"),
                    year=year,
                    expected=due.isoformat(),
                )
    for task in corpus.of("tasks"):
        window, year = task.data.get("window", {}), task.data.get("year")
        if not {"from", "to"} <= window.keys() or year is None:
            continue
        season = (on(year, deadlines["inspection_from"]), on(year, deadlines["inspection_to"]))
        if window["from"] < season[0] or window["to"] > season[1]:
            line, col = task.loc("window")
            yield finding(
                "CAL_WINDOW_OUTSIDE_SEASON",
                task.file,
                line,
                col,
                "window",
                f"{window['from']} 至 {window['to']}",
                expected=f"{season[0]} 至 {season[1]}",
            )
