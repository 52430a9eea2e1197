"""Acceptance: a site built from records with injection payloads in every public free-text field.

Who controls the text: any member unit (object names, addresses, task names, notes ...), the joint
office (county.yaml). The real build (MkDocs + Pagefind) runs on the seeded tree; every page is
opened in real Chromium and the test fails on a dialog, a payload that ran (window.__pwned), any
Content-Security-Policy violation, a raw payload fragment in the HTML, a tag or attribute our
templates do not make, an inline script (outside the 404 page's hash-pinned one) or an on*= handler.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.site.slugs import object_slug
from tests.hostile.site.tree import MUST_APPEAR, MUST_NOT_APPEAR, OBJECT_IDS, PAYLOADS, build_hostile_tree
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS, _Quiet, build_fixture_site
from tests.site.search_ui import ALL_SHARDS

# Records a CSP violation or a dialog before any page script runs (init scripts are not subject to CSP).
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || ''));
});
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    table = build_hostile_tree(FIXTURE_RECORDS, root / "records")
    from generator.site.builder import build_site

    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXTURE_EPOCH
    try:
        site = build_site(root / "records", root / "site")
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return site, table


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory):
    return build_fixture_site(tmp_path_factory.mktemp("clean") / "site")


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


class _Shape(HTMLParser):
    """Tags and attribute names of a page, and its inline scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.vocab: set[str] = set()
        self.handlers: list[str] = []
        self.inline_scripts = 0
        self._in_script_without_src = False

    def handle_starttag(self, tag, attrs):
        self.vocab.add(tag)
        names = {name for name, _ in attrs}
        self.vocab |= {f"{tag}@{n}" for n in names}
        self.handlers += [n for n in names if n.startswith("on")]
        if tag == "script" and "src" not in names:
            self.inline_scripts += 1

    handle_startendtag = handle_starttag


def _shape(path: Path) -> _Shape:
    parser = _Shape()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_field_got_a_payload(hostile):
    _, table = hostile
    assert len(table) > 60  # every public free-text value of the fixture records
    used = {p for new in table.values() for p in PAYLOADS if new.endswith(p)}
    assert used == set(PAYLOADS)


def test_no_raw_payload_in_any_page(hostile):
    site, _ = hostile
    shown = set()
    for page in _pages(site):
        html = page.read_text(encoding="utf-8")
        for fragment in MUST_NOT_APPEAR:
            assert fragment not in html, (page.relative_to(site).as_posix(), fragment)
        shown |= {m for m in MUST_APPEAR if m in html}
    assert shown == set(MUST_APPEAR)  # template syntax in records is printed, not evaluated


def test_pages_have_only_our_tags_attributes_and_scripts(hostile, clean_site):
    site, _ = hostile
    ours = set().union(*(_shape(p).vocab for p in _pages(clean_site)))
    for page in _pages(site):
        rel = page.relative_to(site).as_posix()
        shape = _shape(page)
        assert shape.vocab <= ours, (rel, shape.vocab - ours)
        assert shape.handlers == [], (rel, shape.handlers)
        html = page.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in html, rel
        if rel == "404.html":  # its one inline script is pinned by SHA-256 in its own policy
            assert shape.inline_scripts == 1 and "script-src 'sha256-" in html.replace("&#39;", "'")
        else:
            assert shape.inline_scripts == 0, rel
            assert re.search(r"script-src &#39;self&#39;", html), rel
    for page in _pages(clean_site):  # the fixture site obeys the same rules
        shape = _shape(page)
        assert shape.handlers == [] and (shape.inline_scripts == 0 or page.name == "404.html")


def test_hostile_object_ids_get_their_own_pages(hostile):
    site, _ = hostile
    paths = {object_slug(oid) for oid in OBJECT_IDS}
    assert len(paths) == len(OBJECT_IDS)
    for oid in OBJECT_IDS:
        page = site / "objects" / object_slug(oid) / "index.html"
        assert page.is_file(), oid
    assert not (site / "index" / "index.html").exists()  # '../../index' stayed inside objects/


def test_feed_is_well_formed_and_links_are_http(hostile):
    site, _ = hostile
    feed = ET.parse(site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert links and all(h.startswith("https://ssj.siyang.example/") for h in links)
    titles = [t.text for t in feed.findall("a:entry/a:title", ns)]
    assert any("<" in t for t in titles)  # the payload is text in the XML, not markup


@pytest.fixture(scope="module")
def hostile_url(hostile):
    site, _ = hostile
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def chromium(browser):
    return browser  # the session's one Chromium (tests/conftest.py)


class _Watch:
    def __init__(self, page):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on(
            "console",
            lambda m: self.errors.append(m.text) if "Content Security Policy" in m.text else None,
        )

    def check(self, page, where):
        state = page.evaluate("() => [window.__pwned || null, window.__csp || []]")
        assert self.dialogs == [], (where, self.dialogs)
        assert state == [None, []], (where, state)
        assert self.errors == [], (where, self.errors)


@pytest.mark.browser
def test_every_page_in_chromium(hostile, hostile_url, chromium):
    site, _ = hostile
    context = chromium.new_context(locale="zh-CN")
    context.add_init_script(WATCH)
    page = context.new_page()
    watch = _Watch(page)
    pages = _pages(site)
    assert len(pages) > 25
    for path in pages:
        rel = path.relative_to(site).as_posix()
        page.goto(hostile_url + rel.removesuffix("index.html"))
        page.mouse.move(200, 200)  # hover handlers, if any had slipped through
        page.keyboard.press("Tab")
        watch.check(page, rel)
    context.close()


@pytest.mark.browser
def test_search_verify_and_reading_aids_still_work(hostile, hostile_url, chromium):
    context = chromium.new_context(locale="zh-CN")
    context.add_init_script(WATCH)
    page = context.new_page()
    watch = _Watch(page)
    # search: results whose titles and excerpts carry payloads are shown as text
    page.goto(hostile_url + "search/?q=pwned")
    page.wait_for_selector("#search-results li a")
    assert page.locator("#search-results li").count() > 0
    assert "<" in page.inner_text("#search-results")  # payload text, shown as text
    watch.check(page, "search")
    page.goto(hostile_url + "search/")
    page.wait_for_function("() => document.body.dataset.searchReady === '1'")
    # the filter options show hostile unit names as text, exactly as Pagefind indexed them
    options = page.eval_on_selector_all('select[data-filter="单位"] option', "os => os.map(o => o.value)")
    index = page.evaluate("async () => {" + ALL_SHARDS + "return await pf.filters(); }")
    assert set(options) - {""} == set(index["单位"]) and any("<" in v for v in options)
    for value in [v for v in options if v]:  # filtering by a hostile unit name finds its pages
        page.select_option('select[data-filter="单位"]', value)
        page.wait_for_selector("#search-results li a")
        assert "找到 0 个" not in page.inner_text("#search-status"), value
    watch.check(page, "search filter")
    # the draw page's verify button runs (the payloads changed the frozen names, so any verdict)
    page.goto(hostile_url + "draws/D2026-0001/")
    page.click("#verify-button")
    page.wait_for_selector("#verify-result[data-state]")
    watch.check(page, "verify")
    # reading aids (site.js) and the check sheet's print button (moved out of an onclick)
    page.goto(hostile_url)
    page.click('[data-action="font-up"]')
    assert "font-1" in page.evaluate("document.documentElement.className")
    page.click('[data-action="font-down"]')
    assert "font-1" not in page.evaluate("document.documentElement.className")
    page.goto(hostile_url + "tasks/T2026-market-01-sheet/")
    page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    page.click('[data-action="print"]')
    assert page.evaluate("() => window.__printed === true")
    watch.check(page, "reading aids")
    context.close()


def _policy(html: str) -> dict[str, list[str]]:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert m, "no policy"
    text = m[1].replace("&#39;", "'")
    return {d.split()[0]: d.split()[1:] for d in text.split(";") if d.strip()}


def test_policy_allows_only_what_the_page_uses(hostile):
    """No page grants what it does not need: no data:/http:/wildcard sources, no inline or eval,
    and WebAssembly compilation (Pagefind's index reader) only on the search page."""
    site, _ = hostile
    for page in _pages(site):
        rel = page.relative_to(site).as_posix()
        policy = _policy(page.read_text(encoding="utf-8"))
        for directive, sources in policy.items():
            for source in sources:
                ok = source in ("'self'", "'none'") or re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", source)
                ok = ok or (source == "'wasm-unsafe-eval'" and directive == "script-src")
                assert ok, (rel, directive, source)
        wasm = "'wasm-unsafe-eval'" in policy["script-src"]
        assert wasm == (rel == "search/index.html"), rel
        assert policy["base-uri"] == ["'none'"] and policy["object-src"] == ["'none'"], rel
