"""Issue 11 point 7 on the bundled sample: no public artifact ties a drawn object to its credit class.

The sample's draws are sdr-draw/2 with the county's default ``strata_disclosure: sealed`` and
opaque stratum labels (``S1``…). Two tests:

* every public artifact of the sample — the bundles, the site's pages and its open data, as the
  real ``build`` writes them — is scanned for class names and class-derived labels (``risk-a``…,
  a credit_risk field with a class value, ``风险等级 A``), and a stratum label (which the public
  request ties to a ratio, hence to a class) never appears next to an object;
* the recovery attack — match published strata to classes through their names, their rules
  against the public plan ratios, and their sizes and counts against ``⌈N·ratio⌉`` — attributes
  no drawn object of any sample draw to a class. The same draws rebuilt with ``public`` strata
  (the mode meant for non-sensitive attributes) are the control: there the same attack recovers
  every drawn object's class, so the attack is real and it is the sealed mode that defeats it.
"""

from __future__ import annotations

import copy
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from generator.corpus import load
from generator.draw import build_public_bundle, compute_pool_digests, draw, verify_bundle
from generator.draw.canonical import digest
from generator.draw.model import Stratum
from generator.draw.objects import stratum_count
from generator.registry.run import public_bundle, read
from generator.site import privacy
from tests.draw.scenario import accepted_entry, inclusion

RECORDS = Path(__file__).resolve().parents[2] / "records"
CLASSES = ("A", "B", "C", "D")
CLASS_LABELS = ("risk-a", "risk-b", "risk-c", "risk-d")
# A class value attached to a field or a heading (an object's credit class), in any file format.
CLASS_VALUE = re.compile(
    r"credit_risk[\"']?\s*[:=,]\s*[\"']?[A-D]\b|风险等级[：:\s]*[A-D]\b|信用风险[：:\s]*[A-D]\b"
)
LABEL = re.compile(r"(?<![A-Za-z0-9_-])S[1-9][0-9]?(?![0-9A-Za-z_])")
CELL = ('r="', "A1:")  # what precedes a spreadsheet cell reference in the xlsx XML


@pytest.fixture(scope="module")
def sample():
    corpus = load(RECORDS)
    draws = [read(RECORDS, f.name) for f in sorted((RECORDS / "draws").glob("*/*")) if f.is_dir()]
    return corpus, [d for d in draws if d.result is not None]


def _class_stratified(corpus, files) -> bool:
    task = corpus.tasks[files.request["task"]].data
    return task["sampling"].get("stratify", "credit_risk") == "credit_risk"


def test_the_sample_draws_are_v2_sealed_with_opaque_labels(sample):
    corpus, drawn = sample
    assert len(drawn) >= 20
    for files in drawn:
        request = files.request
        assert request["algorithm"] == "sdr-draw/2" and request["sources"][-1]["kind"] == "drand"
        assert request["sources"][-1]["demo"] is True  # the county's demo chain, labelled as such
        assert request["parameters"]["objects"]["strata_disclosure"] == "sealed"
        labels = [s["name"] for s in request["parameters"]["objects"]["strata"]]
        assert all(LABEL.fullmatch(x) for x in labels), labels
        assert {r["stratum"] for r in files.pools["objects"]} <= {f"S{k}" for k in range(1, 30)}


@pytest.mark.heavy  # a real build of the sample site
def test_no_public_artifact_of_the_sample_ties_an_object_to_its_class(sample, tmp_path):
    from generator.site.builder import build_site

    corpus, drawn = sample
    site = build_site(RECORDS, tmp_path / "site")
    texts = dict(privacy._texts(site))
    bundles = {p: t for p, t in texts.items() if p.startswith("draws/") and p.endswith("/bundle.json")}
    assert len(bundles) == len(drawn)
    assert any(p.startswith("data/objects.") for p in texts) and any(p.endswith(".html") for p in texts)
    object_ids = set(corpus.objects_by_id)
    for rel, text in texts.items():
        if rel.startswith("downloads/templates/"):
            # Blank import templates for clerks: their column notes name the classes (a plan's A类比例),
            # but they hold no object, so they cannot tie one to its class.
            assert not any(oid in text for oid in object_ids), rel
            continue
        for word in CLASS_LABELS:
            assert word not in text, (rel, word)
        hit = CLASS_VALUE.search(text)
        assert hit is None, (rel, text[max(0, hit.start() - 80) : hit.end() + 20])
        if not rel.endswith("/bundle.json"):
            # a stratum label appears only in a bundle's request, next to its rule (spreadsheet cell
            # references such as r="S1" or "A1:S67" are not labels; the cells' text is scanned)
            labels = [m for m in LABEL.finditer(text) if text[max(0, m.start() - 3) : m.start()] not in CELL]
            assert labels == [], (rel, [m.group() for m in labels][:5])
    for files in drawn:
        bundle = json.loads(bundles[f"draws/{files.draw_id}/bundle.json"])
        request = bundle.pop("request")
        labels = {s["name"] for s in request["objects"]["strata"]}
        rest = json.dumps(bundle, ensure_ascii=False)
        assert not any(f'"{x}"' in rest for x in labels), files.draw_id  # no label beside a ref
        assert list(bundle["result"]["strata"]) == ["sealed"]
        assert "count" not in bundle["result"]["strata"]["sealed"]
        assert len(bundle["public_pools"]["objects"]["strata"]) == 1
    # the scan can fail: the internal pools do tie objects to labels, and objects to classes
    classes = {oid: rows[0].data.get("credit_risk") for oid, rows in corpus.objects_by_id.items()}
    assert set(classes.values()) >= set(CLASSES)


def recover(bundle: dict, plan: dict[str, Fraction]) -> dict[str, str]:
    """The attack: object id -> the class it can attribute from the public bundle (absent: no idea).

    A published stratum is matched to a class by its name, by its rule (the request's rule of the
    same label) against the plan's ratios, or by its eligible size and count against ⌈N·ratio⌉;
    each drawn object listed under a matched stratum gets that class.
    """
    ids = {o["ref"]: o["id"] for o in bundle["result"]["objects"]}
    rules = {s["name"]: s for s in bundle["request"]["objects"]["strata"]}
    out = {}
    for name, stratum in bundle["result"]["strata"].items():
        guess = next((c for c in plan if name in (c, f"risk-{c.lower()}")), None)
        rule = stratum.get("rule") or (
            f"ratio {rules[name]['ratio']}" if "ratio" in rules.get(name, {}) else ""
        )
        if guess is None and rule.startswith("ratio "):
            fits = [c for c, r in plan.items() if r == Fraction(rule.split()[1])]
            guess = fits[0] if len(fits) == 1 else None
        if guess is None and "count" in stratum and "eligible" in stratum:
            fits = [
                c
                for c, r in plan.items()
                if stratum_count(Stratum(c, r, None), stratum["eligible"]) == stratum["count"]
            ]
            guess = fits[0] if len(fits) == 1 else None
        for entry in stratum.get("drawn", []) if guess else ():
            out[ids[entry["ref"]]] = guess
    return out


def rebuilt_public(files) -> dict:
    """The control: the same draw, request and entropy with ``strata_disclosure: public``."""
    request, pools = copy.deepcopy(files.engine_request), copy.deepcopy(files.pools)
    request["objects"]["strata_disclosure"] = "public"
    request["pool_digests"] = compute_pool_digests(request, pools)
    acceptance = {
        "draw_id": request["draw_id"],
        "request_digest": digest(request),
        "recorded_round": files.accepted["latest_round"],
        "margin": files.accepted["margin_rounds"],
        "accepted_at": files.accepted["accepted_at"],
    }
    entry = accepted_entry(acceptance, seq=1, task={"id": request["task"]["id"]})
    result = draw(request, pools, files.engine_entropy, acceptance=acceptance)
    return build_public_bundle(
        request, pools, files.engine_entropy, result, acceptance, inclusion([entry], 0)
    )


def test_the_recovery_attack_fails_on_the_sealed_sample_and_succeeds_on_public_strata(sample):
    corpus, drawn = sample
    classes = {oid: rows[0].data.get("credit_risk") for oid, rows in corpus.objects_by_id.items()}
    attacked = drawn_objects = sealed_hits = public_hits = public_correct = 0
    for files in drawn:
        if not _class_stratified(corpus, files):
            continue
        ratios = corpus.tasks[files.request["task"]].data["sampling"].get("ratios", {})
        plan = {c: Fraction(r) for c, r in ratios.items() if c in CLASSES}
        if len(set(plan.values())) != len(plan):
            continue  # equal ratios: not even public strata could be told apart by their rules
        attacked += 1
        sealed = public_bundle(files)  # exactly what the site publishes
        assert verify_bundle(sealed) == []
        guesses = recover(sealed, plan)
        sealed_hits += len(guesses)
        drawn_objects += len(sealed["result"]["objects"])
        control = rebuilt_public(files)
        assert verify_bundle(control) == []
        guesses = recover(control, plan)
        public_hits += len(guesses)
        public_correct += sum(classes[i] == c for i, c in guesses.items())
    assert attacked >= 5 and drawn_objects > 50
    assert sealed_hits == 0  # sealed (the default): the attack attributes no drawn object
    assert public_hits == public_correct == drawn_objects  # public strata: every class leaks
