"""Each YAML record file's parse is reused between builds while its bytes are the same (issue 18).

``build --cache DIR`` keeps, in its part ``DIR/parse``, what ``corpus._parse_file`` made of each
YAML record file: its records (values, line marks, the ``Loaded`` they point at) and its findings,
written as tagged JSON by ``parse_codec``. A build still reads and hashes every file's bytes (no
``stat`` shortcut: CI checks every byte); a file whose entry is found is decoded instead of parsed,
~6 times cheaper (docs/scale.md). CSV files (directories, rosters) are always parsed: decoding their
JSON saves little, and their internal fields (phone numbers, credit classes), which the privacy scan
looks for, then never come from a cache.

An entry is records, and nothing cheap can check records against the file they claim to be the
parse of; whoever can write the CI cache can write ``DIR``. So a pack is believed only when it is
signed under the publishing job's key (``cache_signing``, purpose ``PURPOSE``), the MAC covering
the pack's bytes and what it is the pack of (the display prefix and folder: a pack of one folder is
not another's). Without a key this part is neither read nor written: every file is parsed.

An entry's key is BLAKE2b over everything the parse depends on: ``FORMAT``, the code that parses
(``code_fingerprint``: the loader, schema, record kinds and message catalog sources, the Python,
PyYAML, libyaml and Unicode versions: ``build_cache.runtime``), the file's bytes, its path, its kind and the name it is shown by.
Entries live in packs, one per folder (a draw year's folders share one). A pack is its signed body
(``FORMAT``, what it is the pack of, an index line of ``[key, size]`` and the entries' bytes) and the
MAC; an entry used is still decoded with its shape checked (``parse_codec.decode``). Anything
unexpected (no key, another key, another folder's pack, a truncated, altered, linked or oversized
pack, a malformed entry) is a miss: the file is parsed.

How it fits ``corpus.load``'s two cores: the loader asks ``hit`` for each file in walk order (one
pack is open at a time: a folder's files come together); a hit is decoded in this process, a miss is
left to ``corpus._parse_all`` (split between two processes like any parse), run through
``read_and_parse``, which hashes the bytes it parses. ``store`` then writes again, signed, the packs
whose entries this read changed (one at a time, from the misses' parses and the entries the hits
used; under a temporary name, renamed whole) and removes the packs this read did not use. A
failure to read or write costs a parse, never the build. docs/security.md "The parse cache".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from generator import corpus
from generator.errors import Findings
from generator.schema.kind import CSV_ROWS
from generator.site import build_cache, cache_signing, parse_codec

FORMAT = b"ssj-parse-cache/2"  # bump when what a key covers or how a pack is laid out changes
PART = "parse"
PURPOSE = b"record-parse"  # what a pack is signed as (cache_signing)
MAX_PACK_BYTES = 2**30  # the largest pack at scale 10 (a year's draw results) holds ~17 MB
MAX_INDEX_BYTES = 8 * 2**20
MAX_ENTRIES = 50_000
_NAME = re.compile(r"[0-9a-f]{40}\.pack")
_KEY = re.compile(r"[0-9a-f]{40}")
_TEMP = ".storing-"

ROOT = Path(__file__).resolve().parents[2]
# What a parse is made by: corpus._parse_file and everything it imports (tests/test_parse_cache.py
# checks this covers the import closure of generator.corpus and parse_codec), whole folders included.
CODE = (
    "generator/__init__.py",
    "generator/corpus.py",
    "generator/record_file.py",
    "generator/sources.py",
    "generator/scalars.py",
    "generator/errors.py",
    "generator/yamlerrors.py",
    "generator/spreadsheet_text.py",
    "generator/private_data.py",
    "generator/parallel.py",
    "generator/schema",
    "generator/records",
    "generator/catalog",
    "generator/site/parse_codec.py",
    "generator/site/parse_cache.py",
    "generator/site/cache_signing.py",
)


@cache
def code_fingerprint() -> bytes:
    """BLAKE2b of the parsing code's sources (paths and bytes) and of the versions a parse's
    values and messages depend on; another code or library is another key for every file."""
    h = hashlib.blake2b(digest_size=20)
    h.update(build_cache.runtime())
    for name in CODE:
        path = ROOT / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            rel = file.relative_to(ROOT).as_posix().encode()
            data = file.read_bytes()
            h.update(len(rel).to_bytes(4, "big") + rel + len(data).to_bytes(8, "big") + data)
    return h.digest()


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(FORMAT + b"\0" + code_fingerprint(), digest_size=20)
    for part in parts:
        h.update(len(part).to_bytes(8, "big") + part)
    return h.hexdigest()


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def entry_key(content: bytes, rel: str, kind: str, shown: str) -> str:
    """The key of a file's entry; ``content`` is ``content_digest`` of the bytes parsed."""
    text = (rel, kind, shown)
    return _digest(content, *(t.encode("utf-8", "surrogateescape") for t in text))


def group(rel: str) -> str:
    """The pack a file's entry goes in: its folder; a draw's folder goes in its year's pack."""
    folder = rel.rpartition("/")[0]
    parts = folder.split("/")
    return "/".join(parts[:2]) if parts[0] == "draws" else folder


def identity(prefix: str, where: str) -> bytes:
    """What a pack is the pack of, as its signed body states it (ASCII JSON)."""
    return json.dumps([prefix, where]).encode()


# what the last read did (relative paths), for tests and bench/bench_site.py
LAST: dict[str, list[str]] = {"parsed": [], "reused": []}


def for_build() -> ParseCache | None:
    """The cache of this build (``build --cache`` with a signing key), or None: every file is
    then parsed, and nothing is read from or written to ``DIR/parse``."""
    LAST.update(parsed=[], reused=[])
    if cache_signing.signing_key() is None:
        return None
    folder = build_cache.part(build_cache.root(), PART)
    try:
        code_fingerprint()  # the sources must be readable, or nothing can be keyed (and before a fork)
    except OSError:
        return None
    return None if folder is None else ParseCache(folder)


@dataclass
class _Group:
    name: str  # the pack's file name
    ident: bytes  # what it is the pack of (signed with it)
    held: set[str] = field(default_factory=set)  # keys the pack held, as read (MAC holding)
    used: set[str] = field(default_factory=set)  # keys of the hits this read decoded


class ParseCache:
    """``corpus.load``'s ``reuse`` in a build: hands back a YAML file's parse from ``DIR/parse``.

    ``parsed_files`` and ``reused_files`` (relative paths) say what the last read did."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._open: tuple[str, dict[str, memoryview]] | None = None  # one pack's entries at a time
        self._groups: dict[bytes, _Group] = {}  # by identity
        self._misses: dict[Path, tuple[str, bytes | None]] = {}  # path -> (rel, identity or None: CSV)
        self.parsed_files: list[str] = []
        self.reused_files: list[str] = []

    def hit(self, kind, root: Path, rel: str, shown: str, owner: dict[str, str]):
        """The decoded parse of a YAML file whose entry is in its pack (the file is read and hashed
        here), or None: the loader then parses it (``read_and_parse``)."""
        if kind.shape == CSV_ROWS:
            self._misses[root / rel] = (rel, None)
            return None
        data, refused = corpus.read_record_bytes(root / rel, shown)
        if refused is not None:
            return None  # the parse's own read reports it
        key = entry_key(content_digest(data), rel, kind.name, shown)
        del data
        ident = identity(shown[: len(shown) - len(rel)], group(rel))
        blob = self._pack(ident).get(key)
        if blob is not None:
            with contextlib.suppress(parse_codec.Malformed):
                found = parse_codec.decode(bytes(blob), kind.name, shown, owner)
                self._groups[ident].used.add(key)
                self.reused_files.append(rel)
                return found
        self._misses[root / rel] = (rel, ident)
        return None

    @staticmethod
    def read_and_parse(kind, path: Path, shown: str, owner: dict[str, str]):
        """``corpus._read_and_parse`` (here or in the loader's second process), with the digest of
        the bytes parsed: an entry is keyed by what was parsed, not by an earlier read."""
        data, refused = corpus.read_record_bytes(path, shown)
        if refused is not None:
            findings = Findings()
            findings.add(refused)
            return findings, [], None
        return (*corpus._parse_file(kind, data, shown, owner), content_digest(data))

    def store(self, jobs: list, parses: list) -> None:
        """End of the read (``jobs`` and their ``read_and_parse`` results, in order): write again,
        signed, each pack whose entries this read changed, one at a time; remove unused packs."""
        self._open = None
        made: dict[bytes, list[tuple[str, str, object]]] = {}
        for (kind, path, shown, _), (found, records, content) in zip(jobs, parses, strict=True):
            rel, ident = self._misses.get(path, (None, None))
            if rel is not None:
                self.parsed_files.append(rel)
            if ident is not None and content is not None:
                key = entry_key(content, rel, kind.name, shown)
                made.setdefault(ident, []).append((key, found, records))
        LAST.update(parsed=self.parsed_files, reused=self.reused_files)
        if cache_signing.signing_key() is None:
            return
        for ident, g in self._groups.items():
            if g.used == g.held and ident not in made:
                continue  # the pack holds what this read used
            held = _read_pack(self.folder / g.name, ident) if g.used else {}
            entries = {k: held[k] for k in g.used if k in held}
            for key, found, records in made.get(ident, ()):
                blob = parse_codec.encode(found, records)
                if blob is not None:
                    entries[key] = blob
            _write_pack(self.folder, g.name, ident, entries)
        _prune(self.folder, {g.name for ident, g in self._groups.items() if g.used or ident in made})

    def _pack(self, ident: bytes) -> dict[str, memoryview]:
        if self._open is None or self._open[0] != ident:
            self._open = None  # its bytes go before the next pack's come
            g = self._groups.get(ident)
            if g is None:
                g = self._groups[ident] = _Group(_digest(b"pack", ident) + ".pack", ident)
            held = _read_pack(self.folder / g.name, ident)
            g.held = set(held)
            self._open = (ident, held)
        return self._open[1]


# -- packs ----------------------------------------------------------------------------------------


def _read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes (``O_NOFOLLOW``, ``fstat``), refused over ``limit``; OSError else."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            raise OSError("not a regular file within the limit")
        data = f.read(st.st_size + 1)
    if len(data) > limit:
        raise OSError("over the limit")
    return data


def _read_pack(path: Path, ident: bytes) -> dict[str, memoryview]:
    """A pack's entries by key if it is signed under this build's key as the pack of ``ident``;
    {} on any doubt. The bytes are looked at only once the MAC holds."""
    try:
        data = _read_bounded(path, MAX_PACK_BYTES)
    except OSError:
        return {}
    body = cache_signing.opened(PURPOSE, memoryview(data))  # views of ``data``, not copies
    head = FORMAT + b"\n" + ident + b"\n"
    if body is None or body[: len(head)] != head:
        return {}
    end = data.find(b"\n", len(head), min(len(body), len(head) + MAX_INDEX_BYTES))
    try:
        index = json.loads(data[len(head) : end]) if end > 0 else None
    except (ValueError, RecursionError):
        return {}
    if type(index) is not list or len(index) > MAX_ENTRIES:
        return {}
    out, at = {}, end + 1
    for item in index:
        if type(item) is not list or len(item) != 2 or type(item[0]) is not str or type(item[1]) is not int:
            return {}
        key, size = item
        if not _KEY.fullmatch(key) or size < 0 or at + size > len(body):
            return {}
        out[key] = body[at : at + size]
        at += size
    return out if at == len(body) else {}


def _write_pack(folder: Path, name: str, ident: bytes, entries: dict) -> None:
    """Sign the pack and write it under a temporary name, renamed over the old one; an empty pack
    is removed instead. Failures are ignored (a parse next time)."""
    if not entries:
        with contextlib.suppress(OSError):
            os.unlink(folder / name)
        return
    keys = sorted(entries)
    index = json.dumps([[k, len(entries[k])] for k in keys]).encode()
    body = b"".join([FORMAT, b"\n", ident, b"\n", index, b"\n", *(entries[k] for k in keys)])
    signed = cache_signing.sign(PURPOSE, body)
    del body
    if signed is None:
        return
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=_TEMP, dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(signed)
        os.chmod(tmp, 0o644)
        os.replace(tmp, folder / name)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove packs (and leftover temporaries) this read did not use: only names ours take, only
    plain files, only in a folder with the cache's marker."""
    if not build_cache.ours(folder):
        return
    try:
        listing = list(os.scandir(folder))
    except OSError:
        return
    for entry in listing:
        ours = _NAME.fullmatch(entry.name) or entry.name.startswith(_TEMP)
        if ours and entry.name not in keep and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
