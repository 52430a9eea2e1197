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


def per_unit_by_page(site: Path, year: int = 2026) -> dict[str, dict[str, dict[str, str]]]:
    """unit short name -> page -> {label: value}: the 年度总结 row, the unit page's year row and the
    统计 data tables under the problem-rate and on-time charts, read from the built HTML."""
    summary = next(t for t in tables(site, "summary") if t["h2"] == f"{year} 年" and t["h3"] == "各单位情况")
    head = [c[0] for c in summary["rows"][0]]
    out: dict[str, dict[str, dict[str, str]]] = {}
    for row in summary["rows"][1:]:
        out.setdefault(row[0][0], {})["年度总结"] = {h: c[0] for h, c in zip(head[1:], row[1:], strict=True)}
    stats = {t["h3"]: t for t in tables(site, "stats") if t["h2"] == f"{year} 年"}
    problem = stats["问题发现率"]["rows"]
    on_time = next(t for h, t in stats.items() if h.startswith("检查结果按时录入率"))["rows"]
    for p_row, t_row in zip(problem[1:], on_time[1:], strict=True):
        out[p_row[0][0]]["统计"] = {
            "发现问题（条）": p_row[2][0],
            "检查结果（条）": p_row[3][0],
            "问题发现率": p_row[1][0],
            "按时录入率": t_row[1][0],
        }
    units = next(t for t in tables(site, "units") if t["rows"])
    for row in units["rows"][1:]:
        href = row[1][1]
        page = next(
            (t for t in tables(site, "units/" + href.strip("/").split("/")[-1]) if t["h2"] == "年度数字"),
            None,
        )
        mine = page and next((r for r in page["rows"][1:] if r[0][0] == str(year)), None)
        if not mine:
            continue  # nothing that year: no row (the summary must then show zeros, checked below)
        head = [c[0] for c in page["rows"][0]]
        values = {h: c[0] for h, c in zip(head[1:], mine[1:], strict=True)}
        out.setdefault(_short_name(site, href), {})["单位页"] = values
    return out


def _short_name(site: Path, href: str) -> str:
    html = (site / "units" / href.strip("/").split("/")[-1] / "index.html").read_text(encoding="utf-8")
    return re.search(r"<dt>单位简称</dt><dd>([^<]*)</dd>", html)[1]


def assert_units_agree(site: Path) -> int:
    """Every unit's figures are the same number on 年度总结, its own page and 统计; returns units checked."""
    checked = 0
    for unit, pages in per_unit_by_page(site).items():
        summary = pages["年度总结"]
        on_time = next(v for k, v in summary.items() if k.startswith("按时录入率"))
        if "单位页" in pages:
            page = pages["单位页"]
            for label in ("牵头发起任务", "参与任务", "检查对象（户）", "检查结果（条）", "发现问题（条）"):
                assert page[label] == summary[label], (unit, label)
            assert next(v for k, v in page.items() if k.startswith("按时录入率")) == on_time, unit
        else:  # no page row only when the unit did nothing that year
            assert summary["检查结果（条）"] == summary["牵头发起任务"] == summary["参与任务"] == "0", unit
        if "统计" in pages:
            stats = pages["统计"]
            assert stats["发现问题（条）"] == summary["发现问题（条）"], unit
            assert stats["检查结果（条）"] == summary["检查结果（条）"], unit
            assert stats["按时录入率"] == on_time, unit
            if "单位页" in pages:
                assert stats["问题发现率"] == pages["单位页"]["问题发现率"], unit
        else:
            assert summary["检查结果（条）"] == "0", unit
        checked += 1
    return checked


@pytest.mark.parametrize("which", ["fixture", "holidays"])
def test_unit_figures_agree_on_unit_pages_summary_and_stats(built_site, holiday_site, which):
    site = built_site if which == "fixture" else holiday_site
    assert assert_units_agree(site) == len(UNITS)
    market = per_unit_by_page(site)["市场监管"]
    assert market["单位页"]["检查结果（条）"] == "2" and market["统计"]["问题发现率"] == "50.0%"
