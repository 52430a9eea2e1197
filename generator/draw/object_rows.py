"""Object rows as columns: read, check, normalise and write their canonical bytes in C loops.

A county pool can hold 10^6 rows. A Python statement per row per field costs about 1 s per
field, so every per-row step here is a C loop over a whole column: ``map`` with a C callable,
``itemgetter``, ``compress``, ``set``, list slice assignment, ``bytes.join``. Rows are written
as canonical text (protocol §2: the bytes ``canonical_bytes`` gives for the row with every field
present) by interleaving per-field byte columns with the constant JSON between them and joining
a chunk of rows at once. Columns that hold one value (often: absent everywhere) become part of
that constant text. ``tests/draw`` compares the result with ``canonical_bytes`` row by row.

Errors are detected by whole-column checks; when one fails, ``raise_first_bad_row`` checks the
rows one by one in id order and reports the first bad row's first problem (``row_error``), so
the error reported for a bad pool is "the first bad row in id order", whatever the fast path.
"""

from __future__ import annotations

import operator
from itertools import repeat

import numpy as np

from .canonical import encode_string, nfc
from .errors import DrawError
from .model import ObjectRule

# Per field of an object row but ``id`` (checked by ``pools._read_ids``), in the order ``row_error``
# checks them: (value when absent, allowed types, what a clerk should write).
FIELDS = {
    "stratum": (None, (str,), "分层名称（文本）"),
    "salt": ("", (str,), "64 位小写十六进制文本"),
    "township": ("", (str,), "文本"),
    "last_inspected_by_unit": (None, (str, type(None)), "YYYY-MM-DD 日期或空"),
    "deregistered": (False, (bool,), "true 或 false"),
    "recognised_result": (False, (bool,), "true 或 false"),
    "key_item": (False, (bool,), "true 或 false"),
    "inspections_this_year": (0, (int,), "不小于 0 的整数"),
    "previous_inspectors": ((), (list, tuple), "人员编号列表"),
}
OBJECT_FIELDS = tuple(sorted([*FIELDS, "id"]))  # the canonical (code-point sorted) order of a row
OBJECT_DEFAULTS = {field: default for field, (default, _, _) in FIELDS.items()}
TEXT_FIELDS = ("stratum", "salt", "township", "last_inspected_by_unit")
HEX = "0123456789abcdef"
# Every byte but those encode_string escapes (", \\ and U+0000–U+001F; UTF-8 bytes of other
# characters are ≥ 0x80): ``raw.translate(None, NO_ESCAPE)`` is empty iff nothing needs escaping.
NO_ESCAPE = bytes(b for b in range(256) if b >= 0x20 and b not in b'"\\')
JSON_WORDS = {True: b"true", False: b"false", None: b"null"}
WRITE_CHUNK = 2048  # rows joined at once: ~0.5 MB of text, stays in the L2 cache while hashed (measured)


def _invalid(object_id, field: str, value) -> DrawError:
    if isinstance(value, float):
        return DrawError("DRAW_FLOAT_FORBIDDEN", value=value, id=object_id, field=field)
    return DrawError(
        "DRAW_FIELD_INVALID",
        where=f"检查对象库 {object_id} ",
        id=object_id,
        field=field,
        value=value,
        expected=FIELDS[field][2],
    )


def row_error(rule: ObjectRule, row: dict, object_id: str) -> DrawError | None:
    """The first problem of one row (the definition the column checks implement), or None."""
    unknown = set(row).difference(OBJECT_FIELDS)
    if unknown:
        return DrawError(
            "DRAW_FIELD_UNKNOWN", where=f"检查对象库 {object_id} ", value=sorted(unknown), id=object_id
        )
    if "stratum" not in row:
        return DrawError(
            "DRAW_FIELD_MISSING", where=f"检查对象库 {object_id} ", field="stratum", id=object_id
        )
    for field, (_, types, _) in FIELDS.items():
        if field in row and (type(row[field]) not in types):
            return _invalid(object_id, field, row[field])
    for item in row.get("previous_inspectors", ()):
        if type(item) is not str:
            return _invalid(object_id, "previous_inspectors", item)
    salt = nfc(row.get("salt", ""))
    if rule.privacy == "commit" and (len(salt) != 64 or salt.strip(HEX)):
        return DrawError("DRAW_SALT_INVALID", id=object_id)
    if nfc(row["stratum"]) not in {s.name for s in rule.strata}:
        return DrawError("DRAW_STRATUM_UNKNOWN", id=object_id, stratum=nfc(row["stratum"]))
    return None


def in_id_order(values: list, order: list | None) -> list:
    """``values`` (given order) rearranged into id order."""
    return values if order is None else list(map(values.__getitem__, order))


def raise_first_bad_row(rule: ObjectRule, rows: list, ids: list, order: list | None) -> None:
    """Raise the first problem of the first bad row in id order (called when a column check
    failed; returns if no row is bad, the column checks being only a fast first look)."""
    for i in range(len(rows)) if order is None else order:
        error = row_error(rule, rows[i], ids[i])
        if error is not None:
            raise error


def read_columns(rule: ObjectRule, rows: list, ids: list, order: list | None) -> dict[str, list | None]:
    """Every field except ``id`` as a column (None: absent from every row), checked and in NFC.

    Columns keep the order the rows were given in: rows are read one after another in memory,
    which at 10^6 rows is several times faster than visiting them in id order. ``order`` (input
    positions in id order) is used only to report errors in id order.
    """
    n = len(rows)
    columns: dict[str, list | None] = {}
    everywhere, partial = 1, []  # fields present in every row (id); fields missing from some
    for field in FIELDS:
        try:
            columns[field] = list(map(operator.itemgetter(field), rows))
            everywhere += 1
        except KeyError:
            partial.append(field)
            columns[field] = None
    keys, present = sum(map(len, rows)), n * everywhere
    if keys != present:  # some field is in some rows only, or unknown
        for field in partial:
            count = sum(map(dict.__contains__, rows, repeat(field)))
            if count:
                getter = operator.methodcaller("get", field, OBJECT_DEFAULTS[field])
                columns[field] = list(map(getter, rows))
                present += count
        if keys != present:
            raise_first_bad_row(rule, rows, ids, order)
    if not _columns_valid(rule, columns, n):
        raise_first_bad_row(rule, rows, ids, order)
    for field in TEXT_FIELDS:
        values = columns[field]
        if values is not None and not all(map(str.isascii, filter(None, values))):
            table = {v: nfc(v) for v in set(values) if v is not None}
            if any(k != v for k, v in table.items()):
                columns[field] = [v if v is None else table[v] for v in values]
    if not set(columns["stratum"] or ()) <= {s.name for s in rule.strata}:
        raise_first_bad_row(rule, rows, ids, order)
    return columns


def _columns_valid(rule: ObjectRule, columns: dict, n: int) -> bool:
    """Whole-column form of the checks ``row_error`` makes row by row."""
    for field, (default, types, _) in FIELDS.items():
        values = columns[field]
        seen = {type(default)} if values is None else set(map(type, values))
        if not seen <= set(types):
            return False
    previous = columns["previous_inspectors"]
    if previous is not None:
        items = set()
        for value in filter(None, previous):
            items.update(map(type, value))
        if not items <= {str}:
            return False
    if rule.privacy == "commit" and n and columns["salt"] is None:
        return False  # the salts themselves are checked as bytes: commit_pool.salt_blob
    names = {s.name for s in rule.strata}
    # an unknown non-ASCII stratum may still match once in NFC (checked again after normalising)
    return all(not value.isascii() or value in names for value in set(columns["stratum"]))


def _json(field: str, value) -> bytes:
    """The JSON text of one value of ``field`` (of a ``previous_inspectors`` list: inside its brackets)."""
    if field == "previous_inspectors":
        return ",".join([encode_string(nfc(i)) for i in value]).encode("utf-8")
    if type(value) is bool or value is None:
        return JSON_WORDS[value]
    return (encode_string(value) if type(value) is str else str(value)).encode("utf-8")


def _few(values: list) -> bool:
    """Whether a column holds at most one distinct value in eight rows (judged on a sample first)."""
    return len(set(values[:1024])) * 8 < min(len(values), 1024) and len(set(values)) * 8 < len(values)


def _slot(field: str, values: list | None, order: list | None):
    """The constant JSON text of a field (bytes), or (byte column in id order, quoted) — quoted:
    raw UTF-8 whose JSON quotes live in the constant text; else JSON texts.

    A column with few distinct values (flags, counts, township, stratum) is encoded once per value,
    in input order, and then rearranged (a few shared objects: cheap); one value everywhere is
    constant text. Otherwise each value is encoded while gathering it into id order, so the new
    bytes lie in memory in id order.
    """
    if not values:  # absent everywhere, or no rows at all
        return _json(field, OBJECT_DEFAULTS[field])
    if field == "previous_inspectors":
        return in_id_order([_json(field, items) if items else b"" for items in values], order), False
    if field not in TEXT_FIELDS or _few(values):
        table = {v: _json(field, v) for v in set(values)}
        if len(table) == 1:
            return table.popitem()[1]
        return in_id_order(list(map(table.__getitem__, values)), order), False
    gathered = values if order is None else map(values.__getitem__, order)
    if None in values:
        return [b"null" if v is None else encode_string(v).encode("utf-8") for v in gathered], False
    return quoted_column(list(map(str.encode, gathered)))


def quoted_column(raw: list[bytes]) -> tuple[list[bytes], bool]:
    """A text column's slot from its UTF-8 values: (raw, True) when none needs a JSON escape."""
    if not b"".join(raw).translate(None, NO_ESCAPE):
        return raw, True
    return [encode_string(v.decode("utf-8")).encode("utf-8") for v in raw], False


def row_slots(id_bytes: list[bytes], columns: dict, order: list | None, salt_bytes=None) -> dict:
    """Per field: its constant JSON text (bytes) or (byte column in id order, quoted).

    ``id_bytes``: UTF-8 of the ids in id order; ``columns``: in input order; ``order``: input
    positions in id order (None: the same); ``salt_bytes``: the salts in id order, already
    checked to be hex (commit mode), so written as they are.
    """
    slots = {"id": quoted_column(id_bytes)}
    slots.update((f, _slot(f, columns[f], order)) for f in OBJECT_FIELDS if f not in ("id", "salt"))
    slots["salt"] = (salt_bytes, True) if salt_bytes is not None else _slot("salt", columns["salt"], order)
    return slots


def gather_fixed(blob: bytes, width: int, order: list | None) -> list[bytes]:
    """The ``width``-byte values joined in ``blob`` (input order, no NUL byte), in id order: one
    numpy gather, then one bytes object per row."""
    values = np.frombuffer(blob, dtype=f"S{width}")
    return (values if order is None else values[np.asarray(order, dtype=np.intp)]).tolist()


def write_rows(hashers, slots: dict, n: int) -> None:
    """Feed ``hashers`` the canonical bytes of the list of the ``n`` rows (in id order)."""
    pieces: list = []  # constant bytes and byte columns, alternating
    text = b",{"
    for k, field in enumerate(OBJECT_FIELDS):
        text += (b',"' if k else b'"') + field.encode("ascii") + b'":'
        if field == "previous_inspectors":
            text += b"["
        slot = slots[field]
        if isinstance(slot, bytes):
            text += slot
        else:
            values, quoted = slot
            pieces += [text + (b'"' if quoted else b""), values]
            text = b'"' if quoted else b""
        if field == "previous_inspectors":
            text += b"]"
    pieces.append(text + b"}")
    for h in hashers:
        h.update(b"[")
    for start, data in _joined_chunks(pieces, n):
        view = memoryview(data)[1:] if start == 0 else data  # no comma before the first row
        for h in hashers:
            h.update(view)
    for h in hashers:
        h.update(b"]\n")


def _joined_chunks(pieces: list, n: int):
    """(first row, bytes) of chunks of rows: constant pieces and column slices interleaved."""
    stride = len(pieces)
    pattern = [p if isinstance(p, bytes) else None for p in pieces]
    columns_at = [(j, p) for j, p in enumerate(pieces) if not isinstance(p, bytes)]
    buffer = pattern * WRITE_CHUNK
    for start in range(0, n, WRITE_CHUNK):
        stop = min(start + WRITE_CHUNK, n)
        if stop - start < WRITE_CHUNK:
            buffer = pattern * (stop - start)
        for j, values in columns_at:
            buffer[j::stride] = values[start:stop]
        yield start, b"".join(buffer)
