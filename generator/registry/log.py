"""The public registry log: an append-only, hash-chained list of what CI accepted or refused.

Pure functions (no files, no clock) so the format is easy to align with docs/draw-protocol.md
("Registry log") and to re-implement in a verifier:

* an entry is a JSON object: the public part of one registry event plus ``"prev"``, the head before it;
* its bytes are canonical JSON — keys sorted, no spaces, UTF-8, every string NFC, no trailing newline;
* ``entry hash = lower-hex SHA-256(entry bytes)``; the head is the last entry's hash;
* the first entry's ``prev`` is 64 zeros (``GENESIS``).

The log file holds one entry's canonical bytes per line, each line ending in LF. Anyone who archived
an earlier head can check that today's log still contains it at the same position: a rewritten
history changes every later hash.

>>> first = entry_line({"event": "accepted", "draw_id": "D2026-0001"}, GENESIS)
>>> first
'{"draw_id":"D2026-0001","event":"accepted","prev":"0000000000000000000000000000000000000000000000000000000000000000"}'
>>> head(first + "\\n") == entry_hash(first)
True
>>> check_text(first + "\\n")
[]
"""

from __future__ import annotations

import hashlib
import json
import unicodedata

GENESIS = "0" * 64
MAX_LINE = 1_000_000  # bytes: a log line is a summary, never a pool


def _nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_nfc(v) for v in value]
    if isinstance(value, float):
        raise TypeError("登记簿日志中不允许浮点数")
    return value


def canonical(entry: dict) -> str:
    """Canonical text of one entry (sorted keys, no whitespace, NFC, raw UTF-8)."""
    return json.dumps(_nfc(entry), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def entry_line(public: dict, prev: str) -> str:
    """The canonical line for ``public`` chained after head ``prev`` (without its LF)."""
    if "prev" in public:
        raise ValueError("public part must not carry its own prev")
    return canonical({**public, "prev": prev})


def lines_of(text: str) -> list[str]:
    return [line for line in text.split("\n") if line] if text else []


def head(text: str) -> str:
    lines = lines_of(text)
    return entry_hash(lines[-1]) if lines else GENESIS


def append(text: str, public: dict) -> str:
    """The log text with one more entry for ``public`` (``text`` is the current file content)."""
    if text and not text.endswith("\n"):
        raise ValueError("log does not end with LF")
    return text + entry_line(public, head(text)) + "\n"


def entries(text: str) -> list[dict]:
    return [json.loads(line) for line in lines_of(text)]


def check_text(text: str) -> list[tuple[int, str]]:
    """(line number, Chinese problem) for every break of the format or the chain; [] if sound."""
    problems: list[tuple[int, str]] = []
    if text and not text.endswith("\n"):
        problems.append((text.count("\n") + 1, "文件末尾缺少换行符"))
    prev = GENESIS
    for number, line in enumerate(text.split("\n")[:-1] if text else [], start=1):
        if len(line.encode("utf-8")) > MAX_LINE:
            problems.append((number, f"条目超过 {MAX_LINE} 字节"))
            return problems
        try:
            value = json.loads(line)
        except ValueError:
            problems.append((number, "不是 JSON"))
            return problems
        if not isinstance(value, dict) or canonical(value) != line:
            problems.append((number, "不是规范化 JSON（键排序、无空格、NFC）"))
            return problems
        if value.get("prev") != prev:
            problems.append((number, f"prev 应为上一条目的哈希 {prev}，实为 {value.get('prev')}"))
            return problems
        prev = entry_hash(line)
    return problems


def extends(old: str, new: str) -> bool:
    """True if ``new`` keeps every line of ``old`` byte for byte and only adds lines after them."""
    return new.startswith(old) and (not old or old.endswith("\n"))


def position_of(text: str, archived_head: str) -> int | None:
    """1-based index of the entry whose hash is ``archived_head`` (0 for the genesis), or None.

    Only entries reached by an unbroken chain from the genesis count: an archived head survives a
    rewrite only if every entry up to it is byte for byte what it was.
    """
    if archived_head == GENESIS:
        return 0
    prev = GENESIS
    for number, line in enumerate(lines_of(text), start=1):
        try:
            value = json.loads(line)
        except ValueError:
            return None
        if not isinstance(value, dict) or value.get("prev") != prev or canonical(value) != line:
            return None
        prev = entry_hash(line)
        if prev == archived_head:
            return number
    return None


def inclusion(text: str, number: int) -> dict:
    """Inclusion path of entry ``number`` (1-based) in the log ``text``: the entry and every later line
    of its year (``year_end``), to the hash of the last of them.

    In a hash chain each later line commits to the one before it, so the entry, the lines after it
    and the head they lead to are all a verifier needs (``check_inclusion``); nothing before the entry
    is needed. The path stops at the end of the entry's year (docs/draw-protocol.md §9.3): a path to
    the current head would carry every later line, and the bundles of a county's draws over the years
    would grow with the square of their number (issue 18: 86 MB of the 366 MB of five years' bundles);
    a closed year's path, and so its bundle, no longer changes.

    >>> text = append(append("", {"event": "accepted", "at": "2025-12-30T09:00:00Z"}), {"event": "entropy", "at": "2025-12-31T09:00:00Z"})
    >>> year_two = append(text, {"event": "accepted", "at": "2026-01-05T09:00:00Z"})
    >>> inclusion(year_two, 1) == inclusion(text, 1), inclusion(text, 1)["head"] == head(text)
    (True, True)
    """
    lines = lines_of(text)
    if not 1 <= number <= len(lines):
        raise IndexError(f"log has no entry {number}")
    return path_of(lines, number, year_end(lines, number))


def path_of(lines: list[str], number: int, last: int) -> dict:
    """The path of entry ``number`` through line ``last`` (both 1-based, ``last >= number``)."""
    return {
        "index": number,
        "entry": lines[number - 1],
        "following": lines[number:last],
        "head": entry_hash(lines[last - 1]),
    }


def year_of(line: str) -> str | None:
    """The year of a line's ``at`` (``"2026"``), or None when it has none (a ``failed`` line)."""
    try:
        at = json.loads(line).get("at")
    except (ValueError, AttributeError):
        return None
    return at[:4] if isinstance(at, str) and at[:4].isdigit() else None


def year_end(lines: list[str], number: int, years: list | None = None) -> int:
    """The number of the last line of entry ``number``'s year: the line before the first later line
    whose ``at`` names a later year, or the last line while the year has none. A line without
    ``at``, or an entry without one, never ends the year (the path then reaches the head).
    ``years``: ``year_of`` of each line, when the caller has them."""
    year = years[number - 1] if years is not None else year_of(lines[number - 1])
    if year is None:
        return len(lines)
    for later in range(number, len(lines)):
        other = years[later] if years is not None else year_of(lines[later])
        if other is not None and other > year:
            return later
    return len(lines)


def check_inclusion(path: dict, expected_head: str) -> bool:
    """True if ``path`` chains its entry to ``expected_head`` (each line's prev = hash of the one before).

    >>> text = append(append("", {"event": "accepted", "draw_id": "D2026-0001"}), {"event": "accepted", "draw_id": "D2026-0002"})
    >>> check_inclusion(inclusion(text, 1), head(text))
    True
    >>> check_inclusion(inclusion(text, 1), GENESIS)
    False
    """
    current = entry_hash(path["entry"])
    for line in path["following"]:
        try:
            value = json.loads(line)
        except ValueError:
            return False
        if not isinstance(value, dict) or value.get("prev") != current or canonical(value) != line:
            return False
        current = entry_hash(line)
    return current == expected_head == path.get("head", expected_head)


def find(text: str, event: str, draw_id: str) -> int | None:
    """1-based number of the entry recording ``event`` for ``draw_id`` (the first one), or None."""
    for number, value in enumerate(entries(text), start=1):
        if value.get("event") == event and value.get("draw_id") == draw_id:
            return number
    return None
