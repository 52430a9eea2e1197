"""The build cache folder (``build --cache DIR``): what a build may reuse from the builds before it.

Each kind of reusable work keeps its own part, ``DIR/<part>/`` (``search``: Pagefind shards,
``search_cache``; further parts for draw bundles and pages). Every part is a folder of entries
named by the hash of their inputs, and each part's module checks an entry before it trusts it.

The folder may be emptied of stale entries, so it must be ours: missing, empty, or carrying our
marker as a plain file (``check_folder``); each part carries the marker too. Any failure to read or
write a part costs the work being done again, never the build (``part`` answers None).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.paths import PathRefused

MARKER = ".ssj-build-cache"  # a folder without it (as a plain file) is not ours to empty
ENV = "SSJ_BUILD_CACHE"  # the checked folder, handed from the command to the MkDocs hook


def check_folder(folder: Path, site: Path | None = None) -> Path:
    """``folder`` may hold the cache: missing, empty, or a cache made before (our marker), and
    apart from the site folder ``site`` (a build replaces that whole, and publishes it)."""
    if site is not None:
        here, there = folder.resolve(), site.resolve()
        if here == there or there in here.parents or here in there.parents:
            raise PathRefused(
                f"构建缓存目录“{folder}”与网站输出目录“{site}”重叠，已拒绝。"
                "请把缓存放在网站目录之外（如 .build-cache）。"
            )
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise PathRefused(
            f"构建缓存目录“{folder}”不是一个普通目录。请换一个新的或空的目录（如 .build-cache）。"
        )
    if folder.is_dir() and any(folder.iterdir()) and not ours(folder):
        raise PathRefused(
            f"构建缓存目录“{folder}”已存在，且不是本工具建立的缓存（没有 {MARKER}）。"
            "生成网站会删除其中过期的内容，已拒绝。请指定一个新的或空的目录（如 .build-cache）。"
        )
    folder.mkdir(parents=True, exist_ok=True)
    if not _mark(folder):
        raise PathRefused(f"无法在构建缓存目录“{folder}”中建立标记文件。请换一个目录。")
    return folder


def ours(folder: Path) -> bool:
    """The marker is a plain file (lstat: a link to some other file does not count)."""
    try:
        return stat.S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


def _mark(folder: Path) -> bool:
    if ours(folder):
        return True
    try:
        fd = os.open(folder / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except OSError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("ssj build cache: safe to delete\n")
    return True


def runtime() -> bytes:
    """The versions a kept result's bytes depend on beyond our sources: Python (``json``, ``csv``,
    ``unicodedata``), PyYAML and the C libyaml it parses with (its own version: marks, scalars),
    the Unicode data and the CSV field limit. A part keyed on its code keys on these too, so a cache
    restored from a run on other libraries is other keys (red team 9), never entries taken unchecked."""
    import csv
    import sys
    import unicodedata

    import yaml

    try:
        from yaml import _yaml

        libyaml = _yaml.get_version_string()
    except (ImportError, AttributeError):
        libyaml = None
    env = (sys.version, yaml.__version__, yaml.__with_libyaml__, libyaml, unicodedata.unidata_version)
    return repr((*env, csv.field_size_limit())).encode()


def root() -> Path | None:
    """The folder ``build --cache`` checked and handed to this build, if any."""
    folder = os.environ.get(ENV)
    return Path(folder) if folder else None


def part(folder: Path | None, name: str) -> Path | None:
    """``folder/name``, made and marked if need be; None without a cache, or when the part cannot
    be used (a link or a file in its place, a read-only folder): that work is then done again."""
    if folder is None or not ours(folder):
        return None
    path = folder / name
    try:
        if not path.is_symlink() and not path.exists():
            path.mkdir()
        if path.is_symlink() or not stat.S_ISDIR(os.lstat(path).st_mode) or not _mark(path):
            return None
    except OSError:
        return None
    return path


def read_plain(path: Path, limit: int | None = None) -> bytes:
    """A cache entry's file: a regular file's bytes (up to ``limit``), never through a link."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or (limit is not None and st.st_size > limit):
            raise OSError(errno.EINVAL, "not a regular file within the limit")
        data = f.read() if limit is None else f.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise OSError(errno.EFBIG, "over the limit")
    return data


def write_entry(folder: Path, key: str, fill: Callable[[Path], None]) -> None:
    """Make the entry ``folder/key`` whole or not at all: ``fill`` writes it into a temporary folder
    (``.storing-…``, removed by ``search_cache.prune`` if a crash leaves it), which is then renamed.
    A full disk or a read-only cache (OSError) leaves nothing and costs the work again next time."""
    work = None
    try:
        work = Path(tempfile.mkdtemp(prefix=".storing-", dir=folder))
        fill(work)
        os.rename(work, folder / key)
        work = None
    except OSError:
        pass
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
