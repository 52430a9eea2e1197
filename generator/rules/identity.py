"""Ids are unique, match their file names, and a file in a unit's folder speaks only for that unit."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.records import BY_NAME

# kind -> (field that must equal the folder's unit, label); the owner comes from the file path.
UNIT_FIELDS = {
    "unit": "id",
    "inspectors": "unit",
    "assistants": "unit",
    "plans": "unit",
    "tasks": "initiator",
    "results": "unit",
    "referrals": "unit",
}
# kind -> field that must equal the id group of the path (file or folder name).
FILE_ID_FIELDS = {
    "tasks": "id",
    "results": "task",
    "referrals": "task",
    "draw_request": "id",
    "draw_entropy": "id",
    "draw_accepted": "id",
    "draw_result": "id",
}
# kind -> scope of uniqueness: "county" (whole tree) or "file"
UNIQUE = {
    "unit": ("id", "county"),
    "objects": ("id", "file"),
    "inspectors": ("id", "county"),
    "assistants": ("id", "county"),
    "plans": ("id", "county"),
    "tasks": ("id", "county"),
    "draw_request": ("id", "county"),
    "holidays": ("year", "county"),
}


def check(corpus) -> Iterator[Finding]:
    yield from _ownership(corpus)
    yield from _file_ids(corpus)
    yield from _unique(corpus)
    yield from _badges_unique(corpus)
    yield from _unit_names_unique(corpus)
    yield from _object_rows_agree(corpus)
    yield from _one_object_one_id(corpus)
    yield from _plan_entries_unique(corpus)
    yield from _year_files(corpus)


def _ownership(corpus) -> Iterator[Finding]:
    for kind_name, field_name in UNIT_FIELDS.items():
        kind = BY_NAME[kind_name]
        for r in corpus.of(kind_name):
            folder = r.owner.get("unit", "joint" if kind_name == "plans" else None)
            value = r.data.get(field_name)
            if folder is None or value is None or value == folder:
                continue
            line, col = r.loc(field_name)
            label = kind.field_named(field_name).label
            yield finding(
                "UNIT_FOLDER_MISMATCH", r.file, line, col, field_name, value, folder=folder, label=label
            )
    for r in corpus.of("items"):
        value, folder = r.header.get("unit"), r.owner.get("unit")
        if value and value != folder and r.prefix[-1] == 0:
            line, col = r.source.loc(("unit",))
            yield finding(
                "UNIT_FOLDER_MISMATCH", r.file, line, col, "unit", value, folder=folder, label="单位代号"
            )


def _file_ids(corpus) -> Iterator[Finding]:
    for kind_name, field_name in FILE_ID_FIELDS.items():
        for r in corpus.of(kind_name):
            expected, value = r.owner.get("id"), r.data.get(field_name)
            if expected and value and value != expected:
                line, col = r.loc(field_name)
                yield finding("ID_FILE_MISMATCH", r.file, line, col, field_name, value, expected=expected)


def _unique(corpus) -> Iterator[Finding]:
    for kind_name, (field_name, scope) in UNIQUE.items():
        label = BY_NAME[kind_name].label
        seen: dict[tuple, object] = {}
        for r in corpus.of(kind_name):
            value = r.data.get(field_name)
            if value is None:
                continue
            key = (r.file, value) if scope == "file" else (value,)
            if key in seen:
                first = seen[key]
                line, col = r.loc(field_name)
                yield finding(
                    "ID_DUPLICATE",
                    r.file,
                    line,
                    col,
                    field_name,
                    value,
                    other=f"{first.file}:{first.line}",
                    kind_label=label,
                )
            else:
                seen[key] = r


def _badges_unique(corpus) -> Iterator[Finding]:
    """One 执法证 is one person: registered under two ids (e.g. in two departments' rosters) one
    officer would count as two, and once for each department in a joint team (每部门两人以上)."""
    seen: dict[str, object] = {}
    for r in corpus.of("inspectors"):
        badge = r.data.get("badge_no")
        key = badge_key(badge) if isinstance(badge, str) else ""
        if not key:
            continue
        first = seen.setdefault(key, r)
        if first is not r:
            line, col = r.loc("badge_no")
            yield finding(
                "INSPECTOR_BADGE_DUPLICATE",
                r.file,
                line,
                col,
                "badge_no",
                badge,
                other=f"{first.file}:{first.line}",
                person=first.data.get("id"),
                first=first.data.get("badge_no"),
            )


UNIT_NAME_FIELDS = ("name", "legal_name", "short_name")


def unit_name_key(name: str) -> str:
    """A unit's name as a reader tells it apart: NFKC, without white space."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _unit_names_unique(corpus) -> Iterator[Finding]:
    """A unit's name, legal name and short name are its alone (red team 7). A unit that takes
    another's (``legal_name: 泗阳县市场监督管理局`` in agriculture's unit.yaml) publishes its results
    under that unit's name: the 公示 export's 检查实施机关, the task and result pages, and the 统计
    charts, whose series are keyed by short name, where the two units' figures fell into one column.
    Reported at every unit holding the name, so neither file's name is published as it stands
    (``ci site`` stands a unit.yaml with errors in by its code) whichever unit came first."""
    holders: dict[str, list[tuple]] = {}
    for r in corpus.of("unit"):
        for field_name in UNIT_NAME_FIELDS:
            value = r.data.get(field_name)
            key = unit_name_key(value) if isinstance(value, str) else ""
            if key:
                holders.setdefault(key, []).append((r, field_name, value))
    for held in holders.values():
        units = {r.data.get("id") for r, _, _ in held}
        if len(units) < 2:
            continue
        for r, field_name, value in held:
            others = [
                f"{o.data.get('id')}（{o.file}:{o.loc(f)[0]}）"
                for o, f, _ in held
                if o.data.get("id") != r.data.get("id")
            ]
            line, col = r.loc(field_name)
            yield finding(
                "UNIT_NAME_DUPLICATE",
                r.file,
                line,
                col,
                field_name,
                value,
                other="、".join(dict.fromkeys(others)),
            )


# An object's facts that are one fact whatever directory lists it (its 专项库 tags are the
# department's own): the draw reads the row of the first source unit that passes the task's
# filters, the pages and figures the first row in (unit, file, line) order.
OBJECT_FACTS = ("id_kind", "name", "kind", "township", "address", "status", "credit_risk", "dishonest")


def _object_rows_agree(corpus) -> Iterator[Finding]:
    """One object listed in several units' directories has the same facts in each (red team 7).
    A clerk's 王集镇 for 众兴街道 (or 注销 for 存续) in one directory passed: the 统计 page counted
    the object in the township of whichever unit sorts first, and a township- or status-filtered
    draw took the row of whichever source unit matched, so the same firm was drawn as in one
    township and shown in another. Reported at every row of the object, since which one is wrong
    is for the units to settle; an internal value (信用风险分类) is not printed."""
    kind = BY_NAME["objects"]
    labels = {f.name: f.label for f in kind.fields}
    internal = {f.name for f in kind.fields if f.internal}
    for object_id, rows in corpus.objects_by_id.items():
        if len(rows) < 2 or len({r.owner.get("unit") for r in rows}) < 2:
            continue
        for name in OBJECT_FACTS:
            # a value a directory leaves empty (an optional column it does not keep) is not stated
            stated = [r for r in rows if _fact(r.data.get(name))]
            if len({_fact(r.data.get(name)) for r in stated}) < 2:
                continue
            for r in stated:
                others = [
                    f"{o.owner.get('unit')}（{o.file}:{o.line}）"
                    + ("" if name in internal else f"“{_fact(o.data.get(name))}”")
                    for o in stated
                    if _fact(o.data.get(name)) != _fact(r.data.get(name))
                ]
                shown = "（内部字段，不显示）" if name in internal else _fact(r.data.get(name))
                line, col = r.loc(name)
                yield finding(
                    "OBJECT_ROWS_DISAGREE",
                    r.file,
                    line,
                    col,
                    name,
                    shown,
                    object=object_id,
                    label=labels.get(name, name),
                    other="、".join(others),
                )


def _fact(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


# Separators a clerk types inside a certificate number: white space, any dash (Pd: -, ‐, –, —, －
# after NFKC), the underscore and the middle dots (·, ・, ‧).
_BADGE_SEPARATORS = {"_", "\u00b7", "\u30fb", "\u2027", "\u2219", "\u22c5"}


# Products and projects are often named after their maker and share its address: not one object twice.
NAMED_AFTER_MAKER = ("产品编号", "项目编号")


def _one_object_one_id(corpus) -> Iterator[Finding]:
    """A draw gives each id one ticket: one firm registered again under another id (other case, another
    id kind, a made-up code) had two tickets, or ten, and could be drawn twice in one task (red team 7).

    One firm is one name at one address (NFKC, white space and case ignored), also up to a
    parenthesised suffix of either (``（仓库）``, ``（门店）``). Within one unit's directory a firm under two
    ids is OBJECT_SAME_AS_ANOTHER, an error at the ids that are not the firm's own (its own file only).
    Across units it is OBJECT_SAME_FIRM_OTHER_ID, a warning at each (two reviews of red team 7: which
    unit is right cannot be told from the records — a copy under a valid-looking code ties, two units
    outvote one — and an error withheld the innocent unit's directory and results while the copy stayed
    drawable; across units a copy adds at most one ticket in a joint pool). The same firm in several
    units under its one id is the normal case (a joint pool keeps one row)."""
    rows_of: dict[str, list] = {}
    units_of: dict[str, set[str]] = {}
    firms: dict[tuple, set[str]] = {}  # a firm's key (per unit, and county-wide) -> its ids
    for r in corpus.of("objects"):
        d = r.data
        name, address, object_id = d.get("name"), d.get("address"), d.get("id")
        if d.get("id_kind") in NAMED_AFTER_MAKER or not all(
            isinstance(v, str) and v.strip() for v in (name, address, object_id)
        ):
            continue
        unit = _unit_folder(r)
        rows_of.setdefault(object_id, []).append(r)
        units_of.setdefault(object_id, set()).add(unit)
        for key in {(_plain(name), _plain(address)), (_stem(name), _stem(address))}:
            firms.setdefault((unit, *key), set()).add(object_id)
            firms.setdefault(("", *key), set()).add(object_id)
    reported: set[tuple[str, str]] = set()  # (id, unit) already given a finding
    for key in sorted(firms, key=lambda k: (k[0] == "",) + k):  # each unit's keys before the county's
        ids, unit = sorted(firms[key]), key[0]
        if len(ids) < 2:
            continue
        own = _own_id(ids, rows_of, units_of) if unit else None
        for object_id in ids:
            if object_id == own:
                continue
            for r in rows_of[object_id]:
                here = _unit_folder(r)
                if (unit and here != unit) or (object_id, here) in reported:
                    continue
                # the firm's other ids: in this unit (an error) or in another unit's directory (a warning)
                others = [j for j in ids if j != object_id and (unit or units_of[j] - {here})]
                if not others:
                    continue
                first = own or others[0]
                shown = next(
                    (o for o in rows_of[first] if unit or _unit_folder(o) != here), rows_of[first][0]
                )
                reported.add((object_id, here))
                line, col = r.loc("id")
                yield finding(
                    "OBJECT_SAME_AS_ANOTHER" if unit else "OBJECT_SAME_FIRM_OTHER_ID",
                    r.file,
                    line,
                    col,
                    "id",
                    object_id,
                    name=r.data.get("name"),
                    first=first,
                    other=f"{shown.file}:{shown.line}",
                )


def _unit_folder(record) -> str:
    return (record.owner or {}).get("unit") or record.file


# a name's parenthesised suffix (``某某公司（仓库）``, ``（门店）``): the same firm's other premises
_SUFFIX = re.compile(r"[（(][^（）()]*[）)]$")


def _own_id(ids: list[str], rows_of: dict[str, list], units_of: dict[str, set[str]]) -> str | None:
    """The id that is the firm's own among ids registered for one firm: the only valid 统一社会信用代码
    among them, else the one most units list; None when nothing tells them apart (every row is then
    reported)."""
    from generator.rules.uscc import USCC_KIND, check_uscc

    codes = [
        i
        for i in ids
        if any(r.data.get("id_kind") == USCC_KIND for r in rows_of[i]) and check_uscc(i)[1] is None
    ]
    if len(codes) == 1:
        return codes[0]
    units = {i: len(units_of[i]) for i in (codes or ids)}
    most = max(units.values())
    top = [i for i, n in units.items() if n == most]
    return top[0] if len(top) == 1 else None


def _stem(text: str) -> str:
    """``_plain`` without a parenthesised suffix: ``某某公司（仓库）``, ``示例路5号（门店）``."""
    return _SUFFIX.sub("", _plain(text))


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def badge_key(badge: str) -> str:
    """The certificate number as one person's key: the same 执法证 typed in full width, lower case or
    with spaces and dashes (``ＳＣＪＧ2021010003``, ``scjg-2021 010003``) is still the same person.

    >>> badge_key("ＳＣＪＧ2021010003") == badge_key("scjg 2021-010003") == badge_key("SCJG·2021_010003")
    True
    """
    folded = unicodedata.normalize("NFKC", badge).upper()
    return "".join(
        c
        for c in folded
        if not (c.isspace() or c in _BADGE_SEPARATORS or unicodedata.category(c) in ("Pd", "Cf", "Zs"))
    )


def _plan_entries_unique(corpus) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for plan in corpus.of("plans"):
        for i, entry in enumerate(plan.data.get("entries", [])):
            eid = entry.get("id")
            if eid is None:
                continue
            line, col = plan.loc("entries", i, "id")
            if eid in seen:
                yield finding(
                    "ID_DUPLICATE",
                    plan.file,
                    line,
                    col,
                    ("entries", i, "id"),
                    eid,
                    other=seen[eid],
                    kind_label="年度计划条目",
                )
            else:
                seen[eid] = f"{plan.file}:{line}"


def _year_files(corpus) -> Iterator[Finding]:
    for kind_name in ("plans", "holidays"):
        for r in corpus.of(kind_name):
            expected, value = r.owner.get("year"), r.data.get("year")
            if expected and value is not None and str(value) != expected:
                line, col = r.loc("year")
                yield finding("ID_FILE_MISMATCH", r.file, line, col, "year", value, expected=expected)
