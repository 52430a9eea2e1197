"""A warm build (``build --cache DIR``, drawn folders' bundles from ``DIR/draws``) writes exactly the
files a cold build writes: real MkDocs + Pagefind builds of the fixture records with a v1, a sealed
v2, a refused and a failed draw (tests/site/draw_site.py), cold, warm, and warm after an edit of a
results file and of one draw folder, each compared file by file with a cold build of the same
records; and a build holding the cache key, whose warm build takes the signed entries without
holding them against their folders. The attacks on the cache itself are in tests/test_draw_cache.py
and tests/test_draw_cache_signed.py."""

from __future__ import annotations

import os
from pathlib import Path

from generator.site import build_cache, cache_signing, draw_cache
from generator.site.builder import build_site
from tests.site.conftest import FIXTURE_EPOCH
from tests.site.draw_site import V1, V2, draw_records
from tests.site.test_build import UNORDERED_INDEX

DRAWN = sorted([V1, V2])


def _build(records: Path, out: Path, cache: Path | None = None) -> dict[str, bytes]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXTURE_EPOCH
    try:
        site = build_site(records, out, cache=cache and build_cache.check_folder(cache, out))
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    # Pagefind writes its filter files in hash-map order (docs/architecture.md, Determinism)
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and not UNORDERED_INDEX.fullmatch(p.relative_to(site).as_posix())
    }


def test_a_warm_build_writes_the_cold_builds_files_before_and_after_an_edit(tmp_path, monkeypatch):
    monkeypatch.delenv(cache_signing.KEY_ENV, raising=False)
    records = draw_records(tmp_path)
    cache = tmp_path / "cache"
    cold = _build(records, tmp_path / "cold")
    assert any(name == f"draws/{V2}/bundle.json" for name in cold)
    assert _build(records, tmp_path / "first", cache) == cold
    assert draw_cache.LAST_RUN == {"reused": [], "signed": [], "made": DRAWN, "refused": []}
    assert _build(records, tmp_path / "warm", cache) == cold
    assert draw_cache.LAST_RUN == {"reused": DRAWN, "signed": [], "made": [], "refused": []}

    # a merge: a results file edited, and (as if) one draw folder gained a file
    results = records / "units" / "market" / "results" / "T2026-market-01.yaml"
    text = results.read_text(encoding="utf-8")
    results.write_text(
        text.replace("食品留样记录不完整", "食品留样记录和进货台账不完整", 1), encoding="utf-8"
    )
    entropy = records / "draws" / "2026" / V1 / "entropy.yaml"
    entropy.write_text(entropy.read_text(encoding="utf-8") + "# 补记：现场见证\n", encoding="utf-8")
    edited = _build(records, tmp_path / "cold-edited")
    assert edited != cold
    assert _build(records, tmp_path / "warm-edited", cache) == edited
    assert draw_cache.LAST_RUN == {"reused": [V2], "signed": [], "made": [V1], "refused": []}


def test_a_signed_warm_build_takes_its_entries_unchecked_and_writes_the_cold_builds_files(
    tmp_path, monkeypatch
):
    """With the cache key the first build signs its entries; the next takes them on their MAC (the
    check against the folder is never called) and writes the cold build's files, before and after
    a draw folder's edit."""
    monkeypatch.setenv(cache_signing.KEY_ENV, "draw-bundle-site-test-key")
    checked: list[str] = []
    real = draw_cache._matches

    def matches(bundle, data, files):
        checked.append(files.draw_id)
        return real(bundle, data, files)

    monkeypatch.setattr(draw_cache, "_matches", matches)
    records = draw_records(tmp_path)
    cache = tmp_path / "cache"
    cold = _build(records, tmp_path / "cold")
    assert _build(records, tmp_path / "first", cache) == cold
    assert draw_cache.LAST_RUN == {"reused": [], "signed": [], "made": DRAWN, "refused": []}
    assert _build(records, tmp_path / "warm", cache) == cold
    assert draw_cache.LAST_RUN == {"reused": DRAWN, "signed": DRAWN, "made": [], "refused": []}
    assert checked == []

    entropy = records / "draws" / "2026" / V2 / "entropy.yaml"
    entropy.write_text(entropy.read_text(encoding="utf-8") + "# 补记：现场见证\n", encoding="utf-8")
    edited = _build(records, tmp_path / "cold-edited")
    assert _build(records, tmp_path / "warm-edited", cache) == edited
    assert draw_cache.LAST_RUN == {"reused": [V1], "signed": [V1], "made": [V2], "refused": []}
    assert checked == []
