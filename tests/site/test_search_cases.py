"""The relevance regression set (tests/site/search_cases.yaml) through the real search page in
Chromium, against a real MkDocs build + Pagefind index of the bundled sample (records/)."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from tests.site.search_ui import run_query

pytestmark = [pytest.mark.browser, pytest.mark.heavy]

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_EPOCH = "1798675200"  # 2027-01-01: the sample's records are all in the past (scripts/test.sh)
CASES = yaml.safe_load((Path(__file__).parent / "search_cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory):
    from generator.site.builder import build_site
    from tests.site.conftest import _Quiet

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SAMPLE_EPOCH)
        site = build_site(ROOT / "records", tmp_path_factory.mktemp("sample") / "site")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", site
    server.shutdown()


def _text(site: Path, path: str) -> str:
    html = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", "", main)


@pytest.mark.parametrize("case", CASES, ids=[c["query"].strip() for c in CASES])
def test_search_case(page, sample_url, case):
    url, site = sample_url
    got = run_query(page, url, case["query"])
    if "opens" in case:
        assert got["path"] == case["opens"], got
    elif "top" in case:
        assert got["results"][: len(case["top"])] == case["top"], got
    elif "first_affirms" in case:
        phrase = case["first_affirms"]
        text = _text(site, got["results"][0])
        assert re.search(f"(?<![未无不没]){phrase}", text), (got["results"][0], got)
    elif "names" in case:
        assert got["names"] == case["names"], got
        assert f"（{len(case['names'])} 个）" in got["names_text"], got
    elif "says" in case:
        assert case["says"] in got["status"] + got["notice"] and got["results"] == [], got
    else:
        assert case["none"] is True
        assert got["results"] == [] and "没有找到" in got["status"] and got["notice"], got
    assert page.js_errors == []


def test_a_missing_code_links_to_the_national_system(page, sample_url):
    url, _ = sample_url
    run_query(page, url, "91321323022181594G")
    assert page.get_attribute("#search-notice a", "href") == "https://www.gsxt.gov.cn"


def test_cases_cover_what_the_issue_asks(page):
    whys = " ".join(c["why"] for c in CASES)
    for needed in ("全称", "简称", "名称的一部分", "统一社会信用代码", "单位名称", "乡镇", "无意义"):
        assert needed in whys
    queries = {c["query"] for c in CASES}
    assert {"特种设备", "学校食堂", "发现问题"} <= queries


def _name_files(site: Path) -> tuple[dict[str, bytes], int]:
    from generator.site import name_index

    folder = site / name_index.FOLDER
    files = {f"{name_index.FOLDER}/{p.name}": p.read_bytes() for p in folder.glob("*.json")}
    digits = int(
        re.search(r'data-name-digits="(\d)"', (site / "search" / "index.html").read_text("utf-8"))[1]
    )
    return files, digits


def test_the_page_lists_what_the_name_index_answers(page, sample_url):
    """search.js reads the name files as name_index.matches does (which test_name_index.py holds to
    a plain substring search): same objects, same order, same count, for parts of many names typed
    as people type them (lower case, full width, spaces), a piece too common to list and none."""
    from generator.site import name_index

    url, site = sample_url
    files, digits = _name_files(site)
    names = sorted(
        {n for body in files.values() for v in json.loads(body).values() if isinstance(v, list) for n, _ in v}
    )
    queries = [n[3 : 3 + k] for n, k in zip(names[::53], [2, 3, 4, 5] * 5, strict=False)]
    queries += ["ktv", "ＫＴＶ有限", "县 青泽", "有限公司", "泗", "吃饭睡觉打豆豆"]
    for query in queries:
        want = name_index.matches(files, digits, query)
        got = run_query(page, url, query)
        if got["opened"]:  # the exact lookup took a full name first: not this index's query
            continue
        if not want:
            assert got["names"] == [] and got["names_text"] == "", (query, got)
            continue
        assert got["names"] == ["/" + u for _, u in want[:20]], (query, got)
        assert f"（{len(want)} 个）" in got["names_text"], (query, got)
        assert ("只列出前 20 个" in got["names_text"]) == (len(want) > 20), (query, got)
    assert page.js_errors == []


def test_a_filter_asks_about_pages_not_names(page, sample_url):
    url, _ = sample_url
    page.goto(url + "search/?q=" + quote("泽旅") + "&" + quote("年度") + "=2026")
    page.wait_for_function("() => document.body.dataset.searchState === 'done'")
    assert page.is_hidden("#search-names")
    assert "没有找到" in page.inner_text("#search-status")
