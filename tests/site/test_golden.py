"""Golden pages of the fixture site, plus targeted assertions on what each page must say.

After an intended change: ``python -m tests.site.update_golden`` and review the diff.
"""

from __future__ import annotations

import pytest

from tests.site.golden_pages import GOLDEN, PAGES


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matches_golden(built_site, name):
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    actual = (built_site / PAGES[name]).read_text(encoding="utf-8")
    assert actual == expected, (
        f"{name} 与黄金文件不同；如属预期修改，运行 python -m tests.site.update_golden 并审阅差异"
    )


def read(site, rel):
    return (site / rel).read_text(encoding="utf-8")


def test_home_shows_year_figures_latest_results_and_calendar(built_site):
    html = read(built_site, "index.html")
    assert "2026 年概况" in html
    assert "2026年1月31日" in html and "各成员单位年度抽查计划报县联席办备案截止" in html
    assert "全县部门联合抽查计划发布" in html
    assert "未按规定公示应当公示的信息" in html  # the latest result's category label


def test_unit_page_has_liaison_office_phone_but_no_mobile(built_site):
    html = read(built_site, "units/market/index.html")
    assert "王明" in html and "0527-85201234" in html
    assert "13912345678" not in html


def test_items_page_keeps_history(built_site):
    html = read(built_site, "items/index.html")
    assert "调整记录" in html and "比例上限由 5% 调为 3%" in html
    assert "2026年2月14日" in html


def test_task_page_lists_draw_teams_and_results(built_site):
    html = read(built_site, "tasks/T2026-market-01/index.html")
    for text in (
        "泗阳县卫生健康委员会",
        "SCJG-01",
        "学校食堂",
        "抽取记录 D2026-0001",
        "刘洋（组长）",
        "赵磊",
        "食品留样记录不完整",
        "补录检查方式",
    ):
        assert text in html, text


def test_object_page_shows_every_inspection_by_every_unit(built_site):
    html = read(built_site, "objects/91321323MA1YB3R18F/index.html")
    assert html.count("2026年4月20日") == 2
    assert "泗阳县市场监督管理局" in html and "泗阳县卫生健康委员会" in html


def test_stats_page_has_static_svg_charts(built_site):
    html = read(built_site, "stats/index.html")
    assert html.count("<svg") == 5
    assert "<script" not in html.split("<main", 1)[1]
    assert "部门联合抽查" in html and "王集镇" in html


def test_check_sheet_has_one_sheet_per_drawn_object(built_site):
    html = read(built_site, "tasks/T2026-market-01-sheet/index.html")
    assert html.count('class="sheet"') == 2
    assert "data-pagefind-body" not in html


def test_print_stylesheet_present(built_site):
    css = read(built_site, "assets/site.css")
    assert "@media print" in css and "PingFang SC" in css and "Microsoft YaHei" in css
    assert (
        css.index("Arial")
        < css.index("PingFang SC")
        < css.index("Microsoft YaHei")
        < css.index("sans-serif;")
    )
