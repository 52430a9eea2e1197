"""A hub page's search entry does not grow with the county's records (issue 18).

Pagefind stores each page's indexed text as one fragment, fetched whole when the page is among a
query's results. At county size the 合规 page listed every late entry, open follow-up and rule hit
of five years in its indexed body: a 3 MB fragment (235 KB gzipped) that any query matching one
listed shop's name downloaded. The 抽查任务 and 如何核验 hubs and the unit pages likewise listed every
task and draw of every year. A record's words belong to the record's own page: hub pages keep their
lists of records out of the index (``data-pagefind-ignore``), except the home page's fixed-length
lists of the latest results.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from generator.site.models_hubs import latest_results
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS

# Templates of record pages: each shows one object, task, draw or check sheet, bounded by itself.
RECORD_TEMPLATES = {"object.html", "task.html", "draw.html", "check_sheet.html"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class IndexedLinks(HTMLParser):
    """Links inside ``data-pagefind-body`` and outside any ``data-pagefind-ignore`` (what Pagefind
    puts in the page's fragment), resolved against the page's own URL."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.stack: list[tuple[bool, bool]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        names = {name for name, _ in attrs}
        body, ignored = self.stack[-1] if self.stack else (False, False)
        body = body or "data-pagefind-body" in names
        ignored = ignored or "data-pagefind-ignore" in names
        self.stack.append((body, ignored))
        href = dict(attrs).get("href")
        if tag == "a" and href and body and not ignored:
            self.links.append(urlsplit(urljoin(self.page_url, href)).path.strip("/") + "/")

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()


def indexed_links(html: str, page_url: str) -> list[str]:
    parser = IndexedLinks("http://site/" + page_url)
    parser.feed(html)
    return parser.links


@pytest.fixture(scope="module")
def templates() -> dict[str, str]:
    """Page URL (``objects/x/``) -> its body template, for every page model of the fixture."""
    from generator.site.assemble import assemble

    bundle = assemble(FIXTURE_RECORDS, int(FIXTURE_EPOCH))
    bundle.cancel()
    return {model.url: model.template for model in bundle.pages.values()}


def test_no_hub_page_indexes_the_records_it_lists(built_site, templates):
    records = {url for url, template in templates.items() if template in RECORD_TEMPLATES}
    assert any(u.startswith("objects/") for u in records) and any(u.startswith("draws/") for u in records)
    listed, looked = {}, set()
    for page in sorted(built_site.rglob("index.html")):
        url = page.relative_to(built_site).parent.as_posix()
        url = "" if url == "." else url + "/"
        if url in records or url.startswith("pagefind/"):
            continue
        looked.add(url)
        links = [link for link in indexed_links(page.read_text(encoding="utf-8"), url) if link in records]
        if links:
            listed[url] = links
    # a township page, the hubs and a unit page are among the pages looked at
    assert {"", "objects/t02/", "tasks/", "verify/", "compliance/", "plans/", "units/market/"} <= looked
    home = listed.pop("", [])
    limit = latest_results.__defaults__[0]
    assert 0 < len([x for x in home if x.startswith("objects/")]) <= limit  # the latest results
    assert len(home) <= 2 * limit  # each row: the object and its task
    assert listed == {}


def test_the_parser_resolves_relative_links_and_respects_ignore():
    body = '<main data-pagefind-body><a href="T2026-a/">t</a><a href="../draws/D1/">d</a></main>'
    assert indexed_links(body, "tasks/") == ["tasks/T2026-a/", "draws/D1/"]
    township = '<main data-pagefind-body><table><tr><td><a href="../913/">x</a></td></tr></table></main>'
    assert indexed_links(township, "objects/t02/") == ["objects/913/"]
    hidden = township.replace("<table>", "<div data-pagefind-ignore><table>").replace(
        "</table>", "</table></div>"
    )
    assert indexed_links(hidden, "objects/t02/") == []
    assert indexed_links('<main><a href="../x/">x</a></main>', "objects/t02/") == []  # not indexed at all
