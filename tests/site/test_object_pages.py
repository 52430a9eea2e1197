"""Which objects get a page (county.yaml site.object_pages) and the exact-lookup map built from them.

Page models and the lookup shards straight from ``assemble`` (no MkDocs): the setting decides the
object pages, every link to an object without a page is plain text, and the lookup holds the names
and codes of paged objects only."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from generator.site import lookup
from generator.site.assemble import assemble
from generator.site.render import make_env, render_page
from generator.site.slugs import object_slug
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS


def _bundle(records):
    bundle = assemble(records, int(FIXTURE_EPOCH))
    bundle.cancel()  # the background export is not needed here
    return bundle


@pytest.fixture(scope="module")
def default_bundle():
    return _bundle(FIXTURE_RECORDS)


def _drawn_or_inspected(site_data) -> set[str]:
    inspected = {e["object"] for r in site_data.results for e in r.get("entries", [])}
    drawn = {o for d in site_data.draws.values() for o in d.get("objects", [])}
    return (inspected | drawn) & set(site_data.objects)


def test_by_default_only_drawn_or_inspected_objects_get_a_page(default_bundle):
    site_data = default_bundle.site_data
    expected = _drawn_or_inspected(site_data)
    never = set(site_data.objects) - expected
    assert expected and never, "the fixture must have both kinds for this test to mean anything"
    object_pages = {
        p for p in default_bundle.pages if re.fullmatch(r"objects/(?!t\d\d|other|index).+\.md", p)
    }
    assert object_pages == {f"objects/{object_slug(o)}.md" for o in expected}


def test_never_inspected_objects_appear_on_no_page_and_links_to_them_are_text(default_bundle):
    site_data = default_bundle.site_data
    env = make_env(site_data)
    html = "\n".join(render_page(env, p) for p in default_bundle.pages.values())
    never = set(site_data.objects) - site_data.with_page
    for oid in never:
        assert f"objects/{object_slug(oid)}/" not in html, oid
    # a drawn list naming an object without a page (forced here) renders its name without a link
    oid = sorted(never)[0]
    macro = env.from_string('{% from "_macros.html" import object_link with context %}{{ object_link(o) }}')
    out = macro.render(o=oid, link=lambda p: p)
    assert out == site_data.objects[oid]["name"]


def test_the_setting_can_give_every_object_a_page(tmp_path):
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    county = records / "county.yaml"
    county.write_text(
        county.read_text(encoding="utf-8").replace("site:\n", "site:\n  object_pages: 名录库全部对象\n", 1),
        encoding="utf-8",
    )
    bundle = _bundle(records)
    assert bundle.site_data.with_page == frozenset(bundle.site_data.objects)
    assert all(f"objects/{object_slug(o)}.md" in bundle.pages for o in bundle.site_data.objects)


def test_lookup_holds_paged_names_and_codes_only(default_bundle):
    site_data = default_bundle.site_data
    shards = {p: json.loads(b) for p, b in default_bundle.files.items() if p.startswith(lookup.FOLDER + "/")}
    assert len(shards) == 16  # one hex digit at fixture size; every shard exists (no 404 on a miss)
    table = {k: v for shard in shards.values() for k, v in shard.items()}
    for oid in site_data.with_page:
        name = site_data.objects[oid]["name"]
        url = f"objects/{object_slug(oid)}/"
        assert [name, url] in table[lookup.key(name)]
        if site_data.objects[oid].get("id_kind", "统一社会信用代码") == "统一社会信用代码":
            assert table[oid] == [[name, url]]
    for oid in set(site_data.objects) - site_data.with_page:
        assert oid not in table and lookup.key(site_data.objects[oid]["name"]) not in table
    for path, shard in shards.items():  # each key sits in the shard its hash names
        for k in shard:
            assert f"{lookup.fnv1a(k):08x}".startswith(path.rsplit("/", 1)[1].removesuffix(".json"))


def test_shards_grow_with_the_site():
    assert lookup.digits_for(10) == 1
    assert lookup.digits_for(lookup.KEYS_PER_SHARD * 16 + 1) == 2
    assert lookup.digits_for(200_000) == 3  # a county of 100,000 objects: ~49 keys a shard


def test_key_folds_what_people_type():
    assert lookup.key(" 泗阳县砚岫ｋｔｖ有限责任公司（众兴街道） ") == "泗阳县砚岫KTV有限责任公司(众兴街道)"
    assert lookup.key("９１３２１３２３ma22j6kl15") == "91321323MA22J6KL15"


def test_open_data_lists_the_same_objects_as_the_site(default_bundle):
    from generator.site import opendata

    site_data = default_bundle.site_data
    assert {r["id"] for r in opendata.rows_of(site_data, "objects")} == set(site_data.with_page)
