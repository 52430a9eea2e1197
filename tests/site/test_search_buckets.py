"""A big newest year cut into buckets is searched one bucket after another (issue 18): the first
query loads the 栏目 shard and the year's first bucket, and the next buckets only while the results
cannot fill the first screen; the rest waits for the reader, a 年度 filter, or a query nothing
answers yet.

The fixture's 2026 pages are re-indexed with a small bucket size (so the year is several buckets)
and a small ``ENOUGH`` (so a query of the small fixture can fill "the first screen"); the pages are
the fixture's, the shards are what ``search_index`` makes of them.
"""

from __future__ import annotations

import json
import math
import shutil
from urllib.parse import quote, urlsplit

import pytest

from generator.site import search_index
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS
from tests.site.draw_site import serving

pytestmark = pytest.mark.browser

ENOUGH = 2


@pytest.fixture(scope="module")
def bucket_site(built_site, tmp_path_factory):
    from generator.site.assemble import assemble

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
        site = tmp_path_factory.mktemp("buckets") / "site"
        shutil.copytree(built_site, site)
        bundle = assemble(FIXTURE_RECORDS, int(FIXTURE_EPOCH))
        bundle.cancel()
        models = list(bundle.pages.values())
        in_2026 = [m for m in models if m.searchable and "2026" in m.filters.get("年度", [])]
        mp.setattr(search_index, "MAX_SHARD_PAGES", math.ceil(len(in_2026) / 4))
        mp.setattr(search_index, "ENOUGH", ENOUGH)
        search_index.run_pagefind(site, models)
    shards = json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8"))
    assert shards["first"][0] == "site" and len(shards["first"]) == 2
    assert len(shards["newest_rest"]) >= 2 and shards["enough"] == ENOUGH and shards["years"] == {}
    with serving(site) as url:
        yield site, url, shards


def _search(page, url: str, query: str = "", **filters) -> list[str]:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    params = ([f"q={quote(query)}"] if query else []) + [f"{quote(k)}={quote(v)}" for k, v in filters.items()]
    page.goto(url + "search/?" + "&".join(params))
    page.wait_for_function("() => document.body.dataset.searchState === 'done'")
    return fetched


def _loaded(fetched: list[str]) -> list[str]:
    """The shards whose entry file the page fetched, in the order it fetched them."""
    out: list[str] = []
    for path in fetched:
        parts = path.split("/")
        if len(parts) > 3 and parts[1] == "pagefind" and parts[3] == "pagefind-entry.json":
            out.append(parts[2])
    return out


def _found(page) -> int:
    status = page.inner_text("#search-status")
    return int(status.split("找到 ", 1)[1].split(" ", 1)[0]) if "找到 " in status else 0


@pytest.mark.parametrize("query", ["检查", "食品留样", "爱园中学", "穿城镇"])
def test_buckets_are_searched_in_turn_until_the_first_screen_can_be_filled(page, bucket_site, query):
    site, url, shards = bucket_site
    fetched = _search(page, url, query)
    loaded = [n for n in _loaded(fetched) if n in shards["newest_rest"]]
    assert loaded == shards["newest_rest"][: len(loaded)]  # in turn, none skipped
    found = _found(page)
    assert found >= ENOUGH or loaded == shards["newest_rest"]  # it stopped only once enough were found
    if loaded:  # and not before: without the last bucket merged, the first screen could not be filled
        # (a search that found only pages matching a shorter prefix of the word merges every
        # shard at once, by design: then the first bucket alone must have been so)
        kept_rest = loaded[:-1] if loaded != shards["newest_rest"] else []
        fewer = {**shards, "newest_rest": kept_rest}
        manifest = site / "pagefind/shards.json"
        kept = manifest.read_text(encoding="utf-8")
        manifest.write_text(json.dumps(fewer), encoding="utf-8")
        try:
            _search(page, url, query)
            assert _found(page) < ENOUGH or query not in page.inner_text("#search-results")
        finally:
            manifest.write_text(kept, encoding="utf-8")
    if loaded != shards["newest_rest"]:
        assert "最近一个年度的部分页面" in page.inner_text("#search-status") or not found
    assert page.js_errors == []


def test_the_reader_can_ask_for_the_rest_of_the_year(page, bucket_site):
    _, url, shards = bucket_site
    fetched = _search(page, url, "检查")
    assert _found(page) >= ENOUGH
    assert not set(_loaded(fetched)) & set(shards["newest_rest"][1:])  # the last bucket waits
    assert "最近一个年度的部分页面" in page.inner_text("#search-status")
    button = page.locator("#search-older")
    assert button.is_visible() and "最近一个年度的其余页面" in button.inner_text()
    before = _found(page)
    button.click()
    # the click merges the rest, then searches again: wait for that search's status
    page.wait_for_function(
        "() => document.body.dataset.searchState === 'done'"
        " && !document.getElementById('search-status').textContent.includes('部分页面')",
        timeout=20_000,
    )
    assert set(shards["newest_rest"]) <= set(_loaded(fetched))
    assert _found(page) >= before
    assert "部分页面" not in page.inner_text("#search-status")
    assert page.js_errors == []


def test_a_query_nothing_answers_and_a_year_filter_search_the_whole_year(page, bucket_site):
    _, url, shards = bucket_site
    fetched = _search(page, url, "噗呲咔嚓")
    assert set(shards["newest_rest"]) <= set(_loaded(fetched))
    assert "没有找到" in page.inner_text("#search-status")
    fetched = _search(page, url, **{"年度": "2026"})
    assert set(shards["newest_rest"]) <= set(_loaded(fetched))
    assert "部分页面" not in page.inner_text("#search-status")
    assert page.js_errors == []


def test_a_preview_reindexing_an_edit_says_so_and_still_searches(page, bucket_site):
    """serve's preview marks shards.json "updating" while an edit's shards are re-indexed
    (search_index.mark_updating): the page says the edit may not be found yet, and searches the
    index as it is; a manifest without the mark (every published build) shows no such note."""
    site, url, _ = bucket_site
    _search(page, url, "检查")
    assert page.locator("#search-updating").count() == 0
    manifest = site / "pagefind/shards.json"
    kept = manifest.read_text(encoding="utf-8")
    search_index.mark_updating(site)
    try:
        assert json.loads(manifest.read_text(encoding="utf-8"))["updating"] is True
        _search(page, url, "检查")
        note = page.locator("#search-updating")
        assert note.is_visible() and "搜索索引更新中" in note.inner_text()
        assert _found(page) >= ENOUGH  # the index as it is still answers
    finally:
        manifest.write_text(kept, encoding="utf-8")
    assert page.js_errors == []
