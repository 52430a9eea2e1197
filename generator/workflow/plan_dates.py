"""A plan's filing date against the day it reached the platform (CI's clock).

``filed_on`` is the unit's word: a plan filed in March could say 01-20 and count as filed on time on
the site and in 合规 (no CAL_UNIT_PLAN_LATE). When a pull request adds a plan, or changes its
``filed_on``, and the date it gives is on or before the plan's deadline while CI checks it after
the deadline, APPEND_PLAN_FILED_BEFORE_ARRIVAL points it out to the joint office's reviewer. A
warning: a plan filed on paper (or in the provincial platform) in time and entered here later is
legitimate, and so is a pull request that waited for review past the deadline.
"""

from __future__ import annotations

import datetime as dt
import re

from generator.errors import Finding
from generator.workflow.findings import wfinding
from generator.workflow.frozen_tasks import key_line, yaml_mapping

# county.yaml's defaults (records/county.py): the unit plan by 01-31, the joint plan in early March
DEFAULTS = {"unit_plan": "01-31", "joint_plan_target": "03-10"}


def backdated_plans(
    repo, base_rev: str, head_rev: str, prefix: str, changes, today: dt.date
) -> list[Finding]:
    plan_re = re.compile(rf"^{re.escape(prefix)}/(?:units/[^/]+|joint)/plans/[^/]+\.ya?ml$")
    county, _ = yaml_mapping(repo.show(base_rev, f"{prefix}/county.yaml"))
    deadlines = county.get("deadlines") if isinstance(county.get("deadlines"), dict) else {}
    out: list[Finding] = []
    for change in changes:
        if change.status not in ("A", "M") or not plan_re.match(change.path):
            continue
        head_bytes = repo.show(head_rev, change.path)
        head, _ = yaml_mapping(head_bytes)
        filed, year = head.get("filed_on"), head.get("year")
        if not isinstance(filed, dt.date) or not isinstance(year, int) or isinstance(year, bool):
            continue  # validate reports an unreadable plan
        if (
            change.status == "M"
            and yaml_mapping(repo.show(base_rev, change.path))[0].get("filed_on") == filed
        ):
            continue  # the date was there before this pull request
        key = "joint_plan_target" if change.path.startswith(f"{prefix}/joint/") else "unit_plan"
        due = _day(year, deadlines.get(key)) or _day(year, DEFAULTS[key])
        if due is not None and filed <= due < today:
            out.append(
                wfinding(
                    "APPEND_PLAN_FILED_BEFORE_ARRIVAL",
                    change.path,
                    key_line(head_bytes, "filed_on"),
                    0,
                    "filed_on",
                    filed.isoformat(),
                    filed=filed.isoformat(),
                    due=due.isoformat(),
                    today=today.isoformat(),
                )
            )
    return out


def _day(year: int, mmdd) -> dt.date | None:
    try:
        month, day = (int(x) for x in str(mmdd).split("-"))
        return dt.date(year, month, day)
    except (ValueError, TypeError):
        return None
