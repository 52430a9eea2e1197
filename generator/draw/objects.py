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
from collections import Counter
from fractions import Fraction  # noqa: F401  (used by the doctests)
from functools import lru_cache
from itertools import compress, repeat

from .model import ObjectRule, Stratum
from .tickets import sha256_hex, ticket


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


def exclusion_reasons(rule: ObjectRule, n: int, columns: dict) -> dict[int, str]:
    """Row index -> reason code of every excluded row of a pool of ``n`` rows given as columns.

    The same answer as ``exclusion_reason`` row by row, computed in C loops (``compress`` over
    a column) for 10^6 rows: rules are applied from the last to the first so that the first
    applicable one overwrites the others. ``columns`` (``object_rows.read_columns``): per field
    a list with one value per row, or None when every row has the default value (false, 0, null).
    """
    last_by_unit, key_item = columns["last_inspected_by_unit"], columns["key_item"]
    inspections, recognised = columns["inspections_this_year"], columns["recognised_result"]
    deregistered = columns["deregistered"]
    out: dict[int, str] = {}
    if rule.recent_months and last_by_unit is not None:
        cutoff = _cutoff(rule.reference_date, rule.recent_months)
        late = [i for i in compress(range(n), last_by_unit) if last_by_unit[i] > cutoff]
        if key_item is not None:
            late = [i for i in late if not key_item[i]]
        out.update(zip(late, repeat("RECENTLY_INSPECTED")))
    if rule.annual_cap is not None and inspections is not None:
        capped = compress(range(n), map(rule.annual_cap.__le__, inspections))
        out.update(zip(capped, repeat("ANNUAL_CAP_REACHED")))
    if recognised is not None:
        out.update(zip(compress(range(n), recognised), repeat("RESULT_RECOGNISED")))
    if deregistered is not None:
        out.update(zip(compress(range(n), deregistered), repeat("DEREGISTERED")))
    return out


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
    """Per stratum: eligible size, rule, count, drawn and reserve (ref + ticket, in ticket order).

    Each entry of ``view["strata"]`` is a public view's (sorted ``refs`` and ``excluded``) or,
    from ``pools.ObjectPool.draw_view``, one whose ``head`` (the first count + reserve (ticket,
    ref) pairs in ticket order) and ``eligible`` size were computed with the refs, for the hash
    of this seed.
    """
    seed_hash = sha256_hex(seed)
    result = {}
    for stratum, entry in zip(rule.strata, view["strata"], strict=False):
        if "head" in entry:
            if entry["seed_hash"] != seed_hash:
                raise AssertionError("ticket heads computed for another seed")
            eligible = entry["eligible"]
            count = stratum_count(stratum, eligible)
            head = entry["head"][: count + rule.reserve_count]
        else:
            eligible = len(entry["refs"])
            count = stratum_count(stratum, eligible)
            head = smallest_tickets(seed_hash, entry["refs"], count + rule.reserve_count)
        result[stratum.name] = {
            "eligible": eligible,
            "excluded": [dict(e) for e in entry["excluded"]],
            "rule": stratum.rule_text,
            "count": count,
            "drawn": [{"ref": r, "ticket": t} for t, r in head[:count]],
            "reserve": [{"ref": r, "ticket": t} for t, r in head[count:]],
        }
    return result


# The 10^4 values of n mod 10^4 in the order of the first four ticket digits they give (the
# four-digit decimal of n mod 10^4, read backwards).
PREFIX_ORDER = sorted(range(10_000), key=lambda x: f"{x:04d}"[::-1])


def ticket_residues(seed_hash: str, refs) -> list[int]:
    """n mod 10^4 of the ticket number of each ref (see ``smallest_tickets``), in C loops."""
    digests = map(HASH_DIGEST, map(hashlib.sha256, map(str.encode, map(seed_hash.__add__, refs))))
    return list(map(int.__mod__, map(int.from_bytes, digests, repeat("big")), repeat(10_000)))


def smallest_tickets(seed_hash: str, refs: list[str], m: int) -> list[tuple[str, str]]:
    """The first ``m`` (ticket, ref) pairs in ticket order, without writing 10^6 full tickets.

    A ticket is "0." + the reversed decimal digits of a 256-bit number n (≥ 64 digits, so ≥ 4),
    so its first four digits are those of n mod 10^4 read backwards; tickets with different
    first four digits are ordered by them. Let P be the m-th smallest four-digit prefix (with
    multiplicity): every ref with a larger prefix has at least m refs with strictly smaller
    tickets before it, so the first m are among the refs with prefix ≤ P (about m + N/10^4),
    and only those get their full ticket. Same result as sorting every ticket, whatever the order
    of ``refs``.
    """
    if m <= 0:
        return []
    if m * 8 >= len(refs):
        return sorted((ticket(seed_hash, r), r) for r in refs)[:m]
    residues = ticket_residues(seed_hash, refs)
    histogram, allowed, seen = Counter(residues), set(), 0
    for residue in PREFIX_ORDER:  # smallest prefixes first, until m refs are covered
        if residue in histogram:
            allowed.add(residue)
            seen += histogram[residue]
            if seen >= m:
                break
    candidates = compress(refs, map(allowed.__contains__, residues))
    return sorted((ticket(seed_hash, r), r) for r in candidates)[:m]


HASH_DIGEST = type(hashlib.sha256()).digest


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


SEALED = "sealed"  # the one public stratum of a sealed draw (§10)


def merge_strata(strata_result: dict) -> dict:
    """The public form of a sealed draw's strata (§10): one entry, no rule or count — every
    eligible size summed, exclusions by (ref, reason), drawn and reserve refs by (ticket, ref)."""
    parts = list(strata_result.values())

    def by_ticket(key: str) -> list[dict]:
        return sorted((e for s in parts for e in s[key]), key=lambda e: (e["ticket"], e["ref"]))

    return {
        SEALED: {
            "eligible": sum(s["eligible"] for s in parts),
            "excluded": sorted(
                (e for s in parts for e in s["excluded"]), key=lambda e: (e["ref"], e["reason"])
            ),
            "drawn": by_ticket("drawn"),
            "reserve": by_ticket("reserve"),
        }
    }


def sealed_strata(view: dict, seed: str, published: dict) -> dict:
    """The citizen's check of a sealed draw (§10): what the published drawn and reserve refs
    must be — each in the committed pool, with its ticket for this seed, sorted, none twice.
    (Minimality within a stratum is the auditor's check.)"""
    seed_hash = sha256_hex(seed)
    entry = view["strata"][0]
    pool = set(entry["refs"])
    shown = published.get(SEALED) if isinstance(published, dict) else None
    shown = shown if isinstance(shown, dict) else {}
    seen: set[str] = set()

    def recomputed(key: str) -> list[dict]:
        entries = shown.get(key) if isinstance(shown.get(key), list) else []
        refs = {e.get("ref") for e in entries if isinstance(e, dict)}
        kept = sorted(
            (ticket(seed_hash, r), r) for r in refs if isinstance(r, str) and r in pool and r not in seen
        )
        seen.update(r for _, r in kept)
        return [{"ref": r, "ticket": t} for t, r in kept]

    drawn = recomputed("drawn")
    return {
        SEALED: {
            "eligible": len(entry["refs"]),
            "excluded": [dict(e) for e in entry["excluded"]],
            "drawn": drawn,
            "reserve": recomputed("reserve"),
        }
    }
