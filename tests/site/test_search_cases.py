"""The relevance regression set (tests/site/search_cases.yaml) through the real search page in
Chromium, against a real MkDocs build + Pagefind index of the bundled sample (records/)."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

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
    for needed in ("全称", "简称", "统一社会信用代码", "单位名称", "乡镇", "无意义"):
        assert needed in whys
    queries = {c["query"] for c in CASES}
    assert {"特种设备", "学校食堂", "发现问题"} <= queries
