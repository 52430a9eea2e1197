"""What ``serve``'s preview keeps between rebuilds: each record file's parse and each draw folder's
read, reused while the bytes are the same.

The content hash decides what is parsed again (BLAKE2b over the bytes): only what hashes differently
is; what was not seen in the last read (a deleted file or folder) is dropped, so memory stays one
corpus' worth. A file or draw folder is not even read again while its ``lstat`` is the same as when
it was last hashed — device, inode, type, size, modification *and change* time in nanoseconds, like
git's index. The change time cannot be set back (``utime`` sets it to now), so an edit that restores
the old size and mtime, or a file replaced by a rename, is still read. As in git ("racy git"), a
stat is trusted only for a file that had not changed for ``SETTLED_NS`` when it was taken: a
timestamp is coarse (a kernel tick), so a file written twice within one tick could keep its stat;
such a file is hashed on every read until it settles. This is the preview's only (``serve``): a
``build`` or CI reads and checks every byte, and never builds a ``RecordCache``.

What is reused must be what a fresh read gives: a file's records and findings depend on its bytes,
its path and the display prefix alone (``corpus._parse_file``), and a draw folder's read on the
folder's files alone (``registry.run.read``). Anything the cache cannot vouch for — a draw folder
holding a link, a sub-folder or an oversized file — is read afresh every time, where the normal
reader refuses it with its message. tests/site/test_record_cache.py compares cached and fresh reads
after edits, same-mtime edits, added, deleted and broken files.

Beyond the reads it keeps what is made from them while the inputs are the same: each record's public
fields (``public``: by the ``Record`` object, which an unchanged file hands back itself), values made
from some kinds' records (``derived``: keyed on those kinds' files and bytes), and the last
assembly's state (``last``), from which an edit of results files alone rebuilds only the pages it
touches (``site.partial``).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from generator.bounded import MAX_JSON_BYTES
from generator.site.rule_cache import RuleCache

_CHUNK = 2**20
# a stat taken less than this after the file last changed is not trusted (see the module docstring)
SETTLED_NS = 2 * 10**9


def _settled(times: list[int]) -> bool:
    return max(times, default=0) < time.time_ns() - SETTLED_NS


def file_signature(path: Path) -> tuple | None:
    """What ``lstat`` says of a regular, settled file (None otherwise: it is read and hashed)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or not _settled([st.st_mtime_ns, st.st_ctime_ns]):
        return None
    return st.st_dev, st.st_ino, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


class RecordCache:
    def __init__(self) -> None:
        # (shown, rel, kind) -> (digest, parse, the file's signature when read or None)
        self._files: dict[tuple, tuple[bytes, object, tuple | None]] = {}
        self._draws: dict[str, tuple[bytes, object, tuple | None]] = {}  # folder -> (digest, read, sig)
        self._kinds: dict[str, object] = {}  # relative path -> records.kind_for(path)
        self.rules = RuleCache()  # the cross-record rules' findings, by what each read
        self._kept: dict[tuple, tuple] = {}
        self._seen: set = set()
        self._parsing: list[str] = []
        self._signing: dict[str, list] = {}
        # kind -> ((shown, rel, digest), ...) of the last read: its records are a function of this
        self.signatures: dict[str, tuple] = {}
        self.parsed_files: list[str] = []  # what the last read parsed again (tests, bench)
        self.hashed_files: list[str] = []  # what it read and hashed (its stat was not trusted)
        self._hashing: list[str] = []
        self.read_draws: list[str] = []
        self.hashed_draws: list[str] = []
        # what= -> id(record or public dict) -> (it, the value made from it): kept while met
        self._memo: dict[str, dict[int, tuple]] = {}
        self._memo_next: dict[str, dict[int, tuple]] = {}
        self._derived: dict[str, tuple] = {}  # name -> (key, value)
        self.last: dict | None = None  # the last assembly (site.assemble), for site.partial
        self.remade: list[str] | None = None  # record pages site.partial made again (None: all)

    def __len__(self) -> int:
        """Record files and draw folders held."""
        return len(self._files) + len(self._draws)

    def kept(self, key: tuple, make: Callable[..., tuple | list], *args: object) -> tuple:
        """``make(*args)``, made once per key: for what depends on the code and ``args`` alone (the
        intake templates), never on records. Kept as a tuple so no caller can change it."""
        if key not in self._kept:
            self._kept[key] = tuple(make(*args))
        return self._kept[key]

    # -- record files (corpus.load) ---------------------------------------------------------------

    file_signature = staticmethod(file_signature)  # for corpus.load, which imports nothing of site

    def kind_for(self, rel: str):
        """``records.kind_for(rel)`` (a function of the path alone), each path matched once."""
        from generator.records import kind_for

        if rel not in self._kinds:
            self._kinds[rel] = kind_for(rel)
        claimed = self._kinds[rel]
        return claimed if claimed is None else (claimed[0], dict(claimed[1]))

    def unchanged(self, key: tuple, signature: tuple | None) -> object | None:
        """The last parse at ``key`` if the file's ``signature`` (``file_signature``, taken now)
        is the one it had when it was hashed, else None: read it and call ``parsed``."""
        kept = self._files.get(key)
        if signature is None or kept is None or kept[2] != signature:
            return None
        self._seen.add(key)
        self._signing.setdefault(key[2], []).append((key[0], key[1], kept[0]))
        return kept[1]

    def parsed(
        self, key: tuple, data: bytes, parse: Callable[..., object], *args: object, signature=None
    ) -> object:
        """``parse(*args)`` of ``data`` at ``key`` (shown name, relative path, kind), from the last
        read when its bytes hash the same. ``signature``: the file's, taken before it was read."""
        self._seen.add(key)
        self._hashing.append(key[1])
        fingerprint = digest(data)
        self._signing.setdefault(key[2], []).append((key[0], key[1], fingerprint))
        kept = self._files.get(key)
        if kept is not None and kept[0] == fingerprint:
            self._files[key] = (fingerprint, kept[1], signature)
            return kept[1]
        value = parse(*args)
        self._files[key] = (fingerprint, value, signature)
        self._parsing.append(key[1])
        return value

    def forget_unseen(self) -> None:
        """End of a read: drop the files it did not meet (deleted, renamed, now refused)."""
        for key in self._files.keys() - self._seen:
            del self._files[key]
        self._seen, self.parsed_files, self._parsing = set(), self._parsing, []
        self.hashed_files, self._hashing = self._hashing, []
        self.signatures = {kind: tuple(files) for kind, files in self._signing.items()}
        self._signing = {}

    # -- what is made from the records ----------------------------------------------------------

    def memo(self, what: str, item: object, make: Callable) -> object:
        """``make(item)``, from the last assembly for the same object: an unchanged file hands back
        its ``Record`` objects themselves (and ``public`` their public dicts), a re-parsed one new
        ones. The object is kept with the value, so its id cannot be reused while the entry lives.
        Only what depends on the object alone may be made this way."""
        kept = self._memo.get(what, {}).get(id(item))
        value = kept[1] if kept is not None and kept[0] is item else make(item)
        self._memo_next.setdefault(what, {})[id(item)] = (item, value)
        return value

    def public(self, record, make: Callable) -> dict:
        """The record's public fields (``make``), the same dict as in the last assembly."""
        return self.memo("public", record, make)

    def rotate(self) -> None:
        """End of an assembly: keep only what it met."""
        self._memo, self._memo_next = self._memo_next, {}

    def derived(self, name: str, key: tuple | None, make: Callable[[], object]) -> object:
        """``make()``, reused while ``key`` (what it is made from) is the same; None: never reused."""
        kept = self._derived.get(name)
        if key is not None and kept is not None and kept[0] == key:
            return kept[1]
        value = make()
        self._derived[name] = (key, value)
        return value

    def kinds_key(self, *kinds: str) -> tuple:
        """What the records of ``kinds`` are a function of (their files, paths and bytes), with the
        date and SOURCE_DATE_EPOCH the rules compare with (the records' data passed through them)."""
        from generator.rules.results_context import reference_date

        env = (reference_date(), os.environ.get("SOURCE_DATE_EPOCH"))  # the Beijing date rules compare with
        return env, tuple(self.signatures.get(k, ()) for k in kinds)

    def draws_key(self, root: Path) -> tuple | None:
        """What ``site.draws.load_draws`` reads beyond the inspectors and substitutions: every draw
        folder's hash and the registry log's bytes; None if a folder could not be vouched for."""
        from generator.registry import store

        if set(self.read_draws) - self._draws.keys():
            return None
        path = store.log_path(root)
        log = digest(path.read_bytes()) if path.is_file() and not path.is_symlink() else None
        return tuple((d, kept[0]) for d, kept in sorted(self._draws.items())), log

    # -- draw folders (site.draws.read_all) -------------------------------------------------------

    def draws(self, root: Path, read: Callable[[str], object], draw_ids: list[str], folder_of) -> dict:
        """``draw_id -> read(draw_id)`` for every id, reusing a folder's read while its files hash
        the same (not hashed again while their stat is: ``folder_signature``); folders no longer
        listed are dropped."""
        out, kept, self.read_draws, self.hashed_draws = {}, {}, [], []
        for draw_id in draw_ids:
            folder = folder_of(root, draw_id)
            signature = folder_signature(folder)
            old = self._draws.get(draw_id)
            if signature is not None and old is not None and old[2] == signature:
                out[draw_id] = old[1]
                kept[draw_id] = old
                continue
            fingerprint = folder_digest(folder)
            self.hashed_draws.append(draw_id)
            if fingerprint is not None and old is not None and old[0] == fingerprint:
                out[draw_id] = old[1]
            else:
                out[draw_id] = read(draw_id)
                self.read_draws.append(draw_id)
                if fingerprint != folder_digest(folder):  # changed while read: vouch for nothing
                    fingerprint = None
            if fingerprint is not None:
                kept[draw_id] = (fingerprint, out[draw_id], signature)
        self._draws = kept
        return out


def folder_signature(folder: Path, parents: int = 2) -> tuple | None:
    """The ``lstat`` of a draw folder and of each file in it (``file_signature``'s fields), or
    None when ``folder_digest`` could not vouch for it or a file has not settled: then it is hashed."""
    for path in [folder, *list(folder.parents)[:parents]]:
        if os.path.islink(path):
            return None
    try:
        own = os.lstat(folder)
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
        stats = [(e.name, e.stat(follow_symlinks=False)) for e in entries]
    except OSError:
        return None
    times = [own.st_mtime_ns, own.st_ctime_ns]
    out: list[tuple] = [(own.st_dev, own.st_ino, own.st_mode, own.st_mtime_ns, own.st_ctime_ns)]
    for name, st in stats:
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_JSON_BYTES:
            return None
        times += [st.st_mtime_ns, st.st_ctime_ns]
        out.append((name, st.st_dev, st.st_ino, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(out) if _settled(times) else None


def folder_digest(folder: Path, parents: int = 2) -> bytes | None:
    """One hash of a draw folder's file names and bytes, or None when the folder cannot be vouched
    for: it or one of its ``parents`` is a link, or it holds anything but regular files within the
    size cap (the normal read then refuses it)."""
    for path in [folder, *list(folder.parents)[:parents]]:
        if os.path.islink(path):
            return None
    h = hashlib.blake2b(digest_size=20)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return None
    for entry in entries:
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_JSON_BYTES:
            return None
        name = entry.name.encode("utf-8", "surrogateescape")
        h.update(len(name).to_bytes(4, "big") + name)
        try:
            fd = os.open(
                entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            )
        except OSError:
            return None
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            size = 0
            while chunk := fh.read(_CHUNK):
                size += len(chunk)
                if size > MAX_JSON_BYTES:
                    return None
                h.update(chunk)
        h.update(size.to_bytes(8, "big"))
    return h.digest()
