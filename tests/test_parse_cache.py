"""A YAML record file's parse comes back from ``build --cache``'s part ``parse`` exactly as a fresh
parse makes it (records, line marks, findings, types included), and anything else in the cache —
a pack signed under another key or not at all, another folder's or another part's, a truncated,
altered, poisoned or linked one, a stale entry — is a miss, never a wrong parse or a traceback;
without a key nothing is read or written (generator/site/parse_cache.py, parse_codec.py; issue 18).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import json
import math
import os
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from generator import corpus as corpus_module
from generator import parallel
from generator.corpus import load
from generator.errors import Finding, Findings
from generator.record_file import Record
from generator.records import kind_for
from generator.site import build_cache, cache_signing, parse_cache, parse_codec
from generator.sources import Loaded
from tests.test_rules import CASES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "records"
KEY = "a-test-key-of-enough-length"


@pytest.fixture(autouse=True)
def _signing_key(monkeypatch):
    """Packs are read and written only under the publishing job's key: these tests hold one."""
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)


# -- deep equality: types, order and sharing included -------------------------------------------


class _Differ(AssertionError):
    def __init__(self, why: str):
        super().__init__(why)
        self.why, self.where = why, []


_COMPARED: set[tuple[int, int]] = set()  # (id, id) of the Loaded pairs compared in this call


def same(a, b, label: str = "") -> None:
    """``a`` and ``b`` are equal, value by value, with the same types and the same order (a source
    shared by many records is compared once)."""
    _COMPARED.clear()
    try:
        _same(a, b)
    except _Differ as d:
        raise AssertionError(f"{label}{''.join(reversed(d.where))}: {d.why}") from None
    finally:
        _COMPARED.clear()


def _same(a, b) -> None:
    if type(a) is not type(b):
        raise _Differ(f"{type(a).__name__} != {type(b).__name__}")
    step = None
    try:
        if type(a) in (str, int, bool, type(None)):
            if a != b:
                raise _Differ(f"{a!r} != {b!r}")
        elif type(a) is dict:
            if len(a) != len(b):
                raise _Differ(f"{len(a)} keys != {len(b)}")
            for (ka, va), (kb, vb) in zip(a.items(), b.items(), strict=True):
                step = f"[{ka!r}]"
                _same(ka, kb)
                _same(va, vb)
        elif type(a) in (list, tuple):
            if len(a) != len(b):
                raise _Differ(f"{len(a)} items != {len(b)}")
            for step, (x, y) in enumerate(zip(a, b, strict=True)):  # noqa: B007 - named on the way out
                _same(x, y)
        elif type(a) is Findings:
            step = ".items"
            _same(a.items, b.items)
        elif dataclasses.is_dataclass(a):
            if isinstance(a, Loaded):
                if (id(a), id(b)) in _COMPARED:
                    return
                _COMPARED.add((id(a), id(b)))
            for f in dataclasses.fields(a):
                step = "." + f.name
                _same(getattr(a, f.name), getattr(b, f.name))
        elif type(a) in (set, frozenset):
            if a != b or sorted(map(repr, a)) != sorted(map(repr, b)):
                raise _Differ(f"{a!r} != {b!r}")
        elif type(a) is float and math.isnan(a):
            if not math.isnan(b):
                raise _Differ(f"nan != {b!r}")
        elif type(a) is dt.datetime:
            if (a, a.utcoffset()) != (b, b.utcoffset()):
                raise _Differ(f"{a!r} != {b!r}")
        elif a != b:
            raise _Differ(f"{a!r} != {b!r}")
    except _Differ as d:
        if step is not None:
            d.where.append(step if isinstance(step, str) else f"[{step}]")
        raise


def same_parse(fresh: tuple, cached: tuple, where: str) -> None:
    """Both parses of one file: findings and records equal, and shared as a fresh parse shares."""
    same(fresh[0], cached[0], where + " findings")
    same(fresh[1], cached[1], where + " records")
    for records in (fresh[1], cached[1]):
        for r in records[1:]:
            assert r.source is records[0].source and r.owner is records[0].owner, where
            assert (r.header is records[0].header) == (fresh[1][1].header is fresh[1][0].header), where


def round_trip(rel: str, data: bytes, shown: str | None = None) -> None:
    kind, owner = kind_for(rel)
    shown = rel if shown is None else shown
    fresh = corpus_module._parse_file(kind, data, shown, owner)
    blob = parse_codec.encode(*fresh)
    assert blob is not None, f"{rel}: not encodable"
    same_parse(fresh, parse_codec.decode(blob, kind.name, shown, dict(owner)), rel)


def record_files(root: Path) -> list[str]:
    files, _ = corpus_module._walk(root)
    return [rel for rel in files if kind_for(rel) is not None]


# -- every sample file and every broken-record case ---------------------------------------------


def test_every_sample_file_round_trips():
    files = record_files(SAMPLE)
    assert len(files) > 400
    for rel in files:
        round_trip(rel, (SAMPLE / rel).read_bytes(), "records/" + rel)


def test_every_base_tree_file_round_trips(full_tree_master):
    for rel in record_files(full_tree_master):
        round_trip(rel, (full_tree_master / rel).read_bytes())


def test_every_broken_case_round_trips(full_tree_master):
    """The files each tests/broken case patches or creates (the rest is the base tree above)."""
    touched = 0
    for case in CASES:
        spec = yaml.safe_load(case.read_text(encoding="utf-8"))
        texts: dict[str, bytes] = {}
        for name, text in (spec.get("create") or {}).items():
            texts[name] = text.encode((spec.get("encodings") or {}).get(name, "utf-8"))
        for patch in spec.get("patches", []):
            name = patch["file"]
            text = texts[name].decode() if name in texts else (full_tree_master / name).read_text("utf-8")
            texts[name] = text.replace(patch["find"], patch["replace"]).encode("utf-8")
        for name, data in texts.items():
            if kind_for(name) is not None:
                round_trip(name, data)
                touched += 1
    assert touched > 100


HOSTILE = {
    "units/market/results/T2026-market-01.yaml": b"task: [unclosed\n",
    "units/market/tasks/T2026-market-09.yaml": b"\xff\xfe not utf-8",
    "units/market/plans/2026.yaml": b"a: &x 1\nb: *x\n",
    "units/market/items.yaml": b"items:\n  - !!python/object:os.system x\n",
    "units/health/results/T2026-health-01.yaml": b"task: T1\ntask: T2\n1: one\n2026-01-01: d\nr: 1/40\n",
    "joint/meetings/2026-01-05.yaml": b"date: 2026-01-05T09:00:00+08:00\nn: .nan\nx: 010\ny: 1_000\n",
    "units/market/unit.yaml": b"",
    "county.yaml": b"- a list\n",
}


@pytest.mark.parametrize("rel", sorted(HOSTILE))
def test_broken_and_odd_files_round_trip(rel):
    round_trip(rel, HOSTILE[rel])


def test_tagged_values_round_trip_and_unknown_types_are_not_cached():
    values = {
        "date": dt.date(2026, 2, 28),
        "utc": dt.datetime(2026, 1, 1, 10, tzinfo=dt.UTC),
        "east8": dt.datetime(2026, 1, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        "naive": dt.datetime(2026, 1, 1, 10, 30, 5, 12),
        "ratio": Fraction(1, 40),
        "tuple": (1, "a", (dt.date(2020, 1, 1),)),
        "int keys": {1: "a", 2026: {"x": [None, True, 1.5, -0.0]}},
        "\x00d": "a key that looks like a tag",
        "nested": [{"\x00f": [1, 0]}],
        "big": 10**30,
    }
    loaded = Loaded(values, {(): (1, 1), ("date",): (2, 1)})
    record = Record("county", values, "county.yaml", (), {}, loaded)
    findings = Findings()
    findings.add(Finding("X", "county.yaml", 2, 1, "date", "v", "m"))
    blob = parse_codec.encode(findings, [record])
    same_parse((findings, [record]), parse_codec.decode(blob, "county", "county.yaml", {}), "tagged")
    for odd in ({1, 2}, b"bytes", object(), [frozenset()]):
        assert (
            parse_codec.encode(findings, [Record("county", {"x": odd}, "county.yaml", (), {}, loaded)])
            is None
        )


# -- the cache: hits, misses and hostile entries -------------------------------------------------


def _cache(folder: Path) -> parse_cache.ParseCache:
    return parse_cache.ParseCache(build_cache.part(build_cache.check_folder(folder), "parse"))


def _load(root: Path, folder: Path, **options):
    cache = _cache(folder)
    return load(root, display_prefix="", reuse=cache, **options), cache


def _yaml_files(root: Path) -> list[str]:
    return [rel for rel in record_files(root) if not rel.endswith(".csv")]


def same_corpus(a, b) -> None:
    same(a.findings, b.findings, "findings")
    assert a.records.keys() == b.records.keys()
    for kind in a.records:
        same(a.records[kind], b.records[kind], kind)


def test_a_warm_read_decodes_every_yaml_file_and_equals_a_fresh_read(full_tree, tmp_path):
    fresh = load(full_tree, display_prefix="")
    cold, cache = _load(full_tree, tmp_path / "c")
    assert sorted(cache.parsed_files) == sorted(record_files(full_tree)) and cache.reused_files == []
    warm, cache = _load(full_tree, tmp_path / "c")
    assert sorted(cache.reused_files) == sorted(_yaml_files(full_tree))
    assert all(rel.endswith(".csv") for rel in cache.parsed_files)
    same_corpus(fresh, cold)
    same_corpus(fresh, warm)


@pytest.fixture
def messy(full_tree):
    """tests/test_parse_split.py's tree: refused, unknown and unparsable files between parsed ones."""
    (full_tree / "units" / "market" / "notes.txt").write_text("备忘", encoding="utf-8")
    (full_tree / "units" / "market" / "results" / "T2026-x.yml").write_text("task: x\n", encoding="utf-8")
    broken = next((full_tree / "units").rglob("results/*.yaml"))
    broken.write_text(broken.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")
    os.symlink(broken, full_tree / "units" / "market" / "linked.yaml")
    return full_tree


def _split(monkeypatch) -> None:
    monkeypatch.setattr(corpus_module, "SPLIT_BYTES", 0)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)  # also in a test worker holding threads


def test_on_two_cores_misses_are_split_and_hits_decoded_here_and_the_corpus_is_a_one_core_load(
    messy, tmp_path, monkeypatch
):
    """The loader's split (corpus._parse_all) takes the misses only: cold, every file is parsed on
    two cores; after an edit, only the edited file; the corpus equals a one-core load each time, and
    a parse that happened in the other process is kept for the next read like any other."""
    whole = load(messy, display_prefix="")
    _split(monkeypatch)
    calls, real = [], corpus_module._parse_file
    monkeypatch.setattr(corpus_module, "_parse_file", lambda *job: calls.append(os.getpid()) or real(*job))
    cold, cache = _load(messy, tmp_path / "c")
    same_corpus(whole, cold)
    assert set(calls) == {os.getpid()} and 0 < len(calls) < len(cache.parsed_files)  # the rest: there
    warm, cache = _load(messy, tmp_path / "c")
    same_corpus(whole, warm)
    assert sorted(cache.reused_files) == sorted(_yaml_files(messy))  # the unparsable file's findings too
    assert all(f.endswith(".csv") for f in cache.parsed_files)
    rel = "units/market/results/T2026-market-01.yaml"
    path = messy / rel
    path.write_text(path.read_text("utf-8").replace("问题", "问题 ", 1), encoding="utf-8")
    edited, cache = _load(messy, tmp_path / "c")
    same_corpus(load(messy, display_prefix=""), edited)
    assert [f for f in cache.parsed_files if not f.endswith(".csv")] == [rel]


def test_a_split_parse_process_that_dies_costs_its_share_only(messy, tmp_path, monkeypatch):
    whole = load(messy, display_prefix="")
    _split(monkeypatch)
    parent, real = os.getpid(), corpus_module._parse_file

    def dies_elsewhere(*job):
        if os.getpid() != parent:
            os._exit(3)
        return real(*job)

    monkeypatch.setattr(corpus_module, "_parse_file", dies_elsewhere)
    cold, _ = _load(messy, tmp_path / "c")
    same_corpus(whole, cold)
    warm, cache = _load(messy, tmp_path / "c")
    same_corpus(whole, warm)
    assert sorted(cache.reused_files) == sorted(_yaml_files(messy))  # the broken file's findings too


@pytest.mark.parametrize("split", [False, True])
def test_a_cached_load_holds_one_files_bytes_at_a_time_not_the_trees(full_tree, tmp_path, monkeypatch, split):
    """Red team 8 with the cache, cold and warm: files that parse to nothing (3 MB of comments each)
    are hashed one at a time and parsed one at a time; 14 more leave the peak where it was."""
    import tracemalloc

    if split:
        _split(monkeypatch)
    results = full_tree / "units" / "market" / "results"
    line = b"# " + b"x" * 97 + b"\n"
    blob = line * (3 * 2**20 // len(line))

    def peaks(files: int) -> list[int]:
        for k in range(files):
            (results / f"T2026-market-9{k:02d}.yaml").write_bytes(blob)
        held = []
        for _ in ("cold", "warm"):
            tracemalloc.start()
            try:
                loaded, cache = _load(full_tree, tmp_path / f"c{files}")
                held.append(tracemalloc.get_traced_memory()[1])
            finally:
                tracemalloc.stop()
            assert sum("T2026-market-9" in f.file for f in loaded.findings) == files
        assert sum("T2026-market-9" in f for f in cache.reused_files) == files
        return held

    few, many = peaks(2), peaks(16)
    for a, b in zip(few, many, strict=True):
        assert b - a < 4 * len(blob), f"{(b - a) / 2**20:.0f} MB more for 14 files of 3 MB"


def test_a_changed_file_misses_and_is_kept_for_the_next_read(full_tree, tmp_path):
    _load(full_tree, tmp_path / "c")
    rel = "units/market/results/T2026-market-01.yaml"
    path = full_tree / rel
    path.write_text(path.read_text("utf-8").replace("问题", "问题 ", 1), encoding="utf-8")
    warm, cache = _load(full_tree, tmp_path / "c")
    assert [f for f in cache.parsed_files if not f.endswith(".csv")] == [rel]
    same_corpus(load(full_tree, display_prefix=""), warm)
    _, cache = _load(full_tree, tmp_path / "c")
    assert rel in cache.reused_files


def _one(cache, root: Path, rel: str):
    """What corpus.load does with one file: a hit, or a miss parsed by ``read_and_parse``."""
    kind, owner = kind_for(rel)
    found = cache.hit(kind, root, rel, rel, owner)
    if found is not None:
        return found, None
    job = (kind, root / rel, rel, owner)
    return None, (job, cache.read_and_parse(*job))


def test_an_entry_is_keyed_by_the_bytes_parsed_not_by_an_earlier_read(full_tree, tmp_path):
    """A file changed between the loader's hash (``hit``) and its parse: the parse is kept under the
    bytes it was made from, so the old bytes, back again, are never decoded as the new ones' parse."""
    rel = "units/market/results/T2026-market-01.yaml"
    path = full_tree / rel
    kind, owner = kind_for(rel)
    old = path.read_bytes()
    new = old.decode().replace("问题", "问题已改", 1).encode()
    assert new != old
    cache = _cache(tmp_path / "c")
    assert cache.hit(kind, full_tree, rel, rel, owner) is None  # hashed: a miss
    path.write_bytes(new)
    job = (kind, path, rel, owner)
    cache.store([job], [cache.read_and_parse(*job)])
    path.write_bytes(old)
    assert _cache(tmp_path / "c").hit(kind, full_tree, rel, rel, owner) is None  # the old bytes miss
    path.write_bytes(new)
    found = _cache(tmp_path / "c").hit(kind, full_tree, rel, rel, owner)
    same_parse(corpus_module._parse_file(kind, new, rel, owner), found, rel)


def test_a_folder_met_twice_in_one_read_keeps_both_visits_entries(full_tree, tmp_path):
    """One pack is open at a time (a folder's files come together); should a folder come back later
    in a read, the entries of its first visit are not lost when it is written again."""
    results = sorted(r for r in _yaml_files(full_tree) if "/results/" in r or "/plans/" in r)
    folders = sorted({parse_cache.group(r) for r in results})
    assert len(folders) >= 2 and len(results) >= 3
    a = [r for r in results if parse_cache.group(r) == folders[0]]
    b = [r for r in results if parse_cache.group(r) != folders[0]]
    order = a[:1] + b + a[1:] if len(a) > 1 else a + b + a  # folder A, the others, folder A again

    def read(files: list[str]) -> parse_cache.ParseCache:
        cache, jobs, made = _cache(tmp_path / "c"), [], []
        for rel in files:
            found, miss = _one(cache, full_tree, rel)
            if miss is not None:
                jobs.append(miss[0])
                made.append(miss[1])
                found = miss[1][:2]
            kind, owner = kind_for(rel)
            same_parse(
                corpus_module._parse_file(kind, (full_tree / rel).read_bytes(), rel, owner), found, rel
            )
        cache.store(jobs, made)
        return cache

    read(order)
    assert sorted(read(order).reused_files) == sorted(order)
    assert sorted(read(results).reused_files) == results


def test_another_display_prefix_or_path_is_another_key(full_tree, tmp_path):
    _load(full_tree, tmp_path / "c")
    cache = _cache(tmp_path / "c")
    shown = load(full_tree, display_prefix="records/", reuse=cache)
    assert cache.reused_files == []
    same_corpus(load(full_tree, display_prefix="records/"), shown)
    data = parse_cache.content_digest(b"x")
    keys = {
        parse_cache.entry_key(data, "a.yaml", "county", "a.yaml"),
        parse_cache.entry_key(data, "b.yaml", "county", "b.yaml"),
        parse_cache.entry_key(data, "a.yaml", "unit", "a.yaml"),
        parse_cache.entry_key(data, "a.yaml", "county", "r/a.yaml"),
        parse_cache.entry_key(parse_cache.content_digest(b"y"), "a.yaml", "county", "a.yaml"),
    }
    assert len(keys) == 5


# -- signed packs: what an attacker who can write the cache can and cannot do ---------------------


def _packs(folder: Path) -> list[Path]:
    return sorted((folder / "parse").glob("*.pack"))


def _unsigned(pack: Path) -> tuple[bytes, bytes, list, list]:
    """A pack's parts: its head (format and identity lines), index and entries (MAC checked)."""
    body = cache_signing.opened(parse_cache.PURPOSE, pack.read_bytes())
    assert body is not None
    fmt, ident, index, rest = body.split(b"\n", 3)
    entries, at = [], 0
    index = json.loads(index)
    for _, size in index:
        entries.append(rest[at : at + size])
        at += size
    return fmt, ident, index, entries


def _packed(fmt: bytes, ident: bytes, index: list, entries: list) -> bytes:
    for item, blob in zip(index, entries, strict=True):
        item[1] = len(blob)
    return b"\n".join([fmt, ident, json.dumps(index).encode(), b"".join(entries)])


def _after(full_tree, folder, damage) -> list[str]:
    """Damage every pack, read again: what was parsed; the read must equal a fresh one."""
    for pack in _packs(folder):
        damage(pack)
    warm, cache = _load(full_tree, folder)
    same_corpus(load(full_tree, display_prefix=""), warm)
    return [f for f in cache.parsed_files if not f.endswith(".csv")]


def _other_key(pack: Path) -> None:
    """Honest entries, signed by someone without the publishing job's key."""
    body = _packed(*_unsigned(pack))
    saved = os.environ[cache_signing.KEY_ENV]
    os.environ[cache_signing.KEY_ENV] = "the-cache-writers-own-key"
    try:
        pack.write_bytes(cache_signing.sign(parse_cache.PURPOSE, body))
    finally:
        os.environ[cache_signing.KEY_ENV] = saved


def _no_mac(pack: Path) -> None:
    pack.write_bytes(_packed(*_unsigned(pack)))


def _other_purpose(pack: Path) -> None:
    """Signed under the right key, but as another part's entry (the scan memo's)."""
    pack.write_bytes(cache_signing.sign(b"scan-memo", _packed(*_unsigned(pack))))


def _truncate(pack: Path) -> None:
    pack.write_bytes(pack.read_bytes()[:-7])


def _appended(pack: Path) -> None:
    pack.write_bytes(pack.read_bytes() + b"{}")


def _flip(pack: Path) -> None:
    data = bytearray(pack.read_bytes())
    data[len(data) // 2] ^= 0x01
    pack.write_bytes(bytes(data))


def _foreign(pack: Path) -> None:
    """Another format, signed: a pack an older code wrote."""
    _, ident, index, entries = _unsigned(pack)
    pack.write_bytes(
        cache_signing.sign(parse_cache.PURPOSE, _packed(b"ssj-parse-cache/1", ident, index, entries))
    )


def _linked(pack: Path) -> None:
    target = pack.with_name("elsewhere")
    pack.rename(target)
    pack.symlink_to(target)


def _oversized(pack: Path) -> None:
    with pack.open("ab") as f:
        f.truncate(parse_cache.MAX_PACK_BYTES + 1)  # sparse: no disk used


DAMAGE = [_other_key, _no_mac, _other_purpose, _truncate, _appended, _flip, _foreign, _linked, _oversized]


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__.strip("_") for d in DAMAGE])
def test_a_pack_not_signed_as_this_folders_by_this_key_is_a_miss(full_tree, tmp_path, damage):
    _load(full_tree, tmp_path / "c")
    assert sorted(_after(full_tree, tmp_path / "c", damage)) == sorted(_yaml_files(full_tree))
    _, cache = _load(full_tree, tmp_path / "c")  # written again whole, under this key
    assert sorted(cache.reused_files) == sorted(_yaml_files(full_tree))


def test_a_pack_of_another_folder_is_not_this_folders(full_tree, tmp_path):
    """Two signed packs swapped: each is refused as the other folder's, before any entry is looked
    at, and so is a pack made for another display prefix (another checkout's build)."""
    _load(full_tree, tmp_path / "c")
    part = tmp_path / "c" / "parse"
    by_group = {}
    for rel in _yaml_files(full_tree):
        ident = parse_cache.identity("", parse_cache.group(rel))
        by_group[ident] = part / (parse_cache._digest(b"pack", ident) + ".pack")
    (a, pa), (b, pb) = sorted(by_group.items())[:2]
    assert parse_cache._read_pack(pa, a) and parse_cache._read_pack(pb, b)
    assert parse_cache._read_pack(pa, b) == {} and parse_cache._read_pack(pb, a) == {}
    other_prefix = parse_cache.identity("records/", json.loads(a)[1])
    assert parse_cache._read_pack(pa, other_prefix) == {}
    data_a, data_b = pa.read_bytes(), pb.read_bytes()
    pa.write_bytes(data_b)
    pb.write_bytes(data_a)
    warm, cache = _load(full_tree, tmp_path / "c")
    same_corpus(load(full_tree, display_prefix=""), warm)
    swapped = {json.loads(a)[1], json.loads(b)[1]}
    parsed = {parse_cache.group(f) for f in cache.parsed_files if not f.endswith(".csv")}
    assert parsed == swapped


def test_no_key_nothing_is_read_or_written(full_tree, tmp_path, monkeypatch):
    """Without the key (a pull request's run, a developer's machine), the part is not used: a build
    finds no cache and makes no part; a ParseCache made anyway decodes nothing (its packs were good)
    and writes or removes nothing, though a file changed and a stale pack lies there."""
    _load(full_tree, tmp_path / "c")
    part = tmp_path / "c" / "parse"
    (part / ("0" * 40 + ".pack")).write_bytes(b"stale")
    rel = "units/market/results/T2026-market-01.yaml"
    for key in (None, "short"):  # a key too short to be a secret is no key
        if key is None:
            monkeypatch.delenv(cache_signing.KEY_ENV)
        else:
            monkeypatch.setenv(cache_signing.KEY_ENV, key)
        before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in part.iterdir()}
        fresh = tmp_path / f"fresh-{key}"
        monkeypatch.setenv(build_cache.ENV, str(build_cache.check_folder(fresh)))
        assert parse_cache.for_build() is None and not (fresh / "parse").exists()
        path = full_tree / rel
        path.write_text(path.read_text("utf-8") + "# 改\n", encoding="utf-8")
        warm, cache = _load(full_tree, tmp_path / "c")
        same_corpus(load(full_tree, display_prefix=""), warm)
        assert cache.reused_files == [] and sorted(cache.parsed_files) == sorted(record_files(full_tree))
        assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in part.iterdir()} == before


def test_a_changed_file_is_never_decoded_from_its_old_entry(full_tree, tmp_path):
    """Every byte is read and hashed: a file edited in place (same size, same mtime) misses, and its
    old entry leaves the pack."""
    _load(full_tree, tmp_path / "c")
    rel = "units/market/results/T2026-market-01.yaml"
    path = full_tree / rel
    st = path.stat()
    old = path.read_bytes()
    text = old.decode()
    at = text.index("问题")
    new = (text[:at] + "同题" + text[at + 2 :]).encode()
    assert len(new) == len(old) and new != old
    path.write_bytes(new)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    warm, cache = _load(full_tree, tmp_path / "c")
    assert rel not in cache.reused_files and rel in cache.parsed_files
    same_corpus(load(full_tree, display_prefix=""), warm)
    kind, _ = kind_for(rel)
    old_key = parse_cache.entry_key(parse_cache.content_digest(old), rel, kind.name, rel)
    assert all(old_key not in parse_cache._read_pack(p, _unsigned(p)[1]) for p in _packs(tmp_path / "c"))


def _poison(pack: Path) -> None:
    """Signed entries (a past code's, or a key holder's mistake) that are not what this code writes:
    wrong types, unknown tags, pickles, another file's entry (every entry's bytes moved one along)."""
    fmt, ident, index, entries = _unsigned(pack)
    poisons = [
        b'{"f":[],"r":[[[],{}]],"k":"x"}',
        b'{"f":[["C","f","1",1,"","","",""]],"r":[]}',
        b'{"f":[],"r":[{"\\u0000p":"os.system"}]}',
        b"\x80\x04\x95pickle",
        b"[" * 100_000,
    ]
    if len(entries) > 1:
        entries.append(entries.pop(0))
    for i, poison in enumerate(poisons[: len(entries) - 1]):
        entries[i] = poison
    pack.write_bytes(cache_signing.sign(parse_cache.PURPOSE, _packed(fmt, ident, index, entries)))


def test_a_poisoned_entry_is_a_miss_and_written_again(full_tree, tmp_path):
    _load(full_tree, tmp_path / "c")
    sizes = [len(_unsigned(p)[2]) for p in _packs(tmp_path / "c")]
    parsed = _after(full_tree, tmp_path / "c", _poison)
    assert len(parsed) == sum(n for n in sizes if n > 1) > 0
    _, cache = _load(full_tree, tmp_path / "c")
    assert sorted(cache.reused_files) == sorted(_yaml_files(full_tree))


def test_decode_refuses_what_encode_never_writes():
    same(
        parse_codec.decode(parse_codec.encode(Findings(), []), "county", "county.yaml", {}), (Findings(), [])
    )
    bad = [
        b"",
        b"null",
        b'{"f":[],"r":[[[],{"\\u0000f":[1,0]}]],"k":"county","n":"county.yaml","o":{},"s":{}}',
        b'{"f":[],"r":[[[],{"\\u0000m":[[[1],2]]}]],"k":"county","n":"county.yaml","o":{},"s":{}}',
        b'{"f":[],"r":[[[{}],{}]],"k":"county","n":"county.yaml","o":{},"s":{"v":null,"l":[],"f":[],"m":[],"x":[]}}',
        b'{"f":[],"r":[[[],{}]],"k":"county","n":"county.yaml","o":{},"s":{"v":null,"l":[5,"a",1,1],"f":[],"m":[],"x":[]}}',
        b'{"f":[],"r":[[[],{}]],"k":"county","n":"county.yaml","o":{},"s":{"v":null,"l":[0,null,"1",1],"f":[],"m":[],"x":[]}}',
        b'{"f":[],"r":[[[],{}]],"k":"county","n":"other.yaml","o":{},"s":{"v":null,"l":[],"f":[],"m":[],"x":[]}}',
        b'{"f":[],"r":[[[],{}]],"k":"county","n":"county.yaml","o":{},"s":{"v":null,"l":[],"f":[],"m":["1"],"x":[]}}',
        b"[" * 100_000 + b"]" * 100_000,
    ]
    for blob in bad:
        with pytest.raises(parse_codec.Malformed):
            parse_codec.decode(blob, "county", "county.yaml", {})


def test_unused_packs_and_temporaries_are_pruned_and_nothing_else(full_tree, tmp_path):
    _load(full_tree, tmp_path / "c")
    part = tmp_path / "c" / "parse"
    stale = part / ("0" * 40 + ".pack")
    stale.write_bytes(b"old")
    (part / ".storing-abc").write_bytes(b"half")
    (part / "notes.txt").write_text("mine")
    shutil.rmtree(full_tree / "joint")
    _, cache = _load(full_tree, tmp_path / "c")
    names = sorted(p.name for p in part.iterdir())
    assert "notes.txt" in names and stale.name not in names and ".storing-abc" not in names
    assert len(_packs(tmp_path / "c")) == len({parse_cache.group(r) for r in _yaml_files(full_tree)})


def test_a_pack_that_cannot_be_read_or_written_costs_parses_not_the_build(full_tree, tmp_path):
    _load(full_tree, tmp_path / "c")
    part = tmp_path / "c" / "parse"
    packs = _packs(tmp_path / "c")
    for pack in packs:  # a folder in a pack's place: opened, refused, never replaced
        pack.unlink()
        pack.mkdir()
    warm, cache = _load(full_tree, tmp_path / "c")
    same_corpus(load(full_tree, display_prefix=""), warm)
    assert sorted(cache.parsed_files) == sorted(record_files(full_tree))
    assert sorted(p for p in part.iterdir() if p.name != build_cache.MARKER) == packs
    assert all(p.is_dir() for p in packs)


# -- the key covers the code -------------------------------------------------------------------


def _imports(module: str) -> set[str]:
    """The generator modules ``module`` imports, at any depth (function-level imports included)."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        path = ROOT / (name.replace(".", "/") + ".py")
        if not path.exists():
            path = ROOT / name.replace(".", "/") / "__init__.py"
        if name in seen or not path.exists():
            continue
        seen.add(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                todo += [a.name for a in node.names if a.name.startswith("generator")]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                if base.startswith("generator"):
                    todo.append(base)
                    todo += [f"{base}.{a.name}" for a in node.names]
    return seen


def test_the_code_fingerprint_covers_everything_a_parse_runs():
    covered = set()
    for name in parse_cache.CODE:
        path = ROOT / name
        covered |= {p.relative_to(ROOT).as_posix() for p in (path.rglob("*.py") if path.is_dir() else [path])}
    needed = set()
    for module in _imports("generator.corpus") | _imports("generator.site.parse_codec"):
        path = ROOT / (module.replace(".", "/") + ".py")
        needed.add(
            (path if path.exists() else path.with_suffix("") / "__init__.py").relative_to(ROOT).as_posix()
        )
    assert "generator/schema/fields.py" in needed and "generator/catalog/records.py" in needed
    assert sorted(needed - covered) == []


def test_a_code_change_changes_every_key(tmp_path, monkeypatch):
    copy = tmp_path / "src"
    for name in parse_cache.CODE:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, copy / name)
        else:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, copy / name)
    monkeypatch.setattr(parse_cache, "ROOT", copy)
    parse_cache.code_fingerprint.cache_clear()
    try:
        before = parse_cache.entry_key(b"x", "county.yaml", "county", "county.yaml")
        fields = copy / "generator/schema/fields.py"
        fields.write_text(fields.read_text("utf-8") + "\n# changed\n", encoding="utf-8")
        parse_cache.code_fingerprint.cache_clear()
        assert parse_cache.entry_key(b"x", "county.yaml", "county", "county.yaml") != before
    finally:
        parse_cache.code_fingerprint.cache_clear()


def test_a_pack_over_the_bound_is_not_read(full_tree, tmp_path, monkeypatch):
    """Sizes are checked on the open file before reading: a signed pack one byte over is a miss."""
    _load(full_tree, tmp_path / "c")
    pack = max(_packs(tmp_path / "c"), key=lambda p: p.stat().st_size)
    ident = _unsigned(pack)[1]
    monkeypatch.setattr(parse_cache, "MAX_PACK_BYTES", pack.stat().st_size)
    assert parse_cache._read_pack(pack, ident)
    monkeypatch.setattr(parse_cache, "MAX_PACK_BYTES", pack.stat().st_size - 1)
    assert parse_cache._read_pack(pack, ident) == {}


@pytest.mark.parametrize("library", ["PyYAML", "libyaml", "Python", "csv"])
def test_every_library_a_parse_depends_on_is_in_every_key(monkeypatch, library):
    """Red team 9: the C libyaml PyYAML parses with (its own version, not PyYAML's) decides marks
    and scalars too; a cache restored from a run on another one is another key's."""
    import csv

    import yaml

    before = parse_cache.entry_key(b"x", "county.yaml", "county", "county.yaml")
    with monkeypatch.context() as m:
        if library == "PyYAML":
            m.setattr(yaml, "__version__", "5.4.1")
        elif library == "libyaml":
            m.setattr(yaml._yaml, "get_version_string", lambda: "0.2.2")
        elif library == "Python":
            m.setattr("sys.version", "3.11.0 (main) [GCC 9]")
        else:
            m.setattr(csv, "field_size_limit", lambda *a: 17)
        parse_cache.code_fingerprint.cache_clear()
        try:
            assert parse_cache.entry_key(b"x", "county.yaml", "county", "county.yaml") != before
        finally:
            parse_cache.code_fingerprint.cache_clear()


def test_validation_and_its_rewrites_find_the_same_on_a_warm_read(tmp_path):
    """Red team 9: the rules (and the rewriting rule, which changes records in place) read a warm
    corpus as a fresh one: the same findings, rendered, in the same order, and the same records after
    the rewrites (a decoded record does not share its containers with its source as a parse may)."""
    from generator.validation import apply_rewrites, validate_corpus

    sample = tmp_path / "records"  # the sample: 30 warnings (README)
    shutil.copytree(ROOT / "records", sample)
    fresh = load(sample, display_prefix="")
    _load(sample, tmp_path / "c")
    warm, cache = _load(sample, tmp_path / "c")
    assert cache.reused_files
    rendered = [[f.render() for f in validate_corpus(c)] for c in (fresh, warm)]
    assert rendered[0] == rendered[1] and rendered[0]
    for c in (fresh, warm):
        apply_rewrites(c)
    same_corpus(fresh, warm)
    assert [[f.render() for f in validate_corpus(c)] for c in (fresh, warm)] == rendered
