"""The frozen pools' people, read on the other core while the build reads the records
(``rules/drawn.read_pools``, issue 18): ``frozen_people`` gives the same facts with or without that
read, whatever the draw folders hold, and the read follows no link out of ``draws/``."""

from __future__ import annotations

import os
import shutil

from generator.corpus import load
from generator.rules.drawn import POOL, frozen_people, read_pools
from generator.validation import validate_corpus


def _both(root):
    """(frozen_people without the read, with it, the read): each on a fresh load."""
    plain = frozen_people(load(root))
    corpus = load(root)
    corpus.pools_read = read_pools(root)
    return plain, frozen_people(corpus), corpus.pools_read


def test_the_read_gives_what_each_pool_gives(full_tree):
    plain, read, pools = _both(full_tree)
    assert plain and read == plain
    assert set(pools) == {
        (p.parent.parent.name, p.parent.name) for p in (full_tree / "draws").glob(f"*/*/{POOL}")
    }


def test_damaged_missing_and_odd_pools_read_the_same(full_tree):
    folders = sorted(p.parent for p in (full_tree / "draws").glob(f"*/*/{POOL}"))
    assert folders
    folder = folders[0]
    for text in ('["not", "an", "object"]', '{"inspectors": 5, "assistants": [1, {"id": 2}]}', "{broken"):
        (folder / POOL).write_text(text, encoding="utf-8")
        plain, read, _ = _both(full_tree)
        assert read == plain
    (folder / POOL).unlink()
    plain, read, pools = _both(full_tree)
    assert read == plain and pools[(folder.parent.name, folder.name)] is None


def test_no_link_out_of_the_draw_folders_is_followed(full_tree, tmp_path):
    """A year folder or a draw folder that is a link is not read; the rules read its pool where the
    records name it, with their own refusal of links (bounded.read_json), as before."""
    outside = tmp_path / "outside"
    folder = sorted(p.parent for p in (full_tree / "draws").glob(f"*/*/{POOL}"))[0]
    shutil.copytree(folder.parent, outside / "2099")
    os.symlink(outside / "2099", full_tree / "draws" / "2099")
    os.symlink(outside / "2099" / folder.name, full_tree / "draws" / folder.parent.name / "D2099-0001")
    pools = read_pools(full_tree)
    assert not any(year == "2099" or draw == "D2099-0001" for year, draw in pools)


def test_validation_finds_the_same_with_the_read(full_tree):
    """The rules that judge drawn teams by the frozen pool (teams, results) find the same."""
    (full_tree / "units/market/inspectors.csv").write_text(
        (full_tree / "units/market/inspectors.csv")
        .read_text(encoding="utf-8")
        .replace("2028-12-31", "2026-04-30", 1),
        encoding="utf-8",
    )
    corpus = load(full_tree)
    corpus.pools_read = read_pools(full_tree)
    with_read = sorted(f.key for f in validate_corpus(corpus))
    assert with_read == sorted(f.key for f in validate_corpus(load(full_tree)))
