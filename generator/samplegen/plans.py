"""Annual plans and task files: unit plans filed in January (two filed late so the calendar rule
has material), the county joint plan published in early March, and one YAML file per task."""

from __future__ import annotations

import calendar
import datetime as dt

from generator.samplegen.emit import Note
from generator.samplegen.items import BY_CODE
from generator.samplegen.tasks import PER_DEPARTMENT, TaskSpec, for_year, per_unit, ratios
from generator.samplegen.units import BY_ID, CHANGES, UNITS

D = dt.date
YEAR = 2026
LATE_FILINGS = {"transport": D(2026, 2, 3), "tobacco": D(2026, 2, 5)}
JOINT_PLAN_PUBLISHED = D(2026, 3, 6)
# Each unit also keeps one 本部门 entry to show the other entry type.
OWN_ENTRIES = {
    "market": (
        "2026 年食品销售和计量器具本部门抽查",
        ("SCJG-06", "SCJG-11"),
        "全县食品销售者和使用计量器具的经营者",
    ),
}


def platform_no(prefix: str, record_id: str) -> str:
    """A stand-in for the 江苏省市场监管信息平台 number (the sample has no real platform)."""
    return f"DEMO-{prefix}-{record_id}"


def entry_ids(year: int = YEAR) -> dict[str, str]:
    """Task id -> plan entry id (planned tasks only), numbered per initiating unit."""
    out, seq = {}, {}
    for t in for_year(year):
        if t.reason:
            continue
        seq[t.initiator] = seq.get(t.initiator, 0) + 1
        out[t.id] = f"P{year}-{t.initiator}-{seq[t.initiator]:02d}"
    return out


def withdrawn(unit: str, year: int) -> bool:
    """Whether the unit was withdrawn (机构改革, units.CHANGES) before ``year`` began."""
    return any(c["effective_on"].year < year for c in CHANGES.get(unit, ()))


def _month_window(t: TaskSpec) -> dict:
    last = calendar.monthrange(t.year, t.end.month)[1]
    return {"from": D(t.year, t.start.month, 1), "to": D(t.year, t.end.month, last)}


def _entry(t: TaskSpec, entry_id: str, drawn: int) -> dict:
    r = ratios(t)
    window = _month_window(t)
    joint = len(t.participants) > 1
    entry = {
        "id": entry_id,
        "name": t.name,
        "platform_no": platform_no("JH", entry_id),
        "type": "部门联合" if joint else "本部门",
        "initiator": t.initiator,
    }
    if t.co_initiators:
        entry["co_initiators"] = list(t.co_initiators)
    entry |= {
        "participants": list(t.participants),
        "items": list(t.items),
        "object_scope": t.scope,
        "ratio": r.get("B", r.get("all")),
        "count": drawn,
    }
    if t.stratify == "credit_risk":
        entry["risk_ratios"] = r
    entry["frequency"] = 1
    if t.batches > 1:
        mid = window["from"] + (window["to"] - window["from"]) / 2
        entry["batches"] = [
            {"name": "第一批", "from": window["from"], "to": mid, "count": (drawn + 1) // 2},
            {"name": "第二批", "from": mid + dt.timedelta(days=1), "to": window["to"], "count": drawn // 2},
        ]
    entry["window"] = window
    return entry


def unit_plans(drawn: dict[str, int], year: int = YEAR) -> dict[str, dict]:
    """unit id -> plan document for every member unit (every unit files a plan by the end of January)."""
    ids = entry_ids(year)
    plans: dict[str, dict] = {}
    for order, unit in enumerate(UNITS, start=1):
        if withdrawn(unit.id, year):
            continue  # withdrawn before the year (机构改革): no plan
        filed = (
            LATE_FILINGS[unit.id].replace(year=year)
            if unit.id in LATE_FILINGS
            else D(year, 1, 6 + order % 24)
        )
        doc = {
            "id": f"PLAN-{year}-{unit.id}",
            "year": year,
            "unit": unit.id,
            "filed_on": filed,
            "entries": [],
        }
        if unit.id in LATE_FILINGS:
            doc = {Note("示例：本计划晚于 1 月底备案，用于演示时间节点提醒。"): None, **doc}
        for t in for_year(year):
            if t.initiator == unit.id and t.id in ids:
                doc["entries"].append(_entry(t, ids[t.id], drawn[t.id]))
        if unit.id in OWN_ENTRIES:
            name, items, scope = OWN_ENTRIES[unit.id]
            cap = min((BY_CODE[c].cap for c in items), key=lambda text: float(text.rstrip("%")))
            doc["entries"].append(
                {
                    "id": f"P{year}-{unit.id}-{len(doc['entries']) + 1:02d}",
                    "name": name.replace(str(YEAR), str(year)),
                    "type": "本部门",
                    "initiator": unit.id,
                    "participants": [unit.id],
                    "items": list(items),
                    "object_scope": scope,
                    "ratio": cap,
                    "frequency": 1,
                    "window": {"from": D(year, 4, 1), "to": D(year, 11, 30)},
                }
            )
        if unit.exempt_reason:
            doc["note"] = f"本年度不发起部门联合抽查：{unit.exempt_reason.replace(str(YEAR), str(year))}"
        if not doc["entries"]:
            doc["note"] = "本单位不牵头发起部门联合抽查，按联合抽查计划参与其他单位发起的任务。"
        plans[unit.id] = doc
    return plans


def joint_plan(year: int = YEAR) -> dict:
    by_task = {t.id: t for t in for_year(year)}
    return {
        "id": f"PLAN-{year}-joint",
        "year": year,
        "unit": "joint",
        "filed_on": JOINT_PLAN_PUBLISHED.replace(year=year),
        Note("县联席办汇总各单位计划中的部门联合抽查条目。"): None,
        "includes": sorted(v for k, v in entry_ids(year).items() if len(by_task[k].participants) > 1),
        "note": f"{year} 年全县部门联合抽查计划（示例数据）。",
    }


def _summary(t: TaskSpec, team: dict[str, int]) -> str:
    sent = "、".join(f"{BY_ID[u].short_name} {n} 名" for u, n in team.items())
    return (
        f"会商确定：抽查范围为{t.scope}；抽查事项 {'、'.join(t.items)}；每个检查组由{sent}组成，"
        f"由{BY_ID[t.initiator].name}人员任组长；检查时间 {t.start.isoformat()} 至 {t.end.isoformat()}。"
    )


def task_doc(t: TaskSpec, max_objects: int) -> dict:
    team = per_unit(t)
    meeting = t.start - dt.timedelta(days=21)
    doc: dict = {
        "id": t.id,
        "name": t.name,
        "year": t.year,
        "type": "临时" if t.reason else "计划内",
    }
    if t.reason:
        doc["reason"] = t.reason
    else:
        doc["plan_entry"] = entry_ids(t.year)[t.id]
    doc["platform_no"] = platform_no("RW", t.id)
    doc["check_type"] = "定向"
    doc["initiator"] = t.initiator
    if t.co_initiators:
        doc["co_initiators"] = list(t.co_initiators)
    doc["participants"] = list(t.participants)
    doc["items"] = list(t.items)
    objects: dict = {"source_units": list(t.source or (t.initiator,))}
    if t.kinds:
        objects["kinds"] = list(t.kinds)
    if t.townships:
        objects["townships"] = list(t.townships)
    if t.tags:
        objects["tags"] = list(t.tags)
    doc["objects"] = objects
    if t.stratify == "credit_risk":
        note = Note("按信用风险分类分层抽取：A 类低风险比例较低，D 类高风险比例较高。")
    else:
        note = Note("检查对象不在信用风险分类范围内（学校、项目、产品、社会组织等），不分层抽取。")
    doc["sampling"] = {note: None, "stratify": t.stratify, "ratios": ratios(t), "batches": t.batches}
    inspectors: dict = {
        "mode": "unit",
        "team_size": sum(team.values()),
        "per_unit": PER_DEPARTMENT,
        "max_objects": max_objects,
        "assistants": t.assistants,
    }
    if t.assistant_expertise:
        inspectors["assistant_expertise"] = list(t.assistant_expertise)
    doc["inspectors"] = inspectors
    doc["window"] = {"from": t.start, "to": t.end}
    doc["meeting"] = {"date": meeting, "units_present": list(t.participants), "summary": _summary(t, team)}
    doc["created_on"] = meeting + dt.timedelta(days=3)
    return doc


def annual_meeting(year: int = YEAR) -> dict:
    """The December 联席会议 that sums up the year (方案 四（三）)."""
    units = [u.id for u in UNITS if not withdrawn(u.id, year)]
    specs = for_year(year)
    joint = sum(1 for t in specs if len(t.participants) > 1)
    decisions = [
        f"通报全年抽查任务 {len(specs)} 个，其中部门联合抽查 {joint} 个（示例数据）。",
        "对检查结果逾期录入的单位予以提醒，明年起每月通报录入进度。",
        "待后续处理的事项和未确认接收的移交，由各单位在下月联络员会议前办结或说明。",
    ]
    if any(c["effective_on"].year < year for c in CHANGES["pboc"]):
        decisions.append(
            "人行泗阳县支行撤销后，金融领域事项由人民银行宿迁市分行实施，联席办相应调整成员单位名单。"
        )
    return {
        "date": D(year, 12, 18),
        "year": year,
        "kind": "年度总结",
        "title": f"{year} 年度“双随机、一公开”监管联席会议",
        "attendees": units,
        "decisions": decisions,
    }
