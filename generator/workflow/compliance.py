"""合规 (compliance) figures for one year: plain data for the ``report`` command and the site.

Every check follows the county plan (实施方案): unit plans filed by the end of January, the joint plan
published in early March (end of March at the latest), every unit that initiates joint items starts at
least one joint task a year, results entered within 10 working days, 一般 item ratio caps, team size
and certificates, and the inspection burden per object against county.yaml ``object_rules.annual_cap``.

The rule findings (ratio caps, teams, certificates) are the validator's own, grouped by code, so the
report never disagrees with ``validate``. Late entries are recomputed here with the same working-day
function the validator uses (``generator.rules.results.entry_delay``); a test checks both agree.
All values are JSON-ready: dates as ISO text, shares as ``{"num", "den", "percent"}``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.calendar.workdays import WorkCalendar
from generator.rules import tracking
from generator.rules.calendar import on
from generator.rules.drawn import drawn_teams
from generator.rules.governance import ended_on, exempt, joint_initiators
from generator.rules.results import entry_delay
from generator.rules.settings import settings

# Validator codes the report groups into its sections (title, codes).
RULE_SECTIONS = (
    ("ratio_caps", "一般检查事项抽查比例上限", ("ITEM_RATIO_CAP_MISSING", "ITEM_RATIO_CAP_EXCEEDED")),
    (
        "teams",
        "检查组人数与组成",
        (
            "TASK_TEAM_TOO_SMALL",
            "TEAM_TOO_SMALL",
            "TEAM_UNIT_MISSING",
            "TEAM_LEADER_UNIT",
            "TASK_PER_UNIT_BELOW_MINIMUM",
            "TEAM_DEPARTMENT_TOO_SMALL",
        ),
    ),
    (
        "certificates",
        "执法证与资质",
        ("TEAM_CERT_INVALID", "TEAM_INSPECTOR_INACTIVE", "TEAM_NOT_QUALIFIED", "TEAM_CONFLICT"),
    ),
)


def share(num: int, den: int) -> dict:
    percent = None if den == 0 else f"{num * 100 / den:.1f}%"
    return {"num": num, "den": den, "percent": percent}


def unit_label(corpus, unit_id: str) -> str:
    unit = corpus.units.get(unit_id)
    return (unit.data.get("short_name") or unit.data.get("name")) if unit else unit_id


def compliance(corpus, year: int, today: dt.date, findings=None) -> dict:
    """The 合规 page model. ``findings``: the validator's findings (computed here when None)."""
    if findings is None:
        from generator.validation import validate_corpus

        findings = validate_corpus(corpus)
    conf = settings(corpus)
    calendar = WorkCalendar.from_corpus(corpus)
    tasks = sorted(
        (t for t in corpus.tasks.values() if t.data.get("year") == year), key=lambda t: t.data["id"]
    )
    return {
        "year": year,
        "today": today.isoformat(),
        "unit_plans": _unit_plans(corpus, conf, year, today),
        "joint_plan": _joint_plan(corpus, conf, year, today),
        "initiators": _initiators(corpus, tasks, year),
        "results": _results(corpus, conf, calendar, year, today),
        "rules": _rule_sections(findings),
        "joint_share": _joint_share(tasks),
        "object_burden": _burden(corpus, conf, tasks),
        # issue 13 additions (generator/rules/tracking.py): plan execution and frequency, empty plans,
        # open follow-ups and unacknowledged referrals past the county's deadlines.
        "plan_execution": tracking.plan_execution(corpus, year),
        "open_follow_ups": tracking.open_follow_ups(corpus, today),
        "unacknowledged_referrals": tracking.unacknowledged_referrals(corpus, today),
    }


def _plans_of(corpus, year: int) -> dict[str, object]:
    return {p.data.get("unit"): p for p in corpus.of("plans") if p.data.get("year") == year}


def _plan_status(filed: dt.date | None, due: dt.date, today: dt.date) -> tuple[str, int]:
    if filed is None:
        return ("未备案" if today > due else "未到期"), (today - due).days if today > due else 0
    return ("逾期" if filed > due else "按时"), max(0, (filed - due).days)


def _unit_plans(corpus, conf, year, today) -> dict:
    due = on(year, conf["deadlines"]["unit_plan"])
    plans = _plans_of(corpus, year)
    rows = []
    for unit_id in sorted(corpus.units, key=lambda u: (corpus.units[u].data.get("order", 999), u)):
        end = ended_on(corpus.units[unit_id].data)
        if end is not None and end.year < year:
            continue  # merged or withdrawn before the year (机构改革): no plan expected
        plan = plans.get(unit_id)
        filed = plan.data.get("filed_on") if plan else None
        status, late = _plan_status(filed, due, today)
        if plan and status == "按时" and not plan.data.get("entries"):
            status = "空计划"  # a plan with no entry is not a plan filed on time
        rows.append(
            {
                "unit": unit_id,
                "name": unit_label(corpus, unit_id),
                "filed_on": filed and filed.isoformat(),
                "status": status,
                "days_late": late,
                "file": plan.file if plan else None,
            }
        )
    return {
        "due": due.isoformat(),
        "rows": rows,
        "late": [r["unit"] for r in rows if r["status"] in ("逾期", "未备案", "空计划")],
    }


def _joint_plan(corpus, conf, year, today) -> dict:
    target, latest = (
        on(year, conf["deadlines"]["joint_plan_target"]),
        on(year, conf["deadlines"]["joint_plan_latest"]),
    )
    plan = _plans_of(corpus, year).get("joint")
    filed = plan.data.get("filed_on") if plan else None
    if filed is None:
        status = (
            "未发布（已超过最迟期限）"
            if today > latest
            else ("未发布（已超过目标日）" if today > target else "未到期")
        )
    else:
        status = "逾期" if filed > latest else ("晚于目标日" if filed > target else "按时")
    return {
        "target": target.isoformat(),
        "latest": latest.isoformat(),
        "filed_on": filed and filed.isoformat(),
        "status": status,
        "file": plan.file if plan else None,
    }


def _initiators(corpus, tasks, year) -> dict:
    started = defaultdict(list)
    for t in tasks:
        for unit_id in sorted(joint_initiators(t.data)):  # co-initiators count too
            started[unit_id].append(t.data["id"])
    rows = []
    for unit_id in sorted(corpus.units, key=lambda u: (corpus.units[u].data.get("order", 999), u)):
        unit = corpus.units[unit_id].data
        if not unit.get("initiates"):
            continue
        # Exemptions hold for one year only (unit.yaml exemptions); the old exempt_reason no longer counts.
        reasons = [e.get("reason") for e in unit.get("exemptions", []) if e.get("year") == year]
        is_exempt = exempt(unit, year)
        status = "已发起" if started.get(unit_id) else ("免于发起" if is_exempt else "未发起")
        exempt_reason = reasons[0] if reasons else None
        rows.append(
            {
                "unit": unit_id,
                "name": unit_label(corpus, unit_id),
                "initiates": list(unit["initiates"]),
                "tasks": started.get(unit_id, []),
                "status": status,
                "exempt_reason": exempt_reason,
            }
        )
    return {"rows": rows, "missing": [r["unit"] for r in rows if r["status"] == "未发起"]}


def late_entries(corpus, year: int | None = None) -> tuple[list[dict], int, int]:
    """(late entries, entries counted, entries whose calendar is unknown) — the validator's reading."""
    calendar = WorkCalendar.from_corpus(corpus)
    limit = settings(corpus)["deadlines"]["result_entry_working_days"]
    late, counted, unknown = [], 0, 0
    for r in sorted(corpus.of("results"), key=lambda r: r.file):
        seen = set()
        for i, entry in enumerate(r.data.get("entries", [])):
            obj, inspected, entered = entry.get("object"), entry.get("inspected_on"), entry.get("entered_on")
            if obj in seen:
                continue  # a duplicate is its own error; the validator does not time it either
            seen.add(obj)
            if not inspected or not entered or entered < inspected or (year and inspected.year != year):
                continue
            delay = entry_delay(calendar, entry)
            if delay is None:
                unknown += 1
                continue
            counted += 1
            if delay > limit:
                line = r.loc("entries", i, "entered_on")[0]
                late.append(
                    {
                        "unit": r.data.get("unit"),
                        "task": r.data.get("task"),
                        "object": obj,
                        "inspected_on": inspected.isoformat(),
                        "entered_on": entered.isoformat(),
                        "working_days": delay,
                        "days_late": delay - limit,
                        "file": r.file,
                        "line": line,
                    }
                )
    return late, counted, unknown


def _results(corpus, conf, calendar, year, today) -> dict:
    limit = conf["deadlines"]["result_entry_working_days"]
    late, counted, unknown = late_entries(corpus, year)
    entered = {
        (r.data.get("unit"), r.data.get("task"), e.get("object"))
        for r in corpus.of("results")
        for e in r.data.get("entries", [])
    }
    missing = []
    for task_id, teams in sorted(drawn_teams(corpus).items(), key=lambda kv: str(kv[0])):
        task = corpus.tasks.get(task_id)
        if task is None or task.data.get("year") != year or "to" not in task.data.get("window", {}):
            continue
        due = calendar.add_working_days(task.data["window"]["to"], limit)
        if due is None or today <= due:
            continue
        for obj, members in sorted(teams.items(), key=lambda kv: str(kv[0])):
            units = {corpus.inspectors[m].data.get("unit") for m in members if m in corpus.inspectors}
            units = sorted(units & set(task.data.get("participants", []))) or sorted(
                task.data.get("participants", [])
            )
            for unit in units:
                if (unit, task_id, obj) not in entered:
                    overdue = calendar.working_days_between(due, today)
                    missing.append(
                        {
                            "unit": unit,
                            "task": task_id,
                            "object": obj,
                            "due": due.isoformat(),
                            "working_days_overdue": overdue,
                        }
                    )
    return {
        "limit_working_days": limit,
        "entries": counted,
        "calendar_unknown": unknown,
        "on_time": share(counted - len(late), counted),
        "late": late,
        "missing": missing,
    }


def _rule_sections(findings) -> dict:
    out = {}
    for key, title, codes in RULE_SECTIONS:
        groups = {}
        for code in codes:
            hits = sorted((f for f in findings if f.code == code), key=lambda f: (f.file, f.line))
            if hits:
                groups[code] = [
                    {"file": f.file, "line": f.line, "severity": f.severity, "message": f.message}
                    for f in hits
                ]
        out[key] = {"title": title, "codes": groups, "count": sum(len(v) for v in groups.values())}
    return out


def _joint_share(tasks) -> dict:
    joint = [t for t in tasks if len(t.data.get("participants", [])) > 1]
    return {"tasks": len(tasks), "joint": len(joint), "share": share(len(joint), len(tasks))}


def _burden(corpus, conf, tasks) -> dict:
    cap = conf["object_rules"]["annual_cap"]
    teams = drawn_teams(corpus)
    visits: dict[str, list[dict]] = defaultdict(list)
    for t in tasks:
        for obj in sorted(teams.get(t.data["id"], {}), key=str):
            visits[obj].append({"task": t.data["id"], "units": list(t.data.get("participants", []))})
    over = []
    for obj in sorted(visits, key=str):
        count = len(visits[obj])
        if count > cap:
            records = corpus.objects_by_id.get(obj) or []
            name = records[0].data.get("name") if records else None
            units = sorted({u for v in visits[obj] for u in v["units"]})
            over.append(
                {
                    "object": obj,
                    "name": name,
                    "inspections": count,
                    "units": units,
                    "tasks": [v["task"] for v in visits[obj]],
                }
            )
    counts = [len(v) for v in visits.values()]
    return {"cap": cap, "objects_inspected": len(visits), "max": max(counts, default=0), "over": over}
