"""The search page shows a page's text exactly as the page shows it (red team, seventh round).

Pagefind keeps a page's text decoded (``&amp;#49;`` in the HTML is ``&#49;`` in its index) and makes
the excerpt "HTML" by escaping only ``<`` and ``>`` and adding ``<mark>``. Read as HTML, the excerpt was
decoded a second time: a finding typed ``负责人138&#48;0138000`` (which every page prints as written,
and which ``validate``, the pages' scan and the index's scan read as ``138 48 0138000``, no number)
showed ``负责人13800138000`` under the search box, and ``&#68;类企业`` showed ``D类企业``. The real
build (MkDocs + Pagefind) of the fixture records with such texts, searched in Chromium.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from generator.private_data import find
from tests.site.conftest import FIXTURE_RECORDS, _Quiet, build_fixture_site

pytestmark = pytest.mark.browser

# Each written into a result's findings (short: Pagefind's excerpt is 30 words, and it counts
# ``&`` ``#`` ``48`` ``;`` as four); the search page must show each exactly as written.
TEXTS = {
    "甲乙丙": "负责人138&#48;0138000 甲乙丙",
    "丁戊己": "该户为&#68;类企业 a&amp;b 丁戊己",
    "庚辛壬": "&lt;b&gt;粗 &#x31; 庚辛壬",
    "癸子丑": "<mark>假</mark> 5 < 6 & 7 癸子丑",
}
# (file, findings written there now) -> the query whose text replaces them
PLACES = {
    ("market", "食品留样记录不完整，已当场责令改正。"): "甲乙丙",
    ("market", "未发现问题"): "丁戊己",
    ("health", "未发现问题"): "庚辛壬",
    ("health", "晨检记录未按规定公示。"): "癸子丑",
}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("excerpt")
    records = tmp / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    for (unit, old), query in PLACES.items():
        path = records / "units" / unit / "results" / "T2026-market-01.yaml"
        text = path.read_text(encoding="utf-8")
        assert f"findings: {old}\n" in text
        path.write_text(text.replace(f"findings: {old}\n", f'findings: "{TEXTS[query]}"\n', 1), "utf-8")
    site = build_fixture_site(tmp / "site", records)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", site
    server.shutdown()


def _excerpts(page, url: str, query: str) -> list[str]:
    page.goto(f"{url}search/?q={query}")
    page.wait_for_function("() => document.body.dataset.searchState === 'done'")
    return page.eval_on_selector_all("#search-results li p", "ps => ps.map(p => p.textContent)")


@pytest.mark.parametrize("query", sorted(TEXTS))
def test_an_excerpt_shows_the_record_text_as_the_pages_do(page, site_url, query):
    url, site = site_url
    shown = _excerpts(page, url, query)
    assert shown, query
    written = TEXTS[query]
    pages = [p.read_text(encoding="utf-8") for p in Path(site, "objects").rglob("index.html")]
    assert any(_escaped(written) in p for p in pages)  # the pages print it as written
    for excerpt in shown:
        assert written in excerpt, (written, excerpt)
        assert find(excerpt) == [], excerpt  # no number the pages and the scans did not show
        assert "D类" not in excerpt and "<b>" not in page.inner_html("#search-results")
    assert page.locator("#search-results mark").count() > 0  # the hit is still marked


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
