"""The frozen pools: validate, normalise, serialise and digest them in one streaming pass.

A county pool can hold 10^6 objects, so this module avoids what made that slow: no dataclass
per object, no recursive normalising walk, no giant JSON string. Each object row is checked,
NFC-normalised only where it is not ASCII, written as its canonical text (protocol §2 — the same
bytes ``canonical_bytes`` gives for the row dict with every field present) and streamed into
SHA-256; its ref (commitment, computed once) and exclusion reason go straight into the public
view. People pools are small (thousands) and keep the ``Person`` dataclass.
"""

from __future__ import annotations

import hashlib
import operator
from bisect import bisect_left
from dataclasses import dataclass
from itertools import islice, repeat

from .canonical import ArrayDigest, canonical_bytes, encode_string, nfc
from .errors import DrawError
from .model import PRIVATE_PERSON_FIELDS, ObjectRule, Person, parse_people, row_of
from .objects import exclusion_reason

# Canonical (code-point sorted) field order of an object row and the defaults of absent fields.
OBJECT_FIELDS = frozenset(
    (
        "deregistered",
        "id",
        "inspections_this_year",
        "key_item",
        "last_inspected_by_unit",
        "previous_inspectors",
        "recognised_result",
        "salt",
        "stratum",
        "township",
    )
)
JSON_BOOL = {True: "true", False: "false"}
HEX = "0123456789abcdef"
OBJECT_DEFAULTS = {
    "salt": "",
    "township": "",
    "deregistered": False,
    "last_inspected_by_unit": None,
    "recognised_result": False,
    "inspections_this_year": 0,
    "key_item": False,
    "previous_inspectors": (),
    "stratum": None,
}
FIELD_ORDER = tuple(sorted(OBJECT_FIELDS - {"id"}))
GET_ALL = operator.itemgetter(*FIELD_ORDER)
FIELD_TYPES = {
    "stratum": {str},
    "salt": {str},
    "township": {str},
    "last_inspected_by_unit": {str, type(None)},
    "deregistered": {bool},
    "recognised_result": {bool},
    "key_item": {bool},
    "inspections_this_year": {int},
    "previous_inspectors": {list, tuple},
}
CHUNK = 4096  # rows per column pass: big enough for C loops, small enough for the cache


def _invalid(object_id, field: str, value) -> DrawError:
    if isinstance(value, float):
        return DrawError(
            "DRAW_FLOAT_FORBIDDEN", f"不允许使用小数 {value!r}，比例请写成“p/q”分数", {"value": repr(value)}
        )
    return DrawError(
        "DRAW_FIELD_INVALID",
        f"检查对象库 {object_id} 的字段 {field} 类型或取值无效：{value!r}",
        {"id": object_id, "field": field},
    )


def _check_types(row: dict, object_id) -> None:
    """Slow path: name the first field of ``row`` with a wrong type (called only on failure)."""
    kinds = {
        "stratum": (str,),
        "salt": (str,),
        "township": (str,),
        "last_inspected_by_unit": (str, type(None)),
        "deregistered": (bool,),
        "recognised_result": (bool,),
        "key_item": (bool,),
        "inspections_this_year": (int,),
        "previous_inspectors": (list, tuple),
    }
    if "stratum" not in row:
        raise DrawError("DRAW_FIELD_MISSING", f"检查对象库 {object_id} 缺少字段 stratum", {"id": object_id})
    for field, types in kinds.items():
        if field in row and (type(row[field]) not in types):
            raise _invalid(object_id, field, row[field])
    for item in row.get("previous_inspectors", ()):
        if type(item) is not str:
            raise _invalid(object_id, "previous_inspectors", item)


def _sorted_ids(rows: list) -> tuple[list, list[str]]:
    """Rows and their NFC ids in id order; duplicate and missing ids are errors."""
    try:
        ids = [row["id"] for row in rows]
    except (KeyError, TypeError):
        bad = next(r for r in rows if not isinstance(r, dict) or "id" not in r)
        raise DrawError("DRAW_FIELD_MISSING", f"检查对象库有一行缺少编号 id：{bad!r}"[:200], {}) from None
    if not all(type(i) is str and i for i in ids):
        bad = next(i for i in ids if type(i) is not str or not i)
        raise _invalid(bad, "id", bad)
    ids = [i if i.isascii() else nfc(i) for i in ids]
    if not all(map(operator.lt, ids, islice(ids, 1, None))):  # the I/O layer usually sorts already
        order = sorted(range(len(ids)), key=ids.__getitem__)
        rows, ids = [rows[i] for i in order], [ids[i] for i in order]
        dup = next((a for a, b in zip(ids, ids[1:], strict=False) if a == b), None)
        if dup is not None:
            raise DrawError("DRAW_DUPLICATE_ID", f"检查对象库 编号重复：{dup}", {"id": dup})
    return rows, ids


@dataclass
class ObjectPool:
    """One pass over the object rows: digests, public view, and what is needed to open refs."""

    view: dict
    internal_digest: str
    public_digest: str
    ids: list[str]  # sorted
    rows: list[dict]  # raw rows, same order as ids
    refs: list[str]  # ref of each row, same order

    def opening(self, position: int) -> dict:
        """id, salt, township and previous inspectors of the row at ``position`` (NFC)."""
        row = self.rows[position]
        return {
            "id": self.ids[position],
            "salt": nfc(row.get("salt", "")),
            "township": nfc(row.get("township", "")),
            "previous_inspectors": [nfc(p) for p in row.get("previous_inspectors", ())],
        }

    def open_refs(self, refs) -> dict:
        """ref -> opening for a few refs (one scan instead of a 10^6-entry index)."""
        wanted = set(refs)
        return {r: self.opening(i) for i, r in enumerate(self.refs) if r in wanted}

    def open_id(self, object_id: str) -> dict | None:
        i = bisect_left(self.ids, object_id)
        return self.opening(i) if i < len(self.ids) and self.ids[i] == object_id else None


def _columns(rows: list, object_ids: list) -> dict[str, list]:
    """Every field of every row as columns (defaults filled in), type-checked and NFC-normalised.

    ``DEFAULTS | row`` and ``itemgetter`` run in C; a Python statement per row per field would
    cost seconds at 10^6 rows.
    """
    filled = map(operator.or_, repeat(OBJECT_DEFAULTS), rows)
    columns = dict(zip(FIELD_ORDER, map(list, zip(*map(GET_ALL, filled), strict=True)), strict=True))
    if not columns:
        return {field: [] for field in FIELD_ORDER}
    for field, types in FIELD_TYPES.items():
        values = columns[field]
        if not set(map(type, values)) <= types:
            for row, object_id in zip(rows, object_ids, strict=True):
                _check_types(row, object_id)
        if str in types and not all(map(str.isascii, filter(None, values))):
            table = {v: nfc(v) for v in set(values) if v is not None}
            if any(k != v for k, v in table.items()):
                columns[field] = [v if v is None else table[v] for v in values]
    return columns


def _escaped(values: list) -> list:
    """JSON text of each string; a low-cardinality column (township, stratum) is escaped once per value."""
    distinct = set(values)
    if len(distinct) * 8 < len(values):
        text = {v: encode_string(v) for v in distinct}
        return list(map(text.__getitem__, values))
    return list(map(encode_string, values))


def _list_text(values: list, object_ids: list) -> list:
    """JSON text inside the brackets of each ``previous_inspectors`` list (usually empty)."""
    out = []
    for items, object_id in zip(values, object_ids, strict=True):
        if not items:
            out.append("")
        elif all(type(i) is str for i in items):
            out.append(",".join(encode_string(nfc(i)) for i in items))
        else:
            raise _invalid(object_id, "previous_inspectors", items)
    return out


def prepare_objects(rule: ObjectRule, rows, *extra_hashers) -> ObjectPool:
    """Validate and digest the object pool; build the public view (protocol §4.2, §7).

    Works column by column on chunks of rows so that the per-row work runs in C (``map``,
    ``str.join``, ``hashlib``): a Python statement per row per field would cost ~10 s at 10^6.
    """
    rows, ids = _sorted_ids(rows if isinstance(rows, list) else list(rows))
    if not all(map(OBJECT_FIELDS.issuperset, rows)):
        row, object_id = next(
            (r, i) for r, i in zip(rows, ids, strict=True) if not OBJECT_FIELDS.issuperset(r)
        )
        raise DrawError(
            "DRAW_FIELD_INVALID",
            f"检查对象库 有未知字段 {sorted(set(row) - OBJECT_FIELDS)}",
            {"id": object_id},
        )
    commit = rule.privacy == "commit"
    groups = {s.name: ([], []) for s in rule.strata}
    internal = ArrayDigest(*extra_hashers)
    refs: list[str] = []
    sha, hexdigest = hashlib.sha256, type(hashlib.sha256()).hexdigest
    for start in range(0, len(rows), CHUNK):
        part, part_ids = rows[start : start + CHUNK], ids[start : start + CHUNK]
        c = _columns(part, part_ids)
        strata, salts, towns, times = c["stratum"], c["salt"], c["township"], c["inspections_this_year"]
        dereg, recog, keys = c["deregistered"], c["recognised_result"], c["key_item"]
        last, previous = c["last_inspected_by_unit"], c["previous_inspectors"]
        as_bool = JSON_BOOL.__getitem__
        internal.add_texts(
            map(
                "".join,
                zip(
                    repeat('{"deregistered":'),
                    map(as_bool, dereg),
                    repeat(',"id":'),
                    map(encode_string, part_ids),
                    repeat(',"inspections_this_year":'),
                    map(str, times),
                    repeat(',"key_item":'),
                    map(as_bool, keys),
                    repeat(',"last_inspected_by_unit":'),
                    ["null" if v is None else encode_string(v) for v in last],
                    repeat(',"previous_inspectors":['),
                    _list_text(previous, part_ids),
                    repeat('],"recognised_result":'),
                    map(as_bool, recog),
                    repeat(',"salt":'),
                    _escaped(salts) if not commit else map(encode_string, salts),
                    repeat(',"stratum":'),
                    _escaped(strata),
                    repeat(',"township":'),
                    _escaped(towns),
                    repeat("}"),
                ),
            )
        )
        if commit:
            if set(map(len, salts)) != {64} or any(map(str.strip, salts, repeat(HEX))):
                bad = next(i for i, s in zip(part_ids, salts, strict=True) if len(s) != 64 or s.strip(HEX))
                raise DrawError("DRAW_SALT_INVALID", f"检查对象 {bad} 缺少 64 位十六进制盐值", {"id": bad})
            part_refs = list(map(hexdigest, map(sha, map(str.encode, map(str.__add__, salts, part_ids)))))
        else:
            part_refs = part_ids
        refs += part_refs
        if any(dereg) or any(recog) or any(keys) or any(last) or (rule.annual_cap is not None and any(times)):
            reasons = map(exclusion_reason, dereg, recog, times, keys, last, repeat(rule))
        else:  # no row has any fact that could exclude it
            reasons = repeat(None)
        for object_id, stratum, ref, reason in zip(part_ids, strata, part_refs, reasons, strict=False):
            entry = groups.get(stratum)
            if entry is None:
                raise DrawError(
                    "DRAW_STRATUM_UNKNOWN",
                    f"检查对象 {object_id} 的分层 {stratum} 不在抽取请求的分层中",
                    {"id": object_id},
                )
            if reason is None:
                entry[0].append(ref)
            else:
                entry[1].append((ref, reason))
    view_strata = []
    for s in rule.strata:
        eligible, excluded = groups[s.name]
        eligible.sort()
        excluded.sort()
        view_strata.append(
            {"name": s.name, "refs": eligible, "excluded": [{"ref": r, "reason": why} for r, why in excluded]}
        )
    view = {"privacy": rule.privacy, "strata": view_strata}
    return ObjectPool(view, internal.hexdigest(), view_digest(view, hex_refs=commit), ids, rows, refs)


def view_digest(view: dict, hex_refs: bool = False) -> str:
    """digest(view) for the public object pool, streamed (refs may number 10^6).

    ``hex_refs``: the refs are commitments this module computed (lower-case hex, nothing to escape).
    """
    h = hashlib.sha256()
    h.update(b'{"privacy":' + encode_string(view["privacy"]).encode("utf-8") + b',"strata":[')
    for n, entry in enumerate(view["strata"]):
        excluded = ",".join(
            f'{{"reason":{encode_string(e["reason"])},"ref":{encode_string(e["ref"])}}}'
            for e in entry["excluded"]
        )
        head = f'{"," if n else ""}{{"excluded":[{excluded}],"name":{encode_string(entry["name"])},"refs":['
        h.update(head.encode("utf-8"))
        refs = entry["refs"]
        for start in range(0, len(refs), 65536):
            chunk = refs[start : start + 65536]
            if hex_refs:
                text = '"' + '","'.join(chunk) + '"'
            else:
                text = ",".join(map(encode_string, chunk))
            h.update((("," if start else "") + text).encode("utf-8"))
        h.update(b"]}")
    h.update(b"]}\n")
    return h.hexdigest()


def public_person(person: Person) -> dict:
    """A person's row without internal fields (conflicts, phone)."""
    return {k: v for k, v in row_of(person).items() if k not in PRIVATE_PERSON_FIELDS}


def prepare_people(rows, label: str, *extra_hashers) -> tuple[list[Person], str, str]:
    """(people sorted by id, internal digest, public digest) of an inspector/assistant pool."""
    people = parse_people(rows, label)
    internal = ArrayDigest(*extra_hashers)
    public = ArrayDigest()
    for person in people:
        full = row_of(person)
        internal.add(canonical_bytes(full, True)[:-1].decode("utf-8"))
        public.add(canonical_bytes(public_person(person), True)[:-1].decode("utf-8"))
    return people, internal.hexdigest(), public.hexdigest()
