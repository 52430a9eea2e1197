"""serve's incremental preview (issue 18): after an edit it rewrites only the pages the edit can
change, and those come out byte-identical to a full build of the edited records."""

from __future__ import annotations

import gzip
import shutil
import tracemalloc
from pathlib import Path

import pytest

from generator.site.incremental import NeedsFullBuild, Preview
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS, build_fixture_site

OLD_NAME, NEW_NAME = "泗阳县爱园中学食堂", "泗阳县爱园中学第二食堂"
OLD_FINDING = "食品留样记录不完整，已当场责令改正。"
NEW_FINDING = "食品留样记录不完整（冷藏柜内缺 2 份），已当场责令改正。"


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def preview(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    made = Preview(records, tmp_path / "preview")
    made.full()
    return made


def test_an_edited_result_and_object_rewrite_the_same_bytes_as_a_full_build(preview, tmp_path):
    before = _pages(preview.site_dir)
    _replace(preview.records / "units/market/results/T2026-market-01.yaml", OLD_FINDING, NEW_FINDING)
    by_result = preview.update()
    for csv in sorted(preview.records.glob("units/*/objects.csv")):
        if OLD_NAME in csv.read_text(encoding="utf-8"):
            _replace(csv, OLD_NAME, NEW_NAME)
    by_object = preview.update()

    full = build_fixture_site(tmp_path / "full", preview.records)
    reference, incremental = _pages(full), _pages(preview.site_dir)
    assert incremental == reference  # every page, not only the rewritten ones
    changed = {path for path in reference if before[path] != reference[path]}
    assert changed and changed <= set(by_result) | set(by_object)
    assert "tasks/T2026-market-01/index.html" in by_result
    assert len(set(by_result) | set(by_object)) < len(reference) / 2  # not a full rewrite
    # the object's pages mention its new name, and so does the search index's fragment for it
    assert any(NEW_NAME in reference[p].decode("utf-8") for p in by_object)
    fragments = [gzip.decompress(p.read_bytes()) for p in (preview.site_dir / "pagefind/fragment").iterdir()]
    assert any(NEW_NAME.encode("utf-8") in f for f in fragments)


def test_a_change_every_page_shows_asks_for_a_full_build(preview):
    _replace(preview.records / "county.yaml", "泗阳县", "泗阳县（改）")
    with pytest.raises(NeedsFullBuild):
        preview.update()


def test_memory_does_not_grow_with_each_rebuild(preview):
    result = preview.records / "units/market/results/T2026-market-01.yaml"
    tracemalloc.start()
    try:
        sizes = []
        for i in range(6):
            old, new = (OLD_FINDING, NEW_FINDING) if i % 2 == 0 else (NEW_FINDING, OLD_FINDING)
            _replace(result, old, new)
            preview.update()
            sizes.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    # after the first rebuilds warm the caches, the fifth and sixth hold no more than the second
    assert max(sizes[4:]) <= sizes[1] * 1.05 + 256 * 1024, sizes
