"""Attacks on searching a newest year cut into buckets one bucket after another (issue 18 review).

The sites here are the fixture's built site plus hand-made pages of the newest year (2026), indexed
by the real Pagefind into buckets chosen by the test (``search_index._run_one``) with the real
manifest (``search_index._write_manifest``: ``enough`` = ``search_index.ENOUGH``), searched by the
real search.js in Chromium. The same pages in one shard (the year before it was cut) answer the
same queries: what the bucketed site says must not be worse.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from generator.site import search_index
from tests.site.conftest import _Quiet

pytestmark = pytest.mark.browser

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main data-pagefind-body><h1>{title}</h1>
<span data-pagefind-filter="年度[content]">2026</span>
<p>{text}</p></main></body></html>
"""

# The first bucket: more than ENOUGH shops whose words share a prefix with the target's ("zebra",
# "岚山"); the second bucket: the one page that really says "zebrafish" / "岚芮".
CROWD = [
    (f"zz-a{k:02d}", f"岚山第{k}食品店", f"岚山 zebra 检查 第{k}号") for k in range(search_index.ENOUGH + 6)
]
TARGET = [("zz-target", "岚芮食品商行", "岚芮 zebrafish 食品商行")]
MORE = [("zz-more2", "青松五金店", "青松 五金"), ("zz-more3", "翠柏五金店", "翠柏 五金")]
OLDER = [("zz-old", "旧年度食品店", "旧年度 2025 检查")]


def _make(base: Path, out: Path, shards: dict[str, list]) -> dict:
    shutil.copytree(base, out)
    folder = out / "pagefind"
    for d in folder.iterdir():
        if d.is_dir() and d.name != search_index.PRIMARY:
            shutil.rmtree(d)
    for name, pages in shards.items():
        rel = []
        for slug, title, text in pages:
            path = out / "objects" / slug / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(PAGE.format(title=title, text=text), encoding="utf-8")
            rel.append(f"objects/{slug}/index.html")
        search_index._run_one(out, name, rel)
    search_index._write_manifest(out, {search_index.PRIMARY: [], **{n: [] for n in shards}})
    return json.loads((folder / search_index.MANIFEST).read_text(encoding="utf-8"))


class _Slow(_Quiet):
    """Serves the site; requests under a path in ``slow`` wait ``delay`` seconds (a slow line)."""

    slow: tuple[str, ...] = ()
    delay = 0.0
    served: list[str] = []
    asked: list[str] = []
    fail_once: tuple[str, ...] = ()  # the first request under one of these gets a 503

    def do_GET(self):  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        self.asked.append(path)
        if any(path.startswith(s) for s in self.fail_once) and not any(
            p.startswith(tuple(self.fail_once)) for p in self.asked[:-1]
        ):
            self.send_error(503)
            return
        if any(path.startswith(s) for s in self.slow):
            time.sleep(self.delay)
        super().do_GET()
        self.served.append(path)


def _serve(root: Path, slow: tuple[str, ...] = (), delay: float = 0.0, fail_once: tuple[str, ...] = ()):
    fields = {"slow": slow, "delay": delay, "served": [], "asked": [], "fail_once": fail_once}
    handler_class = type("H", (_Slow,), fields)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler_class, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return (
        server,
        (handler_class.asked, handler_class.served),
        f"http://127.0.0.1:{server.server_address[1]}/",
    )


@pytest.fixture(scope="module")
def sites(built_site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("review19")
    bucketed = _make(
        built_site,
        tmp / "bucketed",
        {"y2026-0": CROWD, "y2026-1": TARGET, "y2026-2": MORE[:1], "y2026-3": MORE[1:], "y2025": OLDER},
    )
    assert bucketed["first"] == ["site", "y2026-0"]
    assert bucketed["newest_rest"] == ["y2026-1", "y2026-2", "y2026-3"]
    assert bucketed["years"] == {"2025": ["y2025"]}
    whole = _make(built_site, tmp / "whole", {"y2026": CROWD + TARGET})
    assert whole["first"] == ["site", "y2026"] and "newest_rest" not in whole
    return tmp / "bucketed", tmp / "whole"


def _titles(page, url: str, query: str) -> tuple[str, list[str]]:
    page.goto(url + "search/?q=" + quote(query))
    page.wait_for_function("() => document.body.dataset.searchState === 'done'")
    titles = page.eval_on_selector_all("#search-results li > a", "as => as.map(a => a.textContent)")
    return page.inner_text("#search-status"), titles


@pytest.mark.parametrize("query", ["zebrafish", "岚芮食品"])
def test_a_word_only_in_a_later_bucket_is_found_though_the_first_bucket_has_enough_prefix_matches(
    page, sites, query
):
    """Pagefind answers a word its index lacks with pages matching a shorter prefix: the first
    bucket returns ENOUGH unrelated pages ("zebra", "岚山"), the loop stops, the relevance step then
    drops them all and the reader is told "没有找到" (with no button to search the rest) although
    the year holds the page. The same pages in one index find it."""
    bucketed, whole = sites
    server, _, url = _serve(whole)
    try:
        status, titles = _titles(page, url, query)
    finally:
        server.shutdown()
    assert "岚芮食品商行" in titles, status  # the year as one index: found
    server, _, url = _serve(bucketed)
    try:
        status, titles = _titles(page, url, query)
        older = page.locator("#search-older")
        assert "岚芮食品商行" in titles or older.is_visible(), status
        assert "没有找到" not in status, status
    finally:
        server.shutdown()
    assert page.js_errors == []


def test_a_second_query_while_the_first_still_merges_buckets_shows_only_its_own_answer(page, sites):
    """The reader searches "qqqxxx" (nothing anywhere: the year's other buckets are merged one
    after another, on a slow line), then, before that ends, "岚山" (answered by the first bucket).
    When everything has settled the page must show the answer to "岚山", the query in the box —
    not the first query's verdict written over it (run() never checks, after fullText, that a
    newer search began meanwhile; the bucket loop makes that wait common)."""
    bucketed, _ = sites
    server, (asked, served), url = _serve(
        bucketed, slow=("/pagefind/y2026-2/", "/pagefind/y2026-3/"), delay=1.5
    )
    try:
        page.goto(url + "search/?q=qqqxxx")
        page.wait_for_function("() => document.body.dataset.searchReady === '1'")
        deadline = time.monotonic() + 10
        while not any(p.startswith("/pagefind/y2026-2/") for p in asked) and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        page.fill("#search-q", "岚山")
        page.evaluate("document.getElementById('search-form').requestSubmit()")
        page.wait_for_function("() => document.body.dataset.searchState === 'done'")
        # let the first query's slow bucket arrive and its search end
        deadline = time.monotonic() + 30
        while (
            not any(p.startswith("/pagefind/y2026-3/index/") for p in served) and time.monotonic() < deadline
        ):
            page.wait_for_timeout(100)
        page.wait_for_timeout(2500)
        status = page.inner_text("#search-status")
        titles = page.eval_on_selector_all("#search-results li > a", "as => as.map(a => a.textContent)")
    finally:
        server.shutdown()
    assert page.input_value("#search-q") == "岚山"
    assert "qqqxxx" not in status, status
    assert titles and all("岚山" in t for t in titles[:8]), (status, titles)
    assert page.js_errors == []


def _settles(page, ms: int = 10_000) -> bool:
    """Whether the search state reaches "done" within ``ms`` (False, not an exception, if not)."""
    return page.evaluate(
        """(ms) => new Promise((resolve) => {
            const t0 = Date.now();
            const tick = () => document.body.dataset.searchState === 'done' ? resolve(true)
                : Date.now() - t0 > ms ? resolve(false) : setTimeout(tick, 100);
            tick();
        })""",
        ms,
    )


def test_a_bucket_that_fails_to_load_once_leaves_a_message_and_a_working_search(page, sites):
    """On a poor line one request for the next bucket fails (here: a 503, once). The page must
    not stay "busy" without a word, and the next query must still be answered. Today the merge's
    rejection escapes run(): searchState stays "busy", the status is empty; the bucket's name is
    already in ``merged`` so it is never fetched again."""
    bucketed, _ = sites
    server, (asked, _), url = _serve(bucketed, fail_once=("/pagefind/y2026-1/",))
    try:
        page.goto(url + "search/?q=qqqxxx")
        page.wait_for_function("() => document.body.dataset.searchReady === '1'")
        settled = _settles(page)
        first_status = page.inner_text("#search-status")
        page.fill("#search-q", "岚芮")
        page.evaluate("document.getElementById('search-form').requestSubmit()")
        settled_again = _settles(page)
        titles = page.eval_on_selector_all("#search-results li > a", "as => as.map(a => a.textContent)")
        status = page.inner_text("#search-status")
    finally:
        server.shutdown()
    assert any(p.startswith("/pagefind/y2026-1/") for p in asked)  # the failure did happen
    assert settled and first_status.strip(), f"still busy: {first_status!r}"
    assert settled_again and "岚芮食品商行" in titles, f"next query: {status!r} {titles}"


@pytest.mark.parametrize(
    "manifest", ["{}", "[]", '{"first": "site", "years": []}', "{not json", '{"first": ["../../x"]}']
)
def test_a_broken_shards_file_leaves_a_search_that_answers(page, built_site, tmp_path, manifest):
    """shards.json cut short, edited by hand or half-deployed: the page still searches the 栏目
    shard it can read, answers, and never throws."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    (site / "pagefind" / search_index.MANIFEST).write_text(manifest, encoding="utf-8")
    server, (asked, _), url = _serve(site)
    try:
        status, titles = _titles(page, url, "检查")
    finally:
        server.shutdown()
    assert titles and "找到" in status, status
    assert not any(".." in p for p in asked)
    assert page.js_errors == []
