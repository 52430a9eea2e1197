"""Red team, seventh round: every published view reads a result as amended.

Corrections are appended (``amendments``), never edited in; the task and object pages, the figures
and the 公示 export show the amended result. The home page's 最新检查结果 and the Atom feed read the
categories as first entered: an entry amended from 未发现问题 to 发现问题已责令改正 still said
未发现问题 on the home page, and the feed counted it as no problem, disagreeing with 统计 and the
task page built from the same record.
"""

from __future__ import annotations

from pathlib import Path

from generator.corpus import load
from generator.site.feed import atom
from generator.site.models_hubs import latest_results
from generator.site.site_data import build_site_data

MARKET = "units/market/results/T2026-market-01.yaml"
FIRST = (
    "  findings: 未发现问题\n"
    "  disposition: 未发现问题或相关问题已规范、已改正，无需后续处置\n"
    "- object: 91321323HN2J1K6FM3\n"
)
AMENDED = (
    "  findings: 未发现问题\n"
    "  disposition: 未发现问题或相关问题已规范、已改正，无需后续处置\n"
    "  amendments:\n"
    "  - date: 2026-05-20\n"
    "    reason: 复核发现问题，已责令改正\n"
    "    changes:\n"
    "      categories: [E]\n"
    "      findings: 检查发现问题，已当场责令改正。\n"
    "      disposition: 违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责\n"
    "- object: 91321323HN2J1K6FM3\n"
)


def _amend(root: Path) -> None:
    path = root / MARKET
    text = path.read_text(encoding="utf-8")
    assert text.count(FIRST) == 1
    path.write_text(text.replace(FIRST, AMENDED), encoding="utf-8")


def test_the_home_pages_latest_results_show_the_amended_categories(full_tree):
    _amend(full_tree)
    site_data = build_site_data(load(full_tree))
    rows = [r for r in latest_results(site_data, limit=100) if r["unit"] == "market"]
    amended = [r for r in rows if r["object"] == "913213233BJ1XG612E"]
    assert [r["categories"] for r in amended] == [["发现问题已责令改正"]]
    assert all(r["categories"] == ["未发现问题"] for r in rows if r not in amended)


def test_the_feed_counts_problems_as_the_figures_do(full_tree):
    _amend(full_tree)
    site_data = build_site_data(load(full_tree))
    feed = atom(site_data)
    market = feed.split("<author><name>县市场监管局</name></author>")[1].split("</entry>")[0]
    entries = site_data.figures.entries_of(2026, "market")
    problems = site_data.figures.problems(2026, "market")
    assert problems == 1
    assert f"检查结果 {len(entries)} 条，其中发现问题 {problems} 条。" in market


def test_the_task_and_object_pages_show_what_an_amendment_changed(full_tree):
    """Pages showed the corrected result and 更正：<reason> only: an entry corrected from
    未发现问题 to 发现问题 (or back) left no trace of what had been published before, so a
    correction could quietly reverse a published result. Each correction now shows old → new."""
    from generator.site.models_records import object_pages, task_pages
    from generator.site.render import make_env, render_page

    _amend(full_tree)
    site_data = build_site_data(load(full_tree))
    env = make_env(site_data)
    task = next(p for p in task_pages(site_data, {"T2026-market-01"}) if p.path == "tasks/T2026-market-01.md")
    obj = next(p for p in object_pages(site_data, {"913213233BJ1XG612E"}))
    for page in (task, obj):
        html = str(render_page(env, page))
        assert "复核发现问题，已责令改正" in html, page.path
        assert "检查结果：未发现问题 → 发现问题已责令改正" in html, page.path
        assert (
            "后续处置：未发现问题或相关问题已规范、已改正，无需后续处置 → "
            "违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责"
        ) in html, page.path
