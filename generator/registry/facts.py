"""Per-object history facts the draw needs, computed from published results before the draw.

The engine excludes objects for reasons fixed *before* the randomness exists; the facts behind those
reasons are frozen in the request's pool so anyone with the internal data can re-check them:

* ``last_inspected_by_unit`` — latest inspection of the object by the initiating unit;
* ``recognised_result`` — a result for one of the task's items, from any unit, inside the county's
  recognition period (结果互认), and only one that closes the matter (every category ``closes`` in
  county.yaml; never 不配合, 无法联系 or an open 待后续处理 — see rules/outcomes.py);
* ``inspections_this_year`` — inspections (tasks) of the object by all units this year (扰民 cap);
* ``previous_inspectors`` — the team of its most recent inspection (never the same twice in a row).

Only inspections dated before the reference date count, so facts never depend on the future. Only
random inspections count: a complaint or referral task's result (its object picked by hand,
``rules/drawn.non_random_task_ids``) would let a clerk shield a firm from the next random draws (a
未发现问题 entered for it is 结果互认, an inspection by the unit in the last months, one more towards
the yearly cap) and keep chosen officers off it (the previous team).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.draw.objects import months_before
from generator.rules.drawn import non_random_task_ids
from generator.rules.outcomes import category_table, closes_matter


@dataclass
class Inspection:
    task: str
    unit: str
    day: dt.date
    items: frozenset[str]
    inspectors: list[str] = field(default_factory=list)
    closes: bool = True  # the result closes the matter, so 结果互认 may recognise it


def history(corpus) -> dict[str, list[Inspection]]:
    """object id -> random inspections (one per task and unit), oldest first."""
    picked = non_random_task_ids(corpus)
    results = (r.data for r in corpus.of("results") if r.data.get("task") not in picked)
    return history_of(results, corpus.tasks, category_table(corpus))


def history_of(results: Iterable[dict], tasks: dict, table: dict[str, dict]) -> dict[str, list[Inspection]]:
    """``history`` from result records' data (the sample generator keeps what it wrote, rather than
    reading every earlier year back; it writes random tasks only); ``tasks`` maps a task id to its
    record."""
    out: dict[str, list[Inspection]] = {}
    for data in results:
        task = tasks.get(data.get("task"))
        items = frozenset(task.data.get("items", [])) if task else frozenset()
        for entry in data.get("entries", []):
            if {"object", "inspected_on"} <= entry.keys():
                out.setdefault(entry["object"], []).append(
                    Inspection(
                        data.get("task", ""),
                        data.get("unit", ""),
                        entry["inspected_on"],
                        items,
                        list(entry.get("inspectors", [])),
                        closes_matter(entry, table),
                    )
                )
    for inspections in out.values():
        inspections.sort(key=lambda i: (i.day, i.task, i.unit))
    return out


@functools.lru_cache(maxsize=64)
def _since(reference: dt.date, recognise_months: int) -> dt.date:
    """Start of the recognition period: one value per draw, asked for once per candidate."""
    return dt.date.fromisoformat(months_before(reference.isoformat(), recognise_months))


def facts_for(
    inspections: list[Inspection], unit: str, items: set[str], reference: dt.date, recognise_months: int
) -> dict:
    since = _since(reference, recognise_months)
    if not inspections:  # most candidates of a county-size pool: the facts of "never inspected"
        return {
            "last_inspected_by_unit": None,
            "recognised_result": False,
            "inspections_this_year": 0,
            "previous_inspectors": [],
        }
    before = [i for i in inspections if i.day < reference]
    by_unit = [i for i in before if i.unit == unit]
    recognised = recognise_months > 0 and any(i.closes and i.day >= since and i.items & items for i in before)
    tasks_this_year = {i.task for i in before if i.day.year == reference.year}
    previous: list[str] = []
    if before:
        last_task = before[-1].task
        for i in before:
            if i.task == last_task:
                previous.extend(p for p in i.inspectors if p not in previous)
    return {
        "last_inspected_by_unit": by_unit[-1].day.isoformat() if by_unit else None,
        "recognised_result": recognised,
        "inspections_this_year": len(tasks_this_year),
        "previous_inspectors": sorted(previous),
    }
