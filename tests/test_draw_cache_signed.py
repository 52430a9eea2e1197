"""Signed draw bundle entries (``generator/site/draw_cache.py``): a build holding the cache key
(``SSJ_CACHE_KEY``) signs each entry it stores, and the next build takes an entry whose MAC holds
under that key without holding it against its folder; a keyed build takes no other entry (another
key, no signature, another part's signature, moved under another key, not the shape our code
writes, nor one the check against the folder would pass: red team 9): the bundle is made again
and stored signed. Only a build without a key holds entries against their folders.

Real draw folders made by the registry's own steps (``tests/site/draw_site.py``); ``held`` counts
the real check's calls, it does not replace it. The whole site: tests/site/test_draw_cache_build.py.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from generator.corpus import load
from generator.registry import store
from generator.site import build_cache, cache_signing, draw_cache, draws
from tests.site.draw_site import V1, V2, draw_records
from tests.test_draw_cache import _build, _entry, _plant, _swap_two_drawn

DRAWN = sorted([V1, V2])
KEY, OTHER = "draw-bundle-test-key-0123", "another-key-of-enough-length"


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return draw_records(tmp_path_factory.mktemp("drawsigned"))


@pytest.fixture
def records(master, tmp_path):
    root = tmp_path / "records"
    shutil.copytree(master, root)
    return root


@pytest.fixture
def part(tmp_path):
    return build_cache.part(build_cache.check_folder(tmp_path / "cache"), draw_cache.PART)


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)


@pytest.fixture
def held(monkeypatch) -> list[str]:
    """The draw ids whose kept bundle went through the check against the folder (the strict parse
    and ``_matches``), each time: the real functions are called."""
    calls: list[str] = []
    real_parse, real_matches = draw_cache._strict_json, draw_cache._matches

    def strict_json(data):
        calls.append("parsed")
        return real_parse(data)

    def matches(bundle, data, files):
        calls.append(files.draw_id)
        return real_matches(bundle, data, files)

    monkeypatch.setattr(draw_cache, "_strict_json", strict_json)
    monkeypatch.setattr(draw_cache, "_matches", matches)
    return calls


def _manifest(entry: Path) -> dict:
    return json.loads((entry / draw_cache.MANIFEST).read_text(encoding="utf-8"))


def _forgery(entry: Path) -> bytes:
    """What a forger writes: V2's bundle with two drawn objects swapped, as our code lays it out."""
    bundle = json.loads((entry / draw_cache.BUNDLE).read_bytes())
    _swap_two_drawn(bundle)
    return (json.dumps(bundle, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _store_as(monkeypatch, signer: str | None, part: Path, entry: Path, draw_id: str, data: bytes) -> None:
    """``store_entry`` as a build holding ``signer`` (None: no key) would; this test's key after."""
    if signer is None:
        monkeypatch.delenv(cache_signing.KEY_ENV)
    else:
        monkeypatch.setenv(cache_signing.KEY_ENV, signer)
    draw_cache.store_entry(part, entry.name, draw_id, data)
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)


def test_a_keyed_build_signs_its_entries_and_the_next_takes_them_without_the_check(records, part, key, held):
    cold = _build(records, None)
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [], "signed": [], "made": DRAWN, "refused": []}
    assert all(len(_manifest(_entry(part, d))["mac"]) == 64 for d in DRAWN)
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": DRAWN, "signed": DRAWN, "made": [], "refused": []}
    assert held == []  # neither parsed strictly nor held against the folder


@pytest.mark.parametrize(
    "signer", ["another key", "no signature", "another purpose", "the genuine entry's MAC"]
)
def test_an_entry_that_moves_a_drawn_object_is_held_against_its_folder_unless_signed_here(
    records, part, key, held, monkeypatch, signer
):
    """V2's entry says other drawn objects, with a manifest that agrees: signed under another key,
    not signed, signed under this key as another part of the cache, or carrying the MAC of the
    entry it replaced. None is taken: a keyed build believes signed entries only, so each is
    refused, made again from the folder and stored signed under this build's key."""
    cold = _build(records, None)
    _build(records, part)
    entry = _entry(part, V2)
    forged = _forgery(entry)
    if signer == "another key":
        _store_as(monkeypatch, OTHER, part, entry, V2, forged)
    elif signer == "no signature":
        _store_as(monkeypatch, None, part, entry, V2, forged)
    elif signer == "another purpose":
        body = draw_cache._signed_body(entry.name, V2, len(forged), hashlib.sha256(forged).digest())
        _plant(entry, forged)
        manifest = _manifest(entry) | {
            "mac": cache_signing.sign(b"scan-memo", body)[-cache_signing.MAC :].hex()
        }
        (entry / draw_cache.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    else:
        _plant(entry, forged)  # the manifest's size and SHA-256 follow; its MAC is the old one
    assert "mac" in _manifest(entry) or signer == "no signature"
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [V1], "signed": [V1], "made": [], "refused": [V2]}
    assert held == []  # a keyed build believes no unsigned entry, vouched or not (red team 9)
    held.clear()
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN["signed"] == DRAWN and held == []


def test_a_signed_entry_moved_under_another_folders_key_is_held_against_that_folder(records, part, key, held):
    """V2's signed entry, made from its folder as it was, put under the key of the folder as it is
    now (its request names another task): the MAC covers the key, so the entry is held against
    the folder, which refuses it."""
    _build(records, part)
    old = _entry(part, V2)
    request = store.folder(records, V2) / store.REQUEST
    text = request.read_text(encoding="utf-8")
    request.write_text(
        text.replace("2026 年秋季学校食堂部门联合抽查", "2026 年另一个任务", 1), encoding="utf-8"
    )
    cold = _build(records, None)
    new_key = draw_cache.key(V2, draw_cache.folder_digest(store.folder(records, V2)))
    assert new_key != old.name
    shutil.copytree(old, part / new_key)
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [V1], "signed": [V1], "made": [], "refused": [V2]}
    assert held == []


def test_a_folder_changed_mid_build_leaves_no_signed_entry_under_its_old_key(records, part, key, monkeypatch):
    """A refused entry is made again from the folder; if the folder changed since its key was made
    (here the request names another task), that bundle is not stored, signed, under the old key:
    a later build of the folder as it was would take it unchecked."""
    cold = _build(records, None)
    _build(records, part)
    entry = _entry(part, V2)
    _store_as(monkeypatch, None, part, entry, V2, _forgery(entry))  # refused by the next build
    read = draws.read_all(records, part=part)  # the key: the folder as it is
    request = store.folder(records, V2) / store.REQUEST
    text = request.read_text(encoding="utf-8")
    request.write_text(
        text.replace("2026 年秋季学校食堂部门联合抽查", "2026 年另一个任务", 1), encoding="utf-8"
    )
    draws.load_draws(load(records), read)
    assert draw_cache.LAST_RUN["refused"] == [V2]
    request.write_text(text, encoding="utf-8")
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN["signed"] == [V1]


def test_another_draws_signed_entry_under_this_draws_key_is_a_miss(records, part, key, held):
    cold = _build(records, None)
    _build(records, part)
    entry, other = _entry(part, V2), _entry(part, V1)
    shutil.rmtree(entry)
    shutil.copytree(other, entry)
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [V1], "signed": [V1], "made": [V2], "refused": []}


@pytest.mark.parametrize("damage", ["truncated", "flipped", "bundle_linked", "oversized", "extra_file"])
def test_a_damaged_or_linked_signed_entry_is_never_taken(records, part, key, held, tmp_path, damage):
    cold = _build(records, None)
    _build(records, part)
    entry = _entry(part, V2)
    bundle = entry / draw_cache.BUNDLE
    data = bundle.read_bytes()
    if damage == "truncated":
        bundle.write_bytes(data[:-100])
    elif damage == "flipped":  # a byte of the MAC
        manifest = _manifest(entry)
        manifest["mac"] = ("0" if manifest["mac"][0] != "0" else "1") + manifest["mac"][1:]
        (entry / draw_cache.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    elif damage == "bundle_linked":
        copy = tmp_path / "elsewhere.json"
        copy.write_bytes(data)
        bundle.unlink()
        bundle.symlink_to(copy)
    elif damage == "oversized":
        (entry / draw_cache.MANIFEST).write_text(
            json.dumps(_manifest(entry) | {"padding": "x" * draw_cache.MAX_MANIFEST}), encoding="utf-8"
        )
    else:
        (entry / "notes.txt").write_text("x", encoding="utf-8")
    assert _build(records, part) == cold
    made = [] if damage == "flipped" else [V2]
    assert draw_cache.LAST_RUN["signed"] == [V1] and draw_cache.LAST_RUN["made"] == made
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN["signed"] == DRAWN


@pytest.mark.parametrize(
    "odd",
    [
        "compact",  # no place of its own for the registry proof
        "two registry slots",  # a duplicate key: the proof would go in the first, the parse keeps the last
        "a float",
        "NaN",
        "a v1 bundle's keys",
    ],
)
def test_a_signed_entry_that_is_not_what_our_code_writes_is_held_against_the_folder(
    records, part, key, held, monkeypatch, odd
):
    """Signed under this very key (a leaked key, a bug): the fast path still takes only the shape
    our code writes; anything else is refused and made again from the folder, and the build
    neither stops nor publishes it."""
    cold = _build(records, None)
    _build(records, part)
    entry = _entry(part, V2)
    data = (entry / draw_cache.BUNDLE).read_bytes()
    bundle = json.loads(data)
    if odd == "compact":
        data = json.dumps(bundle, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    elif odd == "two registry slots":
        data = data.replace(draw_cache.REGISTRY_SLOT, draw_cache.REGISTRY_SLOT * 2, 1)
    elif odd == "a float":
        data = data.replace(b'"blocked_count": 0', b'"blocked_count": 0.0', 1)
    elif odd == "NaN":
        data = data.replace(b'"blocked_count": 0', b'"blocked_count": NaN', 1)
    else:
        del bundle["acceptance"], bundle["registry"]
        data = (json.dumps(bundle, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
    assert data != (entry / draw_cache.BUNDLE).read_bytes()
    _store_as(monkeypatch, KEY, part, entry, V2, data)
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [V1], "signed": [V1], "made": [], "refused": [V2]}
    assert held == []  # refused on its shape, made again: a keyed build holds nothing against a folder


def test_without_a_key_no_entry_is_signed_and_a_signed_one_is_held_against_its_folder(
    records, part, held, monkeypatch
):
    monkeypatch.delenv(cache_signing.KEY_ENV, raising=False)
    cold = _build(records, None)
    _build(records, part)
    assert all("mac" not in _manifest(_entry(part, d)) for d in DRAWN)
    shutil.rmtree(part)
    part.mkdir()
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)
    _build(records, part)
    monkeypatch.delenv(cache_signing.KEY_ENV)
    held.clear()
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": DRAWN, "signed": [], "made": [], "refused": []}
    assert sorted(d for d in held if d != "parsed") == DRAWN


def test_a_keyed_build_makes_again_and_signs_the_entries_of_a_cache_made_without_the_key(
    records, part, held, monkeypatch
):
    """A cache made without the key (or under another): the first keyed build believes none of its
    entries (red team 9: vouching cannot hold the recusal fields, and a vouched entry it signed
    would be taken unchecked ever after); it makes each bundle again from its folder, once, and
    stores it signed; the next takes them unchecked."""
    monkeypatch.delenv(cache_signing.KEY_ENV, raising=False)
    cold = _build(records, None)
    _build(records, part)
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [], "signed": [], "made": [], "refused": DRAWN}
    assert held == []
    assert all("mac" in _manifest(_entry(part, d)) for d in DRAWN)
    held.clear()
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": DRAWN, "signed": DRAWN, "made": [], "refused": []}
    assert held == []


def test_the_signature_covers_the_format_the_key_the_draw_and_the_bundle():
    sha = hashlib.sha256(b"bundle").digest()
    body = draw_cache._signed_body("a" * 64, V2, 6, sha)
    others = [
        draw_cache._signed_body("b" * 64, V2, 6, sha),
        draw_cache._signed_body("a" * 64, V1, 6, sha),
        draw_cache._signed_body("a" * 64, V2, 7, sha),
        draw_cache._signed_body("a" * 64, V2, 6, hashlib.sha256(b"bundlf").digest()),
    ]
    assert body.startswith(draw_cache.FORMAT) and all(o != body for o in others)


@pytest.mark.parametrize("library", ["PyYAML", "libyaml", "Python"])
def test_an_entry_signed_by_a_build_on_other_libraries_is_not_taken_on_its_signature(
    records, part, key, monkeypatch, library
):
    """Red team 9: a bundle is made from the folder's YAML as PyYAML (and its C libyaml) read it,
    dumped by this Python's ``json``: a cache restored from a run on other versions holds entries
    made by other code. The key covers them, as the parse cache's does, so such an entry is
    another key's and the bundle is made again (a signed entry is never held against its folder)."""
    import yaml

    cold = _build(records, None)
    with monkeypatch.context() as m:
        if library == "PyYAML":
            m.setattr(yaml, "__version__", "5.4.1")
        elif library == "libyaml":
            m.setattr(yaml._yaml, "get_version_string", lambda: "0.2.2")
        else:
            m.setattr("sys.version", "3.11.0 (main) [GCC 9]")
        draw_cache.code_fingerprint.cache_clear()
        _build(records, part)
    draw_cache.code_fingerprint.cache_clear()
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN["signed"] == []
    assert draw_cache.LAST_RUN["made"] == DRAWN


@pytest.mark.parametrize("field", ["blocked_count", "blocked_previous", "blocked_commitment"])
def test_a_keyed_build_believes_no_unsigned_entry_not_even_its_recusal_fields(
    records, part, monkeypatch, field
):
    """Red team 9: the check against the folder cannot hold a drawn object's recusal fields (they
    come from the internal pools, which a hit never reads). Whoever can write the cache without
    the key changes them in V2's entry and leaves it unsigned: a keyed build must neither publish
    them nor sign them (a vouched entry signed again would be taken unchecked from then on). A
    keyed build takes signed entries only; any other is made again from the folder."""
    cold = _build(records, None)
    monkeypatch.delenv(cache_signing.KEY_ENV, raising=False)
    _build(records, part)  # a cache written without the key: the forger's starting point
    entry = _entry(part, V2)
    bundle = json.loads((entry / draw_cache.BUNDLE).read_bytes())
    row = bundle["result"]["objects"][0]
    row[field] = {
        "blocked_count": row["blocked_count"] + 3,
        "blocked_previous": [*row["blocked_previous"], "X-forged"],
        "blocked_commitment": "0" * 64,
    }[field]
    forged = (json.dumps(bundle, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
    draw_cache.store_entry(part, entry.name, V2, forged)  # unsigned, its manifest agreeing
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)
    assert _build(records, part) == cold
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN["signed"] == DRAWN
