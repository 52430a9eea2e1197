"""The date a result was published (``published_on``), written by CI only.

A result entry reaches the public site (and the 公示系统 export) when CI builds main after the
merge; that run records the day in each entry that has no ``published_on`` yet. Units never write
the field: the append-only check refuses a pull request that adds or changes it
(``APPEND_PUBLISHED_BY_PR``), and ``ci push`` lets CI's commit through only when its sole change
is such inserted lines.

The date is inserted as one line under the entry's first line, so every other byte of the file is
unchanged and the append-only comparison of later pull requests still holds.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from generator.sources import decode, load_yaml

PUBLISHED_LINE = re.compile(r"[ ]+published_on: \d{4}-\d{2}-\d{2}\n?")


def entry_spans(text: str) -> tuple[list[int], int]:
    """(0-based first line of each entry of the top-level ``entries`` list, line after the list)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return [], 0
    for key_node, value_node in node.value if isinstance(node, yaml.MappingNode) else []:
        if key_node.value == "entries" and isinstance(value_node, yaml.SequenceNode):
            return [child.start_mark.line for child in value_node.value], value_node.end_mark.line
    return [], 0


def stamp(text: str, day: dt.date) -> tuple[str, int]:
    """``text`` with ``published_on: day`` in every entry lacking it, and how many were stamped.

    Only block-style entries (``- object: …`` with keys below) are stamped; a flow-style entry
    (``- {object: …}``) is left alone and counted as not stamped (validate's own rules govern it).
    """
    loaded = load_yaml(text, "")
    data = loaded.value
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return text, 0
    starts, _ = entry_spans(text)
    lines = text.splitlines(keepends=True)
    inserts: list[tuple[int, str]] = []
    for start, entry in zip(starts, data["entries"], strict=False):
        if not isinstance(entry, dict) or entry.get("published_on") is not None:
            continue
        first = lines[start]
        m = re.match(r"( *)- (?!\{)\S", first)
        if not m:
            continue
        indent = " " * (len(m.group(1)) + 2)
        inserts.append((start + 1, f"{indent}published_on: {day.isoformat()}\n"))
    if lines and not lines[-1].endswith("\n") and inserts:
        lines[-1] += "\n"
    for at, line in reversed(inserts):
        lines.insert(at, line)
    return "".join(lines), len(inserts)


def only_stamps_added(old: bytes, new: bytes) -> bool:
    """True when ``new`` is ``old`` plus inserted ``published_on`` lines, each into an entry that had
    none (what :func:`stamp` does, and nothing else)."""
    old_text, new_text = decode(old, "")[0], decode(new, "")[0]
    if old_text is None or new_text is None:
        return False
    old_lines = old_text.splitlines(keepends=True)
    new_lines = new_text.splitlines(keepends=True)
    # Every other line unchanged and in order (dates already there are compared per entry below).
    if _other_lines(new_lines) != _other_lines(old_lines):
        return False
    before = load_yaml(old_text, "").value
    after = load_yaml(new_text, "").value
    if not isinstance(before, dict) or not isinstance(after, dict):
        return False
    old_entries, new_entries = before.get("entries") or [], after.get("entries") or []
    if len(old_entries) != len(new_entries) or {k: v for k, v in before.items() if k != "entries"} != {
        k: v for k, v in after.items() if k != "entries"
    }:
        return False
    for a, b in zip(old_entries, new_entries, strict=True):
        if not isinstance(a, dict) or not isinstance(b, dict):
            return False
        if a.get("published_on") is not None:
            if a != b:
                return False
        elif {k: v for k, v in b.items() if k != "published_on"} != a:
            return False
    return True


def _other_lines(lines: list[str]) -> list[str]:
    return [line.rstrip("\n") for line in lines if not PUBLISHED_LINE.fullmatch(line)]
