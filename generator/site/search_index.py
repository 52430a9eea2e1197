"""Pagefind indexing with the extended binary (the standard one does not segment Chinese), sharded.

One index over a county's five years costs too much three ways (issue 18): Pagefind's memory grows
~44 KB a page, the browser's first query loads a metadata file with an entry for every page, and an
edit in ``serve`` re-indexes the whole site. So the site gets several Pagefind bundles under
``pagefind/``, searched together in the browser with Pagefind's multisite ``mergeIndex``:

* ``site``   — pages without a year: hubs, units, content pages, objects drawn but never inspected;
* ``yYYYY``  — pages of year YYYY (tasks, draws, and objects by the *latest* year they were
  inspected), cut into ``yYYYY-k`` buckets by a hash of the page path once a year holds more than
  ``MAX_SHARD_PAGES`` pages.

``pagefind/shards.json`` lists them (``manifest``): ``first`` (``site`` and the newest year, or its
first bucket: what the first query loads, so its cost follows one bucket of one year, not the
site's history), the newest year's other buckets (searched in turn while a query has fewer results
than fill the first screen) and, per older year, its shards. ``search.js`` merges an older year when
the 年度 filter asks for it (every year from the one asked: an object sits in its latest year) or
the reader asks to search earlier years.

Each shard is indexed by its own Pagefind run over a staging tree of hard links to its pages,
two runs at a time while their pages together stay within ``PAGES_AT_ONCE`` (``schedule``), so
the peak memory is bounded whatever the site's size; ``reindex`` runs only the shards holding
pages an edit rewrote. A shard's Pagefind bundle is written beside the site and swapped in whole.

Pagefind writes the filter list and filter chunks in hash-map order, so those few files (and their
hashed names in pagefind-entry.json) may differ between two builds of the same records; pages, open
data, draw bundles and the rest of each index never do. docs/architecture.md ("Determinism").
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from generator.site import cache_signing, search_cache
from generator.site.pagefind_runs import PeakMeter, schedule

FOLDER = "pagefind"
MANIFEST = "shards.json"
PRIMARY = "site"  # its bundle's pagefind.js is the one the search page imports
# A year with more pages is cut into buckets of at most this many. The first query loads one
# bucket's metadata and word chunks, so this sets its cost (docs/scale.md "Bucket size": 4,000 keeps
# the most common word's first search at ~260 KB in a county-size year, 8,000 took ~290-314 KB).
MAX_SHARD_PAGES = 4000
# Pagefind runs on two shards at once while their pages together stay within this many: its
# memory follows the pages it holds (~100-190 KB a page measured), so the peak stays that of one
# 8,000-page index (1.55 GB in the county benchmark), under the 2 GB target, on both cores.
PAGES_AT_ONCE = 2 * MAX_SHARD_PAGES
# serve's preview cuts years into buckets of at most this many instead (its own full build too, so
# its shards stay consistent): an edit re-indexes the shards holding the pages it rewrote, and
# Pagefind's time follows their pages (~3 CPU-ms a page + ~0.3 s a run, measured at county size):
# two 4,000-page buckets took ~60 s after the county's edit, two of 500 take a few seconds. The
# published build keeps MAX_SHARD_PAGES (the first query's download); a preview is read locally.
PREVIEW_SHARD_PAGES = 500
KEYS_ON_ALL_CORES = 5000  # pages: below this, hashing them for the cache's keys is not worth a fork
# Results that fill the search page's first screen pool (search.js POOL): the newest year's buckets
# are searched one after another until a query has this many (issue 18: the first query's download
# then follows one bucket, not the whole year, at county size).
ENOUGH = 24


def pagefind_executable() -> str:
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return override
    from pagefind_bin_extended import get_executable

    return str(get_executable())


# Figures of the last run in this process (bench/ prints them): seconds, Pagefind's peak memory
# (MB; the runs alive at once added up), and the shards run.
LAST_RUN: dict[str, float] = {}
SHARD_SECONDS: dict[str, tuple[int, float]] = {}  # shard -> (pages, wall seconds) of the last run


def _fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def _year_of(model) -> str | None:
    # four ASCII digits only: the shard's directory name and shards.json are built from it
    years = [y for y in model.filters.get("年度", []) if len(y) == 4 and y.isascii() and y.isdigit()]
    return max(years) if years else None


def assign(models: Iterable, limit: int | None = None) -> dict[str, str]:
    """Page file (``objects/x/index.html``) -> shard name, for every searchable page model. Pages
    not listed (MkDocs content pages, 404) belong to ``site``. ``limit``: pages per bucket
    (default ``MAX_SHARD_PAGES``; serve's preview passes ``PREVIEW_SHARD_PAGES``)."""
    limit = limit or MAX_SHARD_PAGES
    by_year: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for model in models:
        if not model.searchable:
            continue
        page = model.url + "index.html"
        year = _year_of(model)
        if year is None:
            out[page] = PRIMARY
        else:
            by_year.setdefault(year, []).append(page)
    for year, pages in by_year.items():
        if len(pages) <= limit:
            out.update(dict.fromkeys(pages, f"y{year}"))
            continue
        out.update(_buckets(year, pages, limit))
    return out


def _buckets(year: str, pages: list[str], limit: int) -> dict[str, str]:
    """Cut a year's pages into buckets of at most ``limit`` (the first query's cost, and
    two buckets fit ``PAGES_AT_ONCE``). By a hash of the page path, one more bucket while one is over
    the limit: a page keeps its bucket when others come and go, so an edit re-indexes only its own.
    Page paths come from record ids a unit chooses, and FNV-1a collisions are easy to make: past a
    few extra buckets the pages are cut in order of (hash, path) instead, which always fits."""
    hashes = [_fnv1a(page) for page in pages]
    least = math.ceil(len(pages) / limit)
    for buckets in range(least, 2 * least + 2):
        if max(Counter(h % buckets for h in hashes).values()) <= limit:
            return {page: f"y{year}-{h % buckets}" for page, h in zip(pages, hashes, strict=True)}
    ordered = sorted(zip(hashes, pages, strict=True))
    return {page: f"y{year}-{k * least // len(ordered)}" for k, (_, page) in enumerate(ordered)}


def manifest(shards: Iterable[str]) -> dict:
    """What search.js reads: ``first``, the shards of the first query (``site`` and the newest
    year, or that year's first bucket when it has several); ``newest_rest``, the newest year's
    other buckets, merged one at a time while a query has fewer than ``enough`` results (only when
    there are some); ``years``, each older year's shards."""
    years: dict[str, list[str]] = {}
    for name in sorted(set(shards) - {PRIMARY}):
        years.setdefault(name[1:5], []).append(name)
    newest = years.pop(max(years), []) if years else []
    out = {"first": [PRIMARY] + newest[:1], "years": dict(sorted(years.items(), reverse=True))}
    if len(newest) > 1:
        out |= {"newest_rest": newest[1:], "enough": ENOUGH}
    return out


def _html_pages(site_dir: Path) -> list[str]:
    """Every HTML page of the site, as sorted relative POSIX paths, never looking inside the
    index's own folder: at county size it holds ~52,000 files, and walking it then filtering made
    each of serve's re-indexes list 51,056 pages in 4.7 CPU-s (146 s wall with a cold cache)
    where the pruned walk takes 1.8 (docs/scale.md)."""
    root = str(site_dir)
    pages: list[str] = []
    for folder, subfolders, files in os.walk(root):
        if folder == root and FOLDER in subfolders:
            subfolders.remove(FOLDER)
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        pages.extend(prefix + name for name in files if name.endswith(".html"))
    return sorted(pages)


def _not_indexed(models: Iterable) -> set[str]:
    """Page files of models that are not searchable: they carry no ``data-pagefind-body``, so
    Pagefind ignores them (other pages of the shard have it) — but it still parses them, and the
    task check sheets (``tasks/*-sheet``, up to 10 MB each at county size) made the 栏目 shard's
    re-index take 127 s of an edit's search update (docs/scale.md). Never staged, same index."""
    return {m.url + "index.html" for m in models if not m.searchable}


def run_pagefind(
    site_dir: Path, models: Iterable = (), limit: int | None = None, cache: Path | None = None
) -> None:
    """Index the whole site: every shard, two at a time within ``PAGES_AT_ONCE`` (``_run_shards``);
    ``limit``: pages per bucket (``assign``). ``cache``: a folder checked by
    ``build_cache.part(…, "search")``; a shard whose pages are unchanged since a build that used it
    is copied from there instead of indexed (``search_cache``)."""
    finish_cleaning()
    models = list(models)
    shard_of, skipped = assign(models, limit), _not_indexed(models)
    members: dict[str, list[str]] = {PRIMARY: []}
    for page in _html_pages(site_dir):
        if page not in skipped:
            members.setdefault(shard_of.get(page, PRIMARY), []).append(page)
    out = site_dir / FOLDER
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    workers = min(2, os.cpu_count() or 1)
    runs = {"seconds": 0.0, "peak_mb": 0.0, "shards": 0, "reused": 0}

    def run(names: list[str]) -> None:  # the figures of every run this build made, added up
        if names:
            _run_shards(site_dir, {n: members[n] for n in names}, workers=workers)
            runs.update(
                seconds=runs["seconds"] + LAST_RUN["seconds"], shards=runs["shards"] + LAST_RUN["shards"]
            )
            runs["peak_mb"] = max(runs["peak_mb"], LAST_RUN["peak_mb"])

    if cache is None:
        run(sorted(members))
    else:
        with search_cache.shared(cache):
            reused, keys = search_cache.reuse(
                cache,
                site_dir / FOLDER,
                _shard_keys(site_dir, members),
                run=run,
                make_reference=lambda: _reference(site_dir, members),
            )
        search_cache.prune(cache, keys)
        runs["reused"] = len(reused)
    LAST_RUN.update(runs)
    _write_manifest(site_dir, members)


def _shard_keys(site_dir: Path, members: dict[str, list[str]]) -> dict[str, str]:
    """``search_cache.key`` of every shard, largest shards first, on every core: when every shard
    is reused, hashing their staged pages (1.3 GB at county size) is most of this phase, on one
    core while the other waited."""
    from generator import parallel

    command = _command()
    search_cache.key(site_dir, [], command)  # Pagefind's identity, hashed once before forking
    names = sorted(members, key=lambda name: (-len(members[name]), name))
    many = sum(map(len, members.values())) > KEYS_ON_ALL_CORES

    def share(start: int, step: int) -> dict[str, str]:
        return {name: search_cache.key(site_dir, members[name], command) for name in names[start::step]}

    return {
        name: k for part in parallel.split(share, parallel.cpus() if many else 1) for name, k in part.items()
    }


def _reference(site_dir: Path, members: dict[str, list[str]]) -> Path:
    """A bundle Pagefind makes in this build (one page of the site) whose code a restored shard
    gets: Pagefind's scripts never come from the cache (``search_cache``)."""
    page = min(page for pages in members.values() for page in pages)
    _run_one(site_dir, search_cache.REFERENCE, [page])
    return site_dir / FOLDER / search_cache.REFERENCE


def _command() -> tuple[str, ...]:
    """Pagefind's command line but for the folders (part of a cached index's key)."""
    return (pagefind_executable(), "--quiet")


def _environment() -> dict[str, str]:
    """The child's environment without Pagefind's own settings (``PAGEFIND_*`` would override the
    command line, out of the cache key's sight) and without the cache's signing key, a secret of
    the build's own process (red team 9)."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith("PAGEFIND_") and k != cache_signing.KEY_ENV
    }


def reindex(
    site_dir: Path,
    old_models: Iterable,
    new_models: Iterable,
    written: Iterable[str],
    limit: int | None = None,
) -> list[str]:
    """Re-index only the shards that hold a rewritten page (``objects/x/index.html``) or whose
    membership changed; returns their names. ``limit``: the one the site was indexed with."""
    finish_cleaning()
    new_models = list(new_models)
    old, new = assign(old_models, limit), assign(new_models, limit)
    skipped = _not_indexed(new_models)
    shards = {new.get(p, PRIMARY) for p in written} | {old.get(p, PRIMARY) for p in written}
    shards |= {old[p] for p in old.keys() | new.keys() if old.get(p) != new.get(p) and p in old}
    shards |= {new[p] for p in old.keys() | new.keys() if old.get(p) != new.get(p) and p in new}
    members: dict[str, list[str]] = {}
    for page in _html_pages(site_dir):
        name = new.get(page, PRIMARY)
        if name in shards and page not in skipped:
            members.setdefault(name, []).append(page)
    gone = set(old.values()) - set(new.values())
    for name in gone:
        shutil.rmtree(site_dir / FOLDER / name, ignore_errors=True)
    _run_shards(site_dir, members, workers=min(2, os.cpu_count() or 1), later=True)
    _write_manifest(site_dir, {PRIMARY: []} | {n: [] for n in new.values()})
    return sorted(members)


def mark_updating(site_dir: Path) -> None:
    """serve's preview, before an edit's re-index: the manifest says ``"updating": true`` (search.js
    then tells the reader that what was just edited may not be found yet) until ``reindex`` writes
    it again. A published build never writes it."""
    path = site_dir / FOLDER / MANIFEST
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no manifest to mark: the search page already says the index is missing
    text = json.dumps(current | {"updating": True}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    fresh = path.with_name(f".{MANIFEST}.updating")
    fresh.write_text(text + "\n", encoding="utf-8")
    os.replace(fresh, path)  # a page loading meanwhile reads the old manifest or this one, never half


def _write_manifest(site_dir: Path, members: dict) -> None:
    text = json.dumps(manifest(members), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (site_dir / FOLDER / MANIFEST).write_text(text + "\n", encoding="utf-8")


_CLEANING: list = []  # threads deleting the staging trees of earlier re-indexes


def _clean_later(work: Path) -> None:
    thread = threading.Thread(target=shutil.rmtree, args=(work,), kwargs={"ignore_errors": True}, daemon=True)
    thread.start()
    _CLEANING.append(thread)


def finish_cleaning() -> None:
    """Wait for the deletions ``reindex`` left running (before anything else touches the folder)."""
    while _CLEANING:
        _CLEANING.pop().join()


def _run_shards(site_dir: Path, members: dict[str, list[str]], workers: int = 1, later: bool = False) -> None:
    """One Pagefind run per shard, up to ``workers`` at a time (Pagefind indexes on one core
    mostly: two runs use both) while the pages being indexed at once stay within
    ``PAGES_AT_ONCE``: Pagefind's memory follows the pages it holds, and two county buckets of
    6,000 pages at once took 2.2 GB (issue 18). ``later``: staging trees are deleted on a thread
    after the swap (an edit's preview); a build deletes them before it returns."""
    start = time.perf_counter()
    meter = PeakMeter()
    order = sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))  # biggest first
    each: dict[str, float] = {}

    def timed(name: str) -> None:
        began = time.perf_counter()
        _run_one(site_dir, name, members[name], meter, later)
        each[name] = time.perf_counter() - began

    schedule(
        [(name, len(pages)) for name, pages in order], PAGES_AT_ONCE, workers, timed, cancel=meter.stop_runs
    )
    LAST_RUN.update(seconds=time.perf_counter() - start, peak_mb=meter.peak_mb, shards=len(members))
    SHARD_SECONDS.clear()
    SHARD_SECONDS.update((name, (len(members[name]), each[name])) for name in sorted(each))


def _run_one(
    site_dir: Path, name: str, pages: list[str], meter: PeakMeter | None = None, later: bool = False
) -> None:
    """Index ``pages`` into ``pagefind/<name>/`` (swapped in whole), Pagefind's memory read by ``meter``.
    ``later``: the staging tree and the old bundle are deleted on a thread once the new bundle is
    in place (thousands of links and files: seconds on a busy disk, after the edit is visible)."""
    folder = site_dir / FOLDER
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder))
    clean_here = True
    try:
        stage, built = work / "site", work / "bundle"
        for page in pages:  # hard links: same bytes, no copy (the stage sits on the site's filesystem)
            target = stage / page
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(site_dir / page, target)
        stage.mkdir(exist_ok=True)
        with tempfile.TemporaryFile() as log:
            # In the staging folder, where no pagefind.yml / .toml can be: a config file in the
            # caller's folder would change the index (and the cache key would not know it).
            proc = subprocess.Popen(
                [_command()[0], "--site", str(stage), "--output-path", str(built), *_command()[1:]],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=work,
                env=_environment(),
            )
            (meter or PeakMeter()).watch(proc)
            log.seek(0)
            output = log.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            from mkdocs.exceptions import PluginError

            raise PluginError(
                f"Pagefind 建立搜索索引失败（分片 {name}，退出码 {proc.returncode}）：\n{output}"
            )
        if not built.exists():  # a shard with no indexable page: an empty bundle still answers
            built.mkdir()
        target = folder / name
        if target.exists():
            old = work / "old"
            target.rename(old)
        built.rename(target)
        clean_here = not later
    finally:
        if clean_here:
            shutil.rmtree(work, ignore_errors=True)
        else:
            _clean_later(work)
