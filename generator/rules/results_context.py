"""What each results record is checked against (``Against``) and the build's "today"
(``reference_date``): the corpus-wide facts ``rules/results.py`` reads, gathered once."""

from __future__ import annotations

import datetime as dt
import os

from generator.calendar import CHINA
from generator.calendar.workdays import WorkCalendar
from generator.rules.drawn import drawn_teams, frozen_people, non_random_task_ids, task_draw_ids
from generator.rules.settings import settings
from generator.rules.uscc import canonical_id


class Against:
    """What each results record is checked against: the county's deadlines and categories, the
    working-day calendar, the drawn teams, the draws (task, date drawn) and tasks, each inspector's
    unit, the reference date. Equal when those are equal (``key``): serve's preview keeps each
    file's findings while it is (site/rule_cache.py)."""

    def __init__(self, corpus):
        conf = settings(corpus)
        self.entry_days = conf["deadlines"]["result_entry_working_days"]
        self.publication_days = conf["deadlines"]["publication_working_days"]
        listed = conf.get("result_categories")
        # a malformed county.yaml is reported by its schema check; here it must only not crash
        self.categories = {
            c["code"]
            for c in (listed if isinstance(listed, list) else [])
            if isinstance(c, dict) and "code" in c
        }
        self.calendar = WorkCalendar.from_corpus(corpus)
        self.teams = drawn_teams(corpus)
        self.draw_tasks = {r.data.get("id"): r.data.get("task") for r in corpus.of("draw_request")}
        self.drawn_on = {r.data.get("id"): r.data.get("drawn_on") for r in corpus.of("draw_result")}
        # each inspector's unit; None for a row the loader could not read (reported by its own rules)
        self.inspector_units = {i: rec.data.get("unit") for i, rec in corpus.inspectors.items()}
        # task -> {member -> unit} as the task's draw froze them (drawn.frozen_people): an officer
        # who moves department after the draw keeps the unit the draw used for its results
        frozen, teams_of = frozen_people(corpus), task_draw_ids(corpus)
        self.frozen_units = {
            task: {
                m: frozen[draw_id][m]["unit"]
                for team in self.teams.get(task, {}).values()
                for m in team
                if "unit" in frozen.get(draw_id, {}).get(m, {})
            }
            for task, draw_id in teams_of.items()
        }
        # declared conflicts (internal): today's roster, and each task's as its draw froze them
        self.conflicts = {
            i: frozenset(canonical_id(c) for c in rec.data.get("conflicts", []) if isinstance(c, str))
            for i, rec in corpus.inspectors.items()
            if isinstance(rec.data.get("conflicts"), list) and rec.data.get("conflicts")
        }
        self.frozen_conflicts = {
            task: {
                m: frozenset(canonical_id(c) for c in facts["conflicts"] if isinstance(c, str))
                for m, facts in frozen.get(draw_id, {}).items()
                if isinstance(facts.get("conflicts"), list) and facts["conflicts"]
            }
            for task, draw_id in teams_of.items()
        }
        self.min_per_department = conf["object_rules"]["min_per_department"]
        self.tasks = corpus.tasks
        self.current_draw = teams_of  # task -> the draw whose result is in force
        self.non_random = non_random_task_ids(corpus)
        self.today = reference_date()
        self.key = (
            self.entry_days,
            self.publication_days,
            self.categories,
            [r.data for r in corpus.of("holidays")],  # the calendar's overrides are made from these
            self.teams,
            self.draw_tasks,
            self.drawn_on,
            self.inspector_units,
            self.frozen_units,
            self.conflicts,
            self.frozen_conflicts,
            self.min_per_department,
            self.current_draw,
            self.non_random,
            {tid: t.data for tid, t in self.tasks.items()},
            self.today,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Against) and self.key == other.key

    __hash__ = None  # type: ignore[assignment]


def reference_date() -> dt.date:
    """The build's "today" for "not in the future" checks, in Beijing time (``CHINA``).

    The later of the wall-clock date and SOURCE_DATE_EPOCH: a pinned epoch makes pages
    byte-identical and is usually in the past, so taking it alone would reject every real correction
    made since; setting it in the future lets a test or a dry run look ahead. Both are read as
    Beijing dates, as ``request`` and ``accept`` date a request (registry/clock.today) and as the
    county writes its dates: CI's runners keep UTC, where 00:00-08:00 in Beijing is still yesterday.
    """
    today = dt.datetime.now(CHINA).date()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        pinned = dt.datetime.fromtimestamp(int(epoch), CHINA).date() if epoch.isdigit() else today
    except (ValueError, OverflowError, OSError):
        pinned = today
    return max(today, pinned)
