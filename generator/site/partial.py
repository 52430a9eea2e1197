"""Page models after an edit of results files alone (serve's preview, issue 18).

The common edit in ``serve`` is a clerk's result file. Such an edit cannot change a draw's page, a
township list, the lookup map or any page of a record it does not name, so the record pages of the
last assembly (``RecordCache.last``) are reused and only these are made again: every unit page
(a unit's page lists its results and its yearly figures), the pages of each task a changed result
file names (before or after the edit) and of each object its entries name. Hubs, reports and the
about pages aggregate the whole corpus and are always made again.

The fast path is taken only when nothing else can differ: the files of every kind but ``results``
hash the same as at the last assembly, the draw data is the very object reused from it (same draw
folders, registry log, inspectors and substitutions: ``RecordCache.draws_key``), the epoch is the
same and the set of objects with a page is the same (a new page means a full build anyway). Result
files are told apart by identity: an unchanged file's records, hence their public dicts
(``RecordCache.public``), are the objects of the last assembly; a changed file's are new. The page
list keeps the full build's order. tests/site/test_incremental.py compares every page with a full
build after edits that change a total, add an error and fix it, delete and add a result file.
"""

from __future__ import annotations

from generator.site.models_records import object_pages, task_pages, unit_pages
from generator.site.page import PageModel
from generator.site.site_data import SiteData


def last_if_reusable(cache, site_data: SiteData, draw_data: dict, epoch: int | None) -> dict | None:
    """The last assembly if only results files changed since (see the module docstring)."""
    last = cache.last if cache is not None else None
    if last is None or last["epoch"] != epoch or last["draw_data"] is not draw_data:
        return None
    before, now = last["signatures"], cache.signatures
    if any(before.get(k) != now.get(k) for k in before.keys() | now.keys() if k != "results"):
        return None
    old: SiteData = last["site_data"]
    if old.with_page != site_data.with_page or old.registry_log != site_data.registry_log:
        return None
    return last


def record_pages_after(cache, site_data: SiteData, fresh_paths: set[str]) -> list[PageModel]:
    """The record pages, in the order of the last assembly: those a changed result file touches
    made again, the others reused. ``fresh_paths``: the hub, report and about pages (made anew)."""
    last = cache.last
    old: SiteData = last["site_data"]
    before = {id(r): r for r in old.results}
    after = {id(r): r for r in site_data.results}
    dirty = [before[i] for i in before.keys() - after.keys()] + [
        after[i] for i in after.keys() - before.keys()
    ]
    tasks = {r.get("task") for r in dirty}
    objects = {e.get("object") for r in dirty for e in r.get("entries", []) or []}
    made = unit_pages(site_data) + task_pages(site_data, only=tasks) + object_pages(site_data, only=objects)
    by_path = {p.path: p for p in made}
    cache.remade = sorted(by_path)
    return [by_path.get(path, page) for path, page in last["pages"].items() if path not in fresh_paths]
