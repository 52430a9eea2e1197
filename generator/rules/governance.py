"""Annual governance: the initiator duty, unit changes (机构改革), 专项整治 in joint form, meetings.

* 方案 二（四）: a unit that initiates a field of the provincial joint list starts at least one joint
  task a year, unless exempt *for that year* (no county-level power or no such objects). Checked for
  every year that has a county joint plan; a warning, since the year may still be running.
* A unit merged or dissolved (``changes``) starts no task after the change takes effect.
* 方案 二（五）: 专项整治 on items of the joint list should run as joint tasks (warning).
* A meeting record's file name is its date.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.rules.drawn import non_random_task_ids
from generator.rules.items import version_on


def check(corpus) -> Iterator[Finding]:
    yield from _initiator_duty(corpus)
    yield from _ended_units(corpus)
    yield from _special_campaigns(corpus)
    for m in corpus.of("meetings"):
        day, expected = m.data.get("date"), m.owner.get("id")
        if day and expected and day.isoformat() != expected:
            line, col = m.loc("date")
            yield finding("ID_FILE_MISMATCH", m.file, line, col, "date", day.isoformat(), expected=expected)


def joint_initiators(task: dict) -> set[str]:
    """Units credited with initiating a joint task (initiator and co-initiators); empty if single."""
    if len(task.get("participants", [])) < 2:
        return set()
    return {task.get("initiator"), *task.get("co_initiators", [])}


def ended_on(unit: dict):
    """The date a unit stopped existing on its own (merged or dissolved), or None."""
    days = [
        c["effective_on"]
        for c in unit.get("changes", [])
        if c.get("type") in ("合并", "撤销") and "effective_on" in c
    ]
    return min(days) if days else None


def exempt(unit: dict, year: int) -> bool:
    return any(e.get("year") == year for e in unit.get("exemptions", []))


def _initiator_duty(corpus) -> Iterator[Finding]:
    years = sorted(
        {p.data["year"] for p in corpus.of("plans") if p.data.get("unit") == "joint" and "year" in p.data}
    )
    non_random = non_random_task_ids(corpus)  # a complaint or referral task is no random inspection
    for year in years:
        credited: set[str] = set()
        for task in corpus.tasks.values():
            if task.data.get("year") == year and task.data.get("id") not in non_random:
                credited |= joint_initiators(task.data)
        for unit_id, unit in sorted(corpus.units.items()):
            d = unit.data
            end = ended_on(d)
            if not d.get("initiates") or unit_id in credited or exempt(d, year):
                continue
            if end is not None and end.year <= year:
                continue
            line, col = unit.loc("initiates")
            yield finding("UNIT_INITIATOR_DUTY", unit.file, line, col, "initiates", unit_id, year=year)


def _ended_units(corpus) -> Iterator[Finding]:
    for task in corpus.of("tasks"):
        t = task.data
        created = t.get("created_on")
        for field_name in ("initiator", "participants"):
            value = t.get(field_name)
            for i, unit_id in enumerate(value if isinstance(value, list) else [value]):
                unit = corpus.units.get(unit_id)
                end = ended_on(unit.data) if unit else None
                if created and end and created >= end:
                    path = (field_name, i) if isinstance(value, list) else (field_name,)
                    line, col = task.loc(*path)
                    yield finding(
                        "TASK_UNIT_ENDED", task.file, line, col, path, unit_id, expected=end.isoformat()
                    )


def _special_campaigns(corpus) -> Iterator[Finding]:
    for task in corpus.of("tasks"):
        t = task.data
        if t.get("type") != "专项整治" or len(t.get("participants", [])) > 1:
            continue
        day = t.get("window", {}).get("from")
        joint = [
            c for c in t.get("items", []) if (v := version_on(corpus, c, day)) and v.data.get("joint_units")
        ]
        if joint:
            line, col = task.loc("participants")
            yield finding("TASK_SPECIAL_NOT_JOINT", task.file, line, col, "participants", "、".join(joint))
