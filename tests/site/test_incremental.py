"""serve's incremental preview (issue 18): after an edit it rewrites only the pages the edit can
change, and those come out byte-identical to a full build of the edited records."""

from __future__ import annotations

import gzip
import json
import shutil
import tracemalloc
from pathlib import Path

import pytest

from generator.site.incremental import NeedsFullBuild, Preview, _mentions
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS, build_fixture_site
from tests.site.test_build import UNORDERED_INDEX

OLD_NAME, NEW_NAME = "泗阳县爱园中学食堂", "泗阳县爱园中学第二食堂"
OLD_FINDING = "食品留样记录不完整，已当场责令改正。"
NEW_FINDING = "食品留样记录不完整（冷藏柜内缺 2 份），已当场责令改正。"


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def preview(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    made = Preview(records, tmp_path / "preview")
    made.full()
    yield made
    made.close()


def test_an_edited_result_and_object_rewrite_the_same_bytes_as_a_full_build(preview, tmp_path):
    before = _pages(preview.site_dir)
    _replace(preview.records / "units/market/results/T2026-market-01.yaml", OLD_FINDING, NEW_FINDING)
    by_result = preview.update()
    for csv in sorted(preview.records.glob("units/*/objects.csv")):
        if OLD_NAME in csv.read_text(encoding="utf-8"):
            _replace(csv, OLD_NAME, NEW_NAME)
    by_object = preview.update()
    # the links are walked again only on changed pages: the map must equal a walk of every page
    assert preview.mentions == _mentions(preview.pages.values(), preview.lookups)
    assert any(by_object) and NEW_NAME in str(preview.lookups["objects"])

    full = build_fixture_site(tmp_path / "full", preview.records)
    reference, incremental = _pages(full), _pages(preview.site_dir)
    assert incremental == reference  # every page, not only the rewritten ones
    changed = {path for path in reference if before[path] != reference[path]}
    assert changed and changed <= set(by_result) | set(by_object)
    assert "tasks/T2026-market-01/index.html" in by_result
    assert len(set(by_result) | set(by_object)) < len(reference) / 2  # not a full rewrite
    # the object's pages mention its new name, and so does the search index's fragment for it
    assert any(NEW_NAME in reference[p].decode("utf-8") for p in by_object)
    fragments = [
        gzip.decompress(p.read_bytes()) for p in (preview.site_dir / "pagefind").glob("*/fragment/*")
    ]
    assert any(NEW_NAME.encode("utf-8") in f for f in fragments)


def _shard(site: Path, name: str) -> dict[str, bytes]:
    """A search shard's files, those Pagefind writes in hash-map order (test_build.UNORDERED_INDEX)
    left out: the filter list, filter chunks, metadata and the entry naming them."""
    folder = site / "pagefind" / name
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not UNORDERED_INDEX.fullmatch(f"pagefind/{name}/{p.relative_to(folder).as_posix()}")
    }


def test_an_edit_reindexes_only_its_shards_into_the_bytes_of_a_full_build(preview, tmp_path):
    site = preview.site_dir
    untouched_before = (site / "pagefind/site/pagefind.js").stat().st_ino
    y2026_before = _shard(site, "y2026")
    _replace(preview.records / "units/market/results/T2026-market-01.yaml", OLD_FINDING, NEW_FINDING)
    preview.update()
    # the result's task and object pages are 2026's; the 栏目 pages (hubs, units) list it too
    assert preview.reindexed == ["site", "y2026"]
    full = build_fixture_site(tmp_path / "full", preview.records)
    for name in preview.reindexed:
        assert _shard(site, name) == _shard(full, name), name
        entry = [
            json.loads((s / "pagefind" / name / "pagefind-entry.json").read_bytes()) for s in (site, full)
        ]
        assert entry[0]["languages"]["zh-cn"]["page_count"] == entry[1]["languages"]["zh-cn"]["page_count"]
    assert _shard(site, "y2026") != y2026_before  # the new finding is in the re-indexed shard
    assert (site / "pagefind/shards.json").read_bytes() == (full / "pagefind/shards.json").read_bytes()
    assert untouched_before != (site / "pagefind/site/pagefind.js").stat().st_ino  # swapped in whole


def test_reindex_touches_only_the_shards_of_the_written_pages(tmp_path):
    """A year's edit leaves the other years' shards alone (the fixture has one year: a synthetic
    site with three shards shows it)."""
    from generator.site import search_index
    from generator.site.page import PageModel

    site = tmp_path / "site"
    models = [
        PageModel("units/a.md", "单位甲", "t", "c"),
        PageModel("tasks/T2025-a.md", "任务二〇二五", "t", "c", filters={"年度": ["2025"]}),
        PageModel("tasks/T2026-a.md", "任务二〇二六", "t", "c", filters={"年度": ["2026"]}),
        PageModel("objects/x.md", "对象", "t", "c", filters={"年度": ["2024", "2026"]}),
    ]
    for m in models:
        page = site / m.url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        body = f'<html lang="zh-CN"><body><main data-pagefind-body><h1>{m.title}</h1><p>检查内容</p></main></body></html>'
        page.write_text(body, encoding="utf-8")
    search_index.run_pagefind(site, models)
    # a build runs shards two at a time but returns with no staging tree left to publish
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == ["shards.json", "site", "y2025", "y2026"]
    shards = json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8"))
    assert shards == {"first": ["site", "y2026"], "years": {"2025": ["y2025"]}}
    before = {n: (site / "pagefind" / n / "pagefind.js").stat().st_ino for n in ("site", "y2025", "y2026")}
    assert search_index.reindex(site, models, models, ["tasks/T2025-a/index.html"]) == ["y2025"]
    after = {n: (site / "pagefind" / n / "pagefind.js").stat().st_ino for n in ("site", "y2025", "y2026")}
    assert [n for n in before if before[n] != after[n]] == ["y2025"]
    # a page whose latest year changes moves: both its old and its new shard are rebuilt
    moved = models[:3] + [PageModel("objects/x.md", "对象", "t", "c", filters={"年度": ["2025"]})]
    assert search_index.reindex(site, models, moved, ["objects/x/index.html"]) == ["y2025", "y2026"]
    # a year that is not four ASCII digits (a hostile record's 年度) never names a directory
    odd = [
        PageModel(f"tasks/{i}.md", "任务", "t", "c", filters={"年度": [y]})
        for i, y in enumerate(["../x", "２０２６", "20261"])
    ]
    assert set(search_index.assign(odd).values()) == {"site"}
    assert search_index.LAST_RUN["peak_mb"] > 1  # Pagefind's own peak, read while it ran
    search_index.finish_cleaning()  # an edit's staging trees go on a thread, after the swap
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == ["shards.json", "site", "y2025", "y2026"]


def test_a_change_every_page_shows_asks_for_a_full_build(preview):
    _replace(preview.records / "county.yaml", "泗阳县", "泗阳县（改）")
    with pytest.raises(NeedsFullBuild):
        preview.update()


def test_memory_does_not_grow_with_each_rebuild(preview):
    result = preview.records / "units/market/results/T2026-market-01.yaml"
    tracemalloc.start()
    try:
        sizes = []
        for i in range(6):
            old, new = (OLD_FINDING, NEW_FINDING) if i % 2 == 0 else (NEW_FINDING, OLD_FINDING)
            _replace(result, old, new)
            preview.update()
            sizes.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    # after the first rebuilds warm the caches, the fifth and sixth hold no more than the second
    assert max(sizes[4:]) <= sizes[1] * 1.05 + 256 * 1024, sizes


def test_serve_shows_the_edit_first_and_its_search_index_once_reindexed(preview, tmp_path):
    """``update(search_done=…)`` (serve): pages are in place when it returns; the re-index runs on
    a thread, reports once, and two edits in a row end in the bytes of a full build."""
    site, reports = preview.site_dir, []
    result = preview.records / "units/market/results/T2026-market-01.yaml"
    _replace(result, OLD_FINDING, NEW_FINDING)
    written = preview.update(search_done=reports.append)
    page = (site / "tasks/T2026-market-01/index.html").read_text(encoding="utf-8")
    assert "tasks/T2026-market-01/index.html" in written and NEW_FINDING in page
    _replace(result, NEW_FINDING, "冷藏柜内缺 2 份留样。")
    preview.update(search_done=reports.append)  # waits for the first re-index before it starts
    assert len(reports) == 1
    preview.wait_for_search()
    assert reports == [None, None] and preview.reindexed == ["site", "y2026"]
    full = build_fixture_site(tmp_path / "full", preview.records)
    assert _pages(site) == _pages(full)
    for name in preview.reindexed:
        assert _shard(site, name) == _shard(full, name), name
    leftovers = [p.name for p in (site / "pagefind").iterdir() if p.name.startswith(".")]
    assert leftovers == []  # the staging trees were deleted once the next run waited for them


def test_a_failed_background_reindex_is_reported_not_raised(preview, monkeypatch):
    from generator.site import search_index

    def broken(*args, **kwargs):
        raise OSError("Pagefind 不可用")

    monkeypatch.setattr(search_index, "reindex", broken)
    reports = []
    _replace(preview.records / "units/market/results/T2026-market-01.yaml", OLD_FINDING, NEW_FINDING)
    assert preview.update(search_done=reports.append)
    preview.wait_for_search()
    assert [str(e) for e in reports] == ["Pagefind 不可用"]


MARKET_RESULT = "units/market/results/T2026-market-01.yaml"
HEALTH_RESULT = "units/health/results/T2026-market-01.yaml"


def _site(preview: Preview) -> dict[str, bytes]:
    preview.wait_for_search()
    return _pages(preview.site_dir)


def _same_as_full_build(preview: Preview, tmp_path: Path, name: str) -> dict[str, bytes]:
    full = build_fixture_site(tmp_path / name, preview.records)
    reference = _pages(full)
    assert _site(preview) == reference, name  # every page, not only the rewritten ones
    shutil.rmtree(full)
    return reference


def test_attack_edits_of_results_leave_no_stale_page(preview, tmp_path):
    """The partial path (only results files changed: ``site.partial``) against a full build after
    each of: an edit that changes the hub totals, an edit that brings an error (refused like a full
    build, nothing written), its fix, a revert to the original bytes, a deleted file (an error in
    the fixture: refused like a full build) and the file added back."""
    from generator.site.assemble import RecordsInvalid, assemble

    original = _site(preview)
    path = preview.records / MARKET_RESULT
    good = path.read_text(encoding="utf-8")

    # 1. a problem found becomes none found: the stats, home and summary totals change
    no_problem = good.replace('categories: ["3"]', 'categories: ["1"]', 1).replace(
        f"findings: {OLD_FINDING}\n    disposition: 责令改正",
        "findings: 未发现问题\n    disposition: 无需处置",
        1,
    )
    assert no_problem != good
    path.write_text(no_problem, encoding="utf-8")
    written = preview.update()
    assert preview.cache.remade is not None and "tasks/T2026-market-01.md" in preview.cache.remade
    assert len(preview.cache.remade) < len(preview.pages) / 2  # a part, not every record page
    totals = _same_as_full_build(preview, tmp_path, "totals")
    assert "stats/index.html" in written and totals["stats/index.html"] != original["stats/index.html"]

    # 2. an error: refused with the full build's lines, the site as it was
    path.write_text(good.replace("inspected_on: 2026-04-20", "inspected_on: 2026-13-45"), encoding="utf-8")
    with pytest.raises(RecordsInvalid) as raised:
        preview.update()
    assert any("2026-13-45" in line for line in raised.value.lines)
    assert _site(preview) == totals
    # 3. fixed by a different edit: compared with the state before the error, not the broken one
    path.write_text(good.replace(OLD_FINDING, NEW_FINDING), encoding="utf-8")
    preview.update()
    assert preview.cache.remade is not None
    _same_as_full_build(preview, tmp_path, "fixed")

    # 4. reverted to the original bytes: the original site again
    path.write_text(good, encoding="utf-8")
    preview.update()
    assert _site(preview) == original

    # 5. a result file deleted: the team is short of its health inspector, refused as a full
    # build refuses it; 6. added back (parsed anew): the original site again
    health = preview.records / HEALTH_RESULT
    kept = health.read_bytes()
    health.unlink()
    with pytest.raises(RecordsInvalid) as raised:
        preview.update()
    with pytest.raises(RecordsInvalid) as reference:
        assemble(preview.records, int(FIXTURE_EPOCH))
    assert raised.value.lines == reference.value.lines and raised.value.lines
    health.write_bytes(kept)
    preview.update()
    assert preview.cache.remade is not None
    assert _site(preview) == original


def test_an_edit_beyond_results_makes_every_record_page(preview, tmp_path):
    """An objects.csv edit is not results-only: every record page is made again (and the pages
    naming the renamed object are rewritten, checked against a full build)."""
    for csv in sorted(preview.records.glob("units/*/objects.csv")):
        if OLD_NAME in csv.read_text(encoding="utf-8"):
            _replace(csv, OLD_NAME, NEW_NAME)
    preview.update()
    assert preview.cache.remade is None
    _same_as_full_build(preview, tmp_path, "object")


def test_the_preview_reindexes_small_buckets_into_the_bytes_of_a_full_build_with_them(tmp_path, monkeypatch):
    """serve's preview cuts years into buckets of ``shard_pages`` (search_index.PREVIEW_SHARD_PAGES
    at county size: an edit re-indexes a few hundred pages, not 4,000 a bucket); its shards are
    those of a full build with the same bucket size, and an edit re-indexes only its buckets."""
    import math

    from generator.site import search_index
    from generator.site.assemble import assemble

    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    bundle = assemble(FIXTURE_RECORDS, int(FIXTURE_EPOCH))
    bundle.cancel()
    in_2026 = [m for m in bundle.pages.values() if m.searchable and "2026" in m.filters.get("年度", [])]
    bucket = math.ceil(len(in_2026) / 4)
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    made = Preview(records, tmp_path / "preview", shard_pages=bucket)
    try:
        made.full()
        site = made.site_dir
        buckets = sorted(p.name for p in (site / "pagefind").iterdir() if p.name.startswith("y2026-"))
        assert len(buckets) >= 4
        before = {n: (site / "pagefind" / n / "pagefind.js").stat().st_ino for n in buckets}
        _replace(records / MARKET_RESULT, OLD_FINDING, NEW_FINDING)
        made.update()
        touched = [n for n in made.reindexed if n != "site"]
        assert touched and set(touched) < set(buckets)  # the edited pages' buckets, not the year
        after = {n: (site / "pagefind" / n / "pagefind.js").stat().st_ino for n in buckets}
        assert sorted(n for n in buckets if before[n] != after[n]) == touched
        monkeypatch.setattr(search_index, "MAX_SHARD_PAGES", bucket)
        full = build_fixture_site(tmp_path / "full", records)
        assert (site / "pagefind/shards.json").read_bytes() == (full / "pagefind/shards.json").read_bytes()
        assert _pages(site) == _pages(full)
        for name in made.reindexed:
            assert _shard(site, name) == _shard(full, name), name
    finally:
        made.close()


def test_the_search_page_is_told_while_an_edit_is_reindexed(preview, monkeypatch):
    """serve: the pages are shown before the re-index ends; meanwhile shards.json says "updating"
    (search.js tells the reader), and the re-index's own manifest removes it."""
    import threading

    from generator.site import search_index

    manifest = preview.site_dir / "pagefind/shards.json"
    assert "updating" not in json.loads(manifest.read_text(encoding="utf-8"))
    release, real = threading.Event(), search_index.reindex

    def held(*args, **kwargs):
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(search_index, "reindex", held)
    reports = []
    _replace(preview.records / MARKET_RESULT, OLD_FINDING, NEW_FINDING)
    preview.update(search_done=reports.append)
    assert json.loads(manifest.read_text(encoding="utf-8"))["updating"] is True
    assert reports == []
    release.set()
    preview.wait_for_search()
    assert reports == [None] and "updating" not in json.loads(manifest.read_text(encoding="utf-8"))


def test_an_update_collects_once_and_leaves_what_it_keeps_frozen(preview):
    """The collector is paused while an update rebuilds and collects once at its end (``_settle``):
    with it running, every update after the first met a full-collection threshold set by the last
    update's survivors and walked what it had allocated 14 times over at county size. After each
    update the collector is on again and what the preview keeps is frozen (never walked again)."""
    import gc

    result = preview.records / MARKET_RESULT
    seen: list[tuple[str, int]] = []

    def note(phase, info):
        if phase == "start":
            seen.append((phase, info["generation"]))

    for i in range(3):
        old, new = (OLD_FINDING, NEW_FINDING) if i % 2 == 0 else (NEW_FINDING, OLD_FINDING)
        _replace(result, old, new)
        seen.clear()
        gc.callbacks.append(note)
        try:
            preview.update()
        finally:
            gc.callbacks.remove(note)
        assert seen == [("start", 2)], (i, seen)  # _settle's own collection, nothing automatic
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert max(gc.get_count()) < 700  # the collection left nothing pending to walk
    preview.close()
    assert gc.get_freeze_count() == 0


def test_pages_pagefind_would_ignore_are_never_staged(tmp_path, monkeypatch):
    """A page whose model is not searchable (a task's check sheet: up to 10 MB at county size, no
    data-pagefind-body) is never handed to Pagefind, in a build or an edit's re-index: Pagefind
    parsed and ignored 303 such pages on every re-index of the 栏目 shard (86-172 s)."""
    from generator.site import search_index
    from generator.site.page import PageModel

    site = tmp_path / "site"
    models = [
        PageModel("units/a.md", "单位甲", "t", "c"),
        PageModel("tasks/T2026-a-sheet.md", "检查表", "t", "c", searchable=False),
    ]
    for m in models:
        page = site / m.url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        body = "<main data-pagefind-body>单位</main>" if m.searchable else "<main>检查表</main>"
        page.write_text(f'<html lang="zh-CN"><body>{body}</body></html>', encoding="utf-8")
    staged: dict[str, list[str]] = {}
    real = search_index._run_one

    def noting(site_dir, name, pages, *args, **kwargs):
        staged[name] = list(pages)
        return real(site_dir, name, pages, *args, **kwargs)

    monkeypatch.setattr(search_index, "_run_one", noting)
    search_index.run_pagefind(site, models)
    assert staged == {"site": ["units/a/index.html"]}
    staged.clear()
    written = ["tasks/T2026-a-sheet/index.html", "units/a/index.html"]
    assert search_index.reindex(site, models, models, written) == ["site"]
    assert staged == {"site": ["units/a/index.html"]}
    search_index.finish_cleaning()


def test_attack_a_holiday_schedule_moves_on_time_figures_on_every_page(preview, tmp_path):
    """Per-year figures are kept while their entries and every other kind's files are the same
    (``reports.figures._by_year``). A recorded holiday schedule changes no entry, yet turns a late
    entry into an on-time one: after a results edit (figures kept), adding the schedule, removing it
    and reverting the edit, every page equals a full build's."""
    from tests.reports.test_figures import HOLIDAYS_2026

    original = _site(preview)
    path = preview.records / MARKET_RESULT
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace(OLD_FINDING, NEW_FINDING), encoding="utf-8")
    preview.update()
    edited = _same_as_full_build(preview, tmp_path, "edited")
    (preview.records / "holidays").mkdir()
    (preview.records / "holidays" / "2026.yaml").write_text(HOLIDAYS_2026, encoding="utf-8")
    written = preview.update()
    holidays = _same_as_full_build(preview, tmp_path, "holidays")
    assert "stats/index.html" in written and holidays["stats/index.html"] != edited["stats/index.html"]
    shutil.rmtree(preview.records / "holidays")
    preview.update()
    assert _same_as_full_build(preview, tmp_path, "no-holidays") == edited
    path.write_text(good, encoding="utf-8")
    preview.update()
    assert _site(preview) == original
