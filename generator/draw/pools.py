"""The frozen pools: validate, normalise, serialise and digest them.

A county pool can hold 10^6 objects. ``check_objects`` reads the object rows as columns and
serialises them exactly once (``object_rows.write_rows``: canonical bytes, streamed into SHA-256
and any extra hasher). In ``commit`` mode every row's ref and ticket rank are hashed in C loops
and ``commit_pool`` makes the public side from them: the exclusions, the sorted refs, the public
view digest and, when the draw's seed is already known, the head of each stratum's ticket
order. In ``open`` mode (refs are the ids) the view is made here. Nothing is cached between
calls: ``compute_pool_digests``, ``draw`` and ``verify`` each recompute from the rows they are
given. People pools are small (thousands) and keep the ``Person`` dataclass.
"""

from __future__ import annotations

import hashlib
import operator
from bisect import bisect_left
from dataclasses import dataclass
from itertools import compress, islice

import numpy as np

from .canonical import canonical_bytes, digest, nfc
from .commit_pool import RowHashing, StratumHead, commit_side, salt_blob
from .errors import DrawError
from .model import ObjectRule, _list
from .object_rows import gather_fixed, raise_first_bad_row, read_columns, row_slots, write_rows
from .objects import SEALED, exclusion_reasons
from .people import PRIVATE_PERSON_FIELDS, Person, parse_people, row_of


def _read_ids(rows: list) -> list[str]:
    """The NFC ids, in the order given; a missing or non-text id is an error."""
    try:
        ids = list(map(operator.itemgetter("id"), rows))
    except (KeyError, TypeError):
        bad = next(r for r in rows if not isinstance(r, dict) or "id" not in r)
        raise DrawError("DRAW_ID_MISSING", where="检查对象库", row=rows.index(bad) + 1) from None
    if ids and (set(map(type, ids)) != {str} or not all(ids)):
        bad = next(k for k, i in enumerate(ids) if type(i) is not str or not i)
        raise DrawError("DRAW_ID_MISSING", where="检查对象库", row=bad + 1)
    if not all(map(str.isascii, ids)):
        ids = [i if i.isascii() else nfc(i) for i in ids]
    return ids


def _id_order(ids: list[str]) -> tuple[list[int] | None, list[bytes]]:
    """The input positions in id order (None if already in id order) and the UTF-8 ids in id
    order; duplicate ids are errors. ASCII ids of one width (统一社会信用代码) are sorted and
    gathered as numpy arrays (bytes order = code point order for ASCII): ~4x faster."""
    if all(map(operator.lt, ids, islice(ids, 1, None))):  # the I/O layer usually sorts already
        return None, list(map(str.encode, ids))
    blob = "".join(ids).encode("utf-8")
    width = len(blob) // len(ids)
    if blob.isascii() and b"\0" not in blob and set(map(len, ids)) == {width}:  # (S arrays drop NULs)
        words = np.zeros((len(ids), -(-width // 8) * 8), dtype=np.uint8)  # zero-padded: order kept
        words[:, :width] = np.frombuffer(blob, dtype=np.uint8).reshape(-1, width)
        order = np.lexsort(words.view(">u8").T[::-1])  # big-endian words sort as their bytes (~2x faster)
        values = np.frombuffer(blob, dtype=f"S{width}")
        in_order = values[order]
        same = np.flatnonzero(in_order[1:] == in_order[:-1])
        duplicate = in_order[same[0]] if len(same) else None
        order, id_bytes = order.tolist(), in_order.tolist()
    else:
        order = sorted(range(len(ids)), key=ids.__getitem__)
        id_bytes = list(map(str.encode, map(ids.__getitem__, order)))  # new objects, in id order
        duplicate = next(compress(id_bytes, map(bytes.__eq__, id_bytes, islice(id_bytes, 1, None))), None)
    if duplicate is not None:
        raise DrawError("DRAW_DUPLICATE_ID", where="检查对象库", id=duplicate.decode("utf-8"))
    return order, id_bytes


@dataclass
class ObjectPool:
    """A validated object pool: digests, the public view (or what makes it), and the rows.

    ``ids`` (NFC) and ``rows`` keep the order the rows were given in, and ``order`` lists their
    positions in id order (None: given in id order) — rows are never rearranged, which at 10^6
    rows scattered in memory would cost a second. In commit mode ``heads`` holds what a draw
    needs (``commit_pool.commit_side``) and ``sorted_refs`` the eligible refs of each stratum as
    digest blobs; the full view, 10^6 hex refs, is built only when ``view`` is read.
    """

    privacy: str
    internal_digest: str
    public_digest: str
    ids: list[str]
    rows: list[dict]
    order: list[int] | None
    open_view: dict | None = None  # open mode: the view
    heads: list[StratumHead] | None = None  # commit mode
    sorted_refs: list[bytes] | None = None  # commit mode
    seed_hash: str | None = None  # commit mode: the seed hash the heads were computed for
    sealed: bool = False  # the public view is one list without strata (§10)

    @property
    def view(self) -> dict:
        """The public view of the pool (protocol §7): per stratum, sorted refs and exclusions —
        or, sealed (§10), one list of every eligible ref and every exclusion."""
        strata = self.strata_view["strata"]
        if self.sealed:
            excluded = sorted(
                (e for s in strata for e in s["excluded"]), key=lambda e: (e["ref"], e["reason"])
            )
            strata = [
                {"name": SEALED, "refs": sorted(r for s in strata for r in s["refs"]), "excluded": excluded}
            ]
        return {"privacy": self.privacy, "strata": strata}

    @property
    def strata_view(self) -> dict:
        """The view per stratum: the public view unless sealed, else the auditor's (§10)."""
        if self.open_view is not None:
            return self.open_view
        refs = [r.hex(",", 32).split(",") if r else [] for r in self.sorted_refs]
        strata = [
            {"name": h.name, "refs": sorted_refs, "excluded": _excluded(h.excluded)}
            for h, sorted_refs in zip(self.heads, refs, strict=True)
        ]
        return {"privacy": self.privacy, "strata": strata}

    def draw_view(self, seed_hash: str | None) -> dict:
        """What ``objects.draw_strata`` needs: the heads computed for ``seed_hash`` if there are
        any (then no 10^6-ref list is made), else the view."""
        if seed_hash is None or seed_hash != self.seed_hash:  # (open mode: never computed)
            return self.strata_view
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
        at = ids.__getitem__ if order is None else (lambda k: ids[order[k]])
        k = bisect_left(range(len(ids)), object_id, key=at)
        position = k if order is None or k == len(ids) else order[k]
        return self.opening(position) if k < len(ids) and ids[position] == object_id else None


def _excluded(pairs) -> list[dict]:
    return [{"ref": r, "reason": why} for r, why in pairs]


def check_objects(rule: ObjectRule, rows, *extra_hashers, ticket_seed_hash: str | None = None) -> ObjectPool:
    """Validate and digest the object pool (protocol §4.2, §7); the internal digest is fed to
    ``extra_hashers`` too, before anything the caller feeds them next. Rows are read in the order
    given (one after another in memory); every column needed in id order is gathered once.
    ``ticket_seed_hash``: the draw's seed hash when already known; the heads of the ticket order
    are then computed with the refs (commit mode). A bad pool raises the first problem of its
    first bad row in id order."""
    rows = _list(rows, "检查对象库")
    ids = _read_ids(rows)
    hashers = (internal := hashlib.sha256(), *extra_hashers)
    if rule.privacy == "open":
        order, id_bytes = _id_order(ids)
        columns = read_columns(rule, rows, ids, order)
        write_rows(hashers, row_slots(id_bytes, columns, order), len(ids))
        public, view = _open_view(rule, ids, columns, order)
        return ObjectPool(rule.privacy, internal.hexdigest(), public, ids, rows, order, open_view=view)
    hashing = RowHashing(rows, ids, ticket_seed_hash)  # may hash part of the rows on the other core
    try:
        order, id_bytes = _id_order(ids)
        columns = read_columns(rule, rows, ids, order)
        salts = columns["salt"] or []  # (None: absent everywhere, hence no rows: read_columns checked)
        blob = salt_blob(salts)
        if blob is None:
            raise_first_bad_row(rule, rows, ids, order)
        write_rows(hashers, row_slots(id_bytes, columns, order, gather_fixed(blob, 64, order)), len(ids))
        groups = _groups(rule, columns, len(ids))
        hashed = hashing.finish(salts)
    except BaseException:
        hashing.cancel()
        raise
    heads, sorted_refs, public = commit_side(rule, hashed, *groups, ticket_seed_hash)
    return ObjectPool(
        rule.privacy,
        internal.hexdigest(),
        public,
        ids,
        rows,
        order,
        heads=heads,
        sorted_refs=sorted_refs,
        seed_hash=ticket_seed_hash,
        sealed=rule.sealed,
    )


def _groups(rule: ObjectRule, columns: dict, n: int) -> tuple[list[int], dict[int, str]]:
    """Each row's stratum as its index in the request, and row -> exclusion reason (given order)."""
    index = {s.name: k for k, s in enumerate(rule.strata)}
    return list(map(index.__getitem__, columns["stratum"])), exclusion_reasons(rule, n, columns)


def _open_view(rule: ObjectRule, ids: list[str], columns: dict, order: list[int] | None) -> tuple[str, dict]:
    """(public digest, view) of an open-mode pool, whose refs are the ids: per stratum of the
    request, the eligible ids and the (id, reason) exclusions, both in id order (protocol §7)."""
    strata, reasons = _groups(rule, columns, len(ids))
    view = [{"excluded": [], "name": s.name, "refs": []} for s in rule.strata]
    for i in range(len(ids)) if order is None else order:
        why = reasons.get(i)
        if why is None:
            view[strata[i]]["refs"].append(ids[i])
        else:
            view[strata[i]]["excluded"].append({"reason": why, "ref": ids[i]})
    view = {"privacy": rule.privacy, "strata": view}
    return digest(view, True), view


def public_person(person: Person) -> dict:
    """A person's row without internal fields (conflicts, phone)."""
    return {k: v for k, v in row_of(person).items() if k not in PRIVATE_PERSON_FIELDS}


def prepare_people(rows, label: str, *extra_hashers) -> tuple[list[Person], str, str]:
    """(people sorted by id, internal digest, public digest) of an inspector/assistant pool."""
    people = parse_people(rows, label)
    internal = canonical_bytes([row_of(p) for p in people], True)
    for h in extra_hashers:
        h.update(internal)
    public = canonical_bytes([public_person(p) for p in people], True)
    return people, hashlib.sha256(internal).hexdigest(), hashlib.sha256(public).hexdigest()
