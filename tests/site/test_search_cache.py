"""A shard's Pagefind index is reused from ``build --cache`` while its pages are unchanged
(issue 18's warm build), and the cache can neither delete a user's folder nor serve a stale index.

The Pagefind runs here are real (the extended binary), over a small hand-made site with two years;
a wrapper binary logs which shards Pagefind was actually run for.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.paths import PathRefused
from generator.site import build_cache, search_cache, search_index

PAGES = {
    "objects/a/index.html": ("2025", "泗阳县青桐商贸店 检查未发现问题"),
    "objects/b/index.html": ("2025", "泗阳县柘禾种业店 责令整改"),
    "objects/c/index.html": ("2026", "泗阳县泓川饭店 食品留样"),
    "tasks/t/index.html": ("2026", "学校食堂联合抽查"),
    "units/market/index.html": (None, "县市场监管局"),
}


def _page(text: str) -> str:
    return f'<!doctype html><html lang="zh-CN"><head><title>{text}</title></head><body data-pagefind-body><h1>{text}</h1><p>{text}</p></body></html>\n'


def _models():
    return [
        SimpleNamespace(
            url=path.removesuffix("index.html"), searchable=True, filters={"年度": [year]} if year else {}
        )
        for path, (year, _) in PAGES.items()
    ]


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    for path, (_, text) in PAGES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(_page(text), encoding="utf-8")
    return root


@pytest.fixture
def logged_pagefind(tmp_path, monkeypatch):
    """PAGEFIND_BINARY_PATH -> a wrapper that logs the folder of every indexing run."""
    real = search_index.pagefind_executable()
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "pagefind-logged"
    wrapper.write_text(
        f'#!/bin/sh\n[ "$1" = "--site" ] && echo "$2" >> {log}\nexec {real} "$@"\n', encoding="utf-8"
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))

    def runs() -> int:
        """Shard runs since the last call (the one-page run for Pagefind's code not counted)."""
        lines = log.read_text().splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        return sum(1 for line in lines if search_cache.REFERENCE not in line)

    return runs


def _part(folder: Path, site: Path | None = None) -> Path:
    """The search part of a checked build cache folder."""
    return build_cache.part(build_cache.check_folder(folder, site), "search")


def _index(site: Path, cache: Path) -> None:
    search_index.run_pagefind(site, _models(), cache=_part(cache, site))


def _fragments(site: Path, shard: str) -> set[str]:
    # fragment files are named by a hash of their bytes: the same set means the same pages indexed
    return {p.name for p in (site / "pagefind" / shard / "fragment").iterdir()}


def test_an_unchanged_site_runs_no_pagefind_and_gets_the_same_index(site, tmp_path, logged_pagefind):
    cache = tmp_path / "cache"
    _index(site, cache)
    assert logged_pagefind() == 3  # site, y2025, y2026
    first = {shard: _fragments(site, shard) for shard in ("site", "y2025", "y2026")}
    _index(site, cache)
    assert logged_pagefind() == 0 and search_index.LAST_RUN["reused"] == 3
    assert {shard: _fragments(site, shard) for shard in first} == first
    manifest = json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8"))
    assert manifest == {"first": ["site", "y2026"], "years": {"2025": ["y2025"]}}


def test_only_the_shard_whose_page_changed_is_indexed_again(site, tmp_path, logged_pagefind):
    cache = tmp_path / "cache"
    _index(site, cache)
    logged_pagefind()
    before = _fragments(site, "y2026")
    (site / "objects/c/index.html").write_text(_page("泗阳县泓川饭店 责令整改 已整改"), encoding="utf-8")
    _index(site, cache)
    assert logged_pagefind() == 1 and search_index.LAST_RUN["reused"] == 2
    assert _fragments(site, "y2026") != before  # the edited page's new words are in the index
    assert len(_entries(cache)) == 3  # the old y2026 entry was pruned


def test_a_page_moved_between_shards_or_renamed_makes_a_new_key(site, tmp_path):
    real = search_index.pagefind_executable()
    command = (real, "--quiet")
    pages = ["objects/a/index.html", "objects/b/index.html"]
    k = search_cache.key(site, pages, command)
    assert search_cache.key(site, list(reversed(pages)), command) == k  # order given does not matter
    assert search_cache.key(site, pages[:1], command) != k
    (site / "objects/d").mkdir()
    os.replace(site / "objects/b/index.html", site / "objects/d/index.html")
    assert search_cache.key(site, ["objects/a/index.html", "objects/d/index.html"], command) != k
    one = pages[:1]
    assert search_cache.key(site, one, (real, "--quiet", "--force-language", "en")) != search_cache.key(
        site, one, command
    )
    # another binary saying the same --version (the standard one does not segment Chinese)
    other = tmp_path / "pagefind-standard"
    other.write_text(f'#!/bin/sh\nexec {real} "$@"\n', encoding="utf-8")
    assert search_cache.key(site, one, (str(other), "--quiet")) != search_cache.key(site, one, command)


def test_bytes_cannot_move_from_one_page_into_the_next_pages_name(tmp_path):
    """Each path and body is length-prefixed: "a.html" holding "Zb.htmlQ" is not the two pages
    a.html "Z" and b.html "Q" (the same bytes end to end)."""
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    (one / "a.html").write_text("Zb.htmlQ", encoding="utf-8")
    (two / "a.html").write_text("Z", encoding="utf-8")
    (two / "b.html").write_text("Q", encoding="utf-8")
    command = ("pagefind", "--quiet")
    assert search_cache.key(one, ["a.html"], command) != search_cache.key(two, ["a.html", "b.html"], command)


def _entries(cache: Path) -> list[Path]:
    """The search entries of a build cache folder."""
    return [p for p in (cache / "search").iterdir() if len(p.name) == 64]


@pytest.mark.parametrize(
    "damage",
    [
        "missing entry file",
        "missing fragments",
        "altered fragment",
        "extra script",
        "link to a secret",
        "dangling link",
        "manifest not json",
    ],
)
def test_a_damaged_or_tampered_entry_is_indexed_again_and_nothing_of_it_is_published(
    site, tmp_path, logged_pagefind, damage
):
    cache = tmp_path / "cache"
    _index(site, cache)
    logged_pagefind()
    fresh = {shard: _fragments(site, shard) for shard in ("site", "y2025", "y2026")}
    secret = tmp_path / "secret"
    secret.write_text("PRIVATE KEY 13812345678", encoding="utf-8")
    for entry in _entries(cache):
        data = entry / "data"
        if damage == "missing entry file":
            (data / "pagefind-entry.json").unlink()
        elif damage == "missing fragments":
            shutil.rmtree(data / "fragment")
        elif damage == "altered fragment":
            victim = next((data / "fragment").iterdir())
            victim.write_bytes(victim.read_bytes()[:-1] + b"!")
        elif damage == "extra script":
            (data / "pagefind.js").write_text("alert(document.cookie)", encoding="utf-8")
        elif damage == "link to a secret":
            victim = next((data / "fragment").iterdir())
            victim.unlink()
            victim.symlink_to(secret)
        elif damage == "dangling link":
            (data / "fragment" / "gone.pf_fragment").symlink_to(tmp_path / "nowhere")
        else:
            (entry / "manifest.json").write_text("{", encoding="utf-8")
    _index(site, cache)
    assert logged_pagefind() == 3 and search_index.LAST_RUN["reused"] == 0
    assert {shard: _fragments(site, shard) for shard in fresh} == fresh
    published = b"".join(p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file())
    assert b"PRIVATE KEY" not in published and b"alert(document.cookie)" not in published


def test_a_restored_shard_is_linked_and_checked_where_it_lands(site, tmp_path, logged_pagefind, monkeypatch):
    """A restored index's files are hard links to the entry's (creating and writing some 50,000
    files cost a county's warm build 18-33 s); where links are refused they are copied. Either way
    the bytes checked are the ones in the site, and the index is the one Pagefind made."""
    cache = tmp_path / "cache"
    _index(site, cache)
    fresh = {shard: _fragments(site, shard) for shard in ("site", "y2025", "y2026")}
    _index(site, cache)
    assert logged_pagefind() == 3 and search_index.LAST_RUN["reused"] == 3
    restored = list((site / "pagefind" / "y2025" / "fragment").iterdir())
    assert restored and all(p.stat().st_nlink == 2 for p in restored)
    assert {shard: _fragments(site, shard) for shard in fresh} == fresh

    def refused(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(search_cache, "_link", refused)
    _index(site, cache)
    assert logged_pagefind() == 0 and search_index.LAST_RUN["reused"] == 3
    copied = list((site / "pagefind" / "y2025" / "fragment").iterdir())
    assert copied and all(p.stat().st_nlink == 1 for p in copied)
    assert {shard: _fragments(site, shard) for shard in fresh} == fresh


def test_an_entry_file_changed_after_its_shard_was_linked_is_caught_by_the_next_build(
    site, tmp_path, logged_pagefind
):
    """The published file and the entry's share their bytes once linked: an entry file rewritten in
    place (no build of ours does) changes a site already built, and the next build refuses the entry."""
    cache = tmp_path / "cache"
    _index(site, cache)
    _index(site, cache)
    logged_pagefind()
    for entry in _entries(cache):
        victim = next((entry / "data" / "fragment").iterdir())
        victim.write_bytes(victim.read_bytes()[:-1] + b"!")
    _index(site, cache)
    assert logged_pagefind() == 3 and search_index.LAST_RUN["reused"] == 0
    published = [p for p in (site / "pagefind").rglob("*.pf_fragment")]
    assert published and all(p.stat().st_nlink == 1 for p in published)


def test_pagefinds_code_never_comes_from_the_cache(site, tmp_path, logged_pagefind):
    cache = tmp_path / "cache"
    _index(site, cache)
    code = {p.name: p.read_bytes() for p in (site / "pagefind" / "y2026").iterdir() if p.is_file()}
    code = {name: data for name, data in code.items() if name.endswith((".js", ".css", ".pagefind"))}
    assert "pagefind.js" in code
    for entry in _entries(cache):
        stored = {p.name for p in entry.rglob("*")}
        assert not stored & set(code)  # only the index's data is kept
    _index(site, cache)
    assert search_index.LAST_RUN["reused"] == 3
    for shard in ("site", "y2025", "y2026"):
        for name, data in code.items():
            assert (site / "pagefind" / shard / name).read_bytes() == data, (shard, name)
    assert not (site / "pagefind" / search_cache.REFERENCE).exists()


def test_the_marker_must_be_a_plain_file_not_a_link_to_someone_elses(site, tmp_path):
    victim = tmp_path / "notes.txt"
    victim.write_text("user's own notes\n", encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / build_cache.MARKER).symlink_to(victim)
    with pytest.raises(PathRefused):
        build_cache.check_folder(cache, site)
    assert victim.read_text(encoding="utf-8") == "user's own notes\n"
    (cache / ("a" * 64)).mkdir()
    assert search_cache.prune(cache, set()) == []  # a linked marker does not make the folder ours


def test_a_cache_that_cannot_be_written_costs_pagefind_runs_not_the_build(
    site, tmp_path, logged_pagefind, monkeypatch
):
    """A full disk or a read-only cache (root ignores chmod here, so the write itself fails)."""
    cache = _part(tmp_path / "cache", site)
    real = search_cache.tempfile.mkdtemp

    def no_space(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == cache:
            raise OSError(28, "No space left on device")
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(search_cache.tempfile, "mkdtemp", no_space)
    search_index.run_pagefind(site, _models(), cache=cache)
    assert logged_pagefind() == 3 and (site / "pagefind/y2026/pagefind-entry.json").is_file()
    assert _entries(cache.parent) == []


def test_a_store_interrupted_midway_leaves_no_entry(site, tmp_path, monkeypatch):
    search_index.run_pagefind(site, _models())
    cache = _part(tmp_path / "cache", site)
    real = Path.write_text

    def failing(self, *args, **kwargs):
        if self.name == search_cache.MANIFEST:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    search_cache.store(cache, "c" * 64, site / "pagefind" / "y2026")
    assert sorted(p.name for p in cache.iterdir()) == [build_cache.MARKER]


def test_a_build_holding_the_cache_stops_another_from_pruning_it(tmp_path):
    cache = _part(tmp_path / "cache")
    (cache / ("b" * 64)).mkdir()
    with search_cache.shared(cache):
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from generator.site import search_cache as c;"
                " print(c.prune(Path(sys.argv[1]), set()))",
                str(cache),
            ],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parents[2],
            check=True,
        )
    assert child.stdout.strip() == "[]" and (cache / ("b" * 64)).is_dir()
    assert search_cache.prune(cache, set()) == ["b" * 64]


def test_a_pagefind_config_file_in_the_callers_folder_changes_nothing(
    site, tmp_path, logged_pagefind, monkeypatch
):
    """The key cannot see a pagefind.yml where the build runs, so Pagefind must not read one."""
    cache = tmp_path / "cache"
    _index(site, cache)
    logged_pagefind()
    baseline = _fragments(site, "y2026")
    here = tmp_path / "caller"
    here.mkdir()
    (here / "pagefind.yml").write_text(
        "exclude_selectors: ['h1', 'p']\nforce_language: en\n", encoding="utf-8"
    )
    monkeypatch.chdir(here)
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "p")
    search_index.run_pagefind(site, _models())  # no cache: Pagefind really runs
    assert _fragments(site, "y2026") == baseline


def test_the_cache_folder_must_be_ours_or_empty(site, tmp_path):
    mine = tmp_path / "文档"
    mine.mkdir()
    (mine / "论文.docx").write_text("x", encoding="utf-8")
    with pytest.raises(PathRefused, match="不是本工具建立的缓存"):
        build_cache.check_folder(mine, site)
    assert (mine / "论文.docx").is_file()
    with pytest.raises(PathRefused, match="重叠"):
        build_cache.check_folder(site / "pagefind-cache", site)
    with pytest.raises(PathRefused, match="重叠"):
        build_cache.check_folder(site.parent, site)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(PathRefused, match="不是一个普通目录"):
        build_cache.check_folder(link, site)
    fresh = build_cache.check_folder(tmp_path / "new", site)
    assert (fresh / build_cache.MARKER).is_file()
    assert build_cache.check_folder(fresh, site) == fresh  # a cache made before is accepted


def test_prune_removes_only_our_stale_entries(tmp_path):
    cache = _part(tmp_path / "cache")
    kept, stale = "a" * 64, "b" * 64
    for name in (kept, stale, ".storing-x", "notes"):
        (cache / name).mkdir()
    (cache / "c").write_text("a file", encoding="utf-8")
    assert search_cache.prune(cache, {kept}) == [".storing-x", stale]
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [search_cache.LOCK, build_cache.MARKER, kept, "notes", "c"]
    )
    (cache / build_cache.MARKER).unlink()
    assert search_cache.prune(cache, set()) == []  # without our marker nothing is ours


def test_build_refuses_a_foreign_cache_folder_with_a_chinese_message(tmp_path):
    mine = tmp_path / "资料"
    mine.mkdir()
    (mine / "名单.xlsx").write_text("x", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--out",
            str(tmp_path / "site"),
            "--cache",
            str(mine),
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "不是本工具建立的缓存" in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert (mine / "名单.xlsx").is_file() and not (tmp_path / "site").exists()


@pytest.mark.heavy
def test_a_second_build_of_the_same_records_copies_every_shard_byte_for_byte(tmp_path):
    """The real command, twice: the second build runs no Pagefind and publishes the same index."""
    from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS

    log = tmp_path / "runs.log"
    wrapper = tmp_path / "pagefind-logged"
    wrapper.write_text(
        f'#!/bin/sh\n[ "$1" = "--site" ] && echo "$2" >> {log}\nexec {search_index.pagefind_executable()} "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    env = os.environ | {"SOURCE_DATE_EPOCH": FIXTURE_EPOCH, "PAGEFIND_BINARY_PATH": str(wrapper)}
    cache = tmp_path / "cache"

    def shard_runs() -> list[str]:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        return [line for line in lines if search_cache.REFERENCE not in line]

    def build(out: Path) -> dict[str, bytes]:
        command = [
            "build",
            "--records",
            str(FIXTURE_RECORDS),
            "--out",
            str(out),
            "--cache",
            str(cache),
        ]
        done = subprocess.run(
            [sys.executable, "-m", "generator", *command],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parents[2],
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return {
            str(p.relative_to(out / "pagefind")): p.read_bytes()
            for p in (out / "pagefind").rglob("*")
            if p.is_file()
        }

    first = build(tmp_path / "one")
    assert shard_runs()
    entries = {p.name for p in (cache / "search").iterdir() if len(p.name) == 64}
    shards = json.loads(first["shards.json"])
    assert len(entries) == len(
        {s for s in shards["first"]} | {s for y in shards["years"].values() for s in y}
    )
    assert build(tmp_path / "two") == first
    assert shard_runs() == []  # every shard came from the cache
    assert {p.name for p in (cache / "search").iterdir() if len(p.name) == 64} == entries


def test_a_part_is_a_marked_folder_of_ours_or_nothing(tmp_path):
    """A link or a file where a part belongs is never followed: that work is done again instead."""
    root = build_cache.check_folder(tmp_path / "cache")
    assert build_cache.part(None, "search") is None
    made = build_cache.part(root, "search")
    assert made == root / "search" and build_cache.ours(made)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "draws").symlink_to(elsewhere, target_is_directory=True)
    (root / "pages").write_text("a file", encoding="utf-8")
    assert build_cache.part(root, "draws") is None and build_cache.part(root, "pages") is None
    assert list(elsewhere.iterdir()) == []
    (root / build_cache.MARKER).unlink()
    assert build_cache.part(root, "search") is None  # not ours any more: nothing is read from it


def test_an_entrys_data_never_stands_where_pagefinds_code_is_written(tmp_path):
    """Red team: a manifest listing data named like Pagefind's code (``pagefind.js``) got that file
    hard-linked into the bundle, and the code copied over it was written through the link into the
    entry's file and any file that is another name of it, outside the site and the cache."""
    import hashlib

    reference = tmp_path / "site" / "pagefind" / ".reference"
    reference.mkdir(parents=True)
    (reference / "pagefind.js").write_text("/* pagefind code */", encoding="utf-8")
    (reference / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    outside = tmp_path / "home" / "notes.txt"  # the builder's own file, neither site nor cache
    outside.parent.mkdir()
    outside.write_text("my own notes", encoding="utf-8")
    folder = tmp_path / "cache"
    for key, name in (("a" * 64, "pagefind.js"), ("b" * 64, "index/../pagefind.js"), ("c" * 64, "notes.txt")):
        (folder / key / "data").mkdir(parents=True)
        os.link(outside, folder / key / "data" / Path(name).name)
        body = outside.read_bytes()
        manifest = {"files": {name: [len(body), hashlib.sha256(body).hexdigest()]}, "code": ["pagefind.js"]}
        (folder / key / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        target = tmp_path / "site" / "pagefind" / key[:4]
        assert not search_cache.restore(folder, key, target, reference)
        assert not target.exists()
        assert outside.read_text(encoding="utf-8") == "my own notes"


def test_shard_keys_on_every_core_are_the_keys_made_one_by_one(site, monkeypatch):
    members = {
        "site": ["units/market/index.html"],
        "2025": ["objects/a/index.html", "objects/b/index.html"],
        "2026": ["objects/c/index.html", "tasks/t/index.html"],
    }
    command = search_index._command()
    one_by_one = {name: search_cache.key(site, pages, command) for name, pages in members.items()}
    monkeypatch.setattr(search_index, "KEYS_ON_ALL_CORES", 0)
    assert search_index._shard_keys(site, members) == one_by_one
    assert len(set(one_by_one.values())) == 3
