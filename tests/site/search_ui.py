"""Drive the real search page (search.js + Pagefind) in Chromium the way a reader does: open
``search/?q=…`` and read what it shows, or where it went (the exact lookup opens the object's page)."""

from __future__ import annotations

import time
from urllib.parse import quote, urlsplit

SETTLED = """() => location.pathname.indexOf('/search/') !== 0
    || (document.body && document.body.dataset.searchState === 'done')"""


def run_query(page, site_url: str, query: str, timeout: float = 30.0) -> dict:
    """{'path': final path, 'opened': bool, 'results': [result paths in order], 'status', 'notice',
    'names': [paths the name-part list links to, in order], 'names_text'}."""
    page.goto(site_url + "search/?q=" + quote(query))
    deadline = time.monotonic() + timeout
    while True:
        try:
            page.wait_for_function(SETTLED, timeout=timeout * 1000)
            path = urlsplit(page.url).path
            if not path.startswith("/search/"):
                page.wait_for_load_state()
                return {
                    "path": urlsplit(page.url).path,
                    "opened": True,
                    "results": [],
                    "status": "",
                    "notice": "",
                    "names": [],
                    "names_text": "",
                }
            return {
                "path": path,
                "opened": False,
                "results": [
                    urlsplit(h).path
                    for h in page.eval_on_selector_all("#search-results li > a", "as => as.map(a => a.href)")
                ],
                "status": page.inner_text("#search-status"),
                "notice": page.inner_text("#search-notice"),
                "names": [
                    urlsplit(h).path
                    for h in page.eval_on_selector_all("#search-names li > a", "as => as.map(a => a.href)")
                ],
                "names_text": page.eval_on_selector_all(
                    "#search-names", "es => es.map(e => e.innerText).join('')"
                ),
            }
        except Exception:  # the lookup navigated away while we were reading: read the new page
            if time.monotonic() > deadline:
                raise


# Pagefind with every search shard merged (generator/site/search_index.py): what a test asks of the
# index as a whole. Evaluate as ``page.evaluate(ALL_SHARDS + "...body using pf...")``.
ALL_SHARDS = """
    const pf = await import('/pagefind/site/pagefind.js');
    const shards = await (await fetch('/pagefind/shards.json')).json();
    const names = [...shards.first, ...(shards.newest_rest || []), ...Object.values(shards.years).flat()]
        .filter((n) => n !== 'site');
    await pf.init();
    for (const n of names) await pf.mergeIndex(`/pagefind/${n}/`);
"""
