"""Every published figure, defined once.

The home page, 统计, 合规, 年度总结, the ``report`` and ``summary`` commands all read their numbers from
a ``Figures`` built here from the Corpus, so the same figure is the same number everywhere. The
definitions (docs/architecture.md "Figures" repeats them for readers):

- An entry's year is the year it was inspected (``inspected_on``); a task's year is its ``year``.
- A result entry (条) is one unit's entry for one object in one task. A unit file that lists an
  object twice is an error of its own (RESULT_DUPLICATE); only the first of the two is counted.
- Objects inspected (户) counts distinct objects; inspections (户次) counts distinct (task, object)
  visits, whichever units entered results for them.
- A problem entry has, after its amendments, a result category the county marks ``problem: true``;
  the problem rate is problem entries over entries.
- On time: entered within ``deadlines.result_entry_working_days`` working days of the inspection, on
  the working-day calendar with the joint office's ``records/holidays`` overrides (the validator's
  RESULT_ENTRY_LATE reading). Entries without both dates, entered before the inspection, or in a year
  whose holiday schedule is not yet known are not timed: they are in neither part of the rate.
- Only random inspections count: a task typed 投诉举报 or 转办 that no draw request names (its
  objects were picked, not drawn; rules/drawn.non_random_task_ids) and its results are in no figure.
- Joint tasks have more than one participating unit. A joint task is credited to its initiator and
  its co-initiators (``co_initiators``, the rule's ``governance.joint_initiators``) when the 合规 page
  checks each initiating unit's yearly duty; "tasks initiated" counts the initiator only.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from generator.calendar.workdays import WorkCalendar
from generator.rules.drawn import non_random_task_ids
from generator.rules.governance import joint_initiators
from generator.rules.outcomes import effective as effective_entry  # one definition of an amended entry
from generator.rules.results import entry_delay
from generator.rules.settings import settings

ON_TIME, LATE, NOT_TIMED, CALENDAR_UNKNOWN = "on_time", "late", "not_timed", "calendar_unknown"


def percent_text(num: int, den: int) -> str | None:
    """The one way a rate is written: one decimal and a percent sign; None when nothing was counted."""
    return None if den == 0 else f"{float(Fraction(num * 100, den)):.1f}%"


def share(num: int, den: int) -> dict:
    """A rate as JSON-ready parts: ``{"num", "den", "percent"}``."""
    return {"num": num, "den": den, "percent": percent_text(num, den)}


def rate(num: int, den: int) -> Fraction | None:
    return Fraction(num, den) if den else None


@dataclass(frozen=True)
class Entry:
    """One unit's result for one object in one task, with amendments applied to its categories."""

    unit: str
    task: str
    object: str
    inspected_on: dt.date | None
    entered_on: dt.date | None
    categories: tuple[str, ...]
    file: str
    line: int  # of ``entered_on`` (where a late entry is reported)

    @property
    def year(self) -> int | None:
        return self.inspected_on.year if self.inspected_on else None


@dataclass(frozen=True)
class Task:
    id: str
    year: int | None
    initiator: str | None
    participants: tuple[str, ...]
    co_initiators: tuple[str, ...] = ()

    @property
    def joint(self) -> bool:
        return len(self.participants) > 1

    @property
    def credited_initiators(self) -> frozenset[str]:
        """Units credited with initiating this task as a joint task (empty for a one-unit task)."""
        return frozenset(
            joint_initiators(
                {
                    "initiator": self.initiator,
                    "participants": list(self.participants),
                    "co_initiators": list(self.co_initiators),
                }
            )
        )


def final_categories(entry: dict) -> tuple[str, ...]:
    """The result categories that count: those of ``effective_entry``."""
    categories = effective_entry(entry).get("categories", [])
    return tuple(str(c) for c in categories) if isinstance(categories, list) else ()


def _by_year(method: Callable) -> Callable:
    """A figure of one year's entries (``entries_of(year, unit)``) and of what ``Figures`` reads
    besides the results — the county settings, the holidays, units, tasks, plans and objects. In
    serve's preview (``self._years`` kept by ``RecordCache.derived`` while every other kind's files
    are the same) it is counted again only when that selection of entries differs from the one it
    was counted from: an edit of one results file recounts the years and units its entries are in,
    not the county's five years. The entries compare equal by value (an unchanged file hands back
    its very ``Entry`` objects, so the comparison is one identity check each)."""
    name = method.__name__

    @functools.wraps(method)
    def counted(self: Figures, year: int, unit: str | None = None):
        if self._years is None:
            return method(self, year, unit)
        entries = self.entries_of(year, unit)
        kept = self._years.get((name, year, unit))
        if kept is None or kept[0] != entries:
            kept = self._years[(name, year, unit)] = (entries, method(self, year, unit))
        value = kept[1]
        # a caller may change what it gets (a model's dict): hand out a copy of what is kept
        return type(value)(value) if isinstance(value, dict | list) else value

    return counted


class Figures:
    """The facts every figure is counted from, and the figures themselves."""

    def __init__(self, corpus, cache=None):
        """``cache`` (serve's preview: ``site.record_cache.RecordCache``): a results record's
        entries and the directory's townships are reused while their files are the same."""
        conf = settings(corpus)
        self.limit = conf["deadlines"]["result_entry_working_days"]
        self.problem_codes = frozenset(
            str(c["code"]) for c in conf.get("result_categories", []) if c.get("problem")
        )
        self.calendar = WorkCalendar.from_corpus(corpus)
        self.county = corpus.county.data.get("name", "") if corpus.county else ""
        self.townships = list(conf.get("townships", []) or [])
        order = sorted(corpus.units, key=lambda u: (corpus.units[u].data.get("order", 999), u))
        self.unit_labels = {u: _unit_label(corpus.units[u].data, u) for u in order}
        non_random = non_random_task_ids(corpus)
        self.tasks = [
            Task(
                t.data["id"],
                t.data.get("year"),
                t.data.get("initiator"),
                tuple(t.data.get("participants", []) or []),
                tuple(t.data.get("co_initiators", []) or []),
            )
            for t in sorted(corpus.tasks.values(), key=lambda t: t.data["id"])
            if t.data["id"] not in non_random
        ]
        self.plan_years = [p.data.get("year") for p in corpus.of("plans")]
        self.entries = [e for e in _entries(corpus, cache) if e.task not in non_random]
        if cache is None:
            self.township_of = _townships(corpus)
        else:
            key = cache.kinds_key("objects")
            self.township_of = cache.derived("figures:townships", key, lambda: _townships(corpus))
        # (figure, year, unit) -> (the entries it was counted from, the figure): see ``_by_year``.
        # Kept while every kind but results has the same files, the date and epoch too (kinds_key).
        self._years: dict[tuple, tuple] | None = (
            None if cache is None else cache.derived("figures:years", cache.kinds_key(*_NOT_RESULTS), dict)
        )
        self._listed: dict[str, int] | None = None  # objects per township (coverage's denominator)
        self._entered: set[tuple] | None = None
        self._selected: dict[tuple, list[Entry]] = {}  # entries_of, computed once per selection
        # an entry's timeliness depends on it, the calendar (holidays) and the limit (county.yaml):
        # serve's preview keeps it while those files are the same
        self._timeliness: dict[Entry, str] = (
            {}
            if cache is None
            else cache.derived("figures:timeliness", cache.kinds_key("county", "holidays"), dict)
        )
        if len(self._timeliness) > 2 * len(self.entries) + 1000:
            self._timeliness.clear()  # edited entries' old versions pile up over a long preview

    # ---- selections -------------------------------------------------------------------------
    def tasks_of(self, year: int) -> list[Task]:
        return [t for t in self.tasks if t.year == year]

    def entries_of(self, year: int, unit: str | None = None) -> list[Entry]:
        if not self._selected:  # one pass: every (year, unit) and (year, None) selection, in order
            for e in self.entries:
                self._selected.setdefault((e.year, e.unit), []).append(e)
                self._selected.setdefault((e.year, None), []).append(e)
        return self._selected.get((year, unit), [])

    def unit_label(self, unit_id: str) -> str:
        return self.unit_labels.get(unit_id, unit_id)

    # ---- the figures ------------------------------------------------------------------------
    def timeliness(self, e: Entry) -> str:
        """ON_TIME, LATE, NOT_TIMED (dates missing or out of order) or CALENDAR_UNKNOWN."""
        if e not in self._timeliness:
            if not e.inspected_on or not e.entered_on or e.entered_on < e.inspected_on:
                kind = NOT_TIMED
            else:
                # a year's schedule unknown: decided when every reading of its days agrees (a
                # January entry past December's deadline is late whatever the new schedule says)
                fewest, most = self.calendar.working_days_bounds(e.inspected_on, e.entered_on)
                kind = LATE if fewest > self.limit else ON_TIME if most <= self.limit else CALENDAR_UNKNOWN
            self._timeliness[e] = kind
        return self._timeliness[e]

    def delay(self, e: Entry) -> int | None:
        return entry_delay(self.calendar, {"inspected_on": e.inspected_on, "entered_on": e.entered_on})

    @_by_year
    def on_time(self, year: int, unit: str | None = None) -> dict:
        """Share of timed entries entered on time."""
        kinds = [self.timeliness(e) for e in self.entries_of(year, unit)]
        on_time, late = kinds.count(ON_TIME), kinds.count(LATE)
        return share(on_time, on_time + late)

    @_by_year
    def late(self, year: int, unit: None = None) -> list[Entry]:
        return [e for e in self.entries_of(year) if self.timeliness(e) == LATE]

    @_by_year
    def calendar_unknown(self, year: int, unit: None = None) -> int:
        return sum(1 for e in self.entries_of(year) if self.timeliness(e) == CALENDAR_UNKNOWN)

    def is_problem(self, e: Entry) -> bool:
        return bool(self.problem_codes.intersection(e.categories))

    @_by_year
    def problems(self, year: int, unit: str | None = None) -> int:
        return sum(1 for e in self.entries_of(year, unit) if self.is_problem(e))

    def results(self, year: int, unit: str | None = None) -> int:
        return len(self.entries_of(year, unit))

    def problem_rate(self, year: int, unit: str | None = None) -> dict:
        return share(self.problems(year, unit), self.results(year, unit))

    @_by_year
    def objects_inspected(self, year: int, unit: str | None = None) -> int:
        """Distinct objects (户)."""
        return len({e.object for e in self.entries_of(year, unit)})

    @_by_year
    def inspections(self, year: int, unit: None = None) -> int:
        """Distinct (task, object) visits (户次)."""
        return len({(e.task, e.object) for e in self.entries_of(year)})

    def tasks_initiated(self, year: int, unit: str) -> int:
        return sum(1 for t in self.tasks_of(year) if t.initiator == unit)

    def tasks_joined(self, year: int, unit: str) -> int:
        return sum(1 for t in self.tasks_of(year) if unit in t.participants and t.initiator != unit)

    def joint_tasks(self, year: int) -> int:
        return sum(1 for t in self.tasks_of(year) if t.joint)

    def joint_share(self, year: int) -> dict:
        return share(self.joint_tasks(year), len(self.tasks_of(year)))

    def plans(self, year: int) -> int:
        return sum(1 for y in self.plan_years if y == year)

    @_by_year
    def coverage(self, year: int, unit: None = None) -> dict[str, Fraction | None]:
        """Per township: objects with an entry this year over objects in the directories."""
        if self._listed is None:  # the same for every year
            self._listed = {}
            for township in self.township_of.values():
                self._listed[township] = self._listed.get(township, 0) + 1
        listed, covered = self._listed, {}
        for obj in {e.object for e in self.entries_of(year)}:  # the inspected, not every object
            if obj in self.township_of:
                township = self.township_of[obj]
                covered[township] = covered.get(township, 0) + 1
        return {t: rate(covered.get(t, 0), listed[t]) for t in self.townships if listed.get(t)}

    def entered(self) -> set[tuple]:
        """Every (unit, task, object) with an entry, whatever its year (made once)."""
        if self._entered is None:
            self._entered = {(e.unit, e.task, e.object) for e in self.entries}
        return self._entered


def _not_results() -> tuple[str, ...]:
    from generator.records import KINDS

    return tuple(k.name for k in KINDS if k.name != "results")


_NOT_RESULTS = _not_results()


def _unit_label(unit: dict, unit_id: str) -> str:
    return unit.get("short_name") or unit.get("name") or unit_id


def _entries(corpus, cache=None) -> list[Entry]:
    out = []
    for r in sorted(corpus.of("results"), key=lambda r: r.file):
        out += _record_entries(r) if cache is None else cache.memo("figures:entries", r, _record_entries)
    return out


def _record_entries(r) -> list[Entry]:
    """One results record's entries as counted (a function of the record alone)."""
    out, seen = [], set()
    for i, e in enumerate(r.data.get("entries", []) or []):
        obj = e.get("object")
        if obj in seen:
            continue  # RESULT_DUPLICATE reports it; the first entry counts
        seen.add(obj)
        out.append(
            Entry(
                r.data.get("unit"),
                r.data.get("task"),
                obj,
                e.get("inspected_on"),
                e.get("entered_on"),
                final_categories(e),
                r.file,
                r.loc("entries", i, "entered_on")[0],
            )
        )
    return out


def _townships(corpus) -> dict[str, str | None]:
    """Object id -> township of its first directory row (unit, file, line order), as the site shows."""
    out: dict[str, str | None] = {}
    for object_id, rows in corpus.objects_by_id.items():
        first = (
            rows[0] if len(rows) == 1 else min(rows, key=lambda r: (r.owner.get("unit", ""), r.file, r.line))
        )
        out[object_id] = first.data.get("township")
    return out
