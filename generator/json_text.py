"""JSON text as published: ``json.dumps(value, ensure_ascii=False, sort_keys=..., indent=1)``, faster.

Python 3.11's C encoder is used only when ``indent`` is None; with an indent, ``json.dumps`` walks
the value in pure-Python generators (``_iterencode_dict`` and friends), about a microsecond a
value. A county's 302 draw bundles took 9.7 CPU-s there and its open-data JSON 4.4 (5.1 and 1.7
here, docs/scale.md). The published bytes must not change (a citizen's copy of a bundle, the draw
cache's kept bytes and the golden site all hold them), so this writes the very same
text with one plain recursive function and the C string encoder (``encode_basestring``), and hands
any value it does not know exactly (a key that is not a string, a type other than dict, list, tuple,
str, int, float, bool and None, a cycle) to ``json.dumps`` itself.

>>> dumps_indented({"b": [1, 2.5, None], "a": {}, "c": "中文"}) == json.dumps(
...     {"b": [1, 2.5, None], "a": {}, "c": "中文"}, ensure_ascii=False, sort_keys=True, indent=1)
True
>>> print(dumps_indented({"k": [True, []]}))
{
 "k": [
  true,
  []
 ]
}
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function when the interpreter has it

# What json's encoder writes for the floats repr() does not give as JSON (allow_nan=True).
_SPECIAL_FLOATS = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
# Deeper than this is handed to json.dumps (which raises as it would have); records hold 5 levels.
_MAX_DEPTH = 200


class _Unusual(Exception):
    """A value this writer does not handle byte for byte as json does: json.dumps writes it."""


def dumps_indented(value: object, sort_keys: bool = True) -> str:
    """``json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, indent=1)``, the same text."""
    out: list[str] = []
    try:
        _write(value, "\n", out.append, sort_keys, 0)
    except _Unusual:
        return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, indent=1)
    return "".join(out)


def _write(o: object, newline: str, append, sort_keys: bool, depth: int) -> None:
    kind = type(o)
    if kind is str:
        append(encode_basestring(o))
    elif kind is dict:
        if not o:
            append("{}")
            return
        if depth >= _MAX_DEPTH:
            raise _Unusual
        inner = newline + " "
        before = "{" + inner
        keys = sorted(o) if sort_keys else list(o)  # unique keys: sorting them sorts json's items
        for key in keys:
            if type(key) is not str:
                raise _Unusual  # json's key conversions (numbers, None) and its sort of mixed keys
            item = o[key]
            if type(item) is str:  # most values: no call made for them
                append(before + encode_basestring(key) + ": " + encode_basestring(item))
            else:
                append(before + encode_basestring(key) + ": ")
                _write(item, inner, append, sort_keys, depth + 1)
            before = "," + inner
        append(newline + "}")
    elif kind is list or kind is tuple:
        if not o:
            append("[]")
            return
        if depth >= _MAX_DEPTH:
            raise _Unusual
        inner = newline + " "
        before = "[" + inner
        for item in o:
            if type(item) is str:
                append(before + encode_basestring(item))
            else:
                append(before)
                _write(item, inner, append, sort_keys, depth + 1)
            before = "," + inner
        append(newline + "]")
    elif o is None:
        append("null")
    elif o is True:
        append("true")
    elif o is False:
        append("false")
    elif kind is int:
        append(int.__repr__(o))
    elif kind is float:
        text = float.__repr__(o)
        append(_SPECIAL_FLOATS.get(text, text))
    else:
        raise _Unusual
