"""Canonical serialisation and SHA-256 digests.

A digest only proves something if two independent programs produce the same bytes for the same
value. The canonical form used everywhere in sdr-draw/1 is:

* JSON (RFC 8259) with object keys sorted by Unicode code point, no insignificant whitespace
  (separators ``,`` and ``:``), one trailing LF, UTF-8 without BOM;
* strings are NFC-normalised first and written unescaped except for ``"``, ``\\`` and control
  characters below U+0020 (``\\n``, ``\\r``, ``\\t``, ``\\b``, ``\\f``, otherwise ``\\u00xx``);
* integers in decimal; ``true``/``false``/``null``; **floats are rejected** (ratios are "p/q" strings);
* sets are rejected too: their iteration order changes between processes (PYTHONHASHSEED).

>>> canonical_bytes({"b": 1, "a": ["e\\u0301", True, None]})
b'{"a":["\\xc3\\xa9",true,null],"b":1}\\n'
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from json.encoder import encode_basestring

from .errors import DrawError

# The exact string encoder json.dumps(ensure_ascii=False) uses (the C one when available): the
# streaming writers below must produce byte-for-byte what ``canonical_bytes`` produces.
encode_string = encode_basestring


def nfc(text: str) -> str:
    """``text`` in NFC; ASCII strings (almost every id and salt) are returned without a lookup."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def normalise(value):
    """Return ``value`` with every string in NFC; reject floats, sets and non-string keys."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, float):
        raise DrawError("DRAW_FLOAT_FORBIDDEN", value=value)
    if isinstance(value, (list, tuple)):
        return [normalise(item) for item in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise DrawError("DRAW_KEY_NOT_TEXT", value=key)
            out[nfc(key)] = normalise(item)
        return out
    raise DrawError("DRAW_VALUE_NOT_SERIALISABLE", value=type(value).__name__)


def canonical_bytes(value, already_normalised: bool = False) -> bytes:
    """The canonical UTF-8 bytes of a JSON-able value (see module docstring).

    ``already_normalised`` skips the NFC/type walk for values built from parsed (normalised) data.
    """
    text = json.dumps(
        value if already_normalised else normalise(value),
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return (text + "\n").encode("utf-8")


def digest(value, already_normalised: bool = False) -> str:
    """SHA-256 (hex) of the canonical bytes of ``value``."""
    return hashlib.sha256(canonical_bytes(value, already_normalised)).hexdigest()


def view_digest(privacy: str, strata) -> str:
    """digest() of a public object view, streamed: its refs may number 10^6 (protocol §7).

    ``strata``: per stratum, ``(name, excluded, ref_chunks)`` where ``excluded`` lists
    ``(ref, reason)`` pairs in order and ``ref_chunks`` yields the JSON text of consecutive
    sorted refs (strings with their quotes, comma-separated), one chunk after another. The bytes
    hashed are exactly ``canonical_bytes({"privacy": ..., "strata": [{"excluded", "name", "refs"}]})``.
    """
    h = hashlib.sha256()
    h.update(b'{"privacy":' + encode_string(privacy).encode("utf-8") + b',"strata":[')
    for n, (name, excluded, ref_chunks) in enumerate(strata):
        shown = ",".join(
            f'{{"reason":{encode_string(why)},"ref":{encode_string(ref)}}}' for ref, why in excluded
        )
        h.update(f'{"," if n else ""}{{"excluded":[{shown}],"name":{encode_string(name)},"refs":['.encode())
        for k, chunk in enumerate(ref_chunks):
            if k:
                h.update(b",")
            h.update(chunk)
        h.update(b"]}")
    h.update(b"]}\n")
    return h.hexdigest()


MAX_DEPTH = 64
TOO_DEEP = f"JSON 嵌套层数过深（超过 {MAX_DEPTH} 层），不是公布的数据包"
NOT_TEXT = "文本中有不成对的代理字符（\\ud800–\\udfff），不是有效的 Unicode 文本"  # as verify_draw.py


def too_deep(value) -> bool:
    """Lists/dicts nested deeper than MAX_DEPTH (a bundle nests 7), found without recursion."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            if level > MAX_DEPTH:
                return True
            stack += [(v, level + 1) for v in (item.values() if isinstance(item, dict) else item)]
    return False
