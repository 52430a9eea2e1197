"""The auditor's bundle of a sealed draw (§10): what 纪检 needs to check minimality and counts.

A sealed public bundle hides stratum labels, sizes and counts, so a citizen cannot check that
each stratum's drawn objects are exactly its ``count`` smallest tickets. The audit bundle — an
internal file, never published — adds per stratum its name, eligible refs, exclusions and the
internal result's strata. ``verify_audit_bundle`` checks, from it alone, that (1) the public
bundle verifies, (2) the strata partition exactly the committed public list, and (3) re-drawing
per stratum gives the audited strata, whose merge is the published result.
"""

from __future__ import annotations

from .bundle import _recusals, build_public_bundle, verify_bundle
from .canonical import normalise
from .engine import Mismatch, diff, draw_id_of
from .errors import DrawError
from .model import parse_request
from .objects import SEALED, draw_strata, merge_strata

AUDIT_FORMAT = "sdr-draw-audit/1"


def build_audit_bundle(request, pools, entropy, result, acceptance=None, registry=None) -> dict:
    """The public bundle plus ``audit`` = {"strata_view": per-stratum view, "strata": internal strata}."""
    public = build_public_bundle(request, pools, entropy, result, acceptance, registry)
    prepared, _ = _recusals(request, pools)
    return {
        "format": AUDIT_FORMAT,
        "public": public,
        "audit": {"strata_view": prepared.objects.strata_view, "strata": normalise(result)["strata"]},
    }


def verify_audit_bundle(audit_bundle: dict, verify_beacon: bool = True) -> list[Mismatch]:
    """The auditor's check of a sealed draw from its audit bundle (module docstring)."""
    public = audit_bundle.get("public") if isinstance(audit_bundle, dict) else None
    problems = verify_bundle(public, verify_beacon)
    if not isinstance(public, dict) or any(m.field in ("format", "request") for m in problems):
        return problems
    draw_id = draw_id_of(public["request"])
    try:
        req = parse_request(public["request"])
        view, strata = audit_bundle["audit"]["strata_view"], audit_bundle["audit"]["strata"]
        shown = public["public_pools"]["objects"]["strata"][0] if req.objects.sealed else None
        merged_refs = sorted(r for s in view["strata"] for r in s["refs"])
        out = list(problems)
        if shown is not None and (shown["name"] != SEALED or merged_refs != shown["refs"]):
            out.append(Mismatch(draw_id, "audit.strata_view", "与公开承诺名录一致的分层", "不一致"))
        names = [s["name"] for s in view["strata"]]
        if names != [s.name for s in req.objects.strata]:
            out.append(
                Mismatch(draw_id, "audit.strata_view.names", [s.name for s in req.objects.strata], names)
            )
        expected = draw_strata(req.objects, view, public["result"]["seed"])
        out += diff(expected, normalise(strata), "audit.strata", draw_id)
        if req.objects.sealed:
            out += diff(merge_strata(expected), public["result"]["strata"], "result.strata", draw_id)
        return out
    except DrawError as error:
        return [Mismatch(draw_id, "audit", "可核验的审计数据包", f"{error.code}：{error.message}")]
    except (KeyError, TypeError, AttributeError, IndexError):
        return [Mismatch(draw_id, "audit", "完整的审计数据包", "结构不符")]
