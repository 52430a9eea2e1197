"""One record file's parse (``corpus._parse_file``: its findings and records) as JSON bytes and back.

``parse_cache`` keeps these bytes between builds. A parse holds more than JSON has: dates,
timestamps, fractions (ratios), tuples and mappings with number keys, and every record points at
the ``Loaded`` it was read from (its value, line marks, CSV row lines). They are written as tagged
JSON: a value JSON cannot carry becomes a one-key object whose key starts with NUL
(``{"\\u0000d": "2026-03-05"}``); a one-key object whose own key starts with NUL is written in the
mapping form too, so no record value can pass for a tag. Nothing but JSON is ever read: no pickle,
no eval, no class named by the bytes.

``decode`` checks the envelope's shape and types as it rebuilds (findings, line marks, prefixes);
anything unexpected raises ``Malformed``, and the caller parses the file instead. It hands back
exactly what a fresh parse gives (tests/test_parse_cache.py compares both on every sample file and
broken-record case, types and line marks included), its texts and dates shared within the file as a
fresh parse shares them between the records and their source. ``encode`` answers None for a parse it
cannot write faithfully (a value of another type, records of one file not sharing their source):
that file is then parsed on every build, never cached wrong.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from fractions import Fraction

from generator.errors import Finding, Findings
from generator.record_file import Record
from generator.sources import CsvLoaded, Loaded

MAX_DEPTH = 64  # a path's length (the loader stops at 50 levels)

_TAG = "\x00"
_PLAIN = (str, int, float, bool, type(None))


class Malformed(ValueError):
    """The bytes are not an entry this code wrote: the file is parsed instead."""


class _Unencodable(Exception):
    pass


# -- values ---------------------------------------------------------------------------------------


def _value(v: object) -> object:
    """A record value as JSON-ready data (tagged where JSON has no such type)."""
    t = type(v)
    if t in _PLAIN:
        return v
    if t is list:
        return [_value(x) for x in v]
    if t is dict:
        if all(type(k) is str for k in v) and not (len(v) == 1 and next(iter(v)).startswith(_TAG)):
            return {k: _value(x) for k, x in v.items()}
        return {_TAG + "m": [[_value(k), _value(x)] for k, x in v.items()]}
    if t is dt.date:
        return {_TAG + "d": v.isoformat()}
    if t is dt.datetime:
        return {_TAG + "D": v.isoformat()}
    if t is Fraction:
        return {_TAG + "f": [v.numerator, v.denominator]}
    if t is tuple:
        return {_TAG + "t": [_value(x) for x in v]}
    raise _Unencodable(t.__name__)


def _object_hook() -> Callable[[dict], object]:
    """``json.loads``'s object hook for one entry: a tag back to its value; every text and date
    met once per entry. A fresh parse's records share their texts and dates with the ``Loaded``
    they were read from; decoded apart they would take a second copy (~80 MB at scale 10)."""
    texts: dict[str, str] = {}
    dates: dict[str, dt.date] = {}
    share = texts.setdefault

    def hook(d: dict) -> object:
        for k, v in d.items():
            t = type(v)
            if t is str:
                d[k] = share(v, v)
            elif t is list:
                d[k] = [share(x, x) if type(x) is str else x for x in v]
        if len(d) != 1:
            return d
        ((tag, payload),) = d.items()
        if not tag.startswith(_TAG):
            return d
        if tag == _TAG + "d" and type(payload) is str:
            found = dates.get(payload)
            if found is None:
                found = dates[payload] = dt.date.fromisoformat(payload)
            return found
        return _tagged(tag, payload)

    return hook


def _tagged(tag: str, payload: object) -> object:
    if tag == _TAG + "D" and type(payload) is str:
        return dt.datetime.fromisoformat(payload)
    if tag == _TAG + "f" and _ints(payload, 2) and payload[1] > 0:
        return Fraction(payload[0], payload[1])
    if tag == _TAG + "t" and type(payload) is list:
        return tuple(payload)
    if tag == _TAG + "m" and type(payload) is list and all(_pair(p) for p in payload):
        return dict(payload)  # an unhashable key raises TypeError: a miss
    raise Malformed(f"unknown tag {tag!r}")


def _ints(v: object, n: int) -> bool:
    return type(v) is list and len(v) == n and all(type(x) is int for x in v)


def _pair(v: object) -> bool:
    return type(v) is list and len(v) == 2


def _path(v: object) -> tuple:
    if type(v) is not list or not all(type(x) is str or type(x) is int for x in v):
        raise Malformed("path")
    return tuple(v)


# -- findings -------------------------------------------------------------------------------------

_FINDING_TYPES = (str, str, int, int, str, str, str, str)


def _finding_out(f: Finding) -> list:
    out = [f.code, f.file, f.line, f.column, f.path, f.value, f.message, f.severity]
    if tuple(type(x) for x in out) != _FINDING_TYPES:
        raise _Unencodable("finding")
    return out


def _finding_in(v: object) -> Finding:
    if (
        type(v) is not list
        or len(v) != 8
        or any(type(x) is not t for x, t in zip(v, _FINDING_TYPES, strict=True))
    ):
        raise Malformed("finding")
    return Finding(*v)


# -- a file's parse -------------------------------------------------------------------------------


def encode(findings: Findings, records: list[Record]) -> bytes | None:
    """The JSON bytes of one file's parse, or None when it cannot be written faithfully."""
    try:
        return json.dumps(_parse_out(findings, records), ensure_ascii=False, separators=(",", ":")).encode()
    except (_Unencodable, ValueError, TypeError, RecursionError):
        return None


def _parse_out(findings: Findings, records: list[Record]) -> dict:
    out: dict = {"f": [_finding_out(f) for f in findings], "r": []}
    if not records:
        return out
    first = records[0]
    shared = all(r.header is first.header for r in records)
    for r in records:
        if type(r) is not Record or r.kind != first.kind or r.file != first.file:
            raise _Unencodable("records of one file differ in kind or file")
        if r.source is not first.source or r.owner is not first.owner or not (shared or r.header == {}):
            raise _Unencodable("records of one file not sharing their source, owner or header")
        out["r"].append([list(r.prefix), _value(r.data)])
    if not all(type(k) is str and type(v) is str for k, v in first.owner.items()):
        raise _Unencodable("owner")
    out |= {"k": first.kind, "n": first.file, "o": first.owner, "s": _source_out(first.source)}
    if shared:
        out["h"] = _value(first.header)
    return out


def _source_out(loaded: Loaded) -> dict:
    csv = type(loaded) is CsvLoaded
    if not csv and type(loaded) is not Loaded:
        raise _Unencodable(type(loaded).__name__)
    out = {
        "v": _value(loaded.value),
        "l": _locs_out(loaded.locs),
        "f": [_finding_out(f) for f in loaded.findings],
        "m": sorted(loaded.malformed),
        "x": [[text, *path] for path, text in loaded.scalars.items()],
    }
    if csv:
        out["c"] = [loaded.header_line, loaded.row_lines, [[k, v] for k, v in loaded.columns.items()]]
    return out


def decode(data: bytes, kind: str, shown: str, owner: dict[str, str]) -> tuple[Findings, list[Record]]:
    """The parse ``encode`` wrote, for a file of ``kind`` shown as ``shown`` with ``owner`` (what
    the caller knows from the path: an entry speaking of another file is Malformed)."""
    try:
        entry = json.loads(data, object_hook=_object_hook())
        return _parse_in(entry, kind, shown, owner)
    except Malformed:
        raise
    except (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        RecursionError,
        OverflowError,
    ) as exc:
        raise Malformed(type(exc).__name__) from None


def _parse_in(entry: object, kind: str, shown: str, owner: dict[str, str]):
    if type(entry) is not dict or type(entry["f"]) is not list or type(entry["r"]) is not list:
        raise Malformed("envelope")
    findings = Findings()
    findings.extend(_finding_in(f) for f in entry["f"])
    rows = entry["r"]
    if not rows:
        return findings, []
    if (entry["k"], entry["n"], entry["o"]) != (kind, shown, owner):
        raise Malformed("another file's entry")
    owner = dict(owner)
    source = _source_in(entry["s"])
    header = entry.get("h")
    if header is not None and type(header) is not dict:
        raise Malformed("header")
    records = []
    for row in rows:
        if not _pair(row) or type(row[1]) is not dict:
            raise Malformed("record")
        own = {} if header is None else header
        records.append(Record(kind, row[1], shown, _path(row[0]), owner, source, own))
    return findings, records


def _source_in(s: dict) -> Loaded:
    if type(s) is not dict:
        raise Malformed("source")
    locs = _locs_in(s["l"])
    findings = [_finding_in(f) for f in s["f"]]
    malformed = set(s["m"])
    if not all(type(i) is int for i in malformed):
        raise Malformed("malformed rows")
    scalars = {}
    for e in s["x"]:
        if type(e) is not list or not e or type(e[0]) is not str:
            raise Malformed("scalar")
        scalars[_path(e[1:])] = e[0]
    if "c" not in s:
        return Loaded(s["v"], locs, findings, malformed, scalars)
    header_line, row_lines, columns = s["c"]
    if type(header_line) is not int or type(row_lines) is not list or type(columns) is not list:
        raise Malformed("csv")
    if not all(type(n) is int for n in row_lines) or not all(_column(c) for c in columns):
        raise Malformed("csv lines")
    return CsvLoaded(s["v"], locs, findings, malformed, scalars, header_line, row_lines, dict(columns))


def _locs_out(locs: dict[tuple, tuple[int, int]]) -> list:
    """Line marks as one flat list ``[depth, last step, line, column, …]``: a path is the last path
    met one level up plus one step (the loader records a parent before its children), so no path
    is written out in full."""
    out: list = []
    last: list[tuple] = [()] * (MAX_DEPTH + 1)  # the last path met at each depth
    for path, (line, col) in locs.items():
        depth = len(path)
        if depth > MAX_DEPTH or (depth and last[depth - 1] != path[:-1]):
            raise _Unencodable("line marks not parent first")
        last[depth] = path
        out += (depth, path[-1] if depth else None, line, col)
    if not _only(out[1::4], str, int, None) or not _only(out[2::4], int) or not _only(out[3::4], int):
        raise _Unencodable("line mark")
    return out


def _locs_in(flat: object) -> dict[tuple, tuple[int, int]]:
    if type(flat) is not list or len(flat) % 4:
        raise Malformed("line marks")
    depths, steps, lines, cols = flat[0::4], flat[1::4], flat[2::4], flat[3::4]
    if (
        not _only(depths, int)
        or not _only(steps, str, int, None)
        or not _only(lines, int)
        or not _only(cols, int)
    ):
        raise Malformed("line marks")
    if min(depths, default=0) < 0:
        raise Malformed("line marks")
    last: list[tuple] = [()] * (MAX_DEPTH + 1)
    paths = []
    reach = 1  # one below the deepest path met: a path's parent must have been met
    for depth, step in zip(depths, steps, strict=True):
        if depth >= reach:
            if depth > reach or depth > MAX_DEPTH:
                raise Malformed("a line mark without its parent")
            reach = depth + 1
        path = last[depth - 1] + (step,) if depth else ()
        last[depth] = path
        paths.append(path)
    return dict(zip(paths, zip(lines, cols, strict=True), strict=True))


def _only(values: list, *types: type | None) -> bool:
    """Every value is of one of ``types`` exactly (None: the value None), checked at C speed."""
    return set(map(type, values)) <= {type(None) if t is None else t for t in types}


def _column(c: object) -> bool:
    return _pair(c) and type(c[0]) is str and type(c[1]) is int
