"""The draw page for citizens and its verify button, in real headless Chromium (issue 14 point 3).

A small site (tests/site/draw_site.py: the fixture records plus a v2 draw on a demonstration chain
with a ceremony, a reveal, exclusions and a registry log, and a refused request) is built once. Each
failure kind is produced by tampering a *copy of the built site* — its bundle.json or its HTML — and
serving that copy: the button must say, in plain Chinese, what is wrong. (What the page shows:
test_draw_page_content.py.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.site.draw_site import CEREMONY, V1, V2, bundle_path, load_bundle, page_path, save_bundle, serving

pytestmark = pytest.mark.browser


def verify(page, url: str, draw_id: str) -> tuple[str, list[str], str]:
    """Click the button; (state, kinds, visible text)."""
    page.goto(url + f"draws/{draw_id}/")
    page.click("#verify-button")
    page.wait_for_selector("#verify-result[data-state]", timeout=60_000)
    box = page.locator("#verify-result")
    kinds = (box.get_attribute("data-kinds") or "").split()
    return box.get_attribute("data-state"), kinds, box.inner_text()


@pytest.fixture
def copy_of(draw_site, tmp_path):
    def make() -> Path:
        dst = tmp_path / "copy"
        shutil.copytree(draw_site, dst)
        return dst

    return make


def tampered(page, copy_of, draw_id: str, change) -> tuple[str, list[str], str]:
    site = copy_of()
    change(site)
    with serving(site) as url:
        out = verify(page, url, draw_id)
    assert page.js_errors == []
    return out


JARGON = ("Unexpected token", "可重现的抽取", "中签号", "undefined", "null", "[object")


def assert_plain(text: str) -> None:
    for word in JARGON:
        assert word not in text, (word, text)


# -- a good draw passes ------------------------------------------------------------------------


@pytest.mark.parametrize("draw_id", [V2, V1])
def test_good_draws_pass_and_say_what_was_checked(page, draw_site, draw_id):
    with serving(draw_site) as url:
        state, kinds, text = verify(page, url, draw_id)
    assert (state, kinds) == ("ok", []), text
    assert "✓ 核验通过" in text and "票号" in text
    if draw_id == V2:  # a demonstration chain is called one; drand is not claimed
        assert "演示信标" in text and "不是真实的 drand" in text and "受理记录" in text
    else:
        assert "drand 第 1000 轮随机数的签名" in text
    assert page.js_errors == []


# -- each failure kind, from a tampered copy of the built site ----------------------------------


def test_changed_ceremony_digit_names_the_source(page, copy_of):
    def change(site):
        b = load_bundle(site, V2)
        b["entropy"]["ceremony"]["meeting"] = "31415927"
        save_bundle(site, V2, b)

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and kinds[0] == "seed", (kinds, text)
    assert "随机种子对不上" in text and "现场摇号数字（meeting）" in text
    assert "31415927" in text and CEREMONY in text
    assert "drand" not in text.replace("不是真实的 drand", "")  # this draw used no drand
    assert_plain(text)


def test_changed_digit_on_the_v1_draw_without_ceremony_is_a_signature_problem(page, copy_of):
    def change(site):
        b = load_bundle(site, V1)
        sig = b["entropy"]["drand"]["signature"]
        b["entropy"]["drand"]["signature"] = sig[:-1] + ("0" if sig[-1] != "0" else "1")
        save_bundle(site, V1, b)

    state, kinds, text = tampered(page, copy_of, V1, change)
    assert state == "bad" and kinds[0] == "signature", (kinds, text)
    assert "随机信标的签名无效" in text and "drand 第 1000 轮" in text
    assert_plain(text)


def test_forged_beacon_signature_is_reported_as_such(page, copy_of):
    from generator.demo_chain import demo_beacon

    def change(site):
        b = load_bundle(site, V2)
        b["entropy"]["drand"] = demo_beacon("another-chain", b["entropy"]["drand"]["round"])
        b["result"]["seed"] = b["result"]["seed"]  # the seed is left as published
        save_bundle(site, V2, b)

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and kinds[0] == "signature", (kinds, text)
    assert "演示信标“demo-siyang”第" in text and "签名无效" in text
    assert "drand 网络" not in text  # a demo chain is never called drand
    assert_plain(text)


def test_swapped_order_is_wrong_order(page, copy_of):
    def change(site):
        b = load_bundle(site, V2)
        drawn = b["result"]["strata"]["sealed"]["drawn"]
        drawn[0], drawn[1] = drawn[1], drawn[0]
        save_bundle(site, V2, b)

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and "order" in kinds, (kinds, text)
    assert "抽中顺序不对" in text and "按票号第 1 位应为" in text
    assert_plain(text)


def test_swapped_assignment_order_of_objects_is_wrong_order(page, copy_of):
    def change(site):
        b = load_bundle(site, V1)
        objs = b["result"]["objects"]
        objs[0], objs[1] = objs[1], objs[0]
        save_bundle(site, V1, b)

    state, kinds, text = tampered(page, copy_of, V1, change)
    assert state == "bad" and kinds[0] == "order", (kinds, text)
    assert "顺序不对" in text
    assert_plain(text)


def test_object_not_in_the_pool(page, copy_of):
    def change(site):
        b = load_bundle(site, V2)
        b["result"]["strata"]["sealed"]["drawn"][0]["ref"] = "f" * 64
        save_bundle(site, V2, b)

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and kinds[0] == "pool", (kinds, text)
    assert "不在抽取前登记的候选名单中" in text and "ffffffffffff…" in text
    assert_plain(text)


def test_object_removed_from_the_pool(page, copy_of):
    def change(site):
        b = load_bundle(site, V2)
        drawn = b["result"]["strata"]["sealed"]["drawn"][0]["ref"]
        b["public_pools"]["objects"]["strata"][0]["refs"].remove(drawn)
        save_bundle(site, V2, b)

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and kinds[0] == "pool", (kinds, text)
    assert "不在抽取前登记的候选名单中" in text and "候选对象名单与抽取前登记的指纹不一致" in text
    assert_plain(text)


def test_object_removed_from_the_result(page, copy_of):
    def change(site):
        b = load_bundle(site, V1)
        gone = b["result"]["objects"].pop(0)
        b["result"]["teams"] = [t for t in b["result"]["teams"] if t["object"] != gone["id"]]
        save_bundle(site, V1, b)

    state, kinds, text = tampered(page, copy_of, V1, change)
    assert state == "bad" and kinds[0] == "list", (kinds, text)
    assert "没有出现在公布的抽中名单中" in text
    assert "本页列出 2 个抽中对象，公开数据包中是 1 个" in text  # the page still shows it
    assert_plain(text)


def test_changed_team_member_names_team_and_people(page, copy_of, draw_site):
    bundle = load_bundle(draw_site, V2)
    team = bundle["result"]["teams"][0]
    units = {p["id"]: p["unit"] for p in bundle["public_pools"]["inspectors"]}
    names = {p["id"]: p["name"] for p in bundle["public_pools"]["inspectors"]}
    used = {m for t in bundle["result"]["teams"] for m in t["members"]}
    other = next(p for p, u in units.items() if u == units[team["members"][0]] and p not in used)

    def change(site):
        b = load_bundle(site, V2)
        b["result"]["teams"][0]["members"][0] = other
        b["result"]["teams"][0]["leader"] = other
        save_bundle(site, V2, b)

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and "team" in kinds, (kinds, text)
    assert "检查组不对" in text or "本页内容与公开数据包不一致" in text
    assert f"第 1 组（检查对象 {team['object']}）的成员按规则应为 {names[team['members'][0]]}" in text
    assert names[other] in text
    assert_plain(text)


@pytest.mark.parametrize(
    "how,expected",
    [
        ("delete", "找不到本次抽取的公开数据包（服务器返回 404）"),
        ("truncate", "公开数据包已损坏，无法读取（内容不是完整的 JSON 数据"),
        ("html", "公开数据包已损坏，无法读取（下载到的是网页，不是数据包）"),
        ("shape", "公开数据包不完整或格式不对"),
    ],
)
def test_bundle_missing_or_corrupt(page, copy_of, how, expected):
    def change(site):
        path = bundle_path(site, V2)
        if how == "delete":
            path.unlink()
        elif how == "truncate":
            path.write_text(path.read_text(encoding="utf-8")[:500], encoding="utf-8")
        elif how == "html":
            path.write_text("<!doctype html><html><body>404</body></html>", encoding="utf-8")
        else:
            b = load_bundle(site, V2)
            del b["public_pools"]
            save_bundle(site, V2, b)

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and kinds[0] in ("missing", "corrupt"), (kinds, text)
    assert expected in text
    assert_plain(text)


def test_renamed_drawn_object_in_the_page_fails(page, copy_of, draw_site):
    bundle = load_bundle(draw_site, V2)
    first = bundle["result"]["objects"][0]["id"]
    other = "91321323MA22E6W41Q"  # another object of the county, never drawn here

    def change(site):
        path = page_path(site, V2)
        html = path.read_text(encoding="utf-8")
        start = html.index('data-draw-list="drawn"')
        end = html.index("</ol>", start)
        part = html[start:end].replace(first, other)  # the marked id, the link and the code shown
        path.write_text(html[:start] + part + html[end:], encoding="utf-8")

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and kinds == ["page"], (kinds, text)
    assert f"本页第 1 个抽中对象是 {other}，公开数据包中是 {first}" in text
    assert_plain(text)


def test_visible_code_edited_but_mark_kept_fails(page, copy_of, draw_site):
    first = load_bundle(draw_site, V2)["result"]["objects"][0]["id"]

    def change(site):
        path = page_path(site, V2)
        html = path.read_text(encoding="utf-8")
        shown = f"<code data-shown-id>{first}</code>"
        assert shown in html
        path.write_text(
            html.replace(shown, "<code data-shown-id>91321323MA22E6W41Q</code>", 1), encoding="utf-8"
        )

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and kinds == ["page"], (kinds, text)
    assert "显示为 91321323MA22E6W41Q，但标记的是" in text


def test_page_team_member_or_reserve_edited_fails(page, copy_of, draw_site):
    bundle = load_bundle(draw_site, V2)
    names = {p["id"]: p["name"] for p in bundle["public_pools"]["inspectors"]}
    member = bundle["result"]["teams"][1]["members"][1]
    reserve = bundle["result"]["strata"]["sealed"]["reserve"][0]["ref"]

    def change(site):
        path = page_path(site, V2)
        html = path.read_text(encoding="utf-8")
        html = html.replace(
            f'data-person-id="{member}">{names[member]}<', f'data-person-id="{member}">王某某<'
        )
        html = html.replace(
            f"<code data-shown-ref>{reserve}</code>", f"<code data-shown-ref>{'0' * 64}</code>"
        )
        path.write_text(html, encoding="utf-8")

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and kinds == ["page"], (kinds, text)
    assert f"本页第 2 组的成员显示为“王某某”，公开数据包中该人员（{member}）是“{names[member]}”" in text
    assert "备选对象的承诺值显示为 " + "0" * 64 in text


def test_ceremony_digits_shown_on_the_page_are_compared(page, copy_of):
    def change(site):
        path = page_path(site, V2)
        html = path.read_text(encoding="utf-8")
        path.write_text(
            html.replace(
                f"<code data-shown-value>{CEREMONY}</code>", "<code data-shown-value>27182818</code>"
            ),
            encoding="utf-8",
        )

    state, kinds, text = tampered(page, copy_of, V2, change)
    assert state == "bad" and kinds == ["page"], (kinds, text)
    assert "27182818" in text
