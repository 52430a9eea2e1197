"""The exact text CI writes for a value, without PyYAML's pure-Python emitter: ``verify``'s fast path.

``verify`` recomputes every draw and must compare it with the published ``result.yaml``. Reading a
county's results back (490k values at scale 40) cost most of ``verify``'s time; rendering the
*recomputed* result the way CI writes it (``store.dump_yaml``) and comparing the bytes costs ~30x
less. Equal bytes prove the file is what CI would write for the recomputation: the file then means
exactly the recomputed value, since it is PyYAML's own rendering of it. Any difference (a tampered
ticket, a hand-edited file, a value this renderer does not handle) sends ``verify`` to the full read
and field-by-field comparison, which names the field and its line.

So the one property that matters is: ``render(v)`` is either ``None`` or byte-identical to
``store.dump_yaml(v)``; ``tests/test_result_text.py`` checks it on every sample result and on
random values with hostile strings. The renderer covers the shapes the engine writes — block
mappings and sequences (PyYAML's indentless sequences under a key), ``[]``/``{}``, ints, bools,
null, dates and one-line strings — and gives up (``None``) on anything else: floats, multi-line
strings, strings PyYAML would double-quote or fold, long keys.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import yaml

_STR = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_ANALYSER = yaml.emitter.Emitter(None, allow_unicode=True)
# ASCII words, dots, dashes, slashes and CJK ideographs: PyYAML's analysis allows these plain in
# block context (no indicator, space, break or special character; the first character is no
# indicator), so only the resolver decides between plain and single-quoted.
_SIMPLE = re.compile(r"[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z_./\u4e00-\u9fff-]*")
_MAX_SCALAR = 1000  # PyYAML folds quoted scalars past the dump width (4096): never near it here
# The resolver only tries its implicit types (int, float, bool, null, timestamp, …) on a plain
# scalar whose first character is one of these; any other first character means a string.
_RESOLVED = _RESOLVER.yaml_implicit_resolvers
_TYPED_FIRST = None if None in _RESOLVED else frozenset(k[:1] for k in _RESOLVED)


class _Unsupported(Exception):
    pass


def render(value: dict) -> str | None:
    """``store.dump_yaml(value)`` for the shapes the engine writes, or None (use the real dumper)."""
    if not isinstance(value, dict) or not value:
        return None
    out: list[str] = []
    try:
        _mapping(value, 0, out, None)
    except _Unsupported:
        return None
    out.append("")
    return "\n".join(out)


def _mapping(d: dict, indent: int, out: list[str], first: str | None) -> None:
    pad = " " * indent
    lead = pad if first is None else first  # the first key may follow a "- " on its line
    for key, value in d.items():
        shown = _KEYS.get(key)
        if shown is None or type(key) is not str:  # (a str subclass equal to a known key is not one)
            shown = _key(key)
        head = lead + shown + ":"
        lead = pad
        kind = type(value)
        if kind is str:  # most values: skip _scalar's type dispatch
            out.append(head + " " + _string(value))
        elif kind is dict:
            if value:
                out.append(head)
                _mapping(value, indent + 2, out, None)
            else:
                out.append(head + " {}")
        elif kind is list:
            if value:
                out.append(head)
                _sequence(value, indent, out, None)  # PyYAML: a list under a key is not indented
            else:
                out.append(head + " []")
        else:
            out.append(head + " " + _scalar(value))


def _sequence(items: list, indent: int, out: list[str], first: str | None) -> None:
    pad = " " * indent + "- "
    lead = pad if first is None else first + "- "
    for value in items:
        if type(value) is dict and value:
            _mapping(value, indent + 2, out, lead)
        elif type(value) is list and value:
            _sequence(value, indent + 2, out, lead)
        elif type(value) is dict:
            out.append(lead + "{}")
        elif type(value) is list:
            out.append(lead + "[]")
        else:
            out.append(lead + _scalar(value))
        lead = pad


_KEYS: dict[str, str] = {}  # text keys already written (a result has a few dozen)


def _key(key) -> str:
    # PyYAML writes a key as "? key" unless it is a simple key: not empty, one line, and with its
    # tag ("!!str") under 128 characters; stay well inside that.
    if type(key) is not str or not key or len(key) > 100:
        raise _Unsupported
    shown = _string(key)
    if len(_KEYS) < 1024:
        _KEYS[key] = shown
    return shown


def _scalar(value) -> str:
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    if kind is dt.date:
        return value.isoformat()
    raise _Unsupported  # floats, datetimes, anything else: the real dumper decides


_SHORT = 40  # ids, names, reasons and codes recur across a result (refs, 64 hex, do not)
_SHORT_TEXTS: dict[str, str] = {}


def _string(text: str) -> str:
    if len(text) <= _SHORT:
        shown = _SHORT_TEXTS.get(text)
        if shown is None:
            shown = _string_of(text)
            if len(_SHORT_TEXTS) < 65536:
                _SHORT_TEXTS[text] = shown
        return shown
    return _string_of(text)


def _string_of(text: str) -> str:
    if len(text) > _MAX_SCALAR:
        raise _Unsupported
    if _SIMPLE.fullmatch(text):
        return text if _resolves_to_str(text) else f"'{text}'"
    return _styled(text)


# Resolver.resolve for an implicit plain scalar, without its per-call list building: the implicit
# (tag, regexp) pairs of the first character, then the wildcard ones, the first match deciding.
# (Its path resolvers would come next: none is registered, as checked here.)
_WILDCARD = tuple(_RESOLVED.get(None, []))
_IMPLICIT = {first: tuple(pairs) + _WILDCARD for first, pairs in _RESOLVED.items() if first is not None}


def _resolves_to_str(text: str) -> bool:
    if _TYPED_FIRST is not None and text[:1] not in _TYPED_FIRST:
        return True
    if _RESOLVER.yaml_path_resolvers:
        return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR
    for tag, regexp in _IMPLICIT.get(text[:1], _WILDCARD):
        if regexp.match(text):
            return tag == _STR
    return _RESOLVER.DEFAULT_SCALAR_TAG == _STR


@functools.lru_cache(maxsize=4096)
def _styled(text: str) -> str:
    """PyYAML's choice (Emitter.choose_scalar_style) for a one-line string: plain or single-quoted;
    anything else (double quotes, a literal block) is left to the real dumper."""
    if "\n" in text:
        raise _Unsupported  # store._str_presenter writes these as literal blocks
    analysis = _ANALYSER.analyze_scalar(text)
    if analysis.multiline:
        raise _Unsupported
    if analysis.allow_block_plain and _resolves_to_str(text):
        return text
    if analysis.allow_single_quoted:
        return "'" + text.replace("'", "''") + "'"
    raise _Unsupported
