"""The build end to end: MkDocs + Pagefind (extended, zh-CN), determinism, atomic swap, page shape."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.site.builder import BuildFailed, build_site
from tests.site.conftest import FIXTURE_RECORDS, build_fixture_site

HUBS = [
    "",
    "units/",
    "items/",
    "plans/",
    "tasks/",
    "objects/",
    "stats/",
    "compliance/",
    "summary/",
    "data/",
    "verify/",
    "search/",
]


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def test_every_page_is_zh_cn_with_gov_meta_and_demo_banner(built_site):
    pages = html_files(built_site)
    assert len(pages) > 15
    for p in pages:
        text = p.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in text, p
        if p.name == "404.html":
            continue
        for tag in (
            "SiteName",
            "SiteDomain",
            "SiteIDCode",
            "ColumnName",
            "ColumnType",
            "ArticleTitle",
            "PubDate",
            "ContentSource",
        ):
            assert f'<meta name="{tag}" content="' in text, (p, tag)
        assert "示例数据" in text, p


def test_no_external_resources(built_site):
    for p in html_files(built_site):
        text = p.read_text(encoding="utf-8")
        for m in re.finditer(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', text):
            assert not m[1].startswith(("http:", "https:", "//")), (p, m[1])


def test_every_link_is_relative(built_site):
    """The site works from any base path (a file share, a sub-folder): no root-absolute links."""
    for p in html_files(built_site):
        text = p.read_text(encoding="utf-8")
        bad = re.findall(r'(?:href|src|action)="(/[^"]*)"', text)
        assert bad == [], (p.relative_to(built_site).as_posix(), bad[:3])


def test_nav_holds_hub_pages_only(built_site):
    text = (built_site / "tasks" / "T2026-market-01" / "index.html").read_text(encoding="utf-8")
    nav = text.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert len(re.findall(r"<li>", nav)) == len(HUBS)
    assert "T2026-market-01" not in nav


def test_pagefind_index_is_chinese_and_sharded(built_site):
    shards = json.loads((built_site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    # the fixture is one year: the 栏目 shard and 2026's, both searched by the first query
    assert shards == {"first": ["site", "y2026"], "years": {}}
    counts = []
    for name in shards["first"]:
        entry = json.loads(
            (built_site / "pagefind" / name / "pagefind-entry.json").read_text(encoding="utf-8")
        )
        assert list(entry["languages"]) == ["zh-cn"]
        counts.append(entry["languages"]["zh-cn"]["page_count"])
    indexed = [p for p in html_files(built_site) if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert sum(counts) == len(indexed) > 15 and min(counts) > 0
    # a task of 2026 is in 2026's shard, a unit page in the 栏目 shard, each page in exactly one
    fragments = {
        name: b"".join(
            gzip.decompress(f.read_bytes()) for f in (built_site / "pagefind" / name / "fragment").iterdir()
        )
        for name in shards["first"]
    }
    assert b'"url":"/tasks/T2026-market-01/"' in fragments["y2026"]
    assert b'"url":"/units/market/"' in fragments["site"]
    assert b'"url":"/tasks/T2026-market-01/"' not in fragments["site"]


# Pagefind writes these in hash-map order (names carry a hash of the bytes); everything else it
# writes, and every page, data file and bundle we write, is byte-identical between builds.
UNORDERED_INDEX = re.compile(
    r"pagefind/[a-z0-9-]+/(pagefind\.zh-cn_[0-9a-f]+\.pf_meta|filter/zh-cn_[0-9a-f]+\.pf_filter|pagefind-entry\.json)"
)


def test_same_records_give_identical_bytes(built_site, tmp_path):
    again = build_fixture_site(tmp_path / "again")

    def files(site):
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    first, second = files(built_site), files(again)
    unordered = {name for name in first.keys() | second.keys() if UNORDERED_INDEX.fullmatch(name)}

    def stable(found):
        return {k: v for k, v in found.items() if k not in unordered}

    assert stable(first) == stable(second)
    # the same index: the same number of filter chunks, one filter list, and the same pages indexed
    assert len([n for n in unordered if n in first]) == len([n for n in unordered if n in second])
    assert (
        sum(1 for n in first if n.endswith(".pf_meta"))
        == sum(1 for n in second if n.endswith(".pf_meta"))
        == 2  # one per shard
    )
    entry = [json.loads(f["pagefind/y2026/pagefind-entry.json"]) for f in (first, second)]
    assert [e["languages"]["zh-cn"]["page_count"] for e in entry] == [
        entry[0]["languages"]["zh-cn"]["page_count"]
    ] * 2
    pages = {k for k in first if k.endswith(".html") and not k.startswith("pagefind/")}
    assert len(pages) > 20 and all(first[k] == second[k] for k in pages)


def test_failed_build_leaves_previous_site_untouched(built_site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(built_site, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, broken)
    (broken / "units" / "market" / "unit.yaml").write_text("id: market\nname: [\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build_site(broken, out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # temp dir cleaned up


def test_successful_build_replaces_previous_site(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("old", encoding="utf-8")
    build_site(FIXTURE_RECORDS, out)
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()


def test_open_data_files_and_schemas(built_site):
    for stem in ("units", "items", "objects", "inspectors", "plans", "tasks", "results"):
        for ext in ("csv", "json", "xlsx"):
            assert (built_site / "data" / f"{stem}.{ext}").stat().st_size > 0
    objects = json.loads((built_site / "data" / "objects.json").read_text(encoding="utf-8"))
    assert objects and all("credit_risk" not in o for o in objects)
    assert list((built_site / "data" / "schemas").glob("*.json"))
    # the citizen verifier is published byte for byte from site_templates/verify/
    source = Path(__file__).parents[2] / "site_templates" / "verify" / "verify_draw.py"
    assert (built_site / "verify" / "verify_draw.py").read_bytes() == source.read_bytes()
    assert (built_site / "draws" / "D2026-0001" / "bundle.json").is_file()


def test_atom_feed_lists_results(built_site):
    feed = (built_site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2
    assert "泗阳县卫生健康委员会公示2026 年学校食堂食品安全部门联合抽查检查结果" in feed


def test_background_export_is_stopped_when_the_build_fails():
    import multiprocessing
    import os
    import time

    from generator.parallel import in_background as _in_background
    from generator.site.assemble import SiteBundle

    parent = os.getpid()

    def slow_export():  # runs inline (returns at once) where forking is unsafe
        if os.getpid() != parent:
            time.sleep(60)
        return {"data/x.csv": b"x"}, [], []

    bundle = SiteBundle(site_data=None, pages={}, pending=_in_background(slow_export))
    started = time.monotonic()
    bundle.cancel()  # what on_post_build's finally and on_build_error do
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []
    assert bundle.collect_files() == {}  # nothing left to collect
    done = SiteBundle(
        site_data=None, pages={}, pending=_in_background(lambda: ({"b": b"2", "a": b"1"}, ["x"], [b"k"]))
    )
    assert list(done.collect_files().items()) == [("a", b"1"), ("b", b"2")]
    assert done.scan_problems == ["x"] and done.scan_cleared == [b"k"]
