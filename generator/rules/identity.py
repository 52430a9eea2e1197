"""Ids are unique, match their file names, and a file in a unit's folder speaks only for that unit."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.records import BY_NAME
from generator.rules import same_object

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
    for _, part in PARTS:
        yield from part(corpus)


def check_files(corpus) -> Iterator[Finding]:
    """What each record states against its own file's path (folder unit, id, year), record by record
    in the corpus' order. serve's preview keeps these per file (PER_RECORD, site/rule_cache.py):
    after a results edit, only that file is checked again."""
    for kind_name, records in corpus.records.items():
        for r in records:
            yield from _ownership(kind_name, r)
            yield from _file_id(kind_name, r)
            yield from _year_file(kind_name, r)


def check_unique(corpus) -> Iterator[Finding]:
    """Ids, badges, unit names and plan entries are unique (reads no results: kept after a results
    edit)."""
    yield from _unique(corpus)
    yield from _badges_unique(corpus)
    yield from _unit_names_unique(corpus)
    yield from _plan_entries_unique(corpus)


check_files.PER_RECORD = True  # type: ignore[attr-defined]


def _ownership(kind_name: str, r) -> Iterator[Finding]:
    if kind_name in UNIT_FIELDS:
        field_name = UNIT_FIELDS[kind_name]
        folder = r.owner.get("unit", "joint" if kind_name == "plans" else None)
        value = r.data.get(field_name)
        if folder is None or value is None or value == folder:
            return
        line, col = r.loc(field_name)
        label = BY_NAME[kind_name].field_named(field_name).label
        yield finding(
            "UNIT_FOLDER_MISMATCH", r.file, line, col, field_name, value, folder=folder, label=label
        )
    elif kind_name == "items":
        value, folder = r.header.get("unit"), r.owner.get("unit")
        if value and value != folder and r.prefix[-1] == 0:
            line, col = r.source.loc(("unit",))
            yield finding(
                "UNIT_FOLDER_MISMATCH", r.file, line, col, "unit", value, folder=folder, label="单位代号"
            )


def _file_id(kind_name: str, r) -> Iterator[Finding]:
    if kind_name in FILE_ID_FIELDS:
        field_name = FILE_ID_FIELDS[kind_name]
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


# Separators a clerk types inside a certificate number: white space, any dash (Pd: -, ‐, –, —, －
# after NFKC), the underscore and the middle dots (·, ・, ‧).
_BADGE_SEPARATORS = {"_", "\u00b7", "\u30fb", "\u2027", "\u2219", "\u22c5"}


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


def _year_file(kind_name: str, r) -> Iterator[Finding]:
    if kind_name in ("plans", "holidays"):
        expected, value = r.owner.get("year"), r.data.get("year")
        if expected and value is not None and str(value) != expected:
            line, col = r.loc("year")
            yield finding("ID_FILE_MISMATCH", r.file, line, col, "year", value, expected=expected)


# the directories' checks are a module of their own (rules/same_object.py), run as this rule's third part
PARTS = (
    ("identity", check_files),
    ("identity.unique", check_unique),
    ("identity.objects", same_object.check),
)
