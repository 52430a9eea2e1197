"""Make Pagefind's output byte-stable across runs.

Pagefind 1.5 writes its filter list (in ``pagefind.<lang>_<hash>.pf_meta``) and the values inside each
``filter/*.pf_filter`` in hash-map order, which changes from run to run, and names files by a hash of
that content. We decode those two kinds of file (gzip + "pagefind_dcd" + CBOR), sort them, re-encode
with the same minimal CBOR encoding, rename by our own content hash and update pagefind-entry.json.
The browser library reads both into maps, so the order carries no meaning.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def _decode(data: bytes, i: int = 0):
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if major == 7:
        if info == 20:
            return False, i
        if info == 21:
            return True, i
        if info == 22:
            return None, i
        if info == 25:
            return ("f16", data[i : i + 2]), i + 2
        if info == 26:
            return struct.unpack(">f", data[i : i + 4])[0], i + 4
        if info == 27:
            return struct.unpack(">d", data[i : i + 8])[0], i + 8
        raise ValueError(f"CBOR simple {info}")
    if info < 24:
        n = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        n = int.from_bytes(data[i : i + size], "big")
        i += size
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return bytes(data[i : i + n]), i + n
    if major == 3:
        return data[i : i + n].decode("utf-8"), i + n
    if major == 4:
        out = []
        for _ in range(n):
            v, i = _decode(data, i)
            out.append(v)
        return out, i
    if major == 5:
        pairs = []
        for _ in range(n):
            k, i = _decode(data, i)
            v, i = _decode(data, i)
            pairs.append((k, v))
        return ("map", pairs), i
    raise ValueError(f"CBOR major {major}")


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError(n)


def _encode(v) -> bytes:
    if v is False:
        return b"\xf4"
    if v is True:
        return b"\xf5"
    if v is None:
        return b"\xf6"
    if isinstance(v, int):
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, float):
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, bytes):
        return _head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode("utf-8")
        return _head(3, len(b)) + b
    if isinstance(v, tuple) and v[0] == "f16":
        return b"\xf9" + v[1]
    if isinstance(v, tuple) and v[0] == "map":
        return _head(5, len(v[1])) + b"".join(_encode(k) + _encode(x) for k, x in v[1])
    if isinstance(v, list):
        return _head(4, len(v)) + b"".join(_encode(x) for x in v)
    raise TypeError(type(v))


def _read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(path)
    value, end = _decode(raw, len(SIGNATURE))
    assert end == len(raw) and _encode(value) == raw[len(SIGNATURE) :], path  # round-trip must be exact
    return value


def _write(value) -> bytes:
    return gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)


def _key(v) -> bytes:
    return _encode(v)


def stabilise(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    renamed: dict[str, str] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        value = _read(path)
        value = _sort_deep(value)
        data = _write(value)
        lang, _, _ = path.stem.rpartition("_")
        new = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
        path.unlink()
        (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
        renamed[path.stem] = new
    for lang, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        meta = _rename_refs(meta, renamed)
        # The filter list is the element made of [name, "<lang>_<hash>"] pairs pointing at filter files.
        meta = [_sort_filter_list(x, set(renamed.values())) for x in meta] if isinstance(meta, list) else meta
        data = _write(meta)
        new_hash = f"{lang}_{hashlib.sha256(data).hexdigest()[:13]}"
        meta_path.unlink()
        (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(data)
        info["hash"] = new_hash
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _rename_refs(v, renamed):
    if isinstance(v, str):
        return renamed.get(v, v)
    if isinstance(v, list):
        return [_rename_refs(x, renamed) for x in v]
    return v


def _sort_filter_list(v, filter_hashes):
    if (
        isinstance(v, list)
        and v
        and all(isinstance(x, list) and len(x) == 2 and x[1] in filter_hashes for x in v)
    ):
        return sorted(v, key=_key)
    return v


def _sort_deep(v):
    """A filter file: [name, [[value, [pages...]], ...]]; sort values and page lists."""
    if isinstance(v, list):
        items = [_sort_deep(x) for x in v]
        if items and all(isinstance(x, int) for x in items):
            return sorted(items)
        if items and all(isinstance(x, list) and len(x) == 2 and isinstance(x[0], str) for x in items):
            return sorted(items, key=_key)
        return items
    return v
