"""Object draw: exclusions, per-stratum counts, ticket order, reserve list, batches, commitments.

Algorithm (sdr-draw/1):

1. **Exclusions** are decided from facts fixed in the request, before any randomness, and
   reported with a reason code. The first rule that applies wins, in this order:
   ``DEREGISTERED`` (注销/吊销), ``RESULT_RECOGNISED`` (a recognised result for the item exists,
   结果互认), ``ANNUAL_CAP_REACHED`` (inspections this year by all units ≥ cap, 扰民),
   ``RECENTLY_INSPECTED`` (the same unit inspected it after reference_date − N months; lifted for
   重点 items).
2. **Refs.** In ``open`` mode an object's ref is its id; in ``commit`` mode it is the salted
   commitment ``SHA-256(salt ‖ id)`` so the stratum (credit-risk class) of undrawn objects is
   never published.
3. **Count** per stratum from the eligible size N: ``count k`` → ``min(k, N)``; ``ratio p/q`` →
   ``ceil(N·p/q)`` in integers, at least 1 when N > 0 and p > 0, at most N.
4. **Order**: consistent-sampler tickets of the refs for the seed string; the first n are drawn,
   the next ``reserve_count`` are the published reserve list (备选), in order.
5. **Assignment order / batches**: all drawn refs ordered by tickets for the seed string
   ``seed + "order/"`` (independent of the strata, so high-ratio strata are not pushed to the
   end); position i of n gets batch ``i·k // n + 1``. Teams are staffed in this order too.

>>> stratum_count(Stratum("B", Fraction(1, 30), None), 100)
4
>>> stratum_count(Stratum("A", Fraction(1, 1000), None), 5)
1
>>> months_before("2025-03-31", 1)
'2025-02-28'
"""

from __future__ import annotations

import calendar
import heapq
from fractions import Fraction  # noqa: F401  (used by the doctests)

from .errors import DrawError
from .model import SALT_RE, Candidate, ObjectRule, Stratum
from .seed import object_commitment
from .tickets import sha256_hex, ticket

EXCLUSION_REASONS = {
    "DEREGISTERED": "已注销或吊销",
    "RESULT_RECOGNISED": "同一事项已有可互认的检查结果",
    "ANNUAL_CAP_REACHED": "本年度被检查次数已达上限",
    "RECENTLY_INSPECTED": "本单位在规定月数内已检查过",
}


def months_before(iso_date: str, months: int) -> str:
    """The same day ``months`` calendar months earlier, clamped to the month's last day."""
    year, month, day = (int(part) for part in iso_date.split("-"))
    index = year * 12 + (month - 1) - months
    year, month = divmod(index, 12)
    day = min(day, calendar.monthrange(year, month + 1)[1])
    return f"{year:04d}-{month + 1:02d}-{day:02d}"


def exclusion_reason(candidate: Candidate, rule: ObjectRule) -> str | None:
    """The reason code that excludes ``candidate`` (first applicable rule), or None."""
    if candidate.deregistered:
        return "DEREGISTERED"
    if candidate.recognised_result:
        return "RESULT_RECOGNISED"
    if rule.annual_cap is not None and candidate.inspections_this_year >= rule.annual_cap:
        return "ANNUAL_CAP_REACHED"
    if rule.recent_months and not candidate.key_item and candidate.last_inspected_by_unit:
        if candidate.last_inspected_by_unit > months_before(rule.reference_date, rule.recent_months):
            return "RECENTLY_INSPECTED"
    return None


def ref_of(candidate: Candidate, privacy: str) -> str:
    """The public stand-in of an object: its id (open) or its salted commitment (commit)."""
    return candidate.id if privacy == "open" else object_commitment(candidate.salt, candidate.id)


def public_objects(rule: ObjectRule, candidates: list[Candidate]) -> tuple[dict, dict]:
    """The public object pool and a ref -> candidate index.

    The pool is, per stratum in request order, the eligible refs (sorted) and the excluded refs
    with their reason (sorted by ref).
    """
    by_stratum = {s.name: {"name": s.name, "refs": [], "excluded": []} for s in rule.strata}
    by_ref = {}
    for c in candidates:
        if c.stratum not in by_stratum:
            raise DrawError(
                "DRAW_STRATUM_UNKNOWN",
                f"检查对象 {c.id} 的分层 {c.stratum} 不在抽取请求的分层中",
                {"id": c.id},
            )
        if rule.privacy == "commit" and not SALT_RE.match(c.salt):
            raise DrawError("DRAW_SALT_INVALID", f"检查对象 {c.id} 缺少 64 位十六进制盐值", {"id": c.id})
        ref, reason = ref_of(c, rule.privacy), exclusion_reason(c, rule)
        by_ref[ref] = c
        entry = by_stratum[c.stratum]
        if reason:
            entry["excluded"].append({"ref": ref, "reason": reason})
        else:
            entry["refs"].append(ref)
    for entry in by_stratum.values():
        entry["refs"].sort()
        entry["excluded"].sort(key=lambda e: e["ref"])
    return {"privacy": rule.privacy, "strata": [by_stratum[s.name] for s in rule.strata]}, by_ref


def stratum_count(stratum: Stratum, eligible: int) -> int:
    """Objects to draw from a stratum of ``eligible`` objects (integer arithmetic only)."""
    if stratum.count is not None:
        return min(stratum.count, eligible)
    p, q = stratum.ratio.numerator, stratum.ratio.denominator
    if eligible == 0 or p == 0:
        return 0
    return min(eligible, max(1, -(-eligible * p // q)))


def draw_strata(rule: ObjectRule, view: dict, seed: str) -> dict:
    """Per stratum: eligible size, rule, count, drawn and reserve (ref + ticket, in ticket order)."""
    seed_hash = sha256_hex(seed)
    result = {}
    for stratum, entry in zip(rule.strata, view["strata"], strict=False):
        refs = entry["refs"]
        count = stratum_count(stratum, len(refs))
        # Only the first count + reserve tickets are needed: a bounded heap keeps 10^6 pools fast.
        head = heapq.nsmallest(count + rule.reserve_count, ((ticket(seed_hash, r), r) for r in refs))
        result[stratum.name] = {
            "eligible": len(refs),
            "excluded": [dict(e) for e in entry["excluded"]],
            "rule": stratum.rule_text,
            "count": count,
            "drawn": [{"ref": r, "ticket": t} for t, r in head[:count]],
            "reserve": [{"ref": r, "ticket": t} for t, r in head[count:]],
        }
    return result


def assignment_order(strata_result: dict, seed: str, batches: int) -> list[dict]:
    """Drawn refs of all strata in ``seed + "order/"`` ticket order, each with its batch number."""
    drawn = [(name, d["ref"]) for name, s in strata_result.items() for d in s["drawn"]]
    stratum_of = dict((ref, name) for name, ref in drawn)
    order_hash = sha256_hex(seed + "order/")
    ordered = sorted((ticket(order_hash, ref), ref) for _, ref in drawn)
    n = len(ordered)
    return [
        {"ref": ref, "stratum": stratum_of[ref], "order_ticket": t, "batch": i * batches // n + 1}
        for i, (t, ref) in enumerate(ordered)
    ]
