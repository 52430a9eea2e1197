"""A search shard's Pagefind index is reused while its pages are unchanged (issue 18, warm build).

Pagefind reads nothing but the pages staged for a shard: its index is a function of their paths and
bytes, of Pagefind's version and of the command line. ``key`` hashes exactly those. A build given
a cache folder (``build --search-cache DIR``; the publish workflow keeps one between runs on main)
copies a shard's index from ``DIR/<key>/`` instead of running Pagefind, and stores the indexes it
had to make. Past years' shards do not change when this year's results come in, so a county's
build after a merge re-indexes its newest year and the 栏目 shard only (docs/scale.md).

After the build the folder holds the shards of the site just built and nothing else (``prune``),
so it never grows past one site's index. It is only ever emptied of entries named like our keys,
and only in a folder that carries our marker file: ``--search-cache ~/文档`` is refused, never
emptied (``check_folder``).

Who writes the cache: whoever runs the build (locally), or the publish job on main (GitHub scopes
Actions caches by branch: a pull request's run cannot write an entry main's run reads). An entry is
taken as Pagefind's output for its key; a half-written one cannot be found (entries are written
under a temporary name and renamed), and one without Pagefind's entry file is made again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from generator.paths import PathRefused

MARKER = ".ssj-search-cache"  # a folder without it is not ours to empty
FORMAT = b"ssj-search-cache/1"  # bump when what a key covers changes
_KEY = re.compile(r"[0-9a-f]{64}")
_ENTRY_FILE = "pagefind-entry.json"  # Pagefind writes it last-but-not-least in every bundle


def check_folder(folder: Path, site: Path | None = None) -> Path:
    """``folder`` may hold the cache: missing, empty, or a cache made before (our marker), and
    apart from the site folder ``site`` (a build replaces that whole, and publishes it)."""
    if site is not None:
        here, there = folder.resolve(), site.resolve()
        if here == there or there in here.parents or here in there.parents:
            raise PathRefused(
                f"搜索索引缓存目录“{folder}”与网站输出目录“{site}”重叠，已拒绝。"
                "请把缓存放在网站目录之外（如 .search-cache）。"
            )
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise PathRefused(
            f"搜索索引缓存目录“{folder}”不是一个普通目录。请换一个新的或空的目录（如 .search-cache）。"
        )
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise PathRefused(
            f"搜索索引缓存目录“{folder}”已存在，且不是本工具建立的缓存（没有 {MARKER}）。"
            "生成网站会删除其中过期的内容，已拒绝。请指定一个新的或空的目录（如 .search-cache）。"
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("ssj search cache: safe to delete\n", encoding="utf-8")
    return folder


@cache
def _pagefind_identity(command: tuple[str, ...]) -> bytes:
    """What Pagefind says it is (``--version``) and its options: an upgrade, another binary or
    another option makes new keys."""
    try:
        done = subprocess.run([command[0], "--version"], capture_output=True, timeout=60, check=False)
        version = done.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        version = b"?"  # no version, no run: Pagefind's own failure is reported where it runs
    return version + b"\0" + "\0".join(command[1:]).encode("utf-8")


def key(site_dir: Path, pages: list[str], command: tuple[str, ...]) -> str:
    """SHA-256 over the format, Pagefind's identity and options, and every staged page: its
    site-relative path and its bytes, each length-prefixed, in sorted order."""
    h = hashlib.sha256(FORMAT + b"\0" + _pagefind_identity(command) + b"\0")
    for page in sorted(pages):
        name = page.encode("utf-8")
        data = (site_dir / page).read_bytes()
        h.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def restore(folder: Path, entry_key: str, target: Path) -> bool:
    """Copy the cached index ``entry_key`` to ``target`` (absent before); False when there is none."""
    entry = folder / entry_key
    if not (entry.is_dir() and not entry.is_symlink() and (entry / _ENTRY_FILE).is_file()):
        return False
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-cached-", dir=target.parent))
    try:
        shutil.copytree(entry, work / "bundle", symlinks=False)
        (work / "bundle").rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return True


def store(folder: Path, entry_key: str, built: Path) -> None:
    """Keep a copy of the index just made, written under a temporary name and renamed whole."""
    entry = folder / entry_key
    if entry.exists() or not (built / _ENTRY_FILE).is_file():
        return  # the same key is the same pages: the entry there is as good (or built was empty)
    work = Path(tempfile.mkdtemp(prefix=".storing-", dir=folder))
    try:
        shutil.copytree(built, work / "bundle", symlinks=False)
        os.replace(work / "bundle", entry)
    except OSError:
        pass  # a full disk or a race with another build costs a later Pagefind run, nothing more
    finally:
        shutil.rmtree(work, ignore_errors=True)


def prune(folder: Path, keep: set[str]) -> list[str]:
    """Remove the entries this build did not use (and stale temporary folders); returns their names.
    Only names our keys and temporaries take are touched, in a folder with our marker."""
    if not (folder / MARKER).is_file():
        return []
    removed = []
    for path in sorted(folder.iterdir()):
        ours = _KEY.fullmatch(path.name) or path.name.startswith(".storing-")
        if ours and path.name not in keep and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed
