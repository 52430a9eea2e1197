"""Item lists: versions do not overlap, 一般 items have a ratio cap, plans respect it.

A cap bounds the total share a plan or task draws, not each credit-risk class (tasks: rules/risk.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from fractions import Fraction

from generator.errors import Finding, finding
from generator.schema.fields import format_ratio


def check(corpus) -> Iterator[Finding]:
    yield from _versions(corpus)
    yield from _one_owner(corpus)
    yield from _caps_present(corpus)
    yield from _plan_caps(corpus)


def version_on(corpus, code: str, day: dt.date | None):
    """The version of item ``code`` in force on ``day`` (the latest version if day is None)."""
    versions = corpus.items_by_code.get(code, [])
    if day is None:
        return versions[-1] if versions else None
    for r in versions:
        start, end = r.data.get("effective_from"), r.data.get("effective_to")
        if start and start <= day and (end is None or day <= end):
            return r
    return None


def _versions(corpus) -> Iterator[Finding]:
    for code, versions in corpus.items_by_code.items():
        for older, newer in zip(versions, versions[1:], strict=False):
            end, start = older.data.get("effective_to"), newer.data.get("effective_from")
            if start and (end is None or end >= start):
                line, col = newer.loc("effective_from")
                yield finding(
                    "ITEM_VERSION_OVERLAP",
                    newer.file,
                    line,
                    col,
                    "effective_from",
                    code,
                    other_line=older.line,
                )


def _one_owner(corpus) -> Iterator[Finding]:
    """An item code is one unit's (谁主管、谁监管): its versions live in that unit's list alone
    (red team 7). A version of market's SCJG-12 added to agriculture's list made agriculture the
    item's owner from that day: market's joint tasks and entered results on it became errors
    (TASK_PARTICIPANT_NO_ITEM, RESULT_ITEM_NOT_OWN with 本单位事项：无) and were taken off the site,
    while nothing named the cause. Reported at every version of the code, in every list holding
    it (whichever came first: an earlier version is as easily written as a later one). A duty
    that moves to another department takes a new code in that department's list."""
    for code, versions in corpus.items_by_code.items():
        units = list(dict.fromkeys(v.owner.get("unit") for v in versions))
        if len(units) < 2:
            continue
        for v in versions:
            unit = v.owner.get("unit")
            others = [
                f"{o.owner.get('unit')}（{o.file}:{o.line}）" for o in versions if o.owner.get("unit") != unit
            ]
            line, col = v.loc("code")
            yield finding(
                "ITEM_CODE_OTHER_UNIT",
                v.file,
                line,
                col,
                "code",
                code,
                unit=unit,
                other="、".join(others),
            )


def _caps_present(corpus) -> Iterator[Finding]:
    for r in corpus.of("items"):
        if (
            r.data.get("category") == "一般"
            and "ratio_cap" not in r.data
            and r.data.get("status") != "已废止"
        ):
            line, col = r.loc("code")
            yield finding("ITEM_RATIO_CAP_MISSING", r.file, line, col, "ratio_cap", r.data.get("code"))


def tightest_cap(corpus, codes, day) -> tuple[Fraction, str] | None:
    best = None
    for code in codes:
        r = version_on(corpus, code, day)
        if r is None or r.data.get("category") != "一般" or "ratio_cap" not in r.data:
            continue
        cap = r.data["ratio_cap"]
        if best is None or cap < best[0]:
            best = (cap, code)
    return best


def over_cap(r, path, label, ratio, cap) -> Finding:
    line, col = r.loc(*path)
    return finding(
        "ITEM_RATIO_CAP_EXCEEDED",
        r.file,
        line,
        col,
        path,
        format_ratio(ratio),
        label=label,
        item=cap[1],
        expected=format_ratio(cap[0]),
    )


def _plan_caps(corpus) -> Iterator[Finding]:
    for plan in corpus.of("plans"):
        for i, entry in enumerate(plan.data.get("entries", [])):
            day = entry.get("window", {}).get("from")
            cap = tightest_cap(corpus, entry.get("items", []), day)
            if cap is None:
                continue
            if "ratio" in entry and entry["ratio"] > cap[0]:
                yield over_cap(plan, ("entries", i, "ratio"), "抽查比例", entry["ratio"], cap)
