"""What a draw page shows, in real headless Chromium (issue 14 point 3): pool size, exclusions by
reason, drawn and reserve lists, teams, timeline and sources asserted against the bundle the page
publishes; refused and failed draws with their reason; axe on every kind of draw page. The site is
tests/site/draw_site.py's (conftest fixture ``draw_site``)."""

from __future__ import annotations

import re

import pytest

from tests.site.draw_site import CEREMONY, FAILED, FAILURE, REFUSED, V1, V2, load_bundle, serving

pytestmark = pytest.mark.browser


def test_page_shows_pool_exclusions_lists_timeline_and_sources(page, draw_site):
    bundle = load_bundle(draw_site, V2)
    strata = bundle["public_pools"]["objects"]["strata"]
    eligible = sum(len(s["refs"]) for s in strata)
    excluded = [e for s in strata for e in s["excluded"]]
    assert len(excluded) == 2  # the two closed canteens draw_site adds
    with serving(draw_site) as url:
        page.goto(url + f"draws/{V2}/")
        figure = lambda key: int(re.match(r"\d+", page.inner_text(f'[data-pool-count="{key}"]'))[0])  # noqa: E731
        assert figure("candidates") == eligible + len(excluded)
        assert figure("eligible") == eligible
        assert figure("drawn") == len(bundle["result"]["objects"])
        assert figure("reserve") == len(bundle["result"]["strata"]["sealed"]["reserve"])
        assert page.inner_text('[data-exclusion-reason="DEREGISTERED"]') == "2 户"
        assert "已注销、吊销或迁出" in page.inner_text("table.draw-pool")
        reserves = page.locator('[data-draw-list="reserve"] [data-ref]').all()
        assert [r.get_attribute("data-ref") for r in reserves] == [
            e["ref"] for e in bundle["result"]["strata"]["sealed"]["reserve"]
        ]
        drawn = page.locator('[data-draw-list="drawn"] [data-object-id]').all()
        assert [d.get_attribute("data-object-id") for d in drawn] == [
            o["id"] for o in bundle["result"]["objects"]
        ]
        steps = page.locator("[data-draw-timeline] li").all_inner_texts()
        assert [s.split("（")[0] for s in steps] == [
            "申请",
            "受理",
            "随机源登记",
            "随机数产生",
            "抽取",
            "公示",
        ]
        round_ = bundle["request"]["sources"][-1]["round"]
        recorded = bundle["acceptance"]["recorded_round"]
        assert f"固定使用第 {round_} 轮" in steps[1] and f"最新为第 {recorded} 轮" in steps[1]
        assert "2026-06-01 17:00:00（北京时间）" in steps[1]  # acceptance 09:00Z in Beijing time
        sources = page.inner_text(".draw-sources")
        assert "演示随机信标" in sources and "不是真实的 drand" in sources and CEREMONY in sources
        assert page.locator(".draw-sources a").count() == 0  # no drand link for a demo chain
        # the seed is for experts only: folded
        assert not page.is_visible("details dd code")
        assert f"第 {bundle['registry']['index']} 条" in page.inner_text("[data-registry-index]")
        checks = page.inner_text("[data-draw-checks]")
        assert "本页列出的抽中对象" in checks and "drand 第" not in checks
        team = page.locator('[data-draw-list="teams"] tr[data-team-object]').first
        assert team.get_attribute("data-team-members").split() == bundle["result"]["teams"][0]["members"]


def test_quicknet_draw_links_to_its_round(page, draw_site):
    with serving(draw_site) as url:
        page.goto(url + f"draws/{V1}/")
        link = page.get_attribute(".draw-sources a", "href")
        assert (
            link
            == "https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/1000"
        )
        assert "drand 第 1000 轮" in page.inner_text("[data-draw-checks]")


def test_refused_draw_shows_its_reason_and_no_button(page, draw_site):
    with serving(draw_site) as url:
        page.goto(url + f"draws/{REFUSED}/")
        failure = page.inner_text("[data-draw-failure]")
        assert "不予受理" in failure and "不在未来" in failure
        assert page.locator("#verify-button").count() == 0
        steps = page.locator("[data-draw-timeline] li").all_inner_texts()
        assert [s.split("（")[0] for s in steps] == ["申请", "不予受理"]
        assert page.js_errors == []


def test_failed_draw_shows_its_reason_and_no_lists(page, draw_site):
    with serving(draw_site) as url:
        page.goto(url + f"draws/{FAILED}/")
        assert FAILURE in page.inner_text("[data-draw-failure]") and "抽取失败" in page.inner_text(
            "[data-draw-failure]"
        )
        assert page.locator("#verify-button").count() == 0
        assert page.locator('[data-draw-list="drawn"]').count() == 0
        steps = page.locator("[data-draw-timeline] li").all_inner_texts()
        assert [s.split("（")[0] for s in steps] == ["申请", "受理", "随机数产生", "抽取失败"]
        assert page.js_errors == []


@pytest.mark.parametrize("draw_id", [V2, V1, REFUSED, FAILED])
def test_draw_pages_are_accessible(page, draw_site, draw_id):
    from axe_playwright_python.sync_playwright import Axe

    with serving(draw_site) as url:
        page.goto(url + f"draws/{draw_id}/")
        page.wait_for_load_state("load")  # (no request after load; networkidle timed out on a loaded host)
        results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
