"""A number cut in two across public values of two record files (red team, seventh round).

The build's final scan reads each page as a reader does: the cells of one table row join into one
line (site/privacy.py). A unit name ending ``…局第138`` (``unit.yaml``) and a task name starting
``0013 8000 …`` (``tasks/…``) sit side by side in every inspection row of an object page, the home
page and 合规, and read as ``138 0013 8000``: the scan stopped every unit's site. Each file passes
``validate`` alone (two pull requests, or one file's value beside another unit's), and ``ci site``
leaves out only files ``validate`` refuses, so nothing could be left out and no unit's results
were published. PRIVACY_NUMBER_ACROSS_FIELDS compares the values of one entry; this rule compares the
end of every public value with the start of every other file's, as the scan would join them, and
reports the number at both values (``ci site`` then leaves both files out, not the whole site).

Fast on a county's records: only values that end or start with digits take part, and a pair is
tried only when its digits can add up to a mobile (11, 12 with a trunk 0, 13 or 15 with 86/0086) or
an ID number (15 or 18); ``find`` then decides on the joined text, so its rules (a group touching a
letter, the check digit, the birth date) hold as everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.private_data import CHINESE_DIGITS, NUMERALS, find, is_id_card, is_id_card_15
from generator.records import BY_NAME
from generator.rules.privacy import WHAT, patterned_texts, public_texts

_D = "\\d" + NUMERALS
_TAIL = re.compile(f"[{_D}][{_D}\\W_]*\\Z")
_HEAD = re.compile(f"[\\W_]*[{_D}][{_D}\\W_]*")
# A value of digits and punctuation alone (a count, a date, a phone field) is a wall on a page, not
# a neighbour (site/privacy._FIGURE): the scan does not join across it.
_FIGURE = re.compile(r"[\W\d_]*\d[\W\d_]*")
_DIGITS = re.compile(r"\d+")
# a digit group, with the X that ends an ID number (``…1231002X`` at the start of the second value)
_GROUP = re.compile(r"\d+[Xx]?")
TOTALS = (
    11,
    12,
    13,
    15,
    18,
)  # digits of a hit: mobile, 0 + mobile, 86 + mobile, 0086 + mobile / 15-digit ID, ID
_MOBILE = re.compile(r"(?:0086|86|0)?1[3-9]\d{9}")


def _shaped(digits: str) -> bool:
    """Digits that make a hit of ``find`` by their shape alone (``find`` then reads the context)."""
    return bool(_MOBILE.fullmatch(digits)) or is_id_card(digits) or is_id_card_15(digits)


def _runs(text: str, from_end: bool) -> list[tuple[int, str]]:
    """(digits, the digit string) of each run of whole digit groups from the value's edge, at most
    18 digits (a longer run holds no hit)."""
    norm = unicodedata.normalize("NFKC", text).translate(CHINESE_DIGITS)
    groups = [_ascii(g) for g in _GROUP.findall(norm)]
    out, joined = [], ""
    for g in reversed(groups) if from_end else groups:
        joined = g + joined if from_end else joined + g
        if len(joined) > 18:
            break
        out.append((len(joined), joined))
    return out


def _ascii(digits: str) -> str:
    if digits.isascii():
        return digits.upper()
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c.upper() for c in digits)


def file_edges(kind_name: str, records: list) -> list[tuple[bool, str, tuple]]:
    """(a tail?, edge text, (record, path, field)) of each public value of one file's records that
    ends or starts with digits, in order: what this rule reads of a file (serve's preview keeps it
    per file while the file is unchanged: site/rule_cache.py, FILE_PART)."""
    kind = BY_NAME.get(kind_name)
    # CI's files copy the records' values; county.yaml's are the joint office's, shown behind labels
    # (header, footer, 关于本站) or as the dictionaries every unit picks from
    if kind is None or kind_name.startswith("draw_") or kind_name == "county":
        return []
    out = []
    for r in records:
        values = [(p, f, t) for p, f, _, t in public_texts(kind.fields, r.data)]
        values += list(patterned_texts(kind.fields, r.data))
        for path, f, text in values:
            if _FIGURE.fullmatch(text):
                continue
            if m := _TAIL.search(text):
                out.append((True, text[max(0, m.start() - 1) :], (r, path, f)))
            if m := _HEAD.match(text):
                out.append((False, text[: m.end() + 1], (r, path, f)))
    return out


def _edges(parts) -> tuple[dict, dict]:
    """Tails and heads: edge text -> [(record, path, field)] holding it, from every file's edges."""
    tails: dict[str, list] = {}
    heads: dict[str, list] = {}
    for edges in parts:
        for tail, edge, held in edges:
            (tails if tail else heads).setdefault(edge, []).append(held)
    return tails, heads


def _pairs(tails: dict, heads: dict) -> set[tuple[str, str]]:
    """(tail, head) whose digits across the join have a number's length and shape.

    Edges are grouped by their digits first: thousands of task names start with the same year, and
    testing each distinct pair of digit strings once (not each pair of values) took this from 17.8
    to well under a second on a five-year county (tests/test_rule_indexes.py holds it to the plain
    definition)."""
    head_runs: dict[int, dict[str, list[str]]] = {}
    for head in heads:
        for n, digits in _runs(head, from_end=False):
            head_runs.setdefault(n, {}).setdefault(digits, []).append(head)
    tail_runs: dict[int, dict[str, list[str]]] = {}
    for tail in tails:
        for n, digits in _runs(tail, from_end=True):
            tail_runs.setdefault(n, {}).setdefault(digits, []).append(tail)
    out = set()
    for n, by_digits in tail_runs.items():
        for total in TOTALS:
            others = head_runs.get(total - n)
            if not others:
                continue
            for digits, tails_here in by_digits.items():
                for more, heads_here in others.items():
                    if _shaped(digits + more):
                        out.update((t, h) for t in tails_here for h in heads_here)
    return out


def _year(edge: str) -> bool:
    """An edge whose digits are one year (``2026 年学校食堂…``, the start of most task names)."""
    groups = _DIGITS.findall(unicodedata.normalize("NFKC", edge))
    return len(groups) == 1 and len(groups[0]) == 4 and 1900 <= int(_ascii(groups[0])) <= 2100


def _joined(tails: dict, heads: dict) -> list[tuple[str, str, object]]:
    """(tail, head, hit) of every pair of values of two files that join into a number."""
    out = []
    # per edge, not per pair: an edge such as a year's ``2026 年…`` is held by thousands of values
    # and met in many pairs (its files and its own hits were gathered again for each, ~3 CPU-s)
    files: dict[tuple[int, str], frozenset] = {}
    alone: dict[str, frozenset] = {}
    for tail, head in sorted(_pairs(tails, heads)):
        ends = [(0, tail, tails), (1, head, heads)]
        for side, edge, table in ends:
            if (side, edge) not in files:
                files[(side, edge)] = frozenset(a[0].file for a in table[edge])
        if len(files[(0, tail)] | files[(1, head)]) < 2:  # one file: PRIVACY_NUMBER_ACROSS_FIELDS
            continue
        for edge in (tail, head):
            if edge not in alone:
                alone[edge] = frozenset(h.number for h in find(edge))
        found = alone[tail] | alone[head]
        hits = [h for h in find(tail + " " + head) if h.kind in WHAT and h.number not in found]
        if hits:
            out.append((tail, head, hits[0]))
    return out


def _blamed(joined, tails: dict, heads: dict) -> dict[tuple[str, str], set[str]]:
    """For each joined pair, the edges blamed for it. One hostile value must not leave out other
    units' files: an edge that joins values of several units (a fragment ``…138 0013`` beside every
    task name starting ``2026``, a value starting with ten digits beside everything ending in ``1``)
    is the common factor and is blamed alone; two edges that only join each other (two pull requests,
    or one unit's two files) are both blamed; a year is never blamed (every page has one). Partners
    are counted by unit, not by file, and the joint office's files count for none (reviews of red
    team 7: a unit that planted one tail in two of its own files, or in one and a joint/ file, made
    the innocent value they join the "hub", blamed alone, while its own files were published)."""
    partners: dict[str, set[str]] = {}
    for tail, head, _ in joined:
        partners.setdefault(tail, set()).update(u for b in heads[head] if (u := _unit_of(b[0])))
        partners.setdefault(head, set()).update(u for a in tails[tail] if (u := _unit_of(a[0])))
    out = {}
    for tail, head, _ in joined:
        edges = {e for e in (tail, head) if not _year(e)} or {tail, head}
        hubs = {e for e in edges if len(partners[e]) > 1}
        out[(tail, head)] = hubs if len(hubs) == 1 else edges
    return out


def _unit_of(record) -> str | None:
    """The unit whose folder holds the record; None for the joint office's files (joint/), which count
    for no unit: a clerk who can also write there must not make an innocent value a hub (second
    review of red team 7)."""
    owner = getattr(record, "owner", None) or {}
    return owner.get("unit")


FILE_PART = file_edges


def check(corpus) -> Iterator[Finding]:
    yield from from_parts(file_edges(kind, records) for kind, records in corpus.records.items())


def from_parts(parts) -> Iterator[Finding]:
    """The findings from every file's ``file_edges``, in the corpus' order, and nothing else."""
    tails, heads = _edges(parts)
    joined = _joined(tails, heads)
    blamed = _blamed(joined, tails, heads)
    seen = set()
    for tail, head, hit in joined:
        for a in tails[tail]:
            for b in heads[head]:
                if a[0].file == b[0].file:
                    continue
                for (r, path, f), (other, other_path, other_f), edge in ((a, b, tail), (b, a, head)):
                    if edge not in blamed[(tail, head)]:
                        continue
                    line, col = r.loc(*path)
                    key = (r.file, line, path, hit.number)
                    if key in seen:
                        continue
                    seen.add(key)
                    yield finding(
                        "PRIVACY_NUMBER_ACROSS_RECORDS",
                        r.file,
                        line,
                        col,
                        path,
                        hit.masked,
                        label=f.label,
                        other=f"{other.file}:{other.loc(*other_path)[0]}",
                        other_label=other_f.label,
                        what=WHAT[hit.kind],
                    )


FROM_PARTS = from_parts
