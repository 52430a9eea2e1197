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

Each shard is indexed by its own Pagefind run over a staging tree of hard links to its pages, one
after another, so the peak memory is one shard's; ``reindex`` runs only the shards holding pages an
edit rewrote. A shard's Pagefind bundle is written beside the site and swapped in whole.

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
import time
from collections.abc import Iterable
from pathlib import Path

FOLDER = "pagefind"
MANIFEST = "shards.json"
PRIMARY = "site"  # its bundle's pagefind.js is the one the search page imports
MAX_SHARD_PAGES = 8000  # a year with more pages is cut into buckets of at most this many
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


# Figures of the last run in this process (bench/ prints them): seconds, the largest shard's peak
# memory (MB; shards run one after another, so this is Pagefind's peak), and the shards run.
LAST_RUN: dict[str, float] = {}


def _fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def _year_of(model) -> str | None:
    # four ASCII digits only: the shard's directory name and shards.json are built from it
    years = [y for y in model.filters.get("年度", []) if len(y) == 4 and y.isascii() and y.isdigit()]
    return max(years) if years else None


def assign(models: Iterable) -> dict[str, str]:
    """Page file (``objects/x/index.html``) -> shard name, for every searchable page model. Pages
    not listed (MkDocs content pages, 404) belong to ``site``."""
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
        buckets = math.ceil(len(pages) / MAX_SHARD_PAGES)
        for page in pages:
            out[page] = f"y{year}" if buckets == 1 else f"y{year}-{_fnv1a(page) % buckets}"
    return out


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
    return sorted(
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*.html")
        if p.relative_to(site_dir).parts[0] != FOLDER
    )


def run_pagefind(site_dir: Path, models: Iterable = ()) -> None:
    """Index the whole site: every shard, one after another."""
    finish_cleaning()
    shard_of = assign(models)
    members: dict[str, list[str]] = {PRIMARY: []}
    for page in _html_pages(site_dir):
        members.setdefault(shard_of.get(page, PRIMARY), []).append(page)
    out = site_dir / FOLDER
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    _run_shards(site_dir, members)
    _write_manifest(site_dir, members)


def reindex(site_dir: Path, old_models: Iterable, new_models: Iterable, written: Iterable[str]) -> list[str]:
    """Re-index only the shards that hold a rewritten page (``objects/x/index.html``) or whose
    membership changed; returns their names."""
    finish_cleaning()
    old, new = assign(old_models), assign(new_models)
    shards = {new.get(p, PRIMARY) for p in written} | {old.get(p, PRIMARY) for p in written}
    shards |= {old[p] for p in old.keys() | new.keys() if old.get(p) != new.get(p) and p in old}
    shards |= {new[p] for p in old.keys() | new.keys() if old.get(p) != new.get(p) and p in new}
    members: dict[str, list[str]] = {}
    for page in _html_pages(site_dir):
        name = new.get(page, PRIMARY)
        if name in shards:
            members.setdefault(name, []).append(page)
    gone = set(old.values()) - set(new.values())
    for name in gone:
        shutil.rmtree(site_dir / FOLDER / name, ignore_errors=True)
    _run_shards(site_dir, members, workers=min(2, os.cpu_count() or 1))
    _write_manifest(site_dir, {PRIMARY: []} | {n: [] for n in new.values()})
    return sorted(members)


def _write_manifest(site_dir: Path, members: dict) -> None:
    text = json.dumps(manifest(members), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (site_dir / FOLDER / MANIFEST).write_text(text + "\n", encoding="utf-8")


_CLEANING: list = []  # threads deleting the staging trees of earlier re-indexes


def _clean_later(work: Path) -> None:
    import threading

    thread = threading.Thread(target=shutil.rmtree, args=(work,), kwargs={"ignore_errors": True}, daemon=True)
    thread.start()
    _CLEANING.append(thread)


def finish_cleaning() -> None:
    """Wait for the deletions ``reindex`` left running (before anything else touches the folder)."""
    while _CLEANING:
        _CLEANING.pop().join()


def _run_shards(site_dir: Path, members: dict[str, list[str]], workers: int = 1) -> None:
    """One Pagefind run per shard: one after another (a full build: the peak stays one shard's), or
    ``workers`` at a time (an edit's few shards: the wait is the longest run, not the sum)."""
    start = time.perf_counter()
    order = sorted(members.items())
    if workers > 1 and len(order) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(workers, len(order))) as pool:
            peaks = list(pool.map(lambda item: _run_one(site_dir, *item, later=True), order))
        peak = sum(sorted(peaks)[-workers:])  # the runs overlap: their peaks add up
    else:
        peak = max((_run_one(site_dir, name, pages, workers > 1) for name, pages in order), default=0.0)
    LAST_RUN.update(seconds=time.perf_counter() - start, peak_mb=peak, shards=len(members))


def _run_one(site_dir: Path, name: str, pages: list[str], later: bool = False) -> float:
    """Index ``pages`` into ``pagefind/<name>/`` (swapped in whole); returns Pagefind's peak MB.
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
            proc = subprocess.Popen(
                [pagefind_executable(), "--site", str(stage), "--output-path", str(built), "--quiet"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            peak = _wait_with_peak(proc)
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
        return peak
    finally:
        if clean_here:
            shutil.rmtree(work, ignore_errors=True)
        else:
            _clean_later(work)


def _wait_with_peak(proc: subprocess.Popen) -> float:
    """Wait for Pagefind; returns its peak resident memory in MB. Read from /proc (VmHWM, the
    high-water mark of the exec'd program) while it runs: wait4's ru_maxrss would report the
    forking Python process's size when that is larger (issue 18 measured Pagefind so before)."""
    status = Path(f"/proc/{proc.pid}/status")
    peak = 0.0
    while proc.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.02)
    return peak
