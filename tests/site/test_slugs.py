"""Page paths from ids never collide (hypothesis over arbitrary Unicode), and ids with invisible
characters or a non-http(s) site address are findings."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.rules.base_url import web_url
from generator.rules.id_text import bad_character
from generator.site.models_records import township_slug
from generator.site.slugs import MAX_ESCAPED, object_slug, slug, unslug

SAFE_PATH = re.compile(r"[A-Za-z0-9_-]+")
ids = st.text(min_size=1, max_size=80)
ascii_like = st.text(alphabet="aAbB0-_ 中.", min_size=1, max_size=12)


@settings(max_examples=1000, deadline=None)
@given(ids)
def test_slug_is_a_safe_deterministic_path_segment(value):
    s = slug(value)
    assert SAFE_PATH.fullmatch(s) and len(s) <= MAX_ESCAPED
    assert s == slug(value)
    decoded = unslug(s)
    assert decoded is None or decoded == value  # an uncut slug decodes back to the exact id


@settings(max_examples=1000, deadline=None)
@given(ids, ids)
def test_different_ids_never_share_a_page(a, b):
    if a != b:
        assert slug(a) != slug(b)


@settings(max_examples=1000, deadline=None)
@given(ascii_like, ascii_like)
def test_near_twins_never_share_a_page(a, b):
    """Dense alphabet: ids differing only in '_' vs '-' vs ' ' vs a Chinese character."""
    if a != b:
        assert slug(a) != slug(b)


@settings(max_examples=1000, deadline=None)
@given(ascii_like | ids, ascii_like | ids)
def test_object_paths_differ_even_on_case_insensitive_file_systems(a, b):
    """Windows shares and macOS fold case: P-abc and P-ABC must still get two folders."""
    sa, sb = object_slug(a), object_slug(b)
    assert SAFE_PATH.fullmatch(sa) and len(sa) <= MAX_ESCAPED
    if a != b:
        assert sa.casefold() != sb.casefold()
    decoded = unslug(sa)
    assert decoded is None or decoded == a


def test_examples_from_the_issue():
    assert len({slug("产品甲"), slug("产品乙"), slug("项目一"), slug("___")}) == 4
    assert slug("91321323MA1YB3R18F") == "91321323MA1YB3R18F"
    assert slug("T2026-market-01") == "T2026-market-01"
    assert (
        object_slug("P-abc") != object_slug("P-ABC")
        and object_slug("91321323MA1YB3R18F") == "91321323MA1YB3R18F"
    )
    # the other pages in the same folders: the objects hub, township lists, a task's check sheet
    reserved = {"index", "other", "t01", "T2026-x-01-sheet"}
    for name in reserved:
        assert slug(name) != name
    long_ids = ["产" * 64, "产" * 63 + "品"]
    assert len({slug(x) for x in long_ids}) == 2 and all(len(slug(x)) <= MAX_ESCAPED for x in long_ids)


def test_township_pages_do_not_clash_with_objects():
    class SD:
        county = {"townships": ["众兴镇", "爱园镇"]}

    pages = {township_slug(SD, "众兴镇"), township_slug(SD, "爱园镇"), township_slug(SD, "外县")}
    assert pages == {"t01", "t02", "other"}
    assert not pages & {slug(x) for x in pages}


def test_invisible_characters_in_ids():
    for bad in ("P\u200b001", "P\u202e001", "P 001", "P\u3000001", "P\n001", "P\u2028001", "P\x00"):
        assert bad_character(bad), repr(bad)
    for fine in ("P-001", "产品甲-2026", "91321323MA1YB3R18F"):
        assert bad_character(fine) is None


def test_base_url_only_http_and_https():
    assert web_url("https://ssj.siyang.example/") == "https://ssj.siyang.example/"
    assert web_url("http://10.0.0.1:8080/ssj/") == "http://10.0.0.1:8080/ssj/"
    for bad in (
        "javascript:alert(1)//",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/",
        'https://x.example/"><script>alert(1)</script>',
        "https://x.example/ onmouseover=alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "ftp://x.example/",
        "https:///nohost",
        "",
        None,
        42,
    ):
        assert web_url(bad) == "", bad


def test_feed_never_carries_a_non_http_address():
    """Even if validation were bypassed, the feed drops a javascript: site address."""
    from generator.corpus import load
    from generator.site.feed import atom
    from generator.site.site_data import build_site_data
    from tests.site.conftest import FIXTURE_RECORDS

    site_data = build_site_data(load(FIXTURE_RECORDS))
    site_data.county.setdefault("site", {})["base_url"] = "javascript:alert(1)//"
    feed = atom(site_data)
    assert "javascript" not in feed and 'href="/tasks/' in feed
    site_data.county["site"]["base_url"] = "https://ssj.example.gov.cn/x/"
    assert 'href="https://ssj.example.gov.cn/x/tasks/' in atom(site_data)


WINDOWS_DEVICE = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])")
device_names = st.sampled_from(["con", "prn", "aux", "nul", "com1", "lpt9", "com0"]).flatmap(
    lambda n: st.tuples(*[st.sampled_from([c.lower(), c.upper()]) for c in n]).map("".join)
)


@settings(max_examples=500, deadline=None)
@given(device_names | ids)
def test_no_page_folder_is_a_windows_device_name(value):
    """A unit ``con`` or a product ``NUL`` (both valid ids) must not make a folder Windows cannot
    create or copy (the site is often copied to a Windows share)."""
    for s in (slug(value), object_slug(value)):
        assert not WINDOWS_DEVICE.fullmatch(s), (value, s)
    assert unslug(slug(value)) in (None, value)


def test_feed_stays_well_formed_xml_whatever_the_record_text():
    """Control characters (a YAML "\\x0b" escape, a pasted CSV cell), U+FFFE, markup and a CDATA end
    in a task, unit or site name: the feed is still XML a reader accepts, with the text shown."""
    import xml.etree.ElementTree as ET

    from generator.corpus import load
    from generator.site.feed import atom
    from generator.site.site_data import build_site_data
    from tests.site.conftest import FIXTURE_RECORDS

    site_data = build_site_data(load(FIXTURE_RECORDS))
    nasty = '甲\x00\x01\x0b\x1f\ufffe\uffff\ud800乙]]><x a="1">&amp;'
    for r in site_data.results:
        site_data.tasks[r["task"]]["name"] = nasty
    for u in site_data.units.values():
        u["name"] = nasty
    site_data.county.setdefault("site", {})["name"] = nasty
    root = ET.fromstring(atom(site_data).encode("utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert titles and all('乙]]><x a="1">&amp;' in t for t in titles), titles
    assert root.find("a:entry/a:author/a:name", ns).text.startswith("甲")


def test_ids_that_look_like_another_id():
    """Full-width letters and digits (an IME left in full-width mode), decomposed accents and other
    compatibility forms make an id that looks like another one but is not: a finding."""
    from generator.rules.id_text import unnormal_character

    for bad in ("Ｐ００１", "P-00１", "Cafe\u0301", "产品①", "ＴＥＳＴ"):
        assert unnormal_character(bad), repr(bad)
    for fine in ("P-001", "产品甲-2026", "91321323MA1YB3R18F", "Café", "项目（一期）"):
        assert unnormal_character(fine) is None, fine
