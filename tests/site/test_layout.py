"""Every page kind in real Chromium at desktop (1366 px) and phone (390 px) width.

For each kind: a full-page screenshot per width into ``$SCREENSHOT_DIR`` (default build/screenshots,
git-ignored) for people to look at; the phone page no taller than 3× the desktop page (tables used to
squeeze to one character per line: the items page was 4.6× at 390 px); the page never wider than the
phone; dates and codes on one line; and axe with no violation of any impact at either width.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.site.placeholders import scan_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (1366, 390)
MAX_RATIO = 3.0

# page kind -> path in the fixture site (each kind once; the fixture has at least one of each)
PAGE_KINDS = {
    "home": "",
    "units": "units/",
    "unit": "units/market/",
    "items": "items/",
    "plans": "plans/",
    "tasks": "tasks/",
    "task": "tasks/T2026-market-01/",
    "check-sheet": "tasks/T2026-market-01-sheet/",
    "draw": "draws/D2026-0001/",
    "objects": "objects/",
    "township": "objects/t02/",
    "object": "objects/91321323MA1YB3R18F/",
    "stats": "stats/",
    "compliance": "compliance/",
    "summary": "summary/",
    "data": "data/",
    "verify": "verify/",
    "about": "about/",
    "objection": "objection/",
    "search": "search/?q=学校",
    "404": "404.html",
}


def screenshot_dir() -> Path:
    out = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "build" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out


def open_at(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # any failed request (a favicon the browser asks for by itself, a missing asset) is an error
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    page.goto(url)
    page.wait_for_load_state("load")
    if "search/" in url:
        # measure the settled page: search.js marks the end of a search (results listed or "没有找到")
        page.wait_for_selector("body[data-search-state=done]")
    return context, page, errors


def axe_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found]


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_page_kind_at_desktop_and_phone(browser, site_url, kind):
    shots = screenshot_dir()
    heights = {}
    for width in WIDTHS:
        context, page, errors = open_at(browser, site_url + PAGE_KINDS[kind], width)
        try:
            page.screenshot(path=str(shots / f"{kind}-{width}.png"), full_page=True)
            heights[width] = page.evaluate("document.documentElement.scrollHeight")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (
                f"{kind} wider than {width}"
            )
            broken = page.evaluate(
                """() => Array.from(document.querySelectorAll('main .nowrap, main td.code'))
                    .filter((el) => el.offsetParent !== null && el.getClientRects().length > 1)
                    .map((el) => el.textContent)"""
            )
            assert broken == [], f"{kind} at {width}: dates/codes broken across lines: {broken[:5]}"
            assert axe_violations(page) == [], f"{kind} at {width}"
            # what the page's scripts wrote is text too (search results, verify messages, counts)
            assert scan_html(page.content()) == [], kind
            if kind == "404":  # its script probes each level of the address for the site root
                errors = [e for e in errors if not e.endswith("/assets/site.js")]
            assert errors == []
        finally:
            context.close()
        assert (shots / f"{kind}-{width}.png").stat().st_size > 1000
    assert heights[390] <= MAX_RATIO * heights[1366], (kind, heights)


def test_nowrap_spans_hold_at_phone_width(browser, site_url):
    """The assertion above would pass on a page without dates: the fixture's task page has them."""
    context, page, _ = open_at(browser, site_url + "tasks/T2026-market-01/", 390)
    try:
        spans = page.locator("main .nowrap")
        assert spans.count() >= 3
        assert (
            page.evaluate("getComputedStyle(document.querySelector('main .nowrap')).whiteSpace") == "nowrap"
        )
    finally:
        context.close()


def test_wide_table_scrolls_inside_its_box_with_the_first_column_in_view(browser, site_url):
    context, page, _ = open_at(browser, site_url + "plans/", 390)
    try:
        box = page.locator(".table-scroll").first
        assert box.evaluate("(b) => b.scrollWidth > b.clientWidth")
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
        first = box.locator("tbody tr > :first-child").first
        left = first.bounding_box()["x"]
        box.evaluate("(b) => { b.scrollLeft = 200; }")
        assert abs(first.bounding_box()["x"] - left) < 1  # sticky: still where it was
    finally:
        context.close()
