"""Incremental preview for ``serve``: after an edit, rewrite only the pages whose output can change.

A full ``build`` stays the reference. The preview starts with one (in this process, so the hook can
hand over what it made: page models, the MkDocs nav and theme environment) and afterwards, on each
edit, re-reads the records into page models (``assemble``: load, validate, models — no rendering;
with the preview's ``RecordCache`` only changed files are parsed, only rules whose inputs changed
run, and when only results files changed only the record pages they touch are made again:
``site.partial``) and rewrites only

* the pages whose model changed (the record's own pages, the hubs and reports that list it), and
* the pages whose model *mentions* an object or task whose public data changed, because templates
  print the linked record's name from ``site_data`` (``_macros.html``: ``object_link``, ``task_link``).

What templates read from ``site_data`` beyond those two lookups — county settings, units, result
categories — and what the theme reads (site name, joint office) would touch every page: a change
there, an added or removed page, or a template change falls back to a full build. Then only the
search shards holding a rewritten page are re-indexed (``search_index.reindex``: Pagefind has no
incremental mode, but a shard is one year's pages or fewer); open data, the feed and
the draw bundles keep the last full build's state until the next one. tests/site/test_incremental.py
proves the rewritten pages are byte-identical to a full build's.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.draw.engine import collector_paused
from generator.site import search_index
from generator.site.page import PageModel
from generator.site.phases import phase
from generator.site.record_cache import RecordCache

_CAPTURING: list[Preview] = []  # the preview whose full build is running (the hook reports to it)


class NeedsFullBuild(Exception):
    """The edit touches what every page shows: rebuild everything."""


@dataclass
class Preview:
    records: Path
    site_dir: Path
    epoch: int | None = None
    pages: dict[str, PageModel] = field(default_factory=dict)
    shared: tuple = ()  # what every page may show: county, units, categories
    lookups: dict[str, dict] = field(default_factory=dict)  # "objects"/"tasks" -> id -> public data
    # object/task id -> page paths, except that the pages in _stale are still mapped by the model
    # they had then (walked again only when an edit changes a linked record: ``mentions``)
    _links: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _stale: dict[str, PageModel] = field(default_factory=dict, repr=False)
    theme_env: object = None
    nav: object = None
    reindexed: list[str] = field(default_factory=list)  # the search shards the last update re-indexed
    # pages per search bucket, in the preview's full build and its re-indexes alike: small, so an
    # edit's re-index takes seconds (search_index.PREVIEW_SHARD_PAGES)
    shard_pages: int = search_index.PREVIEW_SHARD_PAGES
    # each record file's parse and draw folder's read, reused while its bytes hash the same
    cache: RecordCache = field(default_factory=RecordCache)
    _search: threading.Thread | None = field(default=None, repr=False)  # a re-index still running

    def full(self) -> None:
        """The reference build (``build_site``) into ``site_dir``; remembers what it made."""
        from generator.site.builder import build_site

        self.wait_for_search()
        _CAPTURING.append(self)
        try:
            build_site(self.records, self.site_dir)
        finally:
            _CAPTURING.remove(self)
        _settle()

    def close(self) -> None:
        """Hand the collector back everything the preview froze (``serve`` exits, a test ends)."""
        self.wait_for_search()
        gc.unfreeze()

    def wait_for_search(self) -> None:
        """Wait for the re-index an ``update(search_done=…)`` left running."""
        from generator.site import search_index

        running, self._search = self._search, None
        if running is not None:
            running.join()
        search_index.finish_cleaning()

    def remember(self, bundle, theme_env, nav, changed: set[str] | None = None) -> None:
        """Keep what a build made. ``changed``: the only pages whose model differs from the last
        remembered build's (an update), so only their links are walked again — unless the set of
        linkable ids changed, which can make a link of any page's text."""
        site_data = bundle.site_data
        old_pages, old_lookups = self.pages, self.lookups
        self.pages = bundle.pages
        self.shared = _shared(site_data)
        self.lookups = {"objects": site_data.objects, "tasks": site_data.tasks}
        same_ids = old_lookups.keys() == self.lookups.keys() and all(
            old_lookups[k].keys() == self.lookups[k].keys() for k in self.lookups
        )
        if changed is None or not same_ids:
            self._links, self._stale = _mentions(self.pages.values(), self.lookups), {}
        else:  # walked when needed: a big page (a unit's, with all its results) costs a second
            for path in changed:
                self._stale.setdefault(path, old_pages[path])
        self.theme_env, self.nav = theme_env, nav

    @property
    def mentions(self) -> dict[str, set[str]]:
        """Object or task id -> the pages whose data holds it. The ids are the same set since the
        last full walk (else ``remember`` walks every page), so the stale pages' old models are
        unmapped and their current ones mapped."""
        if self._stale:
            stale, self._stale = self._stale, {}
            for key, paths in _mentions(stale.values(), self.lookups).items():
                self._links[key] -= paths
            for key, paths in _mentions([self.pages[p] for p in stale], self.lookups).items():
                self._links.setdefault(key, set()).update(paths)
        return self._links

    def update(self, search_done: Callable[[BaseException | None], None] | None = None) -> list[str]:
        """Rewrite what the records' current state changes; returns the site paths written.
        Raises ``RecordsInvalid`` (records do not validate: the preview stays as it was) or
        ``NeedsFullBuild``. With ``search_done`` (serve) the search shards are re-indexed on a
        thread once the pages are in place, and ``search_done(None or the exception)`` is called
        when it ends: the edited page shows at once, its search index seconds later (Pagefind is
        most of an edit's time). The next update or full build waits for it first.

        The automatic collector is paused meanwhile and ``_settle`` collects once at the end: every
        update after the first found the collector's full-collection threshold low (the last
        ``_settle`` left only that update's survivors counted as long-lived), so it ran 14 full
        collections of what the rebuild had allocated so far plus ~2,500 young ones — 3.7-4.5 of
        ~15 CPU-s at county size (docs/scale.md). Reference counting still frees the rest."""
        self.wait_for_search()
        with collector_paused():
            return self._update(search_done)

    def _update(self, search_done: Callable[[BaseException | None], None] | None) -> list[str]:
        from generator.site import privacy
        from generator.site.assemble import assemble
        from generator.site.render import make_env

        epoch = (
            self.epoch if self.epoch is not None else int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or None
        )
        # as the hook calls it, but the open data, feed and bundles wait for the next full build
        bundle = assemble(self.records, epoch, self.cache, extras=False)
        site_data = bundle.site_data
        if bundle.pages.keys() != self.pages.keys() or _shared(site_data) != self.shared:
            raise NeedsFullBuild
        changed = {path for path, model in bundle.pages.items() if self.pages[path] != model}
        touched = set(changed)
        for kind, old in self.lookups.items():
            new = getattr(site_data, kind)
            if new is old:
                continue  # the same part reused: that kind's files did not change
            for key in old.keys() | new.keys():
                if old.get(key) != new.get(key):
                    touched |= self.mentions.get(key, set())
        models = [bundle.pages[p] for p in sorted(touched)]
        with phase("写页面"):
            scanner = privacy.Scanner(bundle.internal_values, bundle.public_values, bundle.trace)
            env = make_env(site_data)
            problems = _write(self.site_dir, models, env, self.theme_env, self.nav, scanner)
        if problems:
            raise NeedsFullBuild  # the full build reports the privacy problem and keeps the site
        written = [m.url + "index.html" for m in models]
        old_models, new_models = list(self.pages.values()), list(bundle.pages.values())

        def reindex() -> None:
            self.reindexed = search_index.reindex(
                self.site_dir, old_models, new_models, written, self.shard_pages
            )

        # the search page says so until the re-index rewrites the manifest (serve shows pages first)
        search_index.mark_updating(self.site_dir)

        if search_done is None:
            with phase("搜索索引"):
                reindex()
        else:
            self._search = threading.Thread(target=_then, args=(reindex, search_done), daemon=True)
            self._search.start()
        self.remember(bundle, self.theme_env, self.nav, changed)
        del bundle, site_data, env, scanner
        _settle()
        return written


def _then(work: Callable[[], None], done: Callable[[BaseException | None], None]) -> None:
    try:
        work()
    except Exception as exc:  # noqa: BLE001 - handed to the caller, who reports it
        done(exc)
    else:
        done(None)


def _settle() -> None:
    """Free this rebuild's garbage, then freeze what is alive (the cache, the models, the site
    state): the collections the next rebuild triggers walk only what it allocates, not the whole
    kept corpus (measured: a full collection took 1.2 s of a scale-1 edit, 2.0 s at scale 4, plus
    the automatic ones). A kept object that becomes garbage is still freed by its reference count;
    tests/site/test_incremental.py checks memory stays flat over six rebuilds."""
    gc.collect()
    gc.freeze()


def capture(bundle, theme_env, nav) -> None:
    """Called by the MkDocs hook at the end of a full build: hand the preview what was made."""
    if _CAPTURING:
        _CAPTURING[-1].remember(bundle, theme_env, nav)


def capturing_shard_pages() -> int | None:
    """The running preview's pages per search bucket (None in a plain build: the default)."""
    return _CAPTURING[-1].shard_pages if _CAPTURING else None


def capturing_cache() -> RecordCache | None:
    """The running preview's cache, for the full build the hook starts (None in a plain build)."""
    return _CAPTURING[-1].cache if _CAPTURING else None


def _shared(site_data) -> tuple:
    return (site_data.county, site_data.units, site_data.categories)


def _mentions(pages, lookups: dict[str, dict]) -> dict[str, set[str]]:
    """Object or task id -> pages whose data holds that id anywhere (a link to it)."""
    known = set().union(*(d.keys() for d in lookups.values()))
    out: dict[str, set[str]] = {}
    for page in pages:
        stack = [page.data]
        while stack:
            value = stack.pop()
            if isinstance(value, str):
                if value in known:
                    out.setdefault(value, set()).add(page.path)
            elif isinstance(value, dict):
                stack.extend(value.values())
                stack.extend(k for k in value if isinstance(k, str))
            elif isinstance(value, list | tuple | set | frozenset):
                stack.extend(value)
            elif hasattr(value, "__dict__"):
                stack.extend(vars(value).values())
    return out


def _write(site_dir: Path, models: list[PageModel], env, theme_env, nav, scanner) -> list[str]:
    """Record pages as ``record_writer`` writes them; a hub page the same way as MkDocs renders it:
    its nav entry marked current and its nav title as the page title."""
    from generator.site import record_writer

    problems: list[str] = []
    for model in models:
        item = next((i for i in nav.pages if model.in_nav and i.url == model.url), None) if nav else None
        if item is not None:
            item.active = True
            model = replace(model, title=item.title)
        try:
            problems += record_writer.write_pages(site_dir, [model], env, theme_env, nav, scanner, workers=1)
        finally:
            if item is not None:
                item.active = False
    return problems
