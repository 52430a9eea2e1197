"""Red team 9: ``ci site --cache DIR`` in the publish job builds from what actions/cache restored,
which whoever can write main's Actions cache decides. ``build --cache`` refuses a folder that is
not ours (a link, a file, a folder without our marker: ``--cache ~/文档`` must never be emptied);
in CI that refusal stopped the publish job. A cache problem costs work, never the build: ``ci
site`` builds without the cache and says why. A real build of the sample, no part mocked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.cli.ci_steps.site import usable_cache
from generator.site import build_cache

ROOT = Path(__file__).resolve().parents[2]


def test_a_linked_cache_folder_does_not_stop_the_publish_build(tmp_path, monkeypatch, capsys):
    records = tmp_path / "records"
    shutil.copytree(ROOT / "records", records)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("x", encoding="utf-8")
    link = tmp_path / "cache"
    link.symlink_to(elsewhere)
    monkeypatch.chdir(tmp_path)
    code = main(["ci", "site", "--records", "records", "--out", "site", "--cache", "cache"])
    out = capsys.readouterr().out
    assert code == 0, out[-2000:]
    assert (tmp_path / "site" / "index.html").is_file()
    assert "本次构建不使用缓存" in out
    assert link.is_symlink() and sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize("shape", ["a link", "a file", "a folder without our marker"])
def test_a_refused_cache_folder_is_left_alone_and_not_used(tmp_path, capsys, shape):
    cache = tmp_path / "cache"
    if shape == "a link":
        (tmp_path / "target").mkdir()
        cache.symlink_to(tmp_path / "target")
    elif shape == "a file":
        cache.write_text("x", encoding="utf-8")
    else:
        cache.mkdir()
        (cache / "notes.txt").write_text("x", encoding="utf-8")
    assert usable_cache(str(cache), str(tmp_path / "site")) == []
    assert "本次构建不使用缓存" in capsys.readouterr().out
    assert cache.is_symlink() or cache.is_file() or sorted(p.name for p in cache.iterdir()) == ["notes.txt"]


def test_a_cache_folder_of_ours_or_none_is_used(tmp_path):
    assert usable_cache(None, "site") == []
    fresh = tmp_path / "fresh"
    assert usable_cache(str(fresh), str(tmp_path / "site")) == ["--cache", str(fresh)]
    assert build_cache.ours(fresh)
