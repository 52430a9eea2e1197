"""Attacks on the record page cache (``build --cache``, part ``pages``): an entry is a page the site
publishes, and nothing short of rendering the page again tells a planted ``<script>`` from our own
markup. So an entry is believed only when signed under the build's key as that page; without a key
the part is neither read nor written. Real builds of the fixture records, compared file by file with
a build that uses no cache (docs/security.md "The record page cache")."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from generator.site import build_cache, cache_signing, page_cache, record_writer, scan_memo
from generator.site.builder import BuildFailed, build_site
from tests.site.conftest import FIXTURE_RECORDS
from tests.site.test_page_cache import KEY, _build, _cache, _entries

OTHER_KEY = "someone-elses-key-of-enough-length"
SCRIPT = b"<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    from tests.site.conftest import FIXTURE_EPOCH

    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)


def _parts(part: Path, key: str) -> tuple[bytes, dict, bytes]:
    """An entry's page, header and MAC."""
    data = (part / (key + page_cache.SIG)).read_bytes()
    return (part / key).read_bytes(), json.loads(data[: -cache_signing.MAC]), data[-cache_signing.MAC :]


def _write(part: Path, key: str, page: bytes, meta: dict, signer: str | None, purpose=page_cache.PURPOSE):
    """Write an entry as its page and header, the header signed under ``signer`` (None: no MAC)."""
    head = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    mac = b"" if signer is None else cache_signing._mac(signer.encode(), purpose, head + b"\n" + page)
    (part / key).unlink()
    (part / key).write_bytes(page)
    (part / (key + page_cache.SIG)).write_bytes(head + mac)


def _plant(page: bytes, text: bytes = SCRIPT) -> bytes:
    return page.replace(b"</main>", text + b"</main>", 1)


def _cold(tmp_path: Path) -> tuple[dict[str, bytes], Path, list[str]]:
    cache = _cache(tmp_path)
    reference = _build(FIXTURE_RECORDS, tmp_path / "cold", cache)
    names = sorted(_entries(cache))
    assert names and record_writer.LAST["stored"] == len(names)
    return reference, cache / page_cache.PART, names


def _forge_all(part: Path, names: list[str], signer: str | None, purpose=page_cache.PURPOSE) -> None:
    """Every entry's page with a script planted, its header made to agree (size), signed."""
    for name in names:
        page, meta, _ = _parts(part, name)
        planted = _plant(page)
        meta["size"] = len(planted)
        _write(part, name, planted, meta, signer, purpose)


def _planted(site: Path) -> list[str]:
    return [p.as_posix() for p in site.rglob("*.html") if SCRIPT in p.read_bytes()]


def test_a_page_signed_under_another_key_is_rendered_not_reused(tmp_path):
    reference, part, names = _cold(tmp_path)
    _forge_all(part, names, OTHER_KEY)
    assert _build(FIXTURE_RECORDS, tmp_path / "warm", part.parent) == reference
    assert record_writer.LAST["reused"] == 0 and not _planted(tmp_path / "warm")
    # the control: the same forgery signed under the build's key is believed (what the key protects)
    _forge_all(part, names, KEY)
    _build(FIXTURE_RECORDS, tmp_path / "keyed", part.parent)
    assert record_writer.LAST["reused"] == len(names) and len(_planted(tmp_path / "keyed")) == len(names)


@pytest.mark.parametrize("how", ["no MAC", "the branch's unsigned format", "another part's purpose"])
def test_an_unsigned_or_foreign_entry_is_not_believed(tmp_path, how):
    reference, part, names = _cold(tmp_path)
    if how == "the branch's unsigned format":  # one file: a JSON header with the page's hash, the page
        for name in names:
            page, meta, _ = _parts(part, name)
            planted = _plant(page)
            meta.update(size=len(planted), sha256=hashlib.sha256(planted).hexdigest())
            (part / name).write_bytes(json.dumps(meta).encode() + b"\n" + planted)
            (part / (name + page_cache.SIG)).unlink()
    else:
        _forge_all(part, names, None if how == "no MAC" else KEY, scan_memo.PURPOSE)
    assert _build(FIXTURE_RECORDS, tmp_path / "warm", part.parent) == reference
    assert record_writer.LAST["reused"] == 0 and not _planted(tmp_path / "warm")


@pytest.mark.parametrize("how", ["both files", "its header renamed to this key"])
def test_another_pages_entry_under_this_key_is_not_believed(tmp_path, how):
    """Signed under the build's key, but for another page: copied whole, its MAC holds and its header
    names the other key; with the header changed to this key, the MAC fails."""
    reference, part, names = _cold(tmp_path)
    entries = {name: _parts(part, name) for name in names}
    for i, name in enumerate(names):
        page, meta, mac = entries[names[i - 1]]
        if how == "its header renamed to this key":
            meta = {**meta, "key": name}
        head = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (part / name).unlink()
        (part / name).write_bytes(page)
        (part / (name + page_cache.SIG)).write_bytes(head + mac)
    assert _build(FIXTURE_RECORDS, tmp_path / "warm", part.parent) == reference
    assert record_writer.LAST["reused"] == 0


@pytest.mark.parametrize("key", [None, "short"])
def test_without_a_key_nothing_is_read_written_or_pruned(tmp_path, monkeypatch, key):
    reference, part, names = _cold(tmp_path)
    stale = part / ("f" * 64)
    stale.write_bytes(b"old")
    _forge_all(part, names, KEY)  # entries the build would believe (and publish) with its key
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in part.iterdir()}
    if key is None:
        monkeypatch.delenv(cache_signing.KEY_ENV)
    else:
        monkeypatch.setenv(cache_signing.KEY_ENV, key)  # too short to be a secret: no key
    assert _build(FIXTURE_RECORDS, tmp_path / "warm", part.parent) == reference
    assert record_writer.LAST["reused"] == record_writer.LAST["stored"] == 0
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in part.iterdir()} == before
    fresh = _cache(tmp_path / "fresh")
    _build(FIXTURE_RECORDS, tmp_path / "fresh-site", fresh)
    assert not (fresh / page_cache.PART).exists()


DAMAGES = [
    "truncated page",
    "altered page of the same size",
    "header not json",
    "header missing",
    "page linked to a file elsewhere",
    "folder in its place",
    "oversized page",
    "page executable",
]


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_entry_is_a_miss_and_the_page_is_rendered_again(tmp_path, damage):
    reference, part, names = _cold(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in names:
        entry, sig = part / name, part / (name + page_cache.SIG)
        data = entry.read_bytes()
        if damage == "truncated page":
            entry.write_bytes(data[:-10])
        elif damage == "altered page of the same size":
            entry.write_bytes(data.replace(b"<main", b"<mian", 1))
        elif damage == "header not json":
            sig.write_bytes(b"{" + sig.read_bytes())
        elif damage == "header missing":
            sig.unlink()
        elif damage == "page linked to a file elsewhere":
            entry.rename(outside / name)
            entry.symlink_to(outside / name)
        elif damage == "folder in its place":
            entry.unlink()
            entry.mkdir()
        elif damage == "oversized page":
            with open(entry, "ab") as f:
                f.truncate(page_cache.MAX_ENTRY + 1)
        else:
            entry.chmod(0o755)
    assert _build(FIXTURE_RECORDS, tmp_path / "warm", part.parent) == reference
    assert record_writer.LAST["reused"] == 0
    for name in os.listdir(outside):  # a link is never followed, and is replaced by an entry
        assert (outside / name).read_bytes() == reference[_site_path(tmp_path / "cold", name)]
        assert not (part / name).is_symlink()
    if damage != "folder in its place":  # stored again (a folder is not ours to remove)
        assert sorted(_entries(part.parent)) == names
        assert _build(FIXTURE_RECORDS, tmp_path / "again", part.parent) == reference
        assert record_writer.LAST["reused"] == len(names)


def _site_path(site: Path, key: str) -> str:
    """The site file whose bytes the entry ``key`` held in the cold build."""
    data = (site.parent / "outside" / key).read_bytes()
    return next(p.relative_to(site).as_posix() for p in site.rglob("index.html") if p.read_bytes() == data)


def test_a_reused_page_is_linked_and_checked_where_it_lands(tmp_path):
    """A reused page shares its inode with the entry (a link, not a new file); a page changed in
    place afterwards (it is a site's file too) fails its MAC in the next build and is rendered."""
    reference, part, names = _cold(tmp_path)
    assert _build(FIXTURE_RECORDS, tmp_path / "warm", part.parent) == reference
    assert record_writer.LAST["reused"] == len(names)
    linked = [p for p in (tmp_path / "warm").rglob("index.html") if p.stat().st_nlink > 1]
    assert {os.stat(part / n).st_ino for n in names} == {p.stat().st_ino for p in linked}
    victim = linked[0]
    data = victim.read_bytes()
    with open(victim, "r+b") as f:  # in place: the entry's page changes with it
        f.write(data[:-9] + b"<!--x-->\n")
    assert _build(FIXTURE_RECORDS, tmp_path / "again", part.parent) == reference
    assert record_writer.LAST["reused"] == len(names) - 1
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644


def test_a_reused_page_is_still_scanned_for_private_data(tmp_path):
    """Even a page signed under the build's key (only the key's holder can make one) is scanned
    like a rendered page: a phone number planted in every entry stops the build."""
    _, part, names = _cold(tmp_path)
    for name in names:
        page, meta, _ = _parts(part, name)
        planted = _plant(page, "<p>联系电话 13812345678</p>".encode())
        meta["size"] = len(planted)
        _write(part, name, planted, meta, KEY)
    with pytest.raises(BuildFailed, match="13\\*+78|疑似"):
        build_site(FIXTURE_RECORDS, tmp_path / "warm", cache=part.parent)
    assert not (tmp_path / "warm").exists()


def test_entries_of_pages_no_longer_built_are_pruned_and_nothing_else(tmp_path):
    cache = _cache(tmp_path)
    part = build_cache.part(cache, page_cache.PART)
    stale, stale_sig, foreign = part / ("f" * 64), part / ("f" * 64 + ".sig"), part / "notes.txt"
    stale.write_bytes(b"old")
    stale_sig.write_bytes(b"old")
    foreign.write_text("mine", encoding="utf-8")
    (part / ("e" * 64)).symlink_to(foreign)
    _build(FIXTURE_RECORDS, tmp_path / "site", cache)
    assert not stale.exists() and not stale_sig.exists()
    assert foreign.read_text(encoding="utf-8") == "mine" and (part / ("e" * 64)).is_symlink()


def test_without_a_usable_part_the_build_renders_every_page(tmp_path):
    cache = _cache(tmp_path)
    (cache / page_cache.PART).write_text("not a folder", encoding="utf-8")
    reference = _build(FIXTURE_RECORDS, tmp_path / "reference")
    assert _build(FIXTURE_RECORDS, tmp_path / "site", cache) == reference
    assert record_writer.LAST["reused"] == record_writer.LAST["stored"] == 0


def test_the_reads_of_an_unsigned_header_are_never_answered(tmp_path):
    """A header is parsed and its reads answered on ``site_data`` only once its MAC holds: a forged
    header cannot make the build compute what it names (here the digest of every result)."""
    import jinja2

    from tests.site.test_page_cache import _record_models

    _, part, names = _cold(tmp_path)
    site_data, _ = _record_models(FIXTURE_RECORDS)
    asked = []
    cache = page_cache.PageCache(part, site_data, jinja2.Environment(), [])
    cache.answers.answer = lambda op, path: asked.append((op, path)) or "gone"
    page, meta, _ = _parts(part, names[0])
    meta["reads"] = meta["reads"] + ['["get",["results"]]']
    for signer, answered in ((OTHER_KEY, False), (None, False), (KEY, True)):
        _write(part, names[0], page, meta, signer)
        target = tmp_path / f"site-{signer}" / "index.html"
        target.parent.mkdir()
        assert cache.restore(names[0], target) is None and not target.exists()
        assert (("get", ("results",)) in asked) == answered, signer
