"""The recovery attack of issue 11 point 7, run on the sample county's draws.

A citizen who knows the plan's per-class ratios (plans are public) tries to learn each drawn
object's credit-risk class from the public bundle: by the stratum's name, by matching the
stratum's rule to the plan ratios, and by matching (eligible size, count) to ``⌈N·ratio⌉``. On the
published v1 bundles it recovers every drawn object's class. On the same draws made as v2 with
the default ``strata_disclosure: sealed`` (opaque labels, one public list) it recovers nothing
better than guessing the most common class.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from generator.draw import build_public_bundle, compute_pool_digests, draw, verify_bundle
from generator.draw.canonical import digest
from generator.draw.model import QUICKNET_CHAIN, Stratum
from generator.draw.objects import stratum_count
from generator.draw.registry_log import accepted_entry, inclusion
from generator.registry.accept import public_request
from generator.registry.run import read
from tests.draw.scenario import ROUND_1000

RECORDS = Path(__file__).resolve().parents[2] / "records"
CLASSES = ("risk-a", "risk-b", "risk-c", "risk-d")


def sample_draws():
    for folder in sorted((RECORDS / "draws").glob("*/*")):
        files = read(RECORDS, folder.name)
        if files.result is not None:
            yield files


def recover(bundle: dict, plan_ratios: dict[str, Fraction]) -> dict[str, str]:
    """The attack: object id -> class it can attribute from public data (absent: no idea)."""
    ids = {o["ref"]: o["id"] for o in bundle["result"]["objects"]}
    out = {}
    for name, stratum in bundle["result"]["strata"].items():
        guess = name if name in plan_ratios else None
        rule = stratum.get("rule", "")
        if guess is None and rule.startswith("ratio "):
            ratio = Fraction(rule.split()[1])
            guess = next((c for c, r in plan_ratios.items() if r == ratio), None)
        if guess is None and "count" in stratum:  # sizes and counts against the plan's ratios
            fits = [
                c
                for c, r in plan_ratios.items()
                if stratum_count(Stratum(c, r, None), stratum["eligible"]) == stratum["count"]
            ]
            guess = fits[0] if len(fits) == 1 else None
        for entry in stratum["drawn"] if guess else ():
            out[ids[entry["ref"]]] = guess
    return out


def true_classes(files) -> dict[str, str]:
    return {o["id"]: o["stratum"] for o in files.pools["objects"]}


def sealed_v2(files):
    """The same draw made with protocol v2, default sealed strata and opaque per-draw labels."""
    request, pools = copy.deepcopy(files.engine_request), copy.deepcopy(files.pools)
    label = {s["name"]: f"S{k}" for k, s in enumerate(request["objects"]["strata"], 1)}
    for s in request["objects"]["strata"]:
        s["name"] = label[s["name"]]
    for row in pools["objects"]:
        row["stratum"] = label[row["stratum"]]
    drand = {"kind": "drand", "name": "quicknet", "round": 1000, **QUICKNET_CHAIN}
    request.update(algorithm="sdr-draw/2", sources=[*request["sources"], drand])
    request["pool_digests"] = compute_pool_digests(request, pools)
    entropy = {
        **files.engine_entropy,
        "drand": {k: ROUND_1000[k] for k in ("round", "signature", "randomness")},
    }
    acceptance = {
        "draw_id": request["draw_id"],
        "request_digest": digest(request),
        "recorded_round": 800,
        "margin": 100,
        "accepted_at": "2023-08-23T15:49:27Z",
    }
    entry = accepted_entry(acceptance, seq=1, task={"id": request["task"]["id"]})
    result = draw(request, pools, entropy, acceptance=acceptance)
    return build_public_bundle(request, pools, entropy, result, acceptance, inclusion([entry], 0))


def log_entry_of(files, sealed: bool) -> str:
    """The registry log's public part of the draw's request, as v2 with sealed or public strata —
    even when the request itself still names its strata after the classes."""
    record = copy.deepcopy(files.request)
    record["algorithm"] = "sdr-draw/2"
    record["parameters"]["objects"]["strata_disclosure"] = "sealed" if sealed else "public"
    return json.dumps(public_request(replace(files, request=record)), ensure_ascii=False, default=str)


def test_the_recovery_attack_succeeds_on_v1_and_fails_on_sealed_v2():
    recovered_v1 = recovered_v2 = correct_v1 = correct_v2 = drawn = best_guess = 0
    by_class = 0  # sample draws stratified by credit-risk class (others stratify by township etc.)
    for files in sample_draws():
        truth = true_classes(files)
        if not set(truth.values()) <= set(CLASSES):
            assert not any(c in log_entry_of(files, sealed=True) for c in CLASSES)
            continue
        by_class += 1
        plan = {
            s["name"]: Fraction(s["ratio"]) for s in files.engine_request["objects"]["strata"] if "ratio" in s
        }
        v1 = build_public_bundle(
            files.engine_request, files.pools, files.engine_entropy, files.result["output"]
        )
        guesses = recover(v1, plan)
        recovered_v1 += len(guesses)
        correct_v1 += sum(truth[i] == c for i, c in guesses.items())
        v2 = sealed_v2(files)
        assert verify_bundle(v2) == []
        public_text = str(v2["public_pools"]["objects"]) + str(v2["result"]) + str(v2["request"])
        assert not any(c in public_text for c in CLASSES)  # no class name anywhere in public
        assert not any(c in json.dumps(v2["registry"], ensure_ascii=False) for c in CLASSES)
        assert not any(c in log_entry_of(files, sealed=True) for c in CLASSES)  # the public log too
        assert any(c in log_entry_of(files, sealed=False) for c in CLASSES)  # (the scan can fail)
        guesses = recover(v2, plan)
        recovered_v2 += len(guesses)
        correct_v2 += sum(truth[i] == c for i, c in guesses.items())
        classes = Counter(truth[o["id"]] for o in v2["result"]["objects"])
        drawn += len(v2["result"]["objects"])
        best_guess += max(classes.values(), default=0)
    assert by_class >= 5 and drawn > 100
    assert recovered_v1 == correct_v1 == drawn  # v1: every drawn object's class leaks
    assert recovered_v2 == correct_v2 == 0  # sealed: the attack attributes nothing
    assert best_guess < drawn  # (and blind guessing the majority class is not a recovery)
