"""serve's record cache (issue 18): a rebuild parses again only the files whose bytes changed, and
what it hands back is exactly what a fresh read of the tree gives — after an edit, an edit that keeps
the old size and modification time, an added, a deleted and a broken file; the preview reports a
broken file like a full build and recovers once it is fixed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.corpus import load
from generator.site import draws
from generator.site.assemble import RecordsInvalid, assemble
from generator.site.record_cache import RecordCache
from generator.validation import validate_corpus
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS

RESULT = "units/market/results/T2026-market-01.yaml"
OLD_FINDING = "食品留样记录不完整，已当场责令改正。"
SAME_LENGTH = "食品留样记录不齐全，已当场责令改正。"  # same bytes count: size alone cannot tell
DRAW = "draws/2026/D2026-0001"


def _state(corpus) -> tuple:
    """Everything a corpus hands the rules and the site, after the rules ran (``uscc`` rewrites ids
    in place: a cached record must come out of it as a fresh one does), plus what they found."""
    found = validate_corpus(corpus)
    records = {
        kind: [(r.data, r.file, r.prefix, r.owner, r.header, r.loc()) for r in rows]
        for kind, rows in corpus.records.items()
    }
    return records, corpus.files, [f.key + (f.message,) for f in corpus.findings], found.keys()


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    monkeypatch.chdir(tmp_path)  # display prefixes relative to here, as serve shows them
    root = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, root)
    return root


@pytest.fixture
def cache(tree):
    """A cache that has been through one whole assembly (rules, draw pages, page models): whatever
    that does to the records it holds must not leak into the next read."""
    made = RecordCache()
    assemble(tree, int(FIXTURE_EPOCH), made).cancel()
    assert made.parsed_files  # the first read parsed everything
    assert load(tree, cache=made) and made.parsed_files == []  # the second nothing
    return made


def _findings(corpus) -> list[str]:
    return [e.get("findings") for r in corpus.of("results") for e in r.data.get("entries", [])]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_is_parsed_again_and_nothing_else(tree, cache):
    _replace(tree / RESULT, OLD_FINDING, "冷藏柜内缺 2 份留样。")
    cached = load(tree, cache=cache)
    assert cache.parsed_files == [RESULT]
    assert "冷藏柜内缺 2 份留样。" in _findings(cached)
    assert _state(cached) == _state(load(tree))


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tree, cache):
    path = tree / RESULT
    before = path.stat()
    _replace(path, OLD_FINDING, SAME_LENGTH)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    cached = load(tree, cache=cache)
    assert cache.parsed_files == [RESULT]
    assert SAME_LENGTH in _findings(cached)
    assert _state(cached) == _state(load(tree))


def test_an_added_and_a_deleted_file(tree, cache):
    shutil.copy(tree / RESULT, tree / "units/health/results/T2026-market-01.yaml")
    cached = load(tree, cache=cache)
    assert cache.parsed_files == ["units/health/results/T2026-market-01.yaml"]
    added = _state(cached)
    assert added == _state(load(tree))
    assert any("units/health/results/T2026-market-01.yaml" in key[1] for key in added[3])  # its findings too
    entries = len(cache)
    (tree / RESULT).unlink()
    cached = load(tree, cache=cache)
    assert cache.parsed_files == []
    assert len(cache) == entries - 1  # the deleted file's parse is dropped, not kept for ever
    assert not any(r.file.endswith(RESULT) for r in cached.of("results"))
    assert _state(cached) == _state(load(tree))


def test_a_broken_file_is_reported_as_a_fresh_read_reports_it(tree, cache):
    path = tree / RESULT
    good = path.read_text(encoding="utf-8")
    clean = _state(load(tree, cache=cache))
    path.write_text(good.replace("inspected_on: 2026-04-20", "inspected_on: 2026-13-45"), encoding="utf-8")
    cached = load(tree, cache=cache)
    assert cache.parsed_files == [RESULT]
    state = _state(cached)
    assert state == _state(load(tree))
    assert any(key[1].endswith(RESULT) for key in set(state[3]) - set(clean[3]))
    path.write_text(good + "\n: [\n", encoding="utf-8")  # not YAML at all
    state = _state(load(tree, cache=cache))
    assert state == _state(load(tree))
    assert any(key[1].endswith(RESULT) and key[0].startswith("YAML") for key in state[3]), state[3]
    path.write_text(good, encoding="utf-8")
    cached = load(tree, cache=cache)
    assert cache.parsed_files == [RESULT]
    assert _state(cached) == _state(load(tree)) == clean


def test_a_draw_folder_is_read_again_only_when_its_bytes_change(tree, cache):
    fresh = draws.read_all(tree)
    assert draws.read_all(tree, cache) == fresh and cache.read_draws == []
    result = tree / DRAW / "result.yaml"
    before = result.stat()
    text = result.read_text(encoding="utf-8")
    changed = text.replace("2026", "2025", 1)
    assert changed != text and len(changed) == len(text)
    result.write_text(changed, encoding="utf-8")
    os.utime(result, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = draws.read_all(tree, cache)
    assert cache.read_draws == ["D2026-0001"]
    assert again == draws.read_all(tree) != fresh


def test_a_linked_draw_file_is_refused_with_or_without_the_cache(tree, cache):
    from generator.bounded import FileRefused

    request = tree / DRAW / "request.yaml"
    elsewhere = tree.parent / "request.yaml"
    shutil.move(request, elsewhere)
    request.symlink_to(elsewhere)
    for use in (None, cache):
        with pytest.raises(FileRefused):
            draws.read_all(tree, use)


def test_the_preview_reports_a_broken_result_like_a_full_build_and_recovers(tree, tmp_path):
    from generator.site.incremental import Preview

    preview = Preview(tree, tmp_path / "site")
    preview.full()
    path = tree / RESULT
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("inspected_on: 2026-04-20", "inspected_on: 2026-13-45"), encoding="utf-8")
    with pytest.raises(RecordsInvalid) as raised:
        preview.update()
    with pytest.raises(RecordsInvalid) as reference:
        assemble(tree, int(FIXTURE_EPOCH))  # what a full build reports
    assert raised.value.lines == reference.value.lines
    assert any(RESULT in line and "2026-13-45" in line for line in raised.value.lines)
    path.write_text(good.replace(OLD_FINDING, "冷藏柜内缺 2 份留样。"), encoding="utf-8")
    written = preview.update()
    assert "tasks/T2026-market-01/index.html" in written
    page = (preview.site_dir / "tasks/T2026-market-01/index.html").read_text(encoding="utf-8")
    assert "冷藏柜内缺 2 份留样。" in page and OLD_FINDING not in page
