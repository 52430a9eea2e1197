"""One object, one set of facts and one id, whichever directories list it (red team 7).

Part of ``identity`` (its third part, ``identity.objects``): it reads the directories alone, so serve's
preview keeps its findings while no directory changed (site/rule_cache.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.records import BY_NAME


def check(corpus) -> Iterator[Finding]:
    yield from _object_rows_agree(corpus)
    yield from _one_object_one_id(corpus)


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
