"""合规 (compliance) figures for one year: plain data for the ``report`` command and the site.

Every check follows the county plan (实施方案): unit plans filed by the end of January, the joint plan
published in early March (end of March at the latest), every unit that initiates joint items starts at
least one joint task a year, results entered within 10 working days, 一般 item ratio caps, team size
and certificates, and the inspection burden per object against county.yaml ``object_rules.annual_cap``.

The rule findings (ratio caps, teams, certificates) are the validator's own, grouped by code, so the
report never disagrees with ``validate``. Timeliness, joint share and every other count come from
``generator.reports.figures`` (the validator's working-day reading); a test checks both agree.
All values are JSON-ready: dates as ISO text, shares as ``{"num", "den", "percent"}``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.reports.figures import Figures
from generator.rules import tracking
from generator.rules.calendar import on
from generator.rules.drawn import drawn_teams
from generator.rules.governance import ended_on, exempt
from generator.rules.settings import settings
from generator.validation import validate_corpus

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


def compliance(corpus, year: int, today: dt.date, findings=None, figures: Figures | None = None) -> dict:
    """The 合规 page model. ``findings``: the validator's findings (computed here when None);
    ``figures``: the build's ``Figures`` (made here when None)."""
    if findings is None:
        findings = validate_corpus(corpus)
    figures = figures or Figures(corpus)
    conf = settings(corpus)
    tasks = sorted(
        (t for t in corpus.tasks.values() if t.data.get("year") == year), key=lambda t: t.data["id"]
    )
    return {
        "year": year,
        "today": today.isoformat(),
        "unit_plans": _unit_plans(corpus, figures, conf, year, today),
        "joint_plan": _joint_plan(corpus, conf, year, today),
        "initiators": _initiators(corpus, figures, year),
        "results": _results(corpus, figures, year, today),
        "rules": _rule_sections(findings),
        "joint_share": _joint_share(figures, year),
        "object_burden": _burden(corpus, conf, tasks),
        # issue 13 additions (generator/rules/tracking.py): plan execution and frequency, empty plans,
        # open follow-ups and unacknowledged referrals past the county's deadlines.
        "plan_execution": tracking.plan_execution(corpus, year),
        "open_follow_ups": _once(corpus, tracking.open_follow_ups, today),
        "unacknowledged_referrals": _once(corpus, tracking.unacknowledged_referrals, today),
    }


def _once(corpus, make, today: dt.date) -> list:
    """``make(corpus, today)``: the same for every year, so made once per corpus (the site's
    合规 page asks for each year; at scale 10 the five calls cost a second)."""
    memo = corpus.__dict__.setdefault("_compliance_once", {})
    key = (make.__name__, today)
    if key not in memo:
        memo[key] = make(corpus, today)
    return memo[key]


def _plans_of(corpus, year: int) -> dict[str, object]:
    return {p.data.get("unit"): p for p in corpus.of("plans") if p.data.get("year") == year}


def _plan_status(filed: dt.date | None, due: dt.date, today: dt.date) -> tuple[str, int]:
    if filed is None:
        return ("未备案" if today > due else "未到期"), (today - due).days if today > due else 0
    return ("逾期" if filed > due else "按时"), max(0, (filed - due).days)


def _unit_plans(corpus, figures, conf, year, today) -> dict:
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
                "name": figures.unit_label(unit_id),
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


def _initiators(corpus, figures: Figures, year: int) -> dict:
    started = defaultdict(list)
    for t in figures.tasks_of(year):
        for unit_id in sorted(t.credited_initiators):  # co-initiators count too
            started[unit_id].append(t.id)
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
                "name": figures.unit_label(unit_id),
                "initiates": list(unit["initiates"]),
                "tasks": started.get(unit_id, []),
                "status": status,
                "exempt_reason": exempt_reason,
            }
        )
    return {"rows": rows, "missing": [r["unit"] for r in rows if r["status"] == "未发起"]}


def late_entries(figures: Figures, year: int) -> list[dict]:
    """The year's late entries (the validator's RESULT_ENTRY_LATE), in file and line order."""
    out = []
    for e in sorted(figures.late(year), key=lambda e: (e.file, e.line)):
        delay = figures.delay(e)
        out.append(
            {
                "unit": e.unit,
                "task": e.task,
                "object": e.object,
                "inspected_on": e.inspected_on.isoformat(),
                "entered_on": e.entered_on.isoformat(),
                "working_days": delay,
                "days_late": delay - figures.limit,
                "file": e.file,
                "line": e.line,
            }
        )
    return out


def _results(corpus, figures: Figures, year, today) -> dict:
    limit, calendar = figures.limit, figures.calendar
    on_time = figures.on_time(year)
    entered = figures.entered()
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
        "entries": on_time["den"],
        "calendar_unknown": figures.calendar_unknown(year),
        "on_time": on_time,
        "by_unit": [
            {"unit": u, "name": figures.unit_label(u), "on_time": figures.on_time(year, u)}
            for u in figures.unit_labels
        ],
        "late": late_entries(figures, year),
        "missing": missing,
    }


def _rule_sections(findings) -> dict:
    wanted = {code for _, _, codes in RULE_SECTIONS for code in codes}
    by_code: dict[str, list] = {}
    for f in findings:  # one pass, each code's findings in the order given (then sorted, stable)
        if f.code in wanted:
            by_code.setdefault(f.code, []).append(f)
    out = {}
    for key, title, codes in RULE_SECTIONS:
        groups = {}
        for code in codes:
            hits = sorted(by_code.get(code, ()), key=lambda f: (f.file, f.line))
            if hits:
                groups[code] = [
                    {"file": f.file, "line": f.line, "severity": f.severity, "message": f.message}
                    for f in hits
                ]
        out[key] = {"title": title, "codes": groups, "count": sum(len(v) for v in groups.values())}
    return out


def _joint_share(figures: Figures, year: int) -> dict:
    joint = figures.joint_share(year)
    return {"tasks": joint["den"], "joint": joint["num"], "share": joint}


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
    return {"cap": cap, "objects_drawn": len(visits), "max": max(counts, default=0), "over": over}
