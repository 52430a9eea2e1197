"""The in-browser verifier (verify-draw.js, in real Chromium) and the stdlib verify_draw.py agree on
the same good and tampered sdr-draw-bundle/2 bundles: same verdict, same mismatching fields."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from generator.draw import build_public_bundle, draw
from tests.draw.scenario import make_request, scenario

sys.path.insert(0, str(Path(__file__).parents[2] / "generator" / "draw"))
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
