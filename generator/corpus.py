"""Load every record under ``records/`` into a :class:`Corpus`, collecting every problem.

This is the only module that reads record files. Each value keeps its file, line and column, so the
rules can point at the exact place. Loading never stops at the first problem: a broken file yields
findings and the rest of the tree is still loaded, so one ``validate`` run shows everything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from generator.errors import Finding, Findings, finding
from generator.record_file import Record, load_file
from generator.records import KINDS, kind_for, misspelt_suffix
from generator.schema.kind import Kind
from generator.sources import decode

# Files the loader deliberately ignores (editor and OS clutter, documentation next to records).
IGNORED_NAMES = {".DS_Store", "Thumbs.db", ".gitkeep", "README.md"}
MAX_FILE_BYTES = 64 * 2**20  # the largest real file (a county's objects.csv) is a few MB


@dataclass
class Corpus:
    """Every record of a records tree, by kind, plus the findings met while loading."""

    root: Path
    records: dict[str, list[Record]]
    findings: Findings
    files: list[str]

    def of(self, kind: str) -> list[Record]:
        return self.records.get(kind, [])

    @property
    def county(self) -> Record | None:
        found = self.of("county")
        return found[0] if found else None

    def index(self, kind: str, key: str = "id") -> dict[object, Record]:
        """First record per key (duplicates are reported by the rules, not here)."""
        out: dict[object, Record] = {}
        for r in self.of(kind):
            value = r.data.get(key)
            if value is not None:
                out.setdefault(value, r)
        return out

    @cached_property
    def units(self) -> dict[str, Record]:
        return self.index("unit")

    @cached_property
    def inspectors(self) -> dict[str, Record]:
        return self.index("inspectors")

    @cached_property
    def tasks(self) -> dict[str, Record]:
        return self.index("tasks")

    @cached_property
    def objects_by_unit(self) -> dict[str, list[Record]]:
        """Directory rows by the unit whose directory holds them, in loading order."""
        out: dict[str, list[Record]] = {}
        for r in self.of("objects"):
            out.setdefault(r.owner.get("unit"), []).append(r)
        return out

    @cached_property
    def object_order(self) -> dict[int, int]:
        """``id()`` of each directory row -> its place in loading order (rows live as the corpus does)."""
        return {id(r): i for i, r in enumerate(self.of("objects"))}

    @cached_property
    def objects_by_id(self) -> dict[str, list[Record]]:
        """Every directory row of an object, across units (one enterprise, several directories)."""
        out: dict[str, list[Record]] = {}
        for r in self.of("objects"):
            out.setdefault(r.data.get("id"), []).append(r)
        return out

    @cached_property
    def items_by_code(self) -> dict[str, list[Record]]:
        """All versions of each item, oldest first."""
        out: dict[str, list[Record]] = {}
        for r in self.of("items"):
            out.setdefault(r.data.get("code"), []).append(r)
        for versions in out.values():
            versions.sort(key=lambda r: r.data.get("effective_from") or _MIN_DATE)
        return out

    @cached_property
    def plan_entries(self) -> dict[str, tuple[Record, dict, int]]:
        """Plan entry id -> (plan record, entry data, entry index)."""
        out: dict[str, tuple[Record, dict, int]] = {}
        for plan in self.of("plans"):
            for i, entry in enumerate(plan.data.get("entries", [])):
                if "id" in entry:
                    out.setdefault(entry["id"], (plan, entry, i))
        return out


_MIN_DATE = dt.date.min


def _walk(root: Path) -> tuple[list[str], list[str]]:
    """Record files under ``root`` and the linked directories found on the way.

    ``os.walk`` never descends into a linked directory; those are returned separately (from
    ``lstat``, never opened) so the loader can refuse them. Linked files, devices and FIFOs are in
    the first list and refused by :func:`read_record_bytes`.
    """
    out, linked = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        # the folder relative to root, as Path(...).relative_to(root).as_posix() gives it ("" for root)
        here = Path(dirpath).relative_to(root).as_posix()
        here = "" if here == "." else here + "/"
        keep = []
        for d in sorted(dirnames):
            if d.startswith("."):
                continue
            if os.path.islink(os.path.join(dirpath, d)):
                linked.append(here + d)
            else:
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name in IGNORED_NAMES or name.startswith("."):
                continue
            out.append(here + name)
    return out, linked


def load(
    root: Path | str,
    display_prefix: str | None = None,
    cache=None,
    skip: Callable[[str], bool] | None = None,
    reuse=None,
) -> Corpus:
    """Load a records tree. ``display_prefix`` is prepended to file names in findings.

    ``cache`` (serve's preview: ``site.record_cache.RecordCache``) may hand back a file's records
    and findings from an earlier load of the same bytes instead of parsing them again; ``reuse`` (a
    build's ``site.parse_cache.ParseCache``) those of an unchanged YAML file from a signed cache.
    ``skip`` (a relative path -> True) leaves files out entirely, for callers that know they do not
    need them (the sample generator does not read the draw folders it has just written).

    The cyclic garbage collector is paused meanwhile: a load makes millions of long-lived, acyclic
    objects (none is garbage in a cycle), which each collection would walk again; at scale 10
    that was half the reading time (docs/scale.md). Reference counting still frees what a parse
    drops; the collector's state is restored on the way out."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, display_prefix, cache, skip, reuse)
    finally:
        if was_enabled:
            gc.enable()


def _load(root, display_prefix, cache, skip, reuse) -> Corpus:
    root = Path(root)
    prefix = display_prefix if display_prefix is not None else _default_prefix(root)
    findings = Findings()
    records: dict[str, list[Record]] = {k.name: [] for k in KINDS}
    files, linked = _walk(root)
    if skip is not None:
        files = [rel for rel in files if not skip(rel)]
        linked = [rel for rel in linked if not skip(rel)]
    for rel in linked:
        findings.add(_refusal(root / rel, f"{prefix}{rel}"))
    # without a cache every file not ``reuse``d is parsed: the parses are made first (on two cores
    # when there are many, ``_parse_all``) and taken in file order below, so the corpus is the same
    # either way; a file is read where and when it is parsed (or hashed), so a load holds one file's
    # bytes per process, never the tree's (red team 8: files that parse to nothing cost their size)
    jobs: list[tuple[Kind, Path, str, dict]] = []
    # in file order: a finding, the index of a parse in ``jobs``, or (kind name, findings, records)
    steps: list[Finding | int | tuple[str, Findings, list[Record]]] = []
    for rel in files:
        shown = f"{prefix}{rel}"
        claimed = kind_for(rel) if cache is None else cache.kind_for(rel)
        if claimed is None and _is_companion(rel):
            continue
        signature = None
        if cache is not None and claimed is not None:  # serve's preview: unchanged files not read
            signature = cache.file_signature(root / rel)
            kept = cache.unchanged((shown, rel, claimed[0].name), signature)
            if kept is not None:
                steps.append((claimed[0].name, kept[0], kept[1]))
                continue
        read = claimed is not None and cache is not None  # without a cache: read by the parse
        data, refused = read_record_bytes(root / rel, shown, read=read)
        if refused is not None:
            steps.append(refused)
            continue
        if claimed is None:
            fixed = misspelt_suffix(rel)  # results/T1.yml: would be read by nothing, counted nowhere
            if fixed is None:
                steps.append(finding("FILE_UNKNOWN", shown, value=rel))
            else:
                steps.append(finding("FILE_SUFFIX", shown, value=rel, expected=fixed))
            continue
        kind, owner = claimed
        if cache is None:
            hit = None if reuse is None else reuse.hit(kind, root, rel, shown, owner)
            steps.append(len(jobs) if hit is None else (kind.name, *hit))
            if hit is None:
                jobs.append((kind, root / rel, shown, owner))
            continue
        found, parsed = cache.parsed(
            (shown, rel, kind.name), data, _parse_file, kind, data, shown, owner, signature=signature
        )
        steps.append((kind.name, found, parsed))
    parses = _parse_all(jobs, _read_and_parse if reuse is None else reuse.read_and_parse)
    for step in steps:
        if isinstance(step, Finding):
            findings.add(step)
            continue
        name, found, parsed = (jobs[step][0].name, *parses[step][:2]) if isinstance(step, int) else step
        findings.extend(found)
        records[name].extend(parsed)
    for unit in _units_without_unit_file(files):
        findings.add(finding("UNIT_FILE_MISSING", f"{prefix}units/{unit}/unit.yaml", value=unit))
    if cache is not None:
        cache.forget_unseen()
    elif reuse is not None:
        reuse.store(jobs, parses)
    corpus = Corpus(root, records, findings, files)
    if _FREEZE_AFTER_LOAD:
        gc.freeze()
    return corpus


def _units_without_unit_file(files: list[str]) -> list[str]:
    """Unit folders holding files but no ``unit.yaml`` file (deleted, or a folder of that name):
    without it the unit does not exist and every file naming it reports the unit unknown, none the
    cause, so the cause is named at the path the file belongs at."""
    folders = {rel.split("/")[1] for rel in files if rel.startswith("units/") and rel.count("/") >= 2}
    present = set(files)
    return sorted(u for u in folders if f"units/{u}/unit.yaml" not in present)


def _parse_file(kind: Kind, data: bytes, shown: str, owner: dict[str, str]) -> tuple[Findings, list[Record]]:
    """One record file's findings and records, from its bytes alone."""
    findings = Findings()
    text, problems = decode(data, shown)
    findings.extend(problems)
    return findings, [] if text is None else load_file(kind, text, shown, owner, findings)


# Below this many bytes to parse a second process costs more than it saves (fork, and the records
# pickled back: ~1.5 s to take back half of a county's); the sample is far below it
SPLIT_BYTES = 32_000_000
_CHILD_COST = 1.35  # a byte parsed in the child also has to be pickled (measured: 4.6 s per 14 s)


def _read_and_parse(kind: Kind, path: Path, shown: str, owner: dict) -> tuple[Findings, list[Record]]:
    """One record file read (``read_record_bytes``: a refusal is its one finding) and parsed."""
    data, refused = read_record_bytes(path, shown)
    if refused is None:
        return _parse_file(kind, data, shown, owner)
    findings = Findings()
    findings.add(refused)
    return findings, []


def _size(path: Path) -> int:
    try:
        return min(os.lstat(path).st_size, MAX_FILE_BYTES)
    except OSError:  # gone since the walk: its read says so
        return 0


def _parse_all(jobs: list[tuple[Kind, Path, str, dict]], read=_read_and_parse) -> list[tuple]:
    """``read(*job)`` of every job, in order. A county's ~2,700 files (28 CPU-s of parsing) are split
    by size (``lstat``) between this process and a forked one, which sends its parses back pickled;
    each file is read and parsed from its bytes alone, so where it is parsed changes nothing
    (tests/test_parse_split.py). If the child dies its share is parsed here."""
    from generator import parallel

    sizes = [_size(path) for _, path, _, _ in jobs]
    if sum(sizes) < SPLIT_BYTES or not parallel.can_fork():
        return [read(*job) for job in jobs]
    there: list[int] = []
    here_bytes = there_bytes = 0.0
    for k in sorted(range(len(jobs)), key=lambda k: -sizes[k]):
        size = sizes[k]
        if there_bytes + size * _CHILD_COST < here_bytes + size:
            there.append(k)
            there_bytes += size * _CHILD_COST
        else:
            here_bytes += size
    there.sort()
    pending = parallel.in_background(lambda: [read(*jobs[k]) for k in there])
    taken = set(there)
    parses: list = [None] * len(jobs)
    try:
        for k in range(len(jobs)):
            if k not in taken:
                parses[k] = read(*jobs[k])
        try:
            sent = pending.result()
        except parallel.ChildDied:
            sent = [read(*jobs[k]) for k in there]
    finally:
        pending.cancel()
    for k, parsed in zip(there, sent, strict=True):
        parses[k] = parsed
    return parses


_FREEZE_AFTER_LOAD = False


@contextlib.contextmanager
def collector_frozen_after_loading() -> Iterator[None]:
    """Within: every ``load`` ends by freezing the garbage collector's view of what exists (the
    loaded corpus: millions of long-lived objects at county size), so the collections that later
    phases trigger stop re-walking it; on exit everything is unfrozen again, so a process that
    builds repeatedly (``serve``, tests) can still free the old corpus and never grows."""
    global _FREEZE_AFTER_LOAD
    _FREEZE_AFTER_LOAD = True
    try:
        yield
    finally:
        _FREEZE_AFTER_LOAD = False
        gc.unfreeze()


def read_record_bytes(
    path: Path, shown: str, read: bool = True, limit: int | None = None
) -> tuple[bytes, Finding | None]:
    """The bytes of a regular file, or a finding: links, devices, FIFOs and oversized files are
    refused from ``lstat`` and an ``O_NOFOLLOW`` open, so their content is never read.
    With ``read=False`` only the refusal check is made; ``limit`` overrides MAX_FILE_BYTES."""
    cap = MAX_FILE_BYTES if limit is None else limit
    shown_cap = f"{cap // 2**20} MB" if cap >= 2**20 else f"{cap} 字节"
    too_large = finding("FILE_TOO_LARGE", shown, value="", limit=shown_cap)
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return b"", _refusal(path, shown)
        if not read:
            return b"", None
        if st.st_size > cap:
            return b"", too_large
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return b"", finding("FILE_SPECIAL", shown, value="", detail=f"无法读取：{exc.strerror}")
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped between lstat and open
            return b"", finding("FILE_SPECIAL", shown, value="", detail="读取时已不是普通文件")
        data = fh.read(cap + 1)
    return (b"", too_large) if len(data) > cap else (data, None)


def _refusal(path: Path, shown: str) -> Finding:
    """FILE_SYMLINK or FILE_SPECIAL for something that is not a regular file (dangling links too)."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        return finding("FILE_SPECIAL", shown, value="", detail=f"无法读取：{exc.strerror}")
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "未知位置"
        return finding("FILE_SYMLINK", shown, value="", detail=_shorten(target))
    kind = _SPECIAL.get(stat.S_IFMT(st.st_mode), "特殊文件")
    return finding("FILE_SPECIAL", shown, value="", detail=kind)


_SPECIAL = {
    stat.S_IFIFO: "命名管道",
    stat.S_IFCHR: "字符设备",
    stat.S_IFBLK: "块设备",
    stat.S_IFSOCK: "套接字",
    stat.S_IFDIR: "目录",
}


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def display_prefix(root: Path) -> str:
    """What ``load`` puts before each file name in findings when no ``display_prefix`` is given."""
    return _default_prefix(root)


def _default_prefix(root: Path) -> str:
    try:
        rel = root.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return f"{root.as_posix().rstrip('/')}/"
    text = rel.as_posix()
    return "" if text == "." else f"{text}/"


def _is_companion(rel: str) -> bool:
    """Files that travel with a record but are not records themselves (frozen draw pools, registry log)."""
    return rel == "draws/log.jsonl" or (
        rel.startswith("draws/") and rel.rsplit("/", 1)[-1].startswith("pool-")
    )
