"""The draw page's model (generator/site/draw_story.py via draws.load_draws), without a browser: every
figure is the bundle's, the timeline follows request → acceptance → entropy → beacon → draw, the
sources are named in plain words, and drand is named only for a draw that used it."""

from __future__ import annotations

import pytest

from generator.corpus import load
from generator.site import draws
from tests.site.draw_site import CEREMONY, FAILURE, draw_records

PLAIN_WORDS = ("None", "null", "nan", "{'", "[]")


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    return draw_records(tmp_path_factory.mktemp("story"))


@pytest.fixture(scope="module")
def loaded(records):
    return draws.load_draws(load(records))


def test_a_v2_request_on_the_declared_demo_chain_validates(records):
    """The policy rule reads a v2 source by v2 rules (full chain key): before, every v2 demo-chain
    request failed with DRAW_POLICY 'drand 链 … 不受支持' and no site could be built."""
    from generator.validation import validate_corpus

    keys = [f.key for f in validate_corpus(load(records, display_prefix="")) if f.severity == "error"]
    assert keys == []


def _text(value) -> str:
    if isinstance(value, dict):
        return " ".join(_text(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return str(value)


def test_pool_figures_are_the_bundles(loaded):
    d = loaded["D2026-0003"]
    page, bundle = d["page"], d["bundle"]
    refs = bundle["public_pools"]["objects"]["strata"][0]["refs"]
    excluded = bundle["public_pools"]["objects"]["strata"][0]["excluded"]
    assert page["pool"]["eligible"] == len(refs) == 4
    assert page["pool"]["excluded"] == [{"reason": "DEREGISTERED", "label": "已注销、吊销或迁出", "count": 2}]
    assert len(excluded) == 2 and page["pool"]["candidates"] == 6
    assert page["pool"]["sealed"] is True and page["pool"]["strata"] == 1
    assert page["reserves"] == [e["ref"] for e in bundle["result"]["strata"]["sealed"]["reserve"]]
    assert [o["id"] for o in page["drawn"]] == [o["id"] for o in bundle["result"]["objects"]]
    roster = {p["id"]: p["name"] for p in bundle["public_pools"]["inspectors"]}
    for team, published in zip(page["teams"], bundle["result"]["teams"], strict=True):
        assert [p["id"] for p in team["people"]] == published["members"]
        assert [p["name"] for p in team["people"]] == [roster[m] for m in published["members"]]
        assert [p["leader"] for p in team["people"]] == [
            m == published["leader"] for m in published["members"]
        ]


def test_timeline_and_sources_of_a_v2_demo_draw(loaded):
    page, bundle = loaded["D2026-0003"]["page"], loaded["D2026-0003"]["bundle"]
    assert [s["step"] for s in page["timeline"]] == [
        "申请",
        "受理",
        "随机源登记",
        "随机数产生",
        "抽取",
        "公示",
    ]
    accepted = page["timeline"][1]["text"]
    round_ = bundle["request"]["sources"][-1]["round"]
    assert f"演示信标最新为第 {bundle['acceptance']['recorded_round']} 轮" in accepted
    assert f"固定使用第 {round_} 轮" in accepted and "drand" not in accepted
    kinds = [s["kind"] for s in page["sources"]]
    assert kinds == ["ceremony", "reveal", "demo"]
    assert page["sources"][0]["value"] == CEREMONY and page["sources"][2]["link"] is None
    assert "不是真实的 drand" in page["sources"][2]["text"]
    assert page["registry"]["index"] == bundle["registry"]["index"]
    assert not any("drand 第" in c for c in page["checks"])
    shown = [[s["title"], s["text"], s["value"]] for s in page["sources"]]  # what the template prints
    for word in PLAIN_WORDS:
        assert word not in _text(page["timeline"]) + _text(shown) + _text(page["checks"]), word


def test_v1_quicknet_draw_links_to_drand_and_has_no_acceptance(loaded):
    page = loaded["D2026-0001"]["page"]
    (drand,) = page["sources"]
    assert drand["kind"] == "drand" and drand["link"].endswith("/public/1000")
    assert "没有单独的受理记录" in page["timeline"][1]["text"]
    assert page["registry"] is None
    assert any("drand 第 1000 轮" in c for c in page["checks"])


def test_refused_and_failed_draws_carry_their_reason(loaded):
    refused, failed = loaded["D2026-0002"]["page"], loaded["D2026-0004"]["page"]
    assert refused["status"] == "不予受理" and "不在未来" in refused["failure"]["reason"]
    assert [s["step"] for s in refused["timeline"]] == ["申请", "不予受理"]
    assert failed["status"] == "抽取失败" and failed["failure"]["reason"] == FAILURE
    assert failed["timeline"][-1] == {"step": "抽取失败", "when": "2026-06-03", "text": FAILURE}
    assert loaded["D2026-0002"]["bundle"] is None and loaded["D2026-0004"]["bundle"] is None
