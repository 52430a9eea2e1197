"""Every figure is defined once: read back from the built HTML, the same figure is the same number on
首页, 统计, 合规 and 年度总结 — for the fixture and for the fixture with a recorded holiday schedule
(holidays/2026.yaml), where a schedule the package does not know turns the late entry into an on-time one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.reports.test_figures import with_holidays
from tests.site.conftest import build_fixture_site

UNITS = {"market": "市场监管", "health": "卫生健康"}  # id -> short name in the fixture
PAGES = ("统计", "年度总结", "合规")


class Tables(HTMLParser):
    """Each table with the heading (h2/h3) and caption before it; cells as (text, first href)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.headings = {"h2": "", "h3": ""}
        self._in = None  # "h2" | "h3" | "caption" | "cell"
        self._text = ""
        self._href = None
        self._row: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3", "caption", "td", "th"):
            self._in, self._text, self._href = ("cell" if tag in ("td", "th") else tag), "", None
        elif tag == "table":
            self.tables.append({**self.headings, "caption": "", "rows": []})
        elif tag == "tr":
            self._row = []
        elif tag == "a" and self._in == "cell" and self._href is None:
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag in ("h2", "h3"):
            self.headings[tag] = self._text.strip()
            if tag == "h2":
                self.headings["h3"] = ""
        elif tag == "caption" and self.tables:
            self.tables[-1]["caption"] = self._text.strip()
        elif tag in ("td", "th") and self._row is not None:
            self._row.append((self._text.strip(), self._href))
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1]["rows"].append(self._row)
            self._row = None
        if tag in ("h2", "h3", "caption", "td", "th"):
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._text += data


def tables(site: Path, page: str) -> list[dict]:
    parser = Tables()
    parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
    return parser.tables


def on_time_by_page(site: Path) -> dict[str, dict[str, str]]:
    stats = next(
        t for t in tables(site, "stats") if t["h2"] == "2026 年" and t["h3"].startswith("检查结果按时录入率")
    )
    summary = next(t for t in tables(site, "summary") if t["h2"] == "2026 年" and t["h3"] == "各单位情况")
    check = next(
        t for t in tables(site, "compliance") if t["h2"] == "2026 年" and t["caption"] == "各单位按时录入率"
    )
    by_href = {f"../units/{u}/": name for u, name in UNITS.items()}
    return {
        "统计": {row[0][0]: row[1][0] for row in stats["rows"][1:]},
        "年度总结": {row[0][0]: row[-1][0] for row in summary["rows"][1:]},
        "合规": {by_href[row[0][1]]: row[-1][0] for row in check["rows"][1:]},
    }


def home_and_summary_totals(site: Path) -> tuple[dict, dict]:
    home = (site / "index.html").read_text(encoding="utf-8")
    figures = dict(
        (label, int(n)) for n, label in re.findall(r'<span class="num">(\d+)</span>([^<]+)</li>', home)
    )
    summary = (site / "summary" / "index.html").read_text(encoding="utf-8")
    m = re.search(
        r"全年共开展抽查任务 (\d+) 个，其中部门联合抽查 (\d+) 个；检查对象 (\d+) 户（(\d+) 户次），"
        r"录入检查结果 (\d+) 条，其中发现问题 (\d+) 条；检查结果按时录入率 ([\d.]+%)",
        summary,
    )
    assert m, "the summary's opening sentence changed shape"
    keys = ("tasks", "joint", "objects", "inspections", "results", "problems", "on_time")
    return figures, dict(zip(keys, m.groups(), strict=True))


@pytest.fixture(scope="module")
def holiday_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("holidays")
    return build_fixture_site(tmp / "site", with_holidays(tmp))


def test_on_time_is_the_same_on_every_page(built_site, holiday_site):
    assert on_time_by_page(built_site) == {
        page: {"市场监管": "50.0%", "卫生健康": "100.0%"} for page in PAGES
    }
    # the recorded schedule counts on 统计 too (it used the package's calendar and showed 50.0%)
    assert on_time_by_page(holiday_site) == {
        page: {"市场监管": "100.0%", "卫生健康": "100.0%"} for page in PAGES
    }


@pytest.mark.parametrize("which", ["fixture", "holidays"])
def test_home_and_summary_totals_agree(built_site, holiday_site, which):
    site = built_site if which == "fixture" else holiday_site
    home, summary = home_and_summary_totals(site)
    assert home["抽查任务"] == int(summary["tasks"]) == 1
    assert home["部门联合抽查"] == int(summary["joint"]) == 1
    assert home["已检查对象（户）"] == int(summary["objects"]) == 2
    assert home["公示检查结果（条）"] == int(summary["results"]) == 4
    rate = re.search(
        r'<span class="num">([\d.]+%)</span>问题发现率', (site / "index.html").read_text("utf-8")
    )
    assert rate and rate[1] == f"{int(summary['problems']) * 100 / int(summary['results']):.1f}%" == "50.0%"
    stats_total = sum(
        int(row[1][0])
        for t in tables(site, "stats")
        if t["h2"] == "2026 年" and t["h3"] == "部门联合抽查占比"
        for row in t["rows"][1:]
    )
    assert stats_total == home["抽查任务"]
    check = (site / "compliance" / "index.html").read_text(encoding="utf-8")
    joint = re.search(r"本年抽查任务 (\d+) 个，其中部门联合抽查 (\d+) 个", check)
    assert joint and (int(joint[1]), int(joint[2])) == (home["抽查任务"], home["部门联合抽查"])
    entries = re.search(r"共 (\d+) 条，按时 (\d+) 条（([\d.]+%)）", check)
    assert entries and entries[3] == summary["on_time"] and int(entries[1]) <= home["公示检查结果（条）"]
    assert summary["on_time"] == ("75.0%" if which == "fixture" else "100.0%")
