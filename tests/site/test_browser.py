"""Real headless Chromium against the built fixture site: search, filters, draw verification, axe."""

from __future__ import annotations

import json
import re

import pytest

from tests.site.search_ui import ALL_SHARDS

pytestmark = pytest.mark.browser

# Real Chinese queries against the built Pagefind index -> a page that must be among the results.
SEARCH_REGRESSION = [
    ("学校食堂", "/tasks/T2026-market-01/"),
    ("爱园中学", "/objects/91321323MA1YB3R18F/"),
    ("食品留样", "/tasks/T2026-market-01/"),
    ("卫生健康委员会", "/units/health/"),
    ("企业公示信息检查", "/items/"),
    ("91321323MA20C4T28X", "/objects/91321323MA20C4T28X/"),
]


def pagefind_search(page, site_url, query, filters=None):
    page.goto(site_url + "search/")
    page.wait_for_function("() => document.body.dataset.searchReady === '1'")
    return page.evaluate(
        "async ([q, f]) => {"
        + ALL_SHARDS
        + """
            const r = await pf.search(q, {filters: f || {}});
            return Promise.all(r.results.map(x => x.data().then(d => d.url)));
        }""",
        [query, filters],
    )


@pytest.mark.parametrize("query,url", SEARCH_REGRESSION)
def test_chinese_search_regression(page, site_url, query, url):
    urls = pagefind_search(page, site_url, query)
    assert url in urls, (query, urls)


def test_search_ui_finds_and_opens_the_right_page(page, site_url):
    page.goto(site_url + "search/?q=" + "王集初级中学")
    page.wait_for_selector("#search-results li a")
    page.click("#search-results li a >> nth=0")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "泗阳县王集初级中学食堂"
    assert page.js_errors == []


def test_search_filter_by_result_category(page, site_url):
    page.goto(site_url + "search/")
    page.wait_for_function("() => document.body.dataset.searchReady === '1'")
    page.select_option('select[data-filter="检查结果"]', "未按规定公示应当公示的信息")
    page.wait_for_selector("#search-results li a")
    titles = page.locator("#search-results li a").all_inner_texts()
    assert "泗阳县王集初级中学食堂" in titles
    assert "泗阳县爱园中学食堂" not in titles  # its results fall in other categories
    assert "检查结果=" in page.url or "%E6%A3%80" in page.url


def test_filter_options_match_the_index(page, site_url):
    """The options are rendered at build time; their counts must be Pagefind's own."""
    page.goto(site_url + "search/")
    page.wait_for_function("() => document.body.dataset.searchReady === '1'")
    index = page.evaluate("async () => {" + ALL_SHARDS + "return await pf.filters(); }")
    shown = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('select[data-filter]')).map((s) => [
            s.dataset.filter,
            Object.fromEntries(Array.from(s.options).filter((o) => o.value).map(
                (o) => [o.value, Number(o.textContent.match(/（(\\d+)）$/)[1])])),
        ]))"""
    )
    assert set(shown) == {"单位", "年度", "检查结果", "事项类别"} and all(shown.values())
    for key, options in shown.items():
        assert options == index.get(key), key


def test_results_load_in_batches(page, site_url):
    page.goto(site_url + "search/?q=检查")  # more than two batches in the fixture
    page.wait_for_selector("#search-results li a")
    assert page.locator("#search-results li").count() == 8
    assert "已显示 8 个" in page.inner_text("#search-status")
    assert page.is_visible("#search-more")
    page.click("#search-more")
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length === 16")
    assert page.evaluate(
        "document.activeElement.closest('li') === document.querySelectorAll('#search-results li')[8]"
    )
    page.click("#search-more")
    page.wait_for_function("() => document.getElementById('search-more').hidden")
    total = int(re.search(r"找到 (\d+) 个结果", page.inner_text("#search-status"))[1])
    assert total > 16 and page.locator("#search-results li").count() == total
    assert page.js_errors == []


def test_items_table_filter(page, site_url):
    page.goto(site_url + "items/")
    rows = page.locator("#items-table tbody tr")
    assert rows.count() == 3
    page.select_option('select[data-filter-col="4"]', "一般")
    visible = [r for r in rows.all() if r.is_visible()]
    assert len(visible) == 1 and "SCJG-02" in visible[0].inner_text()


def test_draw_verifies_in_browser(page, site_url):
    page.goto(site_url + "draws/D2026-0001/")
    page.click("#verify-button")
    page.wait_for_selector("#verify-result[data-state]")
    assert page.get_attribute("#verify-result", "data-state") == "ok"
    assert "✓" in page.inner_text("#verify-result")
    assert page.js_errors == []


def test_tampered_draw_shows_what_differs(page, site_url, built_site):
    bundle = json.loads((built_site / "draws" / "D2026-0001" / "bundle.json").read_text(encoding="utf-8"))
    first = bundle["result"]["teams"][0]
    first["members"] = list(reversed(first["members"]))
    page.route(
        "**/bundle.json",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(bundle, ensure_ascii=False)
        ),
    )
    page.goto(site_url + "draws/D2026-0001/")
    page.click("#verify-button")
    page.wait_for_selector("#verify-result[data-state]")
    assert page.get_attribute("#verify-result", "data-state") == "bad"
    text = page.inner_text("#verify-result")
    assert "✗ 核验未通过：检查组不对" in text and "第 1 组" in text
    # the protocol's field path stays available to experts, folded
    assert "teams[0].members" in page.text_content("#verify-result details")


def test_tampered_entropy_is_caught(page, site_url, built_site):
    bundle = json.loads((built_site / "draws" / "D2026-0001" / "bundle.json").read_text(encoding="utf-8"))
    bundle["entropy"]["drand"]["randomness"] = "0" * 64
    page.route(
        "**/bundle.json",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(bundle, ensure_ascii=False)
        ),
    )
    page.goto(site_url + "draws/D2026-0001/")
    page.click("#verify-button")
    page.wait_for_selector("#verify-result[data-state='bad']")
    assert "drand 第 1000 轮的随机数与它的签名对不上" in page.inner_text("#verify-result")
    assert page.get_attribute("#verify-result", "data-kinds").split()[0] == "signature"


def test_404_page_links_find_the_site_root(page, site_url, built_site):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert 'href="https://ssj.siyang.example/"' in html  # county.yaml site.base_url, before the script runs
    page.goto(site_url + "404.html")
    page.wait_for_function("() => document.querySelector('a[data-root]').getAttribute('href') === '/'")
    assert page.get_attribute('a[data-root="search/"]', "href") == "/search/"
    assert page.js_errors == []


def test_reading_aids_persist(page, site_url):
    page.goto(site_url)
    page.click('[data-action="font-up"]')
    page.click('[data-action="contrast"]')
    page.goto(site_url + "stats/")
    classes = page.evaluate("document.documentElement.className")
    assert "font-1" in classes and "high-contrast" in classes
    assert page.get_attribute('[data-action="contrast"]', "aria-pressed") == "true"


PAGE_TYPES = [
    "",
    "units/",
    "units/market/",
    "items/",
    "plans/",
    "tasks/",
    "tasks/T2026-market-01/",
    "tasks/T2026-market-01-sheet/",
    "objects/",
    "objects/t01/",
    "objects/91321323MA1YB3R18F/",
    "stats/",
    "compliance/",
    "summary/",
    "data/",
    "verify/",
    "404.html",
    "search/?q=学校",
    "draws/D2026-0001/",
]


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_serious_accessibility_violations(page, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def test_high_contrast_mode_is_accessible(page, site_url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + "tasks/T2026-market-01/")
    page.click('[data-action="contrast"]')
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
