"""A record page's final HTML is reused while everything it was rendered from is unchanged (issue 18).

A build given a cache folder (``build --cache DIR``, its part ``DIR/pages``) and the signing key
(``cache_signing``: ``SSJ_CACHE_KEY``, the publishing job's secret) keeps each record page it writes
as an entry named by its key, and a later build takes an entry's HTML instead of rendering the page
when all of these hold:

* the entry is **signed** under this build's key as a record page (``PURPOSE``): HMAC-SHA256 over
  the whole entry, header and page. A page is HTML that the site publishes; no check short of
  rendering it again tells a planted ``<script>`` from our own markup, so an entry is believed only
  because our own build made it. Whoever can write the CI cache but does not hold the key can make
  an entry that is ignored, never one that is believed. Without a key the part is neither read
  nor written (nor pruned): every page is rendered;
* the entry names the **key** it is read under (in its signed header), so one page's entry copied
  to another page's name is a miss. The key is SHA-256 over ``FORMAT``, the code
  (``code_fingerprint``: every generator source, the page and theme templates, Python's and the
  libraries' versions), the site-wide context the layout reads (``context_fingerprint``: the ``ssj``
  globals — site name, CSP, the withheld list… — the nav, the theme environment's names) and the
  page model's canonical bytes (every field: path, title, template, data, filters…;
  ``page_reads.canonical``);
* every **read** the entry lists still gives the same answer: what the templates read from
  ``site_data`` while the page rendered (``page_reads``: another record's name, a unit's short name,
  a category's label, whether an object has a page, a county field), recorded then and checked
  against this build's ``site_data`` now.

An entry is two files: ``<key>``, the page exactly as the site publishes it, and ``<key>.sig``, a
JSON header (format, key, the reads and one digest of their answers, the page's size) followed by
the MAC of the header and the page (``cache_signing``). Both are untrusted bytes until the MAC
holds: read without following links and bounded; the page is hard-linked into the site (else
copied) and read back from there, so the bytes the MAC vouches for are the bytes published, and a
page file changed in place (it shares its inode with a site) fails its MAC. Only then is the header
parsed, as JSON only (never unpickled: ``canonical`` only feeds the hash), and its reads answered;
any doubt — no MAC, another format or key, a malformed read, answers that differ — removes the
page from the site and renders it again.
The privacy scan reads every page written, reused or not, against this
build's internal values (``record_writer``: ``scanner(rel, html)``, with the scan memo a page it
found clean before is looked at for new internal values only); a page the scan objects to is never
stored. Writes go to a temporary name renamed whole; a failure to read or write costs a render,
never the build. Entries this build did not use are removed afterwards (only names our keys take,
only in a folder with our marker, only while no other build holds the lock: ``search_cache.shared``).
docs/security.md "The record page cache".
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from generator.site import build_cache, cache_signing
from generator.site.page import PageModel
from generator.site.page_reads import Answers, SiteDataView, Uncacheable, canonical, essential
from generator.site.search_cache import exclusive, shared

FORMAT = "ssj-page-cache/2"  # bump when what a key covers or what an entry holds changes
PART = "pages"
PURPOSE = b"record-page"  # what an entry is signed as (cache_signing)
MAX_ENTRY = 64 << 20  # bytes of one page; a bigger page is rendered every time
MAX_DEPTH = 16  # steps of a read's path
MAX_HEAD = 16 << 20  # bytes of an entry's header file (the reads, their answers' digest, the MAC)
MAX_READ = 4096  # characters of one read as its entry lists it
SIG = ".sig"  # an entry: ``<key>`` the page exactly as published, ``<key>.sig`` its signed header
_SERIAL = itertools.count()
_KEY = re.compile(r"[0-9a-f]{64}(?:\.sig)?")
ROOT = Path(__file__).resolve().parents[2]
# what renders a record page: the generator's sources (site_data's methods, the filters, the
# writer) and the templates; any change to them is a new key for every page
_CODE = (("generator", "*.py"), ("site_templates/pages", "*"), ("site_templates/theme", "*.html"))


def code_fingerprint() -> bytes:
    """SHA-256 over Python's and the rendering libraries' versions and every source file, each
    path and body length-prefixed, in sorted order (a few milliseconds, once per build)."""
    h = hashlib.sha256(FORMAT.encode())
    _add(h, sys.version.encode())
    for name in ("jinja2", "markupsafe", "mkdocs"):
        _add(h, metadata.version(name).encode())
    files = sorted(p for folder, pattern in _CODE for p in (ROOT / folder).rglob(pattern) if p.is_file())
    for path in files + [ROOT / "mkdocs.yml"]:
        _add(h, path.relative_to(ROOT).as_posix().encode())
        _add(h, path.read_bytes())
    return h.digest()


def _add(h, data: bytes) -> None:
    h.update(len(data).to_bytes(8, "big") + data)


def context_fingerprint(theme_env, nav) -> bytes:
    """What ``main.html`` may read besides the page: the theme environment's globals (``ssj``
    whole; a function by its name), filters, tests, loader path and escaping, and the nav (title,
    URL and state of every item). ``Uncacheable`` if a global is not plain data."""
    names = {k: _name(v) if callable(v) else v for k, v in sorted(theme_env.globals.items())}
    env = (
        names,
        sorted(theme_env.filters),
        sorted(theme_env.tests),
        sorted(theme_env.extensions),
        list(getattr(theme_env.loader, "searchpath", ["?"])),
        _name(theme_env.autoescape) if callable(theme_env.autoescape) else theme_env.autoescape,
    )
    return hashlib.sha256(canonical((env, _nav(nav)))).digest()


def _name(fn) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', type(fn).__qualname__)}"


def _nav(items) -> list:
    return [
        (
            type(item).__name__,
            item.title,
            getattr(item, "url", None),
            bool(getattr(item, "active", False)),
            _nav(getattr(item, "children", None) or []),
        )
        for item in items or []
    ]


def imports_with_context(env) -> None:
    """``Uncacheable`` if a page template imports another without context: Jinja keeps such a
    module once per process, so what its top level reads from ``site_data`` is read (and recorded)
    by the first page only; later pages would keep an entry an edit of it should end (red team,
    tenth round). ``{% include %}`` and imports ``with context`` run for every page."""
    from jinja2 import nodes

    for name in env.list_templates():
        tree = env.parse(env.loader.get_source(env, name)[0], name)
        for node in tree.find_all((nodes.Import, nodes.FromImport)):
            if not node.with_context:
                raise Uncacheable(f"{name} imports a template without context")


class PageCache:
    """One build's use of the part: keys, lookups and stores (in the forked writers too)."""

    def __init__(self, folder: Path, site_data, theme_env, nav):
        from generator.site.render import make_env

        self.folder = folder
        self._dir = os.fspath(folder) + os.sep  # names joined as text: a reused page's every µs counts
        self.answers = Answers(site_data)
        self._said: dict[str, str] = {}  # a read as an entry lists it -> its answer now
        self.view = SiteDataView(site_data)
        self.env = make_env(self.view)  # the page templates, reading site_data through the view
        imports_with_context(self.env)
        base = hashlib.sha256()
        for part in (FORMAT.encode(), code_fingerprint(), context_fingerprint(theme_env, nav)):
            _add(base, part)
        self._base = base
        self.used: set[str] = set()  # filled by record_writer: the keys whose entries are current

    def key(self, model: PageModel) -> str | None:
        """None when the model holds something other than plain data (then it is not cached)."""
        try:
            body = canonical(tuple((f.name, getattr(model, f.name)) for f in dataclasses.fields(model)))
        except Uncacheable:
            return None
        h = self._base.copy()
        _add(h, body)
        return h.hexdigest()

    def restore(self, key: str, target: Path) -> str | None:
        """Put the entry's page at ``target`` (a new name in the site) and return its text, if its
        MAC holds over the header and the bytes now at ``target``, the header names ``key`` and
        every read it lists answers the same now; None otherwise, with nothing at ``target``.

        The page is hard-linked from the cache where the file system allows (creating and filling
        a file cost ~0.35 CPU-ms a page, a link ~0.015), else copied; either way the bytes checked
        are read back from ``target``, so what the MAC vouches for is what the site holds. Nothing
        of the header is looked at before its MAC holds (its reads are never answered unsigned)."""
        placed = False
        try:
            data = _read(self._dir + key + SIG, MAX_HEAD)
            head, mac = data[: -cache_signing.MAC], data[-cache_signing.MAC :]
            placed = True
            page = _placed(self._dir + key, target)
            if cache_signing.opened(PURPOSE, head + b"\n" + page + mac) is None:
                raise ValueError("not signed under this build's key as a record page")
            meta = json.loads(head)
            if meta.get("format") != FORMAT or meta.get("key") != key or meta.get("size") != len(page):
                raise ValueError("another page's entry, or another format's")
            if self._answers(meta.get("reads")) != meta.get("answers"):
                raise ValueError("stale: a read answers otherwise now")
            return page.decode("utf-8")
        except FileExistsError:
            return None  # not a name of ours to remove (a fresh site has none)
        except (OSError, ValueError, TypeError, AttributeError, Uncacheable, RecursionError):
            if placed:
                with contextlib.suppress(OSError):
                    os.unlink(target)
            return None

    def _answers(self, reads: list) -> str | None:
        """One digest of every read's answer on this build's ``site_data``, in order (answers hold
        no NUL); None if a read leads nowhere (never stored, never matched). A read is the JSON
        text ``[op, [step, …]]``; each distinct one is parsed and answered once per process."""
        said = self._said
        answers = []
        for read in reads:
            found = said.get(read) if type(read) is str else None
            if found is None:
                if type(read) is not str or len(read) > MAX_READ:
                    raise ValueError("a read is JSON text")
                op, path = _query(json.loads(read))
                found = said[read] = self.answers.answer(op, path)
            answers.append(found)
        if "gone" in answers:
            return None
        return hashlib.sha256("\0".join(answers).encode("utf-8")).hexdigest()

    def store(self, key: str, reads: list[tuple[str, tuple]], page: bytes, written: Path) -> bool:
        """Keep ``page`` (the bytes just written at ``written`` in the site) under ``key`` with
        ``reads`` and their answers, signed; False if it cannot be kept (no key, a read that leads
        nowhere, too big, a write that fails). The page file is a link to ``written`` where the file
        system allows: entries are only ever replaced by a rename, never written in place."""
        tmp: list[str | None] = []
        try:
            texts = [_read_text(op, path) for op, path in essential(reads)]
            answers = self._answers(texts)
            if answers is None or len(page) > MAX_ENTRY:
                return False
            meta = {"format": FORMAT, "key": key, "reads": texts, "answers": answers, "size": len(page)}
            head = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            signed = cache_signing.sign(PURPOSE, head + b"\n" + page)
            if signed is None or len(head) + cache_signing.MAC > MAX_HEAD:
                return False
            tmp.append(self._temp(page, written))
            os.replace(tmp[-1], self.folder / key)
            tmp[-1] = None
            fd, name = tempfile.mkstemp(prefix=".storing-", dir=self.folder)
            tmp.append(name)
            with os.fdopen(fd, "wb") as f:
                f.write(head + signed[-cache_signing.MAC :])
            os.replace(name, self.folder / (key + SIG))
            tmp[-1] = None
            return True
        except (OSError, ValueError, Uncacheable, UnicodeError):
            return False
        finally:
            for name in tmp:
                if name is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(name)

    def _temp(self, page: bytes, written: Path) -> str:
        """A temporary name in the part holding ``page``: a link to ``written``, else a copy."""
        name = os.path.join(self.folder, f".storing-{os.getpid()}-{next(_SERIAL)}")
        try:
            os.link(written, name, follow_symlinks=False)
            return name
        except OSError:
            pass
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        try:
            os.write(fd, page)  # a page of a few KB: one write
        finally:
            os.close(fd)
        return name


def _read_text(op: str, path: tuple) -> str:
    return json.dumps([op, list(path)], ensure_ascii=False, separators=(",", ":"))


def _placed(source: str, target: Path) -> bytes:
    """Link (else copy) the entry's page ``source`` to the new name ``target`` and read it back from
    there: a regular file of at most ``MAX_ENTRY`` bytes, not executable nor writable by group or
    others (it is published as it is). OSError or ValueError otherwise."""
    try:
        os.link(source, target, follow_symlinks=False)  # a link in the part stays a link: refused below
    except (FileExistsError, FileNotFoundError):
        raise
    except OSError:  # another file system, or links not allowed: a copy, read back the same way
        data = _read(source, MAX_ENTRY)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    return _read(target, MAX_ENTRY, page=True)


def _read(path, limit: int, page: bool = False) -> bytes:
    """A regular file's bytes, never through a link, at most ``limit`` of them (``page``: and the
    file not executable nor writable by group or others, as it is published).
    ``build_cache.read_plain`` with the file object left out (two of them on every reused page)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        size, mode = info.st_size, info.st_mode
        if not stat.S_ISREG(mode) or size > limit or (page and mode & 0o7133):
            raise ValueError("not a plain file of the size expected")
        chunks, got = [], 0
        while got <= size:  # to the end (one read, then an empty one), and a byte past the size
            chunk = os.read(fd, size + 1 - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    finally:
        os.close(fd)
    if got != size:
        raise ValueError("the file changed size while read")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _query(read) -> tuple[str, tuple]:
    """One read of an entry's header, checked: ``[op, [step, …]]``; ValueError otherwise."""
    if not (isinstance(read, list) and len(read) == 2):
        raise ValueError(read)
    op, path = read
    ok_path = isinstance(path, list) and 1 <= len(path) <= MAX_DEPTH
    ok_path = ok_path and all(type(k) is str or type(k) is int for k in path)
    if op not in ("get", "has", "len") or not ok_path:
        raise ValueError(read)
    return op, tuple(path)


@contextlib.contextmanager
def session(site_data, theme_env, nav) -> Iterator[PageCache | None]:
    """The page cache of this build (None without ``build --cache`` or a signing key, or when it
    cannot be used):
    held shared while the pages are written, then pruned to the entries the build used."""
    if cache_signing.signing_key() is None:  # no key: nothing read, written or pruned
        yield None
        return
    folder = build_cache.part(build_cache.root(), PART)
    if folder is None:
        yield None
        return
    try:
        cache = PageCache(folder, site_data, theme_env, nav)
    except (OSError, Uncacheable):
        yield None
        return
    with shared(folder):
        yield cache
    prune(folder, cache.used)


def prune(folder: Path, keep: set[str]) -> list[str]:
    """Remove the entries not in ``keep`` (and stale temporary files); returns their names. Only
    names our keys and temporaries take, in a folder with our marker, and only while no other
    build holds the lock (then the next build prunes)."""
    try:
        with exclusive(folder) as held:
            if not held:
                return []
            removed = []
            for entry in os.scandir(folder):
                ours = _KEY.fullmatch(entry.name) or entry.name.startswith(".storing-")
                used = entry.name.removesuffix(SIG) in keep  # a page and its header go together
                if ours and not used and entry.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                        removed.append(entry.name)
            return sorted(removed)
    except OSError:
        return []
