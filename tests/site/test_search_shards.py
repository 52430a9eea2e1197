"""The sharded search index in the browser (issue 18): the first query loads the 栏目 shard and the
newest year only; earlier years are merged when the reader asks or when this year finds nothing.

The fixture is one year, so the fixture site is re-indexed with its object pages moved to 2025
(as a county's objects inspected only in earlier years are): the pages are unchanged, the shards
are what ``search_index`` makes of such models.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from urllib.parse import quote, urlsplit

import pytest

from generator.site import search_index
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS
from tests.site.draw_site import serving

pytestmark = pytest.mark.browser

OBJECT = "/objects/91321323MA1YB3R18F/"  # 泗阳县爱园中学食堂: 食品留样 is in its 2026 finding


@pytest.fixture(scope="module")
def two_year_url(built_site, tmp_path_factory, monkeypatch_module):
    from generator.site.assemble import assemble

    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    site = tmp_path_factory.mktemp("shards") / "site"
    shutil.copytree(built_site, site)
    bundle = assemble(FIXTURE_RECORDS, int(FIXTURE_EPOCH))
    bundle.cancel()
    models = [
        dataclasses.replace(m, filters=m.filters | {"年度": ["2025"]})
        if m.path.startswith("objects/") and "年度" in m.filters
        else m
        for m in bundle.pages.values()
    ]
    search_index.run_pagefind(site, models)
    shards = json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8"))
    assert shards == {"first": ["site", "y2026"], "years": {"2025": ["y2025"]}}
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def _search(page, url: str, query: str) -> list[str]:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    page.goto(url + "search/?q=" + quote(query))
    page.wait_for_function("() => document.body.dataset.searchState === 'done'")
    return fetched


def _results(page) -> list[str]:
    return [
        urlsplit(h).path
        for h in page.eval_on_selector_all("#search-results li > a", "as => as.map(a => a.href)")
    ]


def test_first_query_searches_this_year_and_earlier_years_on_request(page, two_year_url):
    fetched = _search(page, two_year_url, "食品留样")
    assert any(p.startswith("/pagefind/y2026/") for p in fetched)
    assert not any(p.startswith("/pagefind/y2025/") for p in fetched)  # not loaded for the first query
    assert OBJECT not in _results(page)  # the object page is 2025's
    assert "/tasks/T2026-market-01/" in _results(page)  # 2026's task lists it
    assert "已搜索栏目页和最近一个年度" in page.inner_text("#search-status")
    older = page.locator("#search-older")
    assert older.is_visible() and "2025" in older.inner_text()
    older.click()
    page.wait_for_function(
        "() => document.body.dataset.searchState === 'done' && !!document.querySelector('#search-results li')"
    )
    page.wait_for_function(
        f"() => Array.from(document.querySelectorAll('#search-results li > a')).some(a => a.pathname === {OBJECT!r})"
    )
    assert any(p.startswith("/pagefind/y2025/") for p in fetched)
    assert not older.is_visible()
    assert "已搜索栏目页和最近一个年度" not in page.inner_text("#search-status")
    assert page.js_errors == []


def test_a_query_this_year_cannot_answer_searches_every_year_before_saying_nothing(page, two_year_url):
    fetched = _search(page, two_year_url, "噗呲咔嚓")
    assert any(p.startswith("/pagefind/y2025/") for p in fetched)
    assert "没有找到" in page.inner_text("#search-status")
    assert not page.locator("#search-older").is_visible()


def test_a_year_filter_on_the_newest_year_loads_no_earlier_year(page, two_year_url):
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    page.goto(
        two_year_url + "search/?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in {"年度": "2026"}.items())
    )
    page.wait_for_function("() => document.body.dataset.searchState === 'done'")
    assert page.locator("#search-results li").count() > 0
    assert not any(p.startswith("/pagefind/y2025/") for p in fetched)
