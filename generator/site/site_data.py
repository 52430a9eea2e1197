"""Public view of a Corpus with the lookups the page models share.

Built once per build. Every record is reduced to its public fields here (``public.public_data``);
the page models below only ever see these dicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.records.county import OBJECT_PAGES
from generator.reports.figures import Figures, effective_entry

__all__ = ["SiteData", "build_site_data", "effective_entry"]
from generator.site.public import public_data as _public_data
from generator.site.public import public_header


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


@dataclass
class SiteData:
    county: dict
    units: dict[str, dict]  # id -> public unit (ordered by 'order')
    items: list[dict]  # every version, with 'unit' and 'updated_on' from the file header
    objects: dict[str, dict]  # id -> merged public object (first directory row wins) + 'units'
    inspectors: dict[str, dict]
    plans: list[dict]
    tasks: dict[str, dict]
    results: list[dict]  # one per (unit, task) file
    draws: dict[str, dict] = field(default_factory=dict)  # draw id -> {request, entropy, result, bundle}
    categories: dict[str, dict] = field(default_factory=dict)  # result category code -> entry
    figures: Figures | None = None  # every published count (generator.reports.figures)
    registry_log: dict = field(default_factory=dict)  # draws/log.jsonl: head, entries, text
    # ids of the objects that get a page (county.yaml site.object_pages); links to others are text
    with_page: frozenset[str] = frozenset()

    @property
    def years(self) -> list[int]:
        found = {p["year"] for p in self.plans} | {t["year"] for t in self.tasks.values()}
        return sorted(y for y in found if isinstance(y, int))

    @property
    def current_year(self) -> int | None:
        return self.years[-1] if self.years else None

    def unit_name(self, unit_id: str) -> str:
        if unit_id == "joint":
            return self.county.get("joint_office", "县联席办")
        u = self.units.get(unit_id)
        return u["name"] if u else unit_id

    def unit_short(self, unit_id: str) -> str:
        u = self.units.get(unit_id)
        return u.get("short_name", u["name"]) if u else unit_id

    def category_label(self, code: str) -> str:
        c = self.categories.get(code)
        return c["label"] if c else code

    def is_problem(self, codes) -> bool:
        return any(self.categories.get(c, {}).get("problem") for c in codes)

    def current_item(self, code: str) -> dict | None:
        if not hasattr(self, "_current_items"):
            self._current_items = {i["code"]: i for i in self.items}  # items are sorted oldest first
        return self._current_items.get(code)

    def item_on(self, code: str, day) -> dict | None:
        """The version of item ``code`` in force on ``day`` (a task's first day: the version its draw
        and validate read, rules.joint.own_items), else the current one. A task's page and check sheet
        show the items as the task was run, not a later version's name, check points and basis."""
        if not hasattr(self, "_item_versions"):
            self._item_versions: dict[str, list[dict]] = {}
            for i in self.items:  # oldest first
                self._item_versions.setdefault(i["code"], []).append(i)
        if isinstance(day, dt.date):
            for i in self._item_versions.get(code, []):
                start, end = i.get("effective_from"), i.get("effective_to")
                if (
                    isinstance(start, dt.date)
                    and start <= day
                    and (not isinstance(end, dt.date) or day <= end)
                ):
                    return i
        return self.current_item(code)

    def results_for_task(self, task_id: str) -> list[dict]:
        return [r for r in self.results if r.get("task") == task_id]

    def entries_for_object(self, object_id: str) -> list[tuple[dict, dict]]:
        """(result file, entry) pairs for one object, oldest inspection first."""
        some = getattr(self, "_by_some_objects", None)
        if some is not None and object_id in some[0]:
            out = some[1].get(object_id, [])
        else:
            if not hasattr(self, "_by_object"):
                index: dict[str, list] = {}
                for r in self.results:
                    for e in r.get("entries", []):
                        index.setdefault(e.get("object"), []).append((r, e))
                self._by_object = index
            out = self._by_object.get(object_id, [])
        return sorted(out, key=lambda p: (_iso(p[1].get("inspected_on")), p[0].get("unit", "")))

    def index_entries_of(self, objects: set) -> None:
        """Index the entries of these objects only (an edit's few object pages: one pass that keeps
        a handful, not an index of every entry); any other object still gets the whole index."""
        index: dict[str, list] = {}
        for r in self.results:
            for e in r.get("entries", []):
                if e.get("object") in objects:
                    index.setdefault(e.get("object"), []).append((r, e))
        self._by_some_objects = (frozenset(objects), index)


def build_site_data(corpus, draws: dict | None = None, cache=None) -> SiteData:
    """``cache`` (serve's preview: ``record_cache.RecordCache``): a record met in the last build
    gives the same public dict as then (``RecordCache.public``), so its pages can be told unchanged
    by identity (``site.partial``)."""
    if cache is not None:

        def public_data(record):
            return cache.public(record, _public_data)

    else:
        public_data = _public_data

    def part(name: str, kind: str, make):
        """A part made from one kind's records: reused while that kind's files are the same."""
        return make() if cache is None else cache.derived(f"site:{name}", cache.kinds_key(kind), make)

    county = public_data(corpus.county) if corpus.county else {}

    def make_units():
        units = sorted(
            (public_data(r) for r in corpus.of("unit")), key=lambda u: (u.get("order", 999), u["id"])
        )
        return {u["id"]: u for u in units}

    def make_items():
        items = []
        for r in corpus.of("items"):
            row = public_data(r)
            header = public_header(r)
            row["unit"] = header.get("unit") or r.owner.get("unit", "")
            row["list_updated_on"] = header.get("updated_on")
            items.append(row)
        items.sort(key=lambda i: (i["unit"], i["code"], _iso(i.get("effective_from"))))
        return items

    def make_objects():
        objects: dict[str, dict] = {}
        for r in sorted(corpus.of("objects"), key=lambda r: (r.owner.get("unit", ""), r.file, r.line)):
            row = public_data(r)
            unit = r.owner.get("unit", "")
            merged = objects.setdefault(row["id"], {**row, "units": []})
            if unit not in merged["units"]:
                merged["units"].append(unit)
        return dict(sorted(objects.items()))

    def make_inspectors():
        inspectors = {}
        for r in corpus.of("inspectors"):
            row = public_data(r)
            inspectors.setdefault(row["id"], row)
        return dict(sorted(inspectors.items()))

    def make_plans():
        plans = []
        for r in corpus.of("plans"):
            row = public_data(r)
            row["owner_unit"] = r.owner.get("unit", "joint")
            plans.append(row)
        plans.sort(key=lambda p: (p.get("year", 0), p["owner_unit"] != "joint", p["owner_unit"]))
        return plans

    def make_tasks():
        return {
            r.data["id"]: public_data(r)
            for r in sorted(corpus.of("tasks"), key=lambda r: r.data.get("id", ""))
        }

    units = part("units", "unit", make_units)
    items = part("items", "items", make_items)
    objects = part("objects", "objects", make_objects)
    inspectors = part("inspectors", "inspectors", make_inspectors)
    plans = part("plans", "plans", make_plans)
    tasks = part("tasks", "tasks", make_tasks)
    results = []
    for r in sorted(corpus.of("results"), key=lambda r: (r.data.get("task", ""), r.data.get("unit", ""))):
        results.append(public_data(r))
    categories = {c["code"]: c for c in county.get("result_categories", [])}
    site_data = SiteData(
        county=county,
        units=units,
        items=items,
        objects=objects,
        inspectors=inspectors,
        plans=plans,
        tasks=tasks,
        results=results,
        draws=draws or {},
        categories=categories,
        figures=Figures(corpus, cache),
    )
    site_data.with_page = objects_with_pages(site_data)
    return site_data


def objects_with_pages(site_data: SiteData) -> frozenset[str]:
    """The objects that get a page: by default those drawn or inspected (issue 14).

    A page for a subject never drawn nor inspected shows nothing but its directory row, publishes
    a 个体工商户's name (often a person's) and costs build time; county.yaml can ask for all."""
    if site_data.county.get("site", {}).get("object_pages") == OBJECT_PAGES[1]:
        return frozenset(site_data.objects)
    seen = {e.get("object") for r in site_data.results for e in r.get("entries", [])}
    seen |= {o for d in site_data.draws.values() for o in d.get("objects", [])}
    return frozenset(o for o in site_data.objects if o in seen)
