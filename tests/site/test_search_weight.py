"""A hub page's search entry does not grow with the county's records (issue 18).

Pagefind stores each page's indexed text as one fragment, fetched whole when the page is among a
query's results. At county size the 合规 page listed every late entry, open follow-up and rule hit
of five years in its indexed body: a 3 MB fragment (235 KB gzipped) that any query matching one
listed shop's name downloaded. A record's words belong to the record's own page; hub pages keep
their lists out of the index (``data-pagefind-ignore``), except the home page's fixed-length list
of the latest results.
"""

from __future__ import annotations

from html.parser import HTMLParser

from generator.site.models_hubs import latest_results

RECORD_PAGES = ("objects/", "tasks/", "draws/")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class IndexedLinks(HTMLParser):
    """Counts links to object pages inside ``data-pagefind-body`` and outside any
    ``data-pagefind-ignore`` (what Pagefind puts in the page's fragment)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[bool, bool]] = []
        self.object_links = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        names = {name for name, _ in attrs}
        body, ignored = self.stack[-1] if self.stack else (False, False)
        body = body or "data-pagefind-body" in names
        ignored = ignored or "data-pagefind-ignore" in names
        self.stack.append((body, ignored))
        href = dict(attrs).get("href") or ""
        if tag == "a" and body and not ignored and "objects/" in href:
            self.object_links += 1

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()


def indexed_object_links(html: str) -> int:
    parser = IndexedLinks()
    parser.feed(html)
    return parser.object_links


def test_no_hub_page_indexes_the_objects_it_lists(built_site):
    hubs = {}
    for page in sorted(built_site.rglob("index.html")):
        rel = page.relative_to(built_site).as_posix()
        if rel.startswith(RECORD_PAGES) or rel.startswith("pagefind/"):
            continue
        hubs[rel] = indexed_object_links(page.read_text(encoding="utf-8"))
    assert "compliance/index.html" in hubs and "index.html" in hubs
    home_limit = latest_results.__defaults__[0]
    assert 0 < hubs.pop("index.html") <= home_limit  # the latest results: a fixed number of rows
    assert {rel: n for rel, n in hubs.items() if n} == {}


def test_the_counter_sees_an_indexed_list_and_respects_ignore():
    listed = '<main data-pagefind-body><table><tr><td><a href="../objects/x/">x</a></td></tr></table></main>'
    assert indexed_object_links(listed) == 1
    hidden = listed.replace("<table>", "<div data-pagefind-ignore><table>").replace(
        "</table>", "</table></div>"
    )
    assert indexed_object_links(hidden) == 0
    outside = '<main><a href="../objects/x/">x</a></main>'
    assert indexed_object_links(outside) == 0
