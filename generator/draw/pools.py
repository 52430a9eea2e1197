"""The frozen pools: validate, normalise, serialise and digest them.

A county pool can hold 10^6 objects. ``prepare_objects`` serialises the object rows exactly once
(``object_rows.write_rows``: canonical bytes, streamed into SHA-256 and any extra hasher). In
``commit`` mode every row's ref and ticket rank are hashed by ``row_hashing`` — for a large pool
mostly in a helper interpreter while this process validates and serialises the rows
(``pool_helper``) — and ``commit_pool`` makes the public side from them: the exclusions and the
head of each stratum's ticket order when the draw's seed is known (here), the sorted refs and
the public view digest (in the helper, while the draw goes on). In ``open`` mode (refs are the
ids) the view is made here. Nothing is cached between calls:
``compute_pool_digests``, ``draw`` and ``verify`` each recompute from the rows they are given.
People pools are small (thousands) and keep the ``Person`` dataclass.
"""

from __future__ import annotations

import hashlib
import operator
import re
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass, field
from itertools import compress, islice

import numpy as np

from .canonical import canonical_bytes, encode_string, nfc, view_digest
from .commit_pool import PublicView, StratumHead
from .errors import DrawError
from .model import PRIVATE_PERSON_FIELDS, ObjectRule, Person, parse_people, row_of
from .object_rows import (
    OBJECT_DEFAULTS,
    OBJECT_FIELDS,
    _invalid,
    gather_fixed,
    in_id_order,
    raise_first_error,
    read_columns,
    row_slots,
    write_rows,
)
from .objects import exclusion_reasons
from .pool_helper import PublicSide
from .row_hashing import id_blob, salt_blob, salts_valid

__all__ = [
    "OBJECT_DEFAULTS",
    "OBJECT_FIELDS",
    "ObjectPool",
    "prepare_objects",
    "prepare_people",
    "public_person",
]
ESCAPED = re.compile(r'["\\\x00-\x1f]')  # characters encode_string escapes
TEXT_CHUNK = 65_536  # refs joined into one JSON text at once


def _read_ids(rows: list) -> list[str]:
    """The NFC ids, in the order given; a missing or non-text id is an error."""
    try:
        ids = list(map(operator.itemgetter("id"), rows))
    except (KeyError, TypeError):
        bad = next(r for r in rows if not isinstance(r, dict) or "id" not in r)
        raise DrawError("DRAW_FIELD_MISSING", f"检查对象库有一行缺少编号 id：{bad!r}"[:200], {}) from None
    if ids and (set(map(type, ids)) != {str} or not all(ids)):
        bad = next(i for i in ids if type(i) is not str or not i)
        raise _invalid(bad, "id", bad)
    if not all(map(str.isascii, ids)):
        ids = [i if i.isascii() else nfc(i) for i in ids]
    return ids


def _id_order(ids: list[str], blob: bytes | None = None) -> tuple[list[int] | None, list[bytes]]:
    """The input positions in id order (None if already in id order) and the UTF-8 ids in id
    order; duplicate ids are errors. ``blob``: the UTF-8 ids joined, if they all have one length
    (``row_hashing.id_blob``): then they are moved and compared as one numpy array."""
    width = len(blob) // len(ids) if blob is not None and ids and b"\0" not in blob else None
    if all(map(operator.lt, ids, islice(ids, 1, None))):  # the I/O layer usually sorts already
        return None, (gather_fixed(blob, width, None) if width else list(map(str.encode, ids)))
    order = sorted(range(len(ids)), key=ids.__getitem__)
    if width:  # (a value without NUL bytes is the same in an S array)
        values = np.frombuffer(blob, dtype=f"S{width}")[np.asarray(order, dtype=np.intp)]
        same = np.flatnonzero(values[1:] == values[:-1])
        duplicate = values[same[0]] if len(same) else None
        id_bytes = values.tolist()
    else:
        id_bytes = list(map(str.encode, map(ids.__getitem__, order)))  # new objects, in id order
        same = compress(id_bytes, map(bytes.__eq__, id_bytes, islice(id_bytes, 1, None)))
        duplicate = next(same, None)
    if duplicate is not None:
        dup = duplicate.decode("utf-8")
        raise DrawError("DRAW_DUPLICATE_ID", f"检查对象库 编号重复：{dup}", {"id": dup})
    return order, id_bytes


@dataclass
class ObjectPool:
    """A validated object pool: digests, the public view (or what makes it), and the rows.

    ``ids`` (NFC) and ``rows`` keep the order the rows were given in, and ``order`` lists their
    positions in id order (None: given in id order) — rows are never rearranged, which at 10^6
    rows scattered in memory would cost a second. In commit mode ``heads`` holds what a draw
    needs (``commit_pool.stratum_heads``) and the public view may still be on its way from the
    helper (``pending``): it is collected when first needed (``public_digest``, ``view``,
    ``close``); the full view, 10^6 hex refs, is built only when ``view`` is read.
    """

    privacy: str
    internal_digest: str
    ids: list[str]
    rows: list[dict]
    order: list[int] | None
    open_view: dict | None = None  # open mode: the view
    open_digest: str | None = None  # open mode: its digest
    heads: list[StratumHead] | None = None  # commit mode
    seed_hash: str | None = None  # commit mode: the seed hash the heads were computed for
    pending: PublicSide | None = field(default=None, repr=False)
    _public: PublicView | None = field(default=None, repr=False)
    _view: dict | None = field(default=None, repr=False)

    def close(self) -> PublicView | None:
        """Collect the public view from the helper (ends it); None in open mode."""
        if self.pending is not None:
            self._public, self.pending = self.pending.view(self.heads), None
        return self._public

    @property
    def public_digest(self) -> str:
        return self.open_digest if self.open_view is not None else self.close().public_digest

    @property
    def view(self) -> dict:
        """The public view of the pool (protocol §7): per stratum, sorted refs and exclusions."""
        if self.open_view is not None:
            return self.open_view
        if self._view is None:
            kept = self.close().sorted_refs
            if kept is None:
                raise AssertionError("pool prepared for its view digest only")
            refs = [r.hex(",", 32).split(",") if r else [] for r in kept]
            strata = [
                {"name": h.name, "refs": sorted_refs, "excluded": _excluded(h.excluded)}
                for h, sorted_refs in zip(self.heads, refs, strict=True)
            ]
            self._view = {"privacy": self.privacy, "strata": strata}
        return self._view

    def draw_view(self, seed_hash: str | None) -> dict:
        """What ``objects.draw_strata`` needs: the heads computed for ``seed_hash`` if there are
        any (then no 10^6-ref list is made), else the view."""
        if self.heads is None or self.seed_hash is None or self.seed_hash != seed_hash:
            return self.view
        strata = [
            {
                "excluded": _excluded(h.excluded),
                "eligible": h.eligible,
                "head": [(t, r) for t, r, _ in h.head],
                "seed_hash": seed_hash,
            }
            for h in self.heads
        ]
        return {"privacy": self.privacy, "strata": strata}

    def opening(self, position: int) -> dict:
        """id, salt, township and previous inspectors of the row at input ``position`` (NFC)."""
        row = self.rows[position]
        return {
            "id": self.ids[position],
            "salt": nfc(row.get("salt", "")),
            "township": nfc(row.get("township", "")),
            "previous_inspectors": [nfc(p) for p in row.get("previous_inspectors", ())],
        }

    def open_refs(self, refs) -> dict:
        """ref -> opening for the refs found: in commit mode those of the ticket heads (a draw
        opens nothing else), in open mode any id."""
        wanted = set(refs)
        if self.privacy == "open":
            return {ref: opening for ref in wanted if (opening := self.open_id(ref)) is not None}
        known = {r: i for h in self.heads for _, r, i in h.head or ()}
        return {ref: self.opening(known[ref]) for ref in wanted if ref in known}

    def open_id(self, object_id: str) -> dict | None:
        """The opening of the row with this (NFC) id, or None."""
        ids, order = self.ids, self.order
        k = bisect_left(range(len(ids)), object_id, key=ids.__getitem__ if order is None else _at(ids, order))
        if k == len(ids):
            return None
        position = k if order is None else order[k]
        return self.opening(position) if ids[position] == object_id else None


def _at(ids: list, order: list):
    return lambda k: ids[order[k]]


def _excluded(pairs) -> list[dict]:
    return [{"ref": r, "reason": why} for r, why in pairs]


def _public_strata(rule: ObjectRule, strata: list[int], refs: list[str], reasons: dict[int, str]) -> list:
    """Per stratum of the request: sorted eligible refs and sorted (ref, reason) exclusions.
    ``strata``: index of each row's stratum in the request; lists and ``reasons`` keys in id order.
    """
    k = len(rule.strata)
    groups: list[list] = [[] for _ in range(k + 1)]  # excluded rows go to group k, which is dropped
    add_ref = [g.append for g in groups]
    for s, r, i in zip(strata, refs, range(len(refs)), strict=True):
        add_ref[k if i in reasons else s](r)
    out = []
    for stratum, eligible in zip(rule.strata, groups, strict=False):
        eligible.sort()
        out.append({"name": stratum.name, "refs": eligible, "excluded": []})
    for i, reason in reasons.items():
        out[strata[i]]["excluded"].append((refs[i], reason))
    for entry in out:
        entry["excluded"] = sorted(entry["excluded"])
    return out


def _ref_text(refs: list[str]):
    """JSON text of consecutive refs, in chunks."""
    for start in range(0, len(refs), TEXT_CHUNK):
        chunk = refs[start : start + TEXT_CHUNK]
        if ESCAPED.search("".join(chunk)) is None:
            yield ('"' + '","'.join(chunk) + '"').encode("utf-8")
        else:  # some ref needs JSON escapes
            yield ",".join(map(encode_string, chunk)).encode("utf-8")


def prepare_objects(
    rule: ObjectRule,
    rows,
    *extra_hashers,
    ticket_seed_hash: str | None = None,
    meanwhile=None,
    digest_only: bool = False,
) -> ObjectPool:
    """Validate and digest the object pool; make its public side (protocol §4.2, §7).

    Rows are read in the order given (one after another in memory); every column needed in id
    order is gathered once. ``ticket_seed_hash``: the draw's seed hash when it is already known;
    the heads of the ticket order are then computed with the refs (commit mode). ``meanwhile``
    (optional) is called once the rows are checked and fed to the hashers, while the helper of a
    large pool may still be hashing them. ``digest_only``: only the public view's digest is needed
    (not its refs), and may be left with the helper until then; the caller must then ``close()``
    the pool (in a ``finally``).
    """
    rows = rows if isinstance(rows, list) else list(rows)
    ids = _read_ids(rows)
    hashers = (internal := hashlib.sha256(), *extra_hashers)
    if rule.privacy != "commit":
        order, id_bytes = _id_order(ids)
        columns = read_columns(rule, rows, ids, order)
        write_rows(hashers, row_slots(id_bytes, columns, order), len(ids))
        if meanwhile is not None:
            meanwhile()
        public, view = _open_view(rule, ids, order, columns)
        return ObjectPool(
            rule.privacy, internal.hexdigest(), ids, rows, order, open_view=view, open_digest=public
        )
    side = PublicSide(len(rows))  # a helper interpreter for a large pool boots meanwhile
    try:
        salts, complete = _salts(rows)
        blob, (joined_ids, ends) = salt_blob(salts), id_blob(ids)
        if blob is not None:  # (if some salt is not hex after all, the hashes are discarded)
            side.send_rows(blob, joined_ids, ends, ticket_seed_hash)
        order, id_bytes = _id_order(ids, joined_ids if ends is None else None)
        columns = read_columns(rule, rows, ids, order, {"salt": salts} if complete else None)
        if not salts_valid(salts, blob):
            raise_first_error(rule, in_id_order(rows, order), in_id_order(ids, order))
        salt_bytes = gather_fixed(blob, 64, order)  # hex digits
        write_rows(hashers, row_slots(id_bytes, columns, order, salt_bytes, joined_ids), len(ids))
        strata, reasons = _stratum_indexes(rule, columns), _reasons(rule, columns, len(ids))
        heads = side.heads(rule, strata, reasons, meanwhile, keep_refs=not digest_only)
        pool = ObjectPool(
            rule.privacy, internal.hexdigest(), ids, rows, order, heads=heads, seed_hash=ticket_seed_hash
        )
        pool.pending, side = side, None  # the pool now ends the helper (close)
        if not digest_only:
            pool.close()
        return pool
    finally:
        if side is not None:
            side.stop()


def _stratum_indexes(rule: ObjectRule, columns: dict) -> np.ndarray:
    """Each row's stratum as its index in the request (given order)."""
    index = {s.name: k for k, s in enumerate(rule.strata)}
    return np.fromiter(
        map(index.__getitem__, columns["stratum"]), dtype=np.int32, count=len(columns["stratum"])
    )


def _reasons(rule: ObjectRule, columns: dict, n: int) -> dict[int, str]:
    """Row (given order) -> exclusion reason code."""
    c = columns
    return exclusion_reasons(
        rule,
        n,
        c["deregistered"],
        c["recognised_result"],
        c["inspections_this_year"],
        c["key_item"],
        c["last_inspected_by_unit"],
    )


def _salts(rows: list[dict]) -> tuple[list, bool]:
    """The salt of every row as given ("" where missing: reported by ``read_columns``), and
    whether every row has one."""
    try:
        return list(map(operator.itemgetter("salt"), rows)), True
    except KeyError:
        return list(map(operator.methodcaller("get", "salt", ""), rows)), False


def _open_view(rule: ObjectRule, ids: list[str], order: list[int] | None, columns: dict) -> tuple[str, dict]:
    """(public digest, view) of an open-mode pool, whose refs are the ids."""
    reasons = _reasons(rule, columns, len(ids))
    if order is not None and reasons:  # input position -> position in id order
        position = [0] * len(order)
        deque(map(position.__setitem__, order, range(len(order))), maxlen=0)
        reasons = {position[i]: why for i, why in reasons.items()}
    index = {s.name: k for k, s in enumerate(rule.strata)}
    strata = in_id_order(list(map(index.__getitem__, columns["stratum"])), order)
    entries = _public_strata(rule, strata, in_id_order(ids, order), reasons)
    public = view_digest(rule.privacy, [(e["name"], e["excluded"], _ref_text(e["refs"])) for e in entries])
    for entry in entries:
        entry["excluded"] = _excluded(entry["excluded"])
    return public, {"privacy": rule.privacy, "strata": entries}


def public_person(person: Person) -> dict:
    """A person's row without internal fields (conflicts, phone)."""
    return {k: v for k, v in row_of(person).items() if k not in PRIVATE_PERSON_FIELDS}


def prepare_people(rows, label: str, *extra_hashers) -> tuple[list[Person], str, str]:
    """(people sorted by id, internal digest, public digest) of an inspector/assistant pool."""
    people = parse_people(rows, label)
    full = [row_of(person) for person in people]
    internal = canonical_bytes(full, True)
    for h in extra_hashers:
        h.update(internal)
    public = canonical_bytes(
        [{k: v for k, v in r.items() if k not in PRIVATE_PERSON_FIELDS} for r in full], True
    )
    return people, hashlib.sha256(internal).hexdigest(), hashlib.sha256(public).hexdigest()
