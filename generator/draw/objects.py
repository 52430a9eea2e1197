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
import hashlib
import heapq
from fractions import Fraction  # noqa: F401  (used by the doctests)
from functools import lru_cache

from .model import ObjectRule, Stratum
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


def exclusion_reason(deregistered, recognised, inspections, key_item, last_by_unit, rule: ObjectRule):
    """The reason code that excludes an object with these facts (first applicable rule), or None.

    Called once per candidate (10^6 times for a large pool), hence plain values, not a row object.
    """
    if deregistered:
        return "DEREGISTERED"
    if recognised:
        return "RESULT_RECOGNISED"
    if rule.annual_cap is not None and inspections >= rule.annual_cap:
        return "ANNUAL_CAP_REACHED"
    if rule.recent_months and not key_item and last_by_unit:
        if last_by_unit > _cutoff(rule.reference_date, rule.recent_months):
            return "RECENTLY_INSPECTED"
    return None


@lru_cache(maxsize=64)
def _cutoff(reference_date: str, months: int) -> str:
    return months_before(reference_date, months)


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
        head = smallest_tickets(seed_hash, refs, count + rule.reserve_count)
        result[stratum.name] = {
            "eligible": len(refs),
            "excluded": [dict(e) for e in entry["excluded"]],
            "rule": stratum.rule_text,
            "count": count,
            "drawn": [{"ref": r, "ticket": t} for t, r in head[:count]],
            "reserve": [{"ref": r, "ticket": t} for t, r in head[count:]],
        }
    return result


# _REVERSED[x] = the 4-digit decimal of x read backwards, as a number: the first four ticket digits.
_REVERSED = [int(f"{x:04d}"[::-1]) for x in range(10_000)]


def smallest_tickets(seed_hash: str, refs: list[str], m: int) -> list[tuple[str, str]]:
    """The first ``m`` (ticket, ref) pairs in ticket order, without writing 10^6 full tickets.

    A ticket is "0." + the reversed decimal digits of a 256-bit number n (≥ 64 digits), so its
    first four digits are _REVERSED[n mod 10^4] and order tickets as that number does. Take the
    m-th smallest such prefix P: every ref with prefix > P comes after at least m refs, so only
    refs with prefix ≤ P (about m + N/10^4) need their full ticket. Same result as sorting all.
    """
    if m <= 0:
        return []
    if m * 8 >= len(refs):
        return sorted((ticket(seed_hash, r), r) for r in refs)[:m]
    prefix, sha, from_bytes, reversed_ = seed_hash.encode("utf-8"), hashlib.sha256, int.from_bytes, _REVERSED
    keys = [reversed_[from_bytes(sha(prefix + r.encode("utf-8")).digest(), "big") % 10_000] for r in refs]
    bound = heapq.nsmallest(m, keys)[-1]
    return sorted((ticket(seed_hash, r), r) for r, k in zip(refs, keys, strict=True) if k <= bound)[:m]


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
