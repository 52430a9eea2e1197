"""A drawn folder's bundle is kept in ``build --cache DIR`` (``generator/site/draw_cache.py``): a warm
read gives the cold read's pages and bytes, and an entry that is damaged, planted, foreign, linked or
says something its folder does not is never used (the bundle is made again from the folder).

Real draw folders made by the registry's own steps (``tests/site/draw_site.py``: a v1 draw, a
sealed v2 draw with its registry log, a refused and a failed one); no part is mocked.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.corpus import load
from generator.registry import log, run, store
from generator.site import build_cache, cache_signing, draw_cache, draw_story, draws
from tests.site.draw_site import V1, V2, draw_records

DRAWN = sorted([V1, V2])


@pytest.fixture(autouse=True)
def no_key(monkeypatch):
    """These tests hold entries against their folders: a build without the cache key (signed
    entries: tests/test_draw_cache_signed.py)."""
    monkeypatch.delenv(cache_signing.KEY_ENV, raising=False)


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return draw_records(tmp_path_factory.mktemp("drawcache"))


@pytest.fixture
def records(master, tmp_path):
    root = tmp_path / "records"
    shutil.copytree(master, root)
    return root


@pytest.fixture
def part(tmp_path):
    return build_cache.part(build_cache.check_folder(tmp_path / "cache"), draw_cache.PART)


def _build(records: Path, part: Path | None) -> tuple[dict, dict]:
    """Page models and published draw files, read the way the build reads them."""
    data = draws.load_draws(load(records), draws.read_all(records, part=part))
    return {k: v["page"] for k, v in data.items()}, draws.bundle_files(data)


def _entry(part: Path, draw_id: str) -> Path:
    found = [
        p
        for p in part.iterdir()
        if p.is_dir() and json.loads((p / "manifest.json").read_text())["draw_id"] == draw_id
    ]
    assert len(found) == 1
    return found[0]


def _plant(entry: Path, data: bytes) -> None:
    """Replace an entry's bundle with ``data`` and a manifest that agrees: a consistent forgery."""
    (entry / "bundle.json").write_bytes(data)
    manifest = json.loads((entry / "manifest.json").read_text())
    manifest["bundle"] = [len(data), hashlib.sha256(data).hexdigest()]
    (entry / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _edit_bundle(entry: Path, edit) -> None:
    bundle = json.loads((entry / "bundle.json").read_bytes())
    edit(bundle)
    _plant(entry, (json.dumps(bundle, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8"))


def test_a_warm_read_gives_the_cold_reads_pages_and_bytes(records, part):
    cold = _build(records, None)
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [], "signed": [], "made": DRAWN, "refused": []}
    assert (
        sorted(json.loads((p / "manifest.json").read_text())["draw_id"] for p in part.iterdir() if p.is_dir())
        == DRAWN
    )
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": DRAWN, "signed": [], "made": [], "refused": []}


def test_the_published_bundle_is_the_registrys_own_after_the_log_grows(records, part):
    """The kept bytes hold no registry proof: each build adds the proof to the current head, so a
    log line added since (another draw accepted) reaches every v2 bundle."""
    _build(records, part)
    path = store.log_path(records)
    path.write_text(
        log.append(path.read_text(encoding="utf-8"), {"event": "accepted", "draw_id": "D2026-0009"}),
        encoding="utf-8",
    )
    pages, files = _build(records, part)
    assert draw_cache.LAST_RUN["reused"] == DRAWN
    for draw_id in DRAWN:
        expected = run.public_bundle(run.read(records, draw_id))
        text = json.dumps(expected, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        assert files[f"draws/{draw_id}/bundle.json"] == text.encode("utf-8")
    assert pages[V2]["registry"]["following"] == len(expected["registry"]["following"]) >= 1
    assert pages[V2]["registry"]["head"] == log.head(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "damage",
    [
        "altered",
        "truncated",
        "manifest_missing",
        "extra_file",
        "bundle_linked",
        "entry_linked",
        "foreign",
        "bad_manifest",
        "oversized_manifest",
    ],
)
def test_a_damaged_planted_or_linked_entry_is_a_miss_and_made_again(records, part, tmp_path, damage):
    cold = _build(records, None)
    _build(records, part)
    entry, other = _entry(part, V2), _entry(part, V1)
    bundle = entry / "bundle.json"
    if damage == "altered":
        data = bytearray(bundle.read_bytes())
        data[len(data) // 2] ^= 1
        bundle.write_bytes(bytes(data))
    elif damage == "truncated":
        bundle.write_bytes(bundle.read_bytes()[:-100])
    elif damage == "manifest_missing":
        (entry / "manifest.json").unlink()
    elif damage == "extra_file":
        (entry / "pagefind.js").write_text("alert(1)", encoding="utf-8")
    elif damage == "bundle_linked":
        copy = tmp_path / "elsewhere.json"
        shutil.copyfile(bundle, copy)
        bundle.unlink()
        bundle.symlink_to(copy)
    elif damage == "entry_linked":
        moved = tmp_path / "moved-entry"
        entry.rename(moved)
        entry.symlink_to(moved, target_is_directory=True)
    elif damage == "foreign":  # another draw's entry, whole, under this draw's key
        shutil.rmtree(entry)
        shutil.copytree(other, entry)
    elif damage == "bad_manifest":
        (entry / "manifest.json").write_text("[1, 2", encoding="utf-8")
    elif damage == "oversized_manifest":
        manifest = json.loads((entry / "manifest.json").read_text())
        manifest["padding"] = "x" * draw_cache.MAX_MANIFEST
        (entry / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [V1], "signed": [], "made": [V2], "refused": []}
    assert _build(records, part) == cold  # the damaged entry was replaced by a sound one
    assert draw_cache.LAST_RUN["reused"] == DRAWN


def _swap_two_drawn(bundle):
    objects = bundle["result"]["objects"]
    objects[0]["id"], objects[1]["id"] = objects[1]["id"], objects[0]["id"]


def _other_team_member(bundle):
    team = bundle["result"]["teams"][0]
    others = [p["id"] for p in bundle["public_pools"]["inspectors"] if p["id"] not in team["members"]]
    team["members"][-1] = others[0]


def _renamed_inspector(bundle):
    bundle["public_pools"]["inspectors"][0]["name"] = "王二"


@pytest.mark.parametrize(
    "edit",
    [
        _swap_two_drawn,
        _other_team_member,
        _renamed_inspector,
        lambda b: b["result"].update(seed=b["result"]["seed"][:-2] + "00"),
        lambda b: b["result"]["strata"]["sealed"]["reserve"].reverse(),
        lambda b: b["entropy"].update(ceremony={"meeting": "27182818"}),
        lambda b: b["request"]["task"].update(name="另一个任务"),
        lambda b: b["acceptance"].update(recorded_round=1),
        lambda b: b.update(registry={"index": 1, "entry": "{}", "following": [], "head": "0" * 64}),
        lambda b: b.update(format="sdr-draw-bundle/2"),
        lambda b: b.update(note="planted"),
        lambda b: b["result"]["objects"][0].update(blocked_count="0"),
        lambda b: b["result"]["objects"][0].update(blocked_previous={"registry": None}),
        lambda b: b["result"]["objects"][0].update(batch=True),  # JSON true is not 1
    ],
    ids=[
        "drawn",
        "team",
        "pool",
        "seed",
        "reserves",
        "entropy",
        "request",
        "acceptance",
        "registry",
        "format",
        "extra key",
        "recusal count",
        "recusal list",
        "batch type",
    ],
)
def test_an_entry_that_says_what_its_folder_does_not_is_refused(records, part, edit):
    """A forgery with a manifest that agrees: the check against the folder's own files refuses
    it, the bundle is made again and the entry replaced."""
    cold = _build(records, None)
    _build(records, part)
    _edit_bundle(_entry(part, V2), edit)
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [V1], "signed": [], "made": [], "refused": [V2]}
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN["reused"] == DRAWN


def test_a_v1_entry_cannot_move_objects_either(records, part):
    cold = _build(records, None)
    _build(records, part)
    _edit_bundle(_entry(part, V1), _swap_two_drawn)
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN["refused"] == [V1]


def test_a_duplicate_key_is_refused_even_when_its_last_value_is_right(records, part):
    """JSON parsers disagree on which of two equal keys wins: a bundle with one is never used."""
    cold = _build(records, None)
    _build(records, part)
    entry = _entry(part, V2)
    data = (entry / "bundle.json").read_bytes()
    _plant(entry, data.replace(b'{\n "acceptance"', b'{\n "format": "sdr-draw-bundle/2",\n "acceptance"', 1))
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN["refused"] == [V2]


def test_a_bundle_whose_registry_proof_has_no_place_of_its_own_is_refused(records, part):
    """The same JSON written compactly: the proof could not be put in, so the entry is not used
    (and the build does not stop on it)."""
    cold = _build(records, None)
    _build(records, part)
    entry = _entry(part, V2)
    bundle = json.loads((entry / "bundle.json").read_bytes())
    _plant(
        entry, json.dumps(bundle, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    )
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN["refused"] == [V2]


def test_reserves_keep_result_yamls_stratum_order_though_json_sorts_keys():
    """The kept bytes sort keys (S10 before S2); the page lists reserves in the draw's own order."""
    stratum = {"eligible": 1, "excluded": [], "drawn": [], "reserve": []}
    bundle = {
        "result": {
            "strata": {
                "S10": {**stratum, "reserve": [{"ref": "b"}]},
                "S2": {**stratum, "reserve": [{"ref": "a"}]},
            }
        }
    }
    result = {"output": {"strata": {"S2": {}, "S10": {}}}}
    draws._strata_in_result_order(bundle, result)
    assert list(bundle["result"]["strata"]) == ["S2", "S10"]
    assert draw_story.reserves(bundle) == ["a", "b"]


def test_a_changed_draw_folder_makes_a_new_entry_and_the_old_one_is_pruned(records, part):
    _build(records, part)
    before = {p.name for p in part.iterdir() if p.is_dir()}
    entropy = store.folder(records, V2) / store.ENTROPY
    entropy.write_text(entropy.read_text(encoding="utf-8") + "# 补记\n", encoding="utf-8")
    cold = _build(records, None)
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [V1], "signed": [], "made": [V2], "refused": []}
    after = {p.name for p in part.iterdir() if p.is_dir()}
    assert len(after) == 2 and len(after & before) == 1


@pytest.mark.parametrize("odd", ["sub-folder", "link"])
def test_a_folder_holding_a_sub_folder_or_a_link_is_never_kept(records, part, tmp_path, odd):
    """Its hash could not vouch for what the reader reads: it is read as on every cold build."""
    folder = store.folder(records, V2)
    if odd == "sub-folder":
        (folder / "notes").mkdir()
    else:
        (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
        (folder / "notes.txt").symlink_to(tmp_path / "outside.txt")
    cold = _build(records, None)
    assert _build(records, part) == cold
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [V1], "signed": [], "made": [], "refused": []}
    assert [
        json.loads((p / "manifest.json").read_text())["draw_id"] for p in part.iterdir() if p.is_dir()
    ] == [V1]


def test_the_key_covers_the_draw_the_folder_bytes_and_the_code(monkeypatch):
    folder_hash = hashlib.blake2b(b"x", digest_size=20).digest()
    k = draw_cache.key(V2, folder_hash)
    assert draw_cache.key(V1, folder_hash) != k
    assert draw_cache.key(V2, hashlib.blake2b(b"y", digest_size=20).digest()) != k
    monkeypatch.setattr(draw_cache, "CODE", draw_cache.CODE[:-1])  # as if the code were other code
    draw_cache.code_fingerprint.cache_clear()
    try:
        assert draw_cache.key(V2, folder_hash) != k
    finally:
        monkeypatch.undo()
        draw_cache.code_fingerprint.cache_clear()
    assert draw_cache.key(V2, folder_hash) == k


def test_every_module_that_makes_a_bundle_is_in_the_code_fingerprint(master):
    """A fresh process makes a bundle; every generator module it loaded either is hashed into the
    key (``draw_cache.CODE``) or cannot change a bundle's bytes (messages, record declarations)."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.site import draws\n"
        f"draws.read_one(Path({str(master)!r}), {V2!r})\n"
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('generator') and getattr(m, '__file__', None)))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    covered = [root / c for c in draw_cache.CODE]
    # catalogs (messages), record kinds and schema (the corpus's declarations), rules the registry
    # names, the process helpers and the site's other modules: nothing a bundle's bytes come from
    allowed = (
        "catalog",
        "records",
        "schema",
        "rules",
        "site",
        "errors.py",
        "parallel.py",
        "paths.py",
        "__init__.py",
    )
    missing = []
    for line in out.stdout.splitlines():
        path = Path(line)
        rel = path.relative_to(root / "generator").as_posix()
        if any(path == c or c in path.parents for c in covered) or rel.startswith(allowed):
            continue
        missing.append(rel)
    assert missing == []


def test_the_scan_reads_a_kept_bundle_against_todays_internal_values(records, tmp_path, monkeypatch):
    """A bundle taken from the cache is published, so the privacy scan reads its bytes as every
    build does, against the internal values of this build's records."""
    from generator.site.assemble import assemble

    monkeypatch.setenv(build_cache.ENV, str(build_cache.check_folder(tmp_path / "cache")))
    first = assemble(records)
    first.collect_files()
    assert first.scan_problems == [] and draw_cache.LAST_RUN["made"] == DRAWN
    salt = json.loads(draws.published(draws.load_draws(load(records))[V2]))["result"]["objects"][0]["salt"]
    roster = records / "units" / "market" / "inspectors.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].rsplit(",", 1)[0] + "," + salt  # a declared conflict (internal) that says it
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = assemble(records)
    again.collect_files()
    assert draw_cache.LAST_RUN["reused"] == DRAWN
    assert any(f"draws/{V2}/bundle.json" in p for p in again.scan_problems)


def test_a_cache_that_cannot_be_written_costs_the_bundle_not_the_build(records, part, monkeypatch):
    """A full disk or a read-only cache (root ignores chmod here, so the write itself fails)."""
    real = build_cache.tempfile.mkdtemp

    def no_space(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == part:
            raise OSError(28, "No space left on device")
        return real(*args, dir=dir, **kwargs)

    cold = _build(records, None)
    monkeypatch.setattr(build_cache.tempfile, "mkdtemp", no_space)
    assert _build(records, part) == cold
    assert _build(records, part) == cold
    assert draw_cache.LAST_RUN == {"reused": [], "signed": [], "made": DRAWN, "refused": []}
    assert [p.name for p in part.iterdir() if not p.name.startswith(".")] == []


def test_a_store_interrupted_midway_leaves_no_entry(records, part, monkeypatch):
    real = Path.write_text

    def failing(self, *args, **kwargs):
        if self.name == draw_cache.MANIFEST:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    _build(records, part)
    assert sorted(p.name for p in part.iterdir()) == sorted([build_cache.MARKER, search_cache_lock()])


def search_cache_lock() -> str:
    from generator.site import search_cache

    return search_cache.LOCK
