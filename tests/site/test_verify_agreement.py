"""The in-browser verifier (verify-draw.js, in real Chromium) and the stdlib verify_draw.py agree on
the same good and tampered bundles (sdr-draw-bundle/2 and, for protocol v2, /3 with acceptance,
registry log proof and sealed strata): same verdict, same mismatching fields. And four
implementations — engine, stdlib, browser, Rivest's consistent-sampler (tickets) — agree on 500
randomised draws."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from generator.draw import build_public_bundle, draw
from tests.draw.scenario import make_request, scenario

sys.path.insert(0, str(Path(__file__).parents[2] / "site_templates" / "verify"))
import verify_draw  # noqa: E402  (the standalone script, imported as a module)

pytestmark = pytest.mark.browser


def _variants(name: str, good: dict) -> list[tuple[str, dict, bool]]:
    """(label, bundle, must_fail: True / False / None = either) for a good bundle and tampered copies."""
    out: list[tuple[str, dict, bool | None]] = [(f"{name}/good", good, False)]

    def tampered(label: str, change, must_fail: bool | None = True) -> None:
        bad = copy.deepcopy(good)
        change(bad)
        out.append((f"{name}/{label}", bad, must_fail))

    objs = good["result"]["objects"]
    tampered("members-reversed", lambda b: b["result"]["teams"][0]["members"].reverse())
    tampered("leader", lambda b: b["result"]["teams"][0].__setitem__("leader", "nobody"))
    tampered("team-missing", lambda b: b["result"]["teams"].pop())
    tampered("randomness", lambda b: b["entropy"]["drand"].__setitem__("randomness", "0" * 64))
    tampered("format-v1", lambda b: b.__setitem__("format", "sdr-draw-bundle/1"))
    tampered("seed", lambda b: b["result"].__setitem__("seed", b["result"]["seed"] + "x"))
    tampered("previous-malformed", lambda b: b["result"]["objects"][0].__setitem__("blocked_previous", "P"))
    tampered("count-negative", lambda b: b["result"]["objects"][0].__setitem__("blocked_count", -1))
    tampered("count-bool", lambda b: b["result"]["objects"][0].__setitem__("blocked_count", True))
    tampered(
        "commitment-upper",
        lambda b: b["result"]["objects"][0].__setitem__(
            "blocked_commitment", objs[0]["blocked_commitment"].upper()
        ),
    )
    tampered("no-result", lambda b: b.pop("result"))
    # JSON types and JavaScript's prototype keys (verifier review): Python's == took true for 1, the browser
    # took "constructor" / "toString" for Object.prototype's and "__proto__" as the object's prototype.
    tampered("batch-true", lambda b: b["result"]["objects"][0].__setitem__("batch", True))
    tampered("deep", lambda b: b["result"].__setitem__("deep", json.loads("[" * 100 + "]" * 100)))
    tampered("extra-constructor", lambda b: b["result"].__setitem__("constructor", 1))
    tampered("extra-toString", lambda b: b["result"]["objects"][0].__setitem__("toString", "x"))
    tampered(
        "teams-in-proto", lambda b: b["result"].__setitem__("__proto__", {"teams": b["result"].pop("teams")})
    )
    tampered("roster", lambda b: b["public_pools"]["inspectors"][0].__setitem__("status", "失效"))
    # A larger budget is consistent with the published teams: publicly undetectable (protocol §7.3).
    tampered("count-raised", lambda b: b["result"]["objects"][0].__setitem__("blocked_count", 9), False)
    for i, row in enumerate(objs):
        if row.get("blocked_count"):
            # Caught only if a hidden person ranked ahead of a member; either way both must agree.
            tampered(
                f"count-zero[{i}]",
                lambda b, i=i: b["result"]["objects"][i].__setitem__("blocked_count", 0),
                None,
            )
        if len(out) > 30:
            break
    # Move a lower-ranked person of the same unit into a team: more skips than the budget allows.
    teams = good["result"]["teams"]
    units = {p["id"]: p.get("unit") for p in good["public_pools"]["inspectors"]}
    for i, team in enumerate(teams[:10]):
        used = set(team["members"])
        spare = [p for p, u in units.items() if u == units.get(team["members"][-1]) and p not in used]
        if spare:
            tampered(
                f"member-swapped[{i}]",
                lambda b, i=i, p=spare[-1]: b["result"]["teams"][i]["members"].__setitem__(-1, p),
            )
            break
    return out


def _v2_variants() -> list[tuple[str, dict, bool | None]]:
    from tests.draw.test_v2 import BUNDLE

    out = _variants("v2-sealed", BUNDLE)

    def tampered(label, change):
        bad = copy.deepcopy(BUNDLE)
        change(bad)
        out.append((f"v2/{label}", bad, True))

    tampered("acceptance-late", lambda b: b["acceptance"].__setitem__("recorded_round", 990))
    tampered("acceptance-missing", lambda b: b.pop("acceptance"))
    tampered("acceptance-digest", lambda b: b["acceptance"].__setitem__("request_digest", "0" * 64))
    tampered("log-following", lambda b: b["registry"]["following"].pop())
    tampered("log-head", lambda b: b["registry"].__setitem__("head", "1" * 64))
    tampered(
        "log-entry",
        lambda b: b["registry"].__setitem__("entry", b["registry"]["entry"].replace('"seq":2', '"seq":9')),
    )
    tampered("log-not-canonical", lambda b: b["registry"].__setitem__("entry", b["registry"]["entry"] + " "))
    tampered("log-shape", lambda b: b["registry"].__setitem__("following", "x"))
    tampered("log-index", lambda b: b["registry"].__setitem__("index", 0))
    tampered(
        "log-rewritten",
        lambda b: b["registry"]["following"].__setitem__(
            0, b["registry"]["following"][0].replace('"code":"Y"', '"code":"Z"')
        ),
    )

    def other_request(b):  # a valid chain whose accepted entry names another request
        from tests.draw.scenario import accepted_entry, inclusion

        b["registry"] = inclusion([accepted_entry({**b["acceptance"], "request_digest": "2" * 64})], 0)

    def other_round(b):  # a valid chain whose accepted entry recorded a later round than the bundle claims
        from tests.draw.scenario import accepted_entry, inclusion

        late = {**b["acceptance"], "recorded_round": b["acceptance"]["recorded_round"] + 1}
        b["registry"] = inclusion([accepted_entry(late)], 0)

    tampered("log-other-request", other_request)
    tampered("log-other-round", other_round)
    tampered("drand-first", lambda b: b["request"]["sources"].reverse())
    tampered("chain-key", lambda b: b["request"]["sources"][-1].__setitem__("public_key", "a" * 192))
    tampered("sealed-drop", lambda b: b["result"]["strata"]["sealed"]["drawn"].pop())
    tampered(
        "sealed-foreign", lambda b: b["result"]["strata"]["sealed"]["drawn"][0].__setitem__("ref", "f" * 64)
    )
    tampered(
        "sealed-ticket", lambda b: b["result"]["strata"]["sealed"]["reserve"][0].__setitem__("ticket", "0.5")
    )

    def forged_beacon(b):  # a well-formed signature of the right round under another key: only BLS sees it
        from generator.demo_chain import demo_beacon

        b["entropy"]["drand"] = demo_beacon("not-quicknet", b["entropy"]["drand"]["round"])

    tampered("bls-forged", forged_beacon)
    return out


def _per_department_variants() -> list[tuple[str, dict, bool | None]]:
    """Protocol §11: each department's officers drawn with its own prefix and minimum."""
    from tests.draw.test_officers import BUNDLE, central_teams

    out = _variants("v2-per-department", BUNDLE)

    def tampered(label, change):
        bad = copy.deepcopy(BUNDLE)
        change(bad)
        out.append((f"per-department/{label}", bad, True))

    tampered("teams-drawn-centrally", lambda b: b["result"].__setitem__("teams", central_teams()))
    tampered("officer-draw-unknown", lambda b: b["request"]["teams"].__setitem__("officer_draw", "each"))
    tampered("minimum-zero", lambda b: b["request"]["teams"].__setitem__("per_department_min", 0))
    tampered("minimum-text", lambda b: b["request"]["teams"].__setitem__("per_department_min", "2"))
    tampered("v1-with-officer-draw", lambda b: b["request"].__setitem__("algorithm", "sdr-draw/1"))
    return out


def _scenario_bundles() -> list[tuple[str, dict]]:
    request, pools, entropy = scenario(n_objects=120)
    plain = build_public_bundle(request, pools, entropy, draw(request, pools, entropy))
    for person in pools["inspectors"] + pools["assistants"]:
        person["conflicts"] = sorted(
            o["id"] for o in pools["objects"] if (hash_of(person["id"] + o["id"]) < 64)
        )
    teams = {"team_size": 3, "per_unit_min": 1, "max_objects_per_inspector": 8, "assistants_per_team": 1}
    out = [("scenario", plain)]
    unit_rule = {**teams, "mode": "unit", "max_objects_per_assistant": 12}
    township_rule = {"mode": "township", "team_size": 2, "per_unit_min": 1, "max_objects_per_inspector": 20}
    for label, rule in (("conflicts-unit", unit_rule), ("conflicts-township", township_rule)):
        req = make_request(pools, teams=rule)
        out.append((label, build_public_bundle(req, pools, entropy, draw(req, pools, entropy))))
    return out


def hash_of(text: str) -> int:
    import hashlib

    return hashlib.sha256(text.encode()).digest()[0]


def _js_check(page, site_url, bundles: list[dict]) -> list[list]:
    page.goto(site_url + "draws/D2026-0001/")
    return page.evaluate(
        """async (texts) => {
            const m = await import('/assets/verify-draw.js');
            const out = [];
            for (const t of texts) out.push((await m.check(JSON.parse(t))).map((x) => x[0]));
            return out;
        }""",
        [json.dumps(b, ensure_ascii=False) for b in bundles],
    )


def test_browser_and_stdlib_verifiers_agree(page, site_url, built_site):
    site_bundle = json.loads(
        (built_site / "draws" / "D2026-0001" / "bundle.json").read_text(encoding="utf-8")
    )
    cases = _variants("site", site_bundle)
    for name, bundle in _scenario_bundles():
        cases += _variants(name, bundle)
    cases += _v2_variants()
    cases += _per_department_variants()
    js = _js_check(page, site_url, [b for _, b, _ in cases])
    failures, bad_seen = [], 0
    for (label, bundle, must_fail), js_fields in zip(cases, js, strict=True):
        py_fields = sorted({f for f, _, _ in verify_draw.check(copy.deepcopy(bundle))})
        if sorted(set(js_fields)) != py_fields:
            failures.append((label, py_fields, sorted(set(js_fields))))
        if must_fail is False:
            assert py_fields == [], (label, py_fields)
        elif must_fail:
            assert py_fields, label  # the tamper must be visible, or the comparison says little
            bad_seen += 1
    assert failures == []
    assert bad_seen >= 20 and page.js_errors == []


def _random_bundles(n: int) -> list[dict]:
    """``n`` small draws with random pools, sizes, rules, privacy, protocol version and entropy."""
    import random

    from generator.draw import compute_pool_digests
    from generator.draw.canonical import digest
    from generator.draw.model import QUICKNET_CHAIN
    from tests.draw.scenario import (
        accepted_entry,
        inclusion,
        make_assistants,
        make_entropy,
        make_inspectors,
        make_objects,
    )

    rnd, out = random.Random(20261129), []
    for k in range(n):
        pools = {
            "objects": make_objects(rnd.randrange(5, 60), privacy=rnd.choice(["commit", "commit", "open"])),
            "inspectors": make_inspectors(rnd.randrange(5, 9)),
            "assistants": make_assistants(),
        }
        privacy = "open" if pools["objects"][0]["salt"] == "" else "commit"
        objects = {
            "privacy": privacy,
            "strata": [{"name": s, "ratio": f"{rnd.randrange(0, 5)}/{rnd.randrange(5, 12)}"} for s in "ABC"]
            + [{"name": "D", "count": rnd.randrange(0, 4)}],
            "reserve_count": rnd.randrange(0, 4),
            "batches": rnd.randrange(1, 4),
            "exclusion": {
                "reference_date": "2025-03-20",
                "recent_months": rnd.choice([0, 12]),
                "annual_cap": None,
            },
        }
        teams = {"mode": rnd.choice(["unit", "township"]), "team_size": 2, "per_unit_min": 1}
        request = make_request(pools, objects=objects, teams=teams)
        entropy = dict(make_entropy(), ceremony={"dice": str(rnd.randrange(10**12))})
        acceptance = registry = None
        if privacy == "commit" and rnd.random() < 0.5:  # protocol v2, sealed or public strata
            drand, *others = request["sources"]
            request = {
                **request,
                "algorithm": "sdr-draw/2",
                "sources": [*others, {**drand, **QUICKNET_CHAIN}],
            }
            request["objects"] = {**objects, "strata_disclosure": rnd.choice(["sealed", "public"])}
            if rnd.random() < 0.5:  # §11: each department draws its own officers
                minimum = rnd.choice([1, 2])
                request["teams"] = {**teams, "officer_draw": "per_department", "per_department_min": minimum}
            request["pool_digests"] = compute_pool_digests(request, pools)
            acceptance = {
                "draw_id": request["draw_id"],
                "request_digest": digest(request),
                "recorded_round": rnd.randrange(0, 900),
                "margin": 50,
                "accepted_at": "2023-08-23T15:00:00Z",
            }
            entry = accepted_entry(acceptance, seq=k, task={"id": "T"})
            refused = {"event": "refused", "draw_id": "D-x", "code": "X", "reason": "原因"}
            registry = inclusion([entry, refused], 0)
        try:
            result = draw(request, pools, entropy, acceptance=acceptance)
        except Exception:  # an infeasible random rule: not a draw to compare
            continue
        out.append(build_public_bundle(request, pools, entropy, result, acceptance, registry))
    return out


def test_four_implementations_agree_on_500_random_draws(page, site_url):
    import consistent_sampler

    from generator.draw import verify_bundle

    bundles = _random_bundles(560)
    assert len(bundles) >= 500
    per_department = [b for b in bundles if b["request"]["teams"].get("officer_draw") == "per_department"]
    assert len(per_department) >= 80
    js = _js_check(page, site_url, bundles)
    for bundle, js_fields in zip(bundles, js, strict=True):
        assert js_fields == [] and verify_draw.check(copy.deepcopy(bundle)) == []
        assert verify_bundle(bundle, verify_beacon=False) == []
        seed = bundle["result"]["seed"]
        views = {s["name"]: s["refs"] for s in bundle["public_pools"]["objects"]["strata"]}
        for name, stratum in bundle["result"]["strata"].items():
            picked = [d["ref"] for d in stratum["drawn"] + stratum["reserve"]]
            if name != "sealed":  # (a sealed draw's tickets are checked one by one above)
                oracle = list(
                    consistent_sampler.sampler(views[name], seed=seed, take=len(picked), output="id")
                )
                assert oracle == picked
    assert page.js_errors == []


def test_the_browser_shows_the_log_head_to_compare_and_claims_no_log_for_v1(page, site_url):
    """§9.3: the head the path leads to is for the citizen to compare; a v1 bundle has no checked acceptance."""
    from tests.draw.test_v2 import BUNDLE

    request, pools, entropy = scenario(n_objects=20)
    v1 = build_public_bundle(request, pools, entropy, draw(request, pools, entropy))
    v1 = {**v1, "acceptance": {"draw_id": "x"}, "registry": {}}
    page.goto(site_url + "draws/D2026-0001/")
    lines = page.evaluate(
        """async (texts) => {
            const m = await import('/assets/verify-messages.js');
            return texts.map((t) => m.passedLines(JSON.parse(t)).join("\\n"));
        }""",
        [json.dumps(b, ensure_ascii=False) for b in (BUNDLE, v1)],
    )
    head, index = BUNDLE["registry"]["head"], BUNDLE["registry"]["index"]
    assert head in lines[0] and f"第 {index} 行" in lines[0] and "如何核验" in lines[0]
    assert "受理" not in lines[1] and "登记簿" not in lines[1]
    assert page.js_errors == []


def test_a_number_written_as_a_float_gets_one_verdict_from_every_verifier(page, site_url, built_site):
    """``1.0`` and ``1e0`` are the integer 1 to JSON.parse and a float to Python's json, which the
    protocol refuses: the browser looks at the downloaded text, so both verifiers refuse the bundle."""
    text = (built_site / "draws" / "D2026-0001" / "bundle.json").read_text(encoding="utf-8")
    assert '"batch": 1,' in text and "." in text  # dots inside strings must not count
    texts = {
        "good": text,
        "float": text.replace('"batch": 1,', '"batch": 1.0,', 1),
        "exponent": text.replace('"batch": 1,', '"batch": 1e0,', 1),
        "upper-exponent": text.replace('"batch": 1,', '"batch": 10E-1,', 1),
        "in-a-string": text.replace('"batch": 1,', '"batch": 1, "note": "1.0e5",', 1),
    }
    page.goto(site_url + "draws/D2026-0001/")
    js = page.evaluate(
        """async (texts) => {
            const m = await import('/assets/verify-draw.js');
            const out = {};
            for (const [k, t] of Object.entries(texts)) out[k] = (await m.checkText(JSON.parse(t), t)).map((x) => x[0]);
            return out;
        }""",
        texts,
    )
    py = {k: sorted({f for f, _, _ in verify_draw.check(json.loads(t))}) for k, t in texts.items()}
    assert py["good"] == [] and py["float"] == py["exponent"] == py["upper-exponent"] == ["format"]
    assert py["in-a-string"] != ["format"]  # an unknown key, not a float
    assert {k: sorted(set(v)) for k, v in js.items()} == py
    assert page.js_errors == []


def test_hostile_bundles_get_a_verdict_from_the_browser_too(page, site_url):
    """Red team 7: what made the Python verifiers raise (tests/draw/test_hostile_bundles.py) is refused in
    the browser as well; a lone surrogate, which the browser's TextEncoder would digest as U+FFFD, is refused
    by all three with one message."""
    from tests.draw.test_hostile_bundles import HOSTILE, _set

    bundles = [_set(base, path, value) for base, path, value in (HOSTILE[k] for k in sorted(HOSTILE))]
    page.goto(site_url + "draws/D2026-0001/")
    js = page.evaluate(
        """async (texts) => {
            const m = await import('/assets/verify-draw.js');
            const out = [];
            for (const t of texts) out.push((await m.check(JSON.parse(t))).map((x) => x[2]));
            return out;
        }""",
        [
            json.dumps(b) for b in bundles
        ],  # ASCII escapes: a lone surrogate arrives as JSON text, as published
    )
    for name, bundle, found in zip(sorted(HOSTILE), bundles, js, strict=True):
        assert found and verify_draw.check(copy.deepcopy(bundle)), name
        if name.startswith("lone-surrogate"):
            assert found == ["文本中有不成对的代理字符（\\ud800–\\udfff），不是有效的 Unicode 文本"], name
    assert page.js_errors == []
