"""A search shard's Pagefind index is reused while its pages are unchanged (issue 18, warm build).

Pagefind reads nothing but the pages staged for a shard (it runs in the staging folder, without
``PAGEFIND_*`` variables): its index is a function of their paths and bytes, of the Pagefind binary
and of the command line. ``key`` hashes exactly those. A build given a cache folder (``build
--cache DIR``, its part ``DIR/search``; the publish workflow keeps one between runs on main) copies a shard's index
from ``DIR/<key>/`` instead of running Pagefind, and stores the indexes it had to make. Past years'
shards do not change when this year's results come in, so a county's build after a merge indexes
its newest year and the 栏目 shard only (docs/scale.md).

What an entry may hold, and what is never taken from it:

* only the index's **data** (``pagefind-entry.json``, ``*.pf_meta`` and the ``fragment/``,
  ``index/``, ``filter/`` files), with ``manifest.json`` listing each file's size and SHA-256. An
  entry with anything else, a link, a missing or altered file is a miss (and made again): an
  interrupted copy or cache restore cannot publish half an index;
* never Pagefind's **code** (``pagefind.js``, its workers, UI and WebAssembly): a restored shard
  gets these from a Pagefind run of this build (``reference``), so no script reaches the site from
  the cache.

Any failure to read or write the cache costs a Pagefind run, never the build. The folder is only
ever emptied of entries named like our keys, and only when it carries our marker (a plain file, not
a link): ``--cache ~/文档`` is refused, never emptied (``build_cache.check_folder``). Builds sharing a
folder hold a shared lock; pruning needs it alone and is skipped otherwise.

Who writes the cache: whoever runs the build (locally), or the publish job on main (GitHub scopes
Actions caches by branch; docs/security.md). An entry that passes its manifest is taken as
Pagefind's data for its key.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from generator.site.build_cache import ours as _ours
from generator.site.build_cache import read_plain, write_entry

LOCK = ".lock"
MANIFEST = "manifest.json"
REFERENCE = ".reference"  # pagefind/.reference: a one-page bundle for Pagefind's code, removed after
FORMAT = b"ssj-search-cache/2"  # bump when what a key covers or what an entry holds changes
_KEY = re.compile(r"[0-9a-f]{64}")
_DATA_FOLDERS = ("fragment", "index", "filter")
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,120}")


@contextlib.contextmanager
def shared(folder: Path) -> Iterator[None]:
    """Hold the folder's lock shared while restoring and storing (other builds may too)."""
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError:
        yield  # no lock file possible (a read-only cache): restores still work, prune will not run
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def exclusive(folder: Path) -> Iterator[bool]:
    """Hold the folder's lock alone, for pruning: True if held; False (nothing may be removed) when
    the folder lacks our marker, the lock file cannot be opened, or another build holds it."""
    if not _ours(folder):
        yield False
        return
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False  # another build is restoring from or storing in it
            return
        yield True
    finally:
        os.close(fd)


@cache
def _pagefind_identity(command: tuple[str, ...]) -> bytes:
    """The binary's own bytes (the standard and extended binaries say the same ``--version``) and
    the options: another binary, version or option makes new keys."""
    h = hashlib.sha256()
    try:
        with open(os.path.realpath(command[0]), "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        h.update(b"?")  # no binary: Pagefind's own failure is reported where it runs
    return h.digest() + b"\0" + "\0".join(command[1:]).encode("utf-8")


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


def reuse(
    folder: Path,
    out: Path,
    keys: dict[str, str],
    run: Callable[[list[str]], None],
    make_reference: Callable[[], Path],
) -> tuple[set[str], set[str]]:
    """Fill ``out/<shard>/`` for every shard of ``keys`` (shard -> key): Pagefind (``run``) for the
    shards without an entry, a checked copy for the others, Pagefind again for an entry that fails
    its check; then store what Pagefind made. Returns the shards reused and the keys in use."""
    hits = {name for name, k in keys.items() if (folder / k / MANIFEST).is_file()}
    run(sorted(set(keys) - hits))
    reused: set[str] = set()
    if hits:
        made = [out / n for n in sorted(set(keys) - hits) if (out / n / "pagefind-entry.json").is_file()]
        reference = made[0] if made else make_reference()
        try:
            reused = {name for name in sorted(hits) if restore(folder, keys[name], out / name, reference)}
        finally:
            shutil.rmtree(out / REFERENCE, ignore_errors=True)
        run(sorted(hits - reused))
    for name in sorted(set(keys) - reused):
        store(folder, keys[name], out / name)
    return reused, set(keys.values())


def _data_name(name: str) -> bool:
    """Whether ``name`` is where a bundle keeps index data (what ``_data_files`` lists)."""
    parts = name.split("/")
    if not (1 <= len(parts) <= 2 and all(_NAME.fullmatch(p) and p not in (".", "..") for p in parts)):
        return False
    if len(parts) == 2:
        return parts[0] in _DATA_FOLDERS
    return name == "pagefind-entry.json" or name.endswith(".pf_meta")


def _data_files(bundle: Path) -> list[str]:
    """The index's data files in a Pagefind bundle (relative paths), Pagefind's code left out."""
    names = [
        p.name for p in bundle.iterdir() if p.name == "pagefind-entry.json" or p.name.endswith(".pf_meta")
    ]
    for folder in _DATA_FOLDERS:
        if (bundle / folder).is_dir():
            names += [f"{folder}/{p.name}" for p in (bundle / folder).iterdir()]
    return sorted(names)


def code_files(bundle: Path) -> list[str]:
    """Pagefind's code in a bundle: every top-level file that is not index data."""
    data = set(_data_files(bundle))
    return sorted(p.name for p in bundle.iterdir() if p.is_file() and p.name not in data)


def restore(folder: Path, entry_key: str, target: Path, reference: Path) -> bool:
    """Make ``target`` (absent before) from the entry's checked data and ``reference``'s code (a
    bundle Pagefind made in this build); False, with nothing left behind, on any doubt."""
    work = None
    try:
        entry = folder / entry_key
        manifest = json.loads(read_plain(entry / MANIFEST))
        files, code = manifest["files"], manifest["code"]
        if not isinstance(files, dict) or code != code_files(reference):
            return False  # made by another Pagefind layout: index it again
        if _listing(entry) != {MANIFEST} | {f"data/{name}" for name in files}:
            return False  # something missing, added, or not a plain file
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}-cached-", dir=target.parent))
        bundle = work / "bundle"
        made: set[Path] = set()
        for name, (size, digest) in sorted(files.items()):
            if not _data_name(name) or name in code:
                return False  # an entry's data never stands where Pagefind's code is written
            if (bundle / name).parent not in made:
                (bundle / name).parent.mkdir(parents=True, exist_ok=True)
                made.add((bundle / name).parent)
            if not _placed(entry / "data" / name, bundle / name, size, digest):
                return False
        for name in code:
            shutil.copyfile(reference / name, bundle / name)
        bundle.rename(target)
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


_link = os.link  # tests refuse it, as another file system would


def _placed(source: Path, target: Path, size: int, digest: str) -> bool:
    """Put the entry's file ``source`` at ``target`` and check the bytes there: a hard link where the
    file system allows one (a county's index is some 50,000 files; creating and writing each cost the
    warm build 18-33 s, a link a fraction of that), a copy otherwise. The check reads ``target``
    after linking, so what it passes is what the site holds; the link's own name is never followed.
    A link shares the entry's file: our builds never write an entry's files in place (``store``
    writes a new folder and renames it, and ``restore`` never writes Pagefind's code where an entry
    put data), and a build that finds one changed rebuilds its shard. (A link count cannot tell an
    entry file linked to a file elsewhere from one the previous site still links: both have more
    than two names. Whoever can plant such a link can write the build's own folders.)"""
    try:
        _link(source, target, follow_symlinks=False)
    except OSError:
        return _copied(source, target, size, digest)  # another file system, or links not allowed
    data = read_plain(target)
    return len(data) == size and hashlib.sha256(data).hexdigest() == digest


def _copied(source: Path, target: Path, size: int, digest: str) -> bool:
    data = read_plain(source)
    if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
        return False
    target.write_bytes(data)
    return True


def _listing(entry: Path) -> set[str]:
    """Relative paths of the files under ``entry``; ValueError on a link or anything not a plain
    file or folder."""
    out = set()
    if not stat.S_ISDIR(os.lstat(entry).st_mode):
        raise ValueError(entry)
    for root, folders, files in os.walk(entry):
        for name in folders + files:
            mode = os.lstat(os.path.join(root, name)).st_mode
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise ValueError(name)
        rel = os.path.relpath(root, entry)
        out |= {name if rel == "." else f"{rel}/{name}" for name in files}
    return out


def store(folder: Path, entry_key: str, built: Path) -> None:
    """Keep the data of the index just made with its manifest, written whole or not at all
    (``build_cache.write_entry``). A full disk or a read-only cache costs a later Pagefind run."""
    if (folder / entry_key).exists() or not (built / "pagefind-entry.json").is_file():
        return  # the same key is the same pages (or built was empty: nothing to keep)

    def fill(work: Path) -> None:
        files = {}
        for name in _data_files(built):
            data = (built / name).read_bytes()
            (work / "data" / name).parent.mkdir(parents=True, exist_ok=True)
            (work / "data" / name).write_bytes(data)
            files[name] = [len(data), hashlib.sha256(data).hexdigest()]
        text = json.dumps({"files": files, "code": code_files(built)}, sort_keys=True)
        (work / MANIFEST).write_text(text, encoding="utf-8")

    write_entry(folder, entry_key, fill)


def prune(folder: Path, keep: set[str]) -> list[str]:
    """Remove the entries this build did not use (and stale temporary folders); returns their names.
    Only names our keys and temporaries take are touched, in a folder with our marker, and only
    while no other build holds the lock (then the next build prunes)."""
    with exclusive(folder) as held:
        if not held:
            return []
        removed = []
        for path in sorted(folder.iterdir()):
            ours = _KEY.fullmatch(path.name) or path.name.startswith(".storing-")
            if ours and path.name not in keep and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
        return removed
