"""Risk-differentiated sampling (方案 二（四）“依据不同风险等级、信用评价结果或失信状况采取差异化分类监管”).

* Ratios per credit-risk class never fall as risk rises (the county names the order, low to high).
* A 一般 item's cap bounds the task's *total* share of its pool, not each class: a task may raise C/D
  above the cap as long as the whole draw stays within it. Fixed ``counts`` are converted to a share
  of the pool and checked the same way.
* Credit-risk classes exist only for the subjects the classification covers (企业、个体工商户、农民专业
  合作社 by default); other kinds carry none and a task over them cannot stratify by class.
* 严重失信 objects sit in the highest-risk class when the county's policy says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from fractions import Fraction

from generator.errors import Finding, finding
from generator.rules.items import tightest_cap
from generator.rules.settings import settings
from generator.schema.fields import format_ratio

GONE = ("注销", "吊销", "迁出")
# A tag that names a credit-risk class (D类, D级企业, 高风险, 信用风险较高…): tags are public (object
# pages, search filters, open data), so such a tag publishes the class. Other risk gradings (高风险食品,
# 风险分级 A 级 for food producers) name a subject, not a firm's credit class, and do not match.
_CLASS_TAG = re.compile(
    r"(?:信用)?(?:风险)?[A-D](?:类|级)(?:风险)?(?:企业|主体|对象|市场主体)?"
    r"|(?:低|一般|较高|高|中)风险(?:企业|主体|对象|市场主体)?"
    r"|.*信用风险.*"
)


def check(corpus) -> Iterator[Finding]:
    risk = settings(corpus)["risk"]
    order = list(risk["order"])
    yield from _objects(corpus, risk)
    for task in corpus.of("tasks"):
        sampling = task.data.get("sampling", {})
        if sampling.get("stratify", "credit_risk") == "credit_risk":
            yield from _monotonic(task, ("sampling", "ratios"), sampling.get("ratios", {}), order)
            yield from _reveals_class(task, sampling, order)
            yield from _stratum_applies(corpus, task, risk)
        yield from _task_share(corpus, task)
    for plan in corpus.of("plans"):
        for i, entry in enumerate(plan.data.get("entries", [])):
            yield from _monotonic(plan, ("entries", i, "risk_ratios"), entry.get("risk_ratios", {}), order)


def _objects(corpus, risk) -> Iterator[Finding]:
    covered, highest = set(risk["classified_kinds"]), risk["order"][-1]
    for r in corpus.of("objects"):
        d = r.data
        kind, cls = d.get("kind"), d.get("credit_risk")
        if kind is None:
            continue
        if cls and kind not in covered:
            line, col = r.loc("credit_risk")
            yield finding(
                "OBJECT_CREDIT_CLASS_NOT_APPLICABLE",
                r.file,
                line,
                col,
                "credit_risk",
                cls,
                kind=kind,
                expected="、".join(risk["classified_kinds"]),
            )
        elif not cls and kind in covered and d.get("status") not in GONE:
            line, col = r.loc("kind")
            yield finding(
                "OBJECT_CREDIT_CLASS_MISSING", r.file, line, col, "credit_risk", d.get("id"), kind=kind
            )
        for tag in d.get("tags", []) if isinstance(d.get("tags"), list) else ():
            if isinstance(tag, str) and _CLASS_TAG.fullmatch(
                unicodedata.normalize("NFKC", tag).replace(" ", "")
            ):
                line, col = r.loc("tags")
                yield finding("OBJECT_TAG_NAMES_CREDIT_CLASS", r.file, line, col, "tags", tag)
        if risk["dishonest"] == "highest" and d.get("dishonest") and cls and cls != highest:
            line, col = r.loc("credit_risk")
            yield finding("OBJECT_DISHONEST_CLASS", r.file, line, col, "credit_risk", cls, expected=highest)


def _monotonic(record, path, ratios: dict, order: list[str]) -> Iterator[Finding]:
    present = [k for k in order if k in ratios]
    for low, high in zip(present, present[1:], strict=False):
        if ratios[high] < ratios[low]:
            line, col = record.loc(*path)
            yield finding(
                "RATIO_NOT_MONOTONIC",
                record.file,
                line,
                col,
                path,
                f"{high} {format_ratio(ratios[high])}",
                low=f"{low} {format_ratio(ratios[low])}",
                order="→".join(order),
            )
            return


def _reveals_class(task, sampling: dict, order: list[str]) -> Iterator[Finding]:
    """A class-stratified task that draws from some classes only publishes their class.

    The task page prints each class's ratio or count, and the drawn objects are public: with
    ``{A: 0%, B: 0%, C: 0%, D: 100%}`` (or ``counts: {C: 1, D: 1}``) every drawn firm is known to be
    D (or C/D), whatever the draw's sealed strata hide. Every class the county orders must get a
    share above zero; a task aimed at high-risk firms only must not be published as such.
    """
    rules = sampling.get("ratios") or sampling.get("counts") or {}
    if not isinstance(rules, dict):
        return
    drawn = [k for k in order if _positive(rules.get(k))]
    if drawn and len(drawn) < len(order):
        path = ("sampling", "ratios" if sampling.get("ratios") else "counts")
        line, col = task.loc(*path)
        left = "、".join(k for k in order if k not in drawn)
        yield finding("TASK_STRATA_REVEAL_CLASS", task.file, line, col, path, "、".join(drawn), left=left)


def _positive(value: object) -> bool:
    try:
        return value is not None and not isinstance(value, bool) and value > 0
    except TypeError:
        return False


def pool_strata(corpus, task: dict) -> dict[str, list[dict]]:
    """Candidate objects per stratum key, as the draw filters them (before history exclusions).
    Shared between tasks with the same filters (most tasks of a unit use few): read, never change it."""
    filters = task.get("objects", {})
    stratify = task.get("sampling", {}).get("stratify", "credit_risk")
    sources = filters.get("source_units") or [task.get("initiator")]
    # repr: a malformed file's filter may be any YAML value, hashable or not
    key = repr((stratify, sources, *(filters.get(k, []) for k in ("kinds", "townships", "tags"))))
    memo = corpus.__dict__.setdefault("_pool_strata", {})
    if key not in memo:
        memo[key] = _pool_strata(corpus, stratify, sources, filters)
    return memo[key]


def _pool_strata(corpus, stratify, sources, filters) -> dict[str, list[dict]]:
    kinds, towns, tags = (set(filters.get(k, [])) for k in ("kinds", "townships", "tags"))
    seen: dict[str, tuple[str | None, dict]] = {}
    for r in _source_rows(corpus, sources):
        d = r.data
        if "id" not in d or d["id"] in seen:
            continue
        if d.get("status") in GONE or (kinds and d.get("kind") not in kinds):
            continue
        if (towns and d.get("township") not in towns) or (tags and not tags & set(d.get("tags", []))):
            continue
        key = {"credit_risk": d.get("credit_risk"), "township": d.get("township")}.get(stratify, "all")
        seen[d["id"]] = (key, d)
    out: dict[str, list[dict]] = {}
    for key, d in seen.values():
        out.setdefault(key, []).append(d)
    return out


def _source_rows(corpus, sources) -> list:
    """The directory rows the ``sources`` units hold, in loading order (the first row of an id wins).

    Read through the by-unit index: a scan of the whole directory per task made this rule cost
    tasks x objects (14 CPU-s of a county's validation)."""
    by_unit = corpus.objects_by_unit
    listed = sources if isinstance(sources, list) else []
    units = [u for u in dict.fromkeys(s for s in listed if isinstance(s, str | None)) if u in by_unit]
    if len(units) == 1:
        return by_unit[units[0]]
    order = corpus.object_order
    return sorted((r for u in units for r in by_unit[u]), key=lambda r: order[id(r)])


def _stratum_applies(corpus, task, risk) -> Iterator[Finding]:
    covered = set(risk["classified_kinds"])
    # Unclassified covered subjects are OBJECT_CREDIT_CLASS_MISSING; here only kinds never classified.
    unclassified = [d for d in pool_strata(corpus, task.data).get(None, []) if d.get("kind") not in covered]
    if unclassified:
        kinds = "、".join(sorted({d.get("kind", "") for d in unclassified}))
        line, col = task.loc("sampling")
        yield finding(
            "TASK_STRATUM_NOT_APPLICABLE",
            task.file,
            line,
            col,
            ("sampling", "stratify"),
            kinds,
            count=len(unclassified),
            expected="、".join(risk["classified_kinds"]),
        )


def task_share(corpus, task: dict) -> Fraction | None:
    """Expected share of the whole pool the task draws (ratios weighted by stratum size, counts as is)."""
    sampling = task.get("sampling", {})
    ratios, counts = sampling.get("ratios", {}), sampling.get("counts", {})
    strata = {k: len(v) for k, v in pool_strata(corpus, task).items() if k is not None}
    total = sum(strata.values())
    if total == 0:
        return None
    drawn = Fraction(0)
    for key, n in strata.items():
        ratio_key = key if key in ratios or key in counts else "all"
        if ratio_key in ratios:
            drawn += min(Fraction(n), ratios[ratio_key] * n)
        elif ratio_key in counts:
            drawn += min(n, counts[ratio_key])
    return drawn / total


def _task_share(corpus, task) -> Iterator[Finding]:
    t = task.data
    cap = tightest_cap(corpus, t.get("items", []), t.get("window", {}).get("from"))
    if cap is None:
        return
    share = task_share(corpus, t)
    if share is not None and share > cap[0]:
        line, col = task.loc("sampling")
        yield finding(
            "ITEM_RATIO_CAP_EXCEEDED",
            task.file,
            line,
            col,
            ("sampling",),
            f"约 {float(share) * 100:.1f}%",
            label="本任务总体抽查比例（按候选对象数折算）",
            item=cap[1],
            expected=format_ratio(cap[0]),
        )
