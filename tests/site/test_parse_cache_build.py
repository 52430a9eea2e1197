"""A real build with ``--cache`` and the publishing job's key: a warm build (every YAML file's parse
decoded from ``DIR/parse``) makes the same site, byte for byte, as a cold one and as a build without
any cache, and after an edit the same site as a build without any cache; without the key the part
is never made (generator/site/parse_cache.py; issue 18's warm build)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.site import build_cache, cache_signing, parse_cache
from generator.site.builder import BuildFailed, build_site
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS
from tests.site.test_build import UNORDERED_INDEX

EDITED = "units/market/results/T2026-market-01.yaml"


@pytest.fixture(autouse=True)
def _signing_key(monkeypatch):
    monkeypatch.setenv(cache_signing.KEY_ENV, "a-test-key-of-enough-length")


def _build(records: Path, out: Path, cache: Path | None = None) -> dict[str, bytes]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXTURE_EPOCH
    try:
        if cache is not None:
            build_cache.check_folder(cache, out)
        build_site(records, out, cache=cache)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and not UNORDERED_INDEX.fullmatch(p.relative_to(out).as_posix())
    }


def _same_site(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []


def test_warm_builds_make_the_sites_cold_builds_make(tmp_path):
    records, cache = tmp_path / "records", tmp_path / "cache"
    shutil.copytree(FIXTURE_RECORDS, records)
    yaml_files = sorted(p.relative_to(records).as_posix() for p in records.rglob("*.yaml"))

    cold = _build(records, tmp_path / "cold", cache)
    assert sorted(parse_cache.LAST["reused"]) == [] and list((cache / "parse").glob("*.pack"))
    warm = _build(records, tmp_path / "warm", cache)
    assert sorted(parse_cache.LAST["reused"]) == yaml_files
    _same_site(cold, warm)
    _same_site(_build(records, tmp_path / "none"), warm)

    # a line added above the late entry moves its warning (RESULT_ENTRY_LATE, shown on the report
    # pages with file:line) and changes a finding's text; the other file's warning stays cached
    path = records / EDITED
    text = path.read_text("utf-8").replace("食品留样记录不完整", "食品留样记录不全")
    path.write_text("# 补录说明：见附件。\n" + text, encoding="utf-8")
    edited = _build(records, tmp_path / "edited", cache)
    assert [f for f in parse_cache.LAST["parsed"] if f.endswith(".yaml")] == [EDITED]
    fresh = _build(records, tmp_path / "fresh")
    _same_site(edited, fresh)
    assert edited != warm


def test_a_warm_build_refuses_broken_records_with_the_same_file_and_line(tmp_path):
    """A rule's finding points at a line the cached line marks give (the item without its ratio
    cap, ITEM_RATIO_CAP_MISSING): the warm build refuses with the very message the others give."""
    records, cache = tmp_path / "records", tmp_path / "cache"
    shutil.copytree(FIXTURE_RECORDS, records)
    items = records / "units/market/items.yaml"
    text = items.read_text("utf-8")
    assert text.count("    ratio_cap: 3%\n") == 1
    items.write_text("# 事项清单\n" + text.replace("    ratio_cap: 3%\n", ""), encoding="utf-8")
    messages = []
    for folder in (cache, cache, None):
        with pytest.raises(BuildFailed) as refused:
            _build(records, tmp_path / "site", folder)
        messages.append(str(refused.value))
        if folder is not None:
            reused = "units/market/items.yaml" in parse_cache.LAST["reused"]
            assert reused == (len(messages) == 2)
    assert messages[0] == messages[1] == messages[2]
    assert "units/market/items.yaml:29:" in messages[0] and "ITEM_RATIO_CAP_MISSING" in messages[0]


def test_without_the_key_a_build_neither_reads_nor_writes_the_part(tmp_path, monkeypatch):
    records, cache = tmp_path / "records", tmp_path / "cache"
    shutil.copytree(FIXTURE_RECORDS, records)
    monkeypatch.delenv(cache_signing.KEY_ENV)
    keyless = _build(records, tmp_path / "keyless", cache)
    assert parse_cache.LAST["reused"] == [] and not (cache / "parse").exists()
    _same_site(_build(records, tmp_path / "none"), keyless)
