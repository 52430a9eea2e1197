"""A drawn folder's public bundle is made once and kept in the build cache (issue 18, warm build).

A draw folder never changes once drawn (the append-only check refuses an edit), and its public
bundle is a function of the folder's bytes and the code, except the registry proof (a v2 bundle's
inclusion path of its acceptance to the last log line of its year, which every later line of that
year changes).
So the bundle's bytes, that proof left ``null``, are kept in the part ``DIR/draws`` of ``build
--cache DIR``, one entry per folder: named by SHA-256 of ``FORMAT``, a fingerprint of the code
that makes it (``CODE``), the draw id and the BLAKE2b of the folder's file names and bytes
(``record_cache.folder_digest``; a folder holding a link, a sub-folder or an oversized file has
none, and is read as always). A hit costs hashing the folder and reading its small files: its
pools are never parsed, nor is the bundle made or dumped again. ``load_draws`` adds the proof to
the current head every build, and every page figure is derived from the bundle as on a cold build.

An entry is untrusted bytes (docs/security.md, "The draw bundle cache"): JSON only, sizes bounded, a
manifest of size and SHA-256, read without following links. Before a hit is used, ``vouched``
parses it (no duplicate keys, no floats) and holds it against the folder: every section but the
recusal fields of the drawn objects must be exactly what the folder gives — the request, entropy
and acceptance as read from its files, the public pools by the digests its request committed to,
and the result (drawn objects, strata, reserves, teams, seed) as its ``result.yaml`` says (the
corpus's own parse of it, so the check parses nothing again). An entry that fails is made again
from the folder and replaced. The privacy scan reads the bundle bytes as published, every build.

That check costs what the cache saves (~14 CPU-s for a county's 302 bundles, on the build's
critical path). So a build that holds the cache key (``cache_signing``, a secret of the publishing
job) signs each entry it stores under ``PURPOSE``: the MAC covers the format, the entry's key (the
draw id, the folder's digest and the code's fingerprint), the draw id and the bundle's size and
SHA-256 as computed from its bytes. An entry whose MAC holds under this build's key was written,
from this very folder, by a build of this code that held the key: it is taken without the check
against the folder (``signed``), parsed by the C decoder, its shape still checked (keys, format,
the registry proof's one place). A keyed build takes no other entry (another key, no signature,
any byte changed, an entry moved under another key): the check against the folder cannot hold the
recusal fields, so it makes the bundle again and stores it signed (red team 9). Only a build
without a key holds an entry against its folder as above.

Any failure to read or write the cache costs the bundle being made again, never the build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.bounded import MAX_JSON_BYTES
from generator.draw.bundle import BUNDLE_FORMAT, BUNDLE_FORMAT_V2, PUBLIC_OBJECT_KEYS, RESULT_KEYS, TEAM_KEYS
from generator.draw.canonical import canonical_bytes, digest, normalise
from generator.draw.model import ALGORITHM_V2, parse_request
from generator.draw.objects import merge_strata
from generator.registry import evidence, run, store
from generator.registry.run import DrawFiles
from generator.site import build_cache, cache_signing, search_cache
from generator.site.build_cache import read_plain, write_entry
from generator.site.record_cache import folder_digest

PART = "draws"  # build_cache.part(root, PART)
FORMAT = b"ssj-draw-cache/2"  # bump when what a key covers or what an entry holds changes
MANIFEST, BUNDLE = "manifest.json", "bundle.json"
MAX_MANIFEST = 4096
PURPOSE = b"draw-bundle"  # what an entry is signed as (cache_signing)
# what makes a bundle's bytes from a folder: the readers, the registry and the engine
CODE = (
    "generator/draw",
    "generator/registry",
    "generator/bounded.py",
    "generator/json_text.py",
    "generator/calendar/__init__.py",
    "generator/corpus.py",
    "generator/record_file.py",
    "generator/private_data.py",
    "generator/scalars.py",
    "generator/sources.py",
    "generator/spreadsheet_text.py",
    "generator/yamlerrors.py",
    "generator/site/draws.py",
    "generator/site/draw_cache.py",
)
# A v2 bundle's registry proof as it stands in the kept bytes: a top-level key (one space of indent:
# only the top level has it, and JSON strings hold no raw line break), followed by "request"
REGISTRY_SLOT = b'\n "registry": null,\n'
RECUSAL = ("blocked_previous", "blocked_count", "blocked_commitment")  # from the internal pools
_HEX64 = re.compile(r"[0-9a-f]{64}")

# the last load_draws of this process: draw ids whose bundle came from the cache (of those,
# ``signed``: taken on the entry's signature, unchecked), was made, or came from an entry that
# failed its check (bench/bench_site.py prints it; tests read it)
LAST_RUN: dict[str, list[str]] = {}


@dataclass
class FolderRead:
    """What the build takes from one draw folder. ``files``: its files parsed, but never the pools
    (only the bundle needs them) and result.yaml left as text (``load_draws`` takes the corpus's
    parse of it). ``bundle``: the public bundle's bytes as published, a v2 bundle's registry proof
    ``null`` (``REGISTRY_SLOT``). ``key``: its name in the build cache's ``part`` (None: not
    cacheable); ``cached``: the bytes came from there, unchecked yet (``vouched``); ``signed``:
    and the entry's MAC held under this build's key."""

    files: DrawFiles
    bundle: bytes | None = None
    key: str | None = None
    part: Path | None = None
    cached: bool = False
    signed: bool = False


@cache
def code_fingerprint() -> bytes:
    """SHA-256 of every source file in ``CODE`` (relative path and bytes) and of the library
    versions (``build_cache.runtime``: PyYAML reads the folder, ``json`` dumps the bundle): a
    change = new keys, so an entry signed by a build on other libraries is never taken unchecked."""
    base = Path(__file__).resolve().parents[2]
    paths: list[Path] = []
    for name in CODE:
        path = base / name
        paths += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    h = hashlib.sha256(build_cache.runtime())
    for path in paths:
        rel, data = path.relative_to(base).as_posix().encode("utf-8"), path.read_bytes()
        h.update(len(rel).to_bytes(8, "big") + rel + len(data).to_bytes(8, "big") + data)
    return h.digest()


def key(draw_id: str, folder_hash: bytes) -> str:
    name = draw_id.encode("utf-8")
    return hashlib.sha256(
        FORMAT + b"\0" + code_fingerprint() + len(name).to_bytes(8, "big") + name + folder_hash
    ).hexdigest()


def read_all(root: Path, draw_ids: list[str], part: Path, read_one: Callable[[str], FolderRead]) -> dict:
    """``draw_id -> FolderRead`` for every id: a drawn folder's bundle from its entry when there is
    one (the small files read as always), else made by ``read_one`` and stored. Entries no id used
    are pruned."""
    out = {}
    with search_cache.shared(part):
        for draw_id in draw_ids:
            out[draw_id] = _read(root, draw_id, part, read_one)
    search_cache.prune(part, {r.key for r in out.values() if r.key})
    return out


def _read(root: Path, draw_id: str, part: Path, read_one: Callable[[str], FolderRead]) -> FolderRead:
    folder = store.folder(root, draw_id)
    folder_hash = folder_digest(folder)
    if folder_hash is None:
        return read_one(draw_id)  # a link, a sub-folder, an oversized file: read (and refused) as ever
    entry_key = key(draw_id, folder_hash)
    kept = restore(part, entry_key, draw_id)
    if kept is not None:
        files = run.read(root, draw_id, defer=True)
        files.pools_file = None
        return FolderRead(files, kept[0], entry_key, part, cached=True, signed=kept[1])
    made = read_one(draw_id)
    if folder_digest(folder) != folder_hash:
        return made  # changed while read: vouch for nothing
    made.key, made.part = entry_key, part
    if made.bundle is not None:  # replacing whatever failed ``restore`` under this name
        store_entry(part, entry_key, draw_id, made.bundle)
    return made


def restore(part: Path, entry_key: str, draw_id: str) -> tuple[bytes, bool] | None:
    """The entry's bundle bytes if its files are exactly a manifest and a bundle, plain files whose
    size and SHA-256 agree with the manifest, made for this draw id, and whether its MAC holds under
    this build's key over ``_signed_body``; None on any doubt."""
    entry = part / entry_key
    try:
        if not stat.S_ISDIR(os.lstat(entry).st_mode):
            return None
        if sorted(os.listdir(entry)) != sorted([BUNDLE, MANIFEST]):
            return None
        manifest = json.loads(read_plain(entry / MANIFEST, MAX_MANIFEST).decode("utf-8"))
        if manifest.get("format") != FORMAT.decode() or manifest.get("draw_id") != draw_id:
            return None
        if not set(manifest) <= {"format", "draw_id", "bundle", "mac"}:
            return None
        size, sha = manifest["bundle"]
        data = read_plain(entry / BUNDLE, MAX_JSON_BYTES)
        sha256 = hashlib.sha256(data).digest()
        if len(data) != size or sha256.hex() != sha:
            return None
        mac = manifest.get("mac")
        body = _signed_body(entry_key, draw_id, len(data), sha256)
        signed = isinstance(mac, str) and cache_signing.opened(PURPOSE, body + bytes.fromhex(mac)) == body
        return data, signed
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _signed_body(entry_key: str, draw_id: str, size: int, sha256: bytes) -> bytes:
    """What an entry's MAC covers: the format, its key (the folder's digest, the code's
    fingerprint), its draw id and its bundle's size and SHA-256 (computed from the bytes, never
    taken from the manifest): an entry cannot be moved under another key, nor its bundle changed."""
    name, draw = entry_key.encode("ascii"), draw_id.encode("utf-8")
    return b"".join(
        [FORMAT, b"\0", len(name).to_bytes(8, "big"), name, len(draw).to_bytes(8, "big"), draw]
        + [size.to_bytes(8, "big"), sha256]
    )


def store_entry(part: Path, entry_key: str, draw_id: str, data: bytes) -> None:
    """Keep ``data`` under ``entry_key``, replacing what is there (an entry that failed its
    checks): written whole or not at all (``build_cache.write_entry``). A full disk or a read-only
    cache costs nothing more than making the bundle again next time."""
    entry = part / entry_key
    try:
        if os.path.lexists(entry):
            if stat.S_ISDIR(os.lstat(entry).st_mode):
                shutil.rmtree(entry)
            else:
                os.unlink(entry)  # a link or a file under our name: the link goes, never its target
    except OSError:
        return

    sha256 = hashlib.sha256(data).digest()
    manifest: dict = {"format": FORMAT.decode(), "draw_id": draw_id, "bundle": [len(data), sha256.hex()]}
    signed = cache_signing.sign(PURPOSE, _signed_body(entry_key, draw_id, len(data), sha256))
    if signed is not None:  # a build holding the key: the next one takes the entry on its MAC
        manifest["mac"] = signed[-cache_signing.MAC :].hex()

    def fill(work: Path) -> None:
        (work / BUNDLE).write_bytes(data)
        (work / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")

    write_entry(part, entry_key, fill)


def vouched(read: FolderRead, files: DrawFiles) -> dict | None:
    """The kept bundle, parsed: in a build holding the key, if its entry was signed under that key
    and has a bundle's shape (``_signed``); without a key, if the folder's own files give every
    part of it that they decide. None otherwise (the bundle is then made again and, in a keyed
    build, stored signed). ``files``: the folder's files with result.yaml."""
    if cache_signing.signing_key() is not None:
        # a keyed build believes signed entries only: the check below cannot hold the recusal
        # fields, and what it vouched for a keyed build would sign (red team 9); the bundle is
        # made again and stored signed instead (``renew``)
        return _signed(read.bundle, files) if read.signed else None
    try:
        bundle = _strict_json(read.bundle)
        return bundle if _matches(bundle, read.bundle, files) else None
    except Exception:  # noqa: BLE001 - whatever the entry holds, a failed check is a miss
        return None


def _signed(data: bytes, files: DrawFiles) -> dict | None:
    """A signed entry's bundle parsed by the C decoder (no object hook), if it has the shape of the
    bundle our code makes for the folder's algorithm: its keys, format, and (v2) its registry proof
    ``null`` in the one place ``draws.published`` puts the proof. What it says is not held against
    the folder: only a build holding the key wrote it, from the folder its key names."""

    def refuse(text: str) -> object:
        raise ValueError(f"not in a bundle: {text}")

    try:
        bundle = json.loads(data, parse_constant=refuse, parse_float=refuse)
        v2 = files.engine_request.get("algorithm") == ALGORITHM_V2
        return bundle if _shaped(bundle, data, v2) else None
    except Exception:  # noqa: BLE001 - not what our code wrote: held against the folder
        return None


def _shaped(bundle: object, data: bytes, v2: bool) -> bool:
    """The top level of a bundle of this algorithm, its registry proof ``null`` in its one place."""
    keys = {"entropy", "format", "public_pools", "request", "result"} | (
        {"acceptance", "registry"} if v2 else set()
    )
    if not isinstance(bundle, dict) or set(bundle) != keys:
        return False
    if bundle["format"] != (BUNDLE_FORMAT_V2 if v2 else BUNDLE_FORMAT):
        return False
    if v2 and (bundle["registry"] is not None or data.count(REGISTRY_SLOT) != 1):
        return False
    return isinstance(bundle["result"], dict) and isinstance(bundle["public_pools"], dict)


def _strict_json(data: bytes) -> object:
    def no_duplicates(pairs: list) -> dict:
        out = dict(pairs)
        if len(out) != len(pairs):
            raise ValueError("duplicate key")  # another parser may keep the other value
        return out

    def refuse(text: str) -> object:
        raise ValueError(f"not in a bundle: {text}")

    return json.loads(
        data.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=refuse, parse_float=refuse
    )


def _matches(bundle: object, data: bytes, files: DrawFiles) -> bool:
    request = normalise(files.engine_request)
    v2 = request.get("algorithm") == ALGORITHM_V2
    if not _shaped(bundle, data, v2):
        return False
    expected = {"request": request, "entropy": normalise(files.engine_entropy)}
    if v2:
        expected["acceptance"] = normalise(evidence.acceptance(files))
    if not all(_same(bundle[k], value) for k, value in expected.items()):
        return False
    pools, digests = bundle["public_pools"], request.get("pool_digests") or {}
    if not isinstance(pools, dict) or set(pools) != {"objects", "inspectors", "assistants"}:
        return False
    # the public pools are the ones the request committed to (what the verify button checks first)
    if any(digest(pools[k], already_normalised=True) != digests.get(f"{k}_public") for k in pools):
        return False
    return _same(_without_recusals(bundle["result"]), _public_result(files))


def _same(a: object, b: object) -> bool:
    """Equal as JSON text, types included (``true`` is not ``1``, ``"1"`` is not ``1``)."""
    return canonical_bytes(a, already_normalised=True) == canonical_bytes(b, already_normalised=True)


def _public_result(files: DrawFiles) -> dict:
    """The bundle's ``result`` as result.yaml decides it: ``build_public_bundle``'s result without
    the recusal fields, which need the internal pools."""
    result = normalise((files.result or {}).get("output", {}))
    public = {k: result[k] for k in RESULT_KEYS if k in result}
    if "strata" in result and parse_request(files.engine_request).objects.sealed:
        public["strata"] = merge_strata(result["strata"])
    if "objects" in result:
        public["objects"] = [{k: row[k] for k in PUBLIC_OBJECT_KEYS if k in row} for row in result["objects"]]
    if "teams" in result:
        public["teams"] = [{k: t[k] for k in TEAM_KEYS if k in t} for t in result["teams"]]
    return public


def _without_recusals(result: object) -> dict:
    """``result`` with each drawn object's recusal fields taken out, once they have their shape
    (a list of ids, a count, a SHA-256): what they say cannot be checked without the pools."""
    if not isinstance(result, dict):
        raise ValueError("result")
    out = dict(result)
    if "objects" in result:
        rows = []
        for row in result["objects"]:
            previous, count, commitment = (row.get(k) for k in RECUSAL)
            if not (
                isinstance(previous, list)
                and all(isinstance(p, str) for p in previous)
                and type(count) is int
                and count >= 0
                and isinstance(commitment, str)
                and _HEX64.fullmatch(commitment)
            ):
                raise ValueError("recusal fields")
            rows.append({k: v for k, v in row.items() if k not in RECUSAL})
        out["objects"] = rows
    return out


def renew(read: FolderRead, data: bytes) -> None:
    """Replace an entry that failed its check with the bundle just made from the folder, if the
    folder still hashes to the key it was kept under: an entry (signed, with a key) holds only
    what was made from the folder bytes its key names, even when the folder changes mid-build."""
    if read.key is None or read.part is None:
        return
    now = folder_digest(read.files.path)
    if now is not None and key(read.files.draw_id, now) == read.key:
        store_entry(read.part, read.key, read.files.draw_id, data)
