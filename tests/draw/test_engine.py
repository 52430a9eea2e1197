"""draw / verify / bundle: counts, exclusions, teams, tamper detection, standalone verifier."""

import ast
import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.draw import (
    DrawError,
    build_public_bundle,
    draw,
    parse_request,
    stratum_count,
    verify,
    verify_bundle,
)
from generator.draw.model import Stratum
from generator.draw.people import parse_people
from tests.draw.scenario import make_request, scenario
from tests.draw.teams_oracle import over_cap, team_problems

SCRIPT = Path(__file__).parents[2] / "site_templates" / "verify" / "verify_draw.py"
sys.path.insert(0, str(SCRIPT.parent))
import verify_draw  # noqa: E402  (the standalone script, imported as a module)


@pytest.fixture(scope="module")
def case():
    request, pools, entropy = scenario()
    return request, pools, entropy, draw(request, pools, entropy)


def fields(mismatches):
    return sorted({m.field for m in mismatches})


def test_counts_exclusions_and_uniqueness(case):
    request, pools, _, result = case
    req = parse_request(request)
    drawn = [d["ref"] for s in result["strata"].values() for d in s["drawn"]]
    assert len(drawn) == len(set(drawn)) == len(result["objects"]) == len(result["teams"])
    for spec in req.objects.strata:
        entry = result["strata"][spec.name]
        assert entry["count"] == len(entry["drawn"]) == stratum_count(spec, entry["eligible"])
        tickets = [d["ticket"] for d in entry["drawn"] + entry["reserve"]]
        assert tickets == sorted(tickets)
    excluded = sum(len(s["excluded"]) for s in result["strata"].values())
    assert excluded + sum(s["eligible"] for s in result["strata"].values()) == len(pools["objects"])
    assert {e["reason"] for s in result["strata"].values() for e in s["excluded"]} == {
        "DEREGISTERED",
        "RESULT_RECOGNISED",
        "ANNUAL_CAP_REACHED",
        "RECENTLY_INSPECTED",
    }
    assert [o["batch"] for o in result["objects"]] == sorted(o["batch"] for o in result["objects"])
    json.dumps(result)  # plain JSON-able data


def test_ratio_rounding_rule():
    assert stratum_count(Stratum("A", None, 5), 3) == 3
    from fractions import Fraction

    assert [stratum_count(Stratum("B", Fraction(1, 20), None), n) for n in (0, 1, 20, 21, 40)] == [
        0,
        1,
        1,
        2,
        2,
    ]
    assert stratum_count(Stratum("Z", Fraction(0, 1), None), 50) == 0


def test_every_team_obeys_every_rule(case):
    request, pools, _, result = case
    req = parse_request(request)
    people = {p.id: p for p in parse_people(pools["inspectors"])}
    for obj, team in zip(result["objects"], result["teams"], strict=False):
        assert team["object"] == obj["id"]
        assert team_problems(team, obj, req.task, req.teams, people) == []
    assert over_cap(result["teams"], req.teams) == []


def test_the_team_rules_check_can_fail(case):
    request, pools, _, result = case
    req = parse_request(request)
    people = {p.id: p for p in parse_people(pools["inspectors"])}
    obj = dict(result["objects"][0], blocked=["P-xfjy-08"])
    bad = {"object": obj["id"], "leader": "P-xfjy-08", "members": ["P-xfjy-08"], "assistants": []}
    found = team_problems(bad, obj, req.task, req.teams, people)
    assert {
        "too small",
        "scjg short",
        "leader not from the initiating unit",
        "P-xfjy-08 not valid",
        "P-xfjy-08 must recuse",
    } <= set(found)
    assert over_cap(
        [bad] * 9, parse_request({**request, "teams": {"max_objects_per_inspector": 2}}).teams
    ) == ["P-xfjy-08"]


def test_infeasible_message_names_unit_rule_and_shortfall():
    request, pools, entropy = scenario(n_objects=400)
    pools["inspectors"] = [p for p in pools["inspectors"] if p["unit"] != "xfjy" or p["id"] == "P-xfjy-01"]
    request = make_request(
        pools, teams={"mode": "unit", "team_size": 2, "per_unit_min": 1, "max_objects_per_inspector": 1}
    )
    request["objects"]["strata"] = [{"name": n, "count": 1} for n in "ABC"] + [{"name": "D", "count": 0}]
    request = make_request(pools, objects=request["objects"], teams=request["teams"])
    with pytest.raises(DrawError) as caught:
        draw(request, pools, entropy)
    assert caught.value.code == "DRAW_INFEASIBLE_UNIT_SHORTFALL"
    assert caught.value.message.startswith(
        "县消防救援大队：合格且有效的执法检查人员只有 1 名，规则 每组每单位至少 1 名 × 3 个检查组 需要 3 名，缺 2 名。请补充"
    )
    assert caught.value.details["missing"] == 2


def test_pools_changed_after_filing_are_reported_before_what_the_draw_would_say():
    request, pools, entropy = scenario(n_objects=400)
    # one unit's inspectors removed after the request was filed: the draw could not staff its
    # teams either, but the first thing to report is that the pools are not the filed ones
    pools = dict(pools, inspectors=[p for p in pools["inspectors"] if p["unit"] != "xfjy"])
    with pytest.raises(DrawError) as caught:
        draw(request, pools, entropy)
    assert caught.value.code == "DRAW_POOL_DIGEST_MISMATCH"
    assert caught.value.details["field"] == "pool_digests.inspectors"
    fresh = make_request(pools, objects=request["objects"], teams=request["teams"])
    with pytest.raises(DrawError) as caught:
        draw(fresh, pools, entropy)
    assert caught.value.code == "DRAW_INFEASIBLE_UNIT_SHORTFALL"


def test_pool_order_does_not_matter(case):
    request, pools, entropy, result = case
    shuffled = {k: list(reversed(v)) for k, v in pools.items()}
    assert draw(request, shuffled, entropy) == result


def test_verify_accepts_the_published_result(case):
    request, pools, entropy, result = case
    assert verify(request, pools, entropy, result) == []


def tampered_results(result):
    one = copy.deepcopy(result)
    one["strata"]["B"]["drawn"][0]["ticket"] = "0.5"
    two = copy.deepcopy(result)
    two["teams"][5]["members"][1] = "P-xfjy-07"
    return [(one, "strata.B.drawn[0].ticket"), (two, "teams[5].members")]


def test_tampered_result_names_the_field(case):
    request, pools, entropy, result = case
    for bad, field in tampered_results(result):
        assert field in fields(verify(request, pools, entropy, bad))


def test_tampered_roster_and_entropy_fail(case):
    request, pools, entropy, result = case
    roster = copy.deepcopy(pools)
    roster["inspectors"][3]["status"] = "失效"
    assert fields(verify(request, roster, entropy, result)) == ["pool_digests.inspectors"]
    ent = copy.deepcopy(entropy)
    ent["ceremony"]["dice"] = "31415926535897932385"
    assert "seed" in fields(verify(request, pools, ent, result))


def test_bundle_leaves_out_internal_data(case):
    request, pools, entropy, result = case
    text = json.dumps(build_public_bundle(request, pools, entropy, result), ensure_ascii=False)
    drawn = {o["id"] for o in result["objects"]}
    undrawn = [o for o in pools["objects"] if o["id"] not in drawn]
    assert not any(o["salt"] in text for o in undrawn)
    assert not any(o["id"] in text for o in undrawn)
    assert "conflicts" not in text and "phone" not in text and '"stratum"' not in text


def test_standalone_script_is_stdlib_only():
    # the one non-stdlib import is the optional BLS library, inside ``try: … except ImportError``
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    guarded = {
        id(node)
        for t in ast.walk(tree)
        if isinstance(t, ast.Try) and any(getattr(h.type, "id", "") == "ImportError" for h in t.handlers)
        for node in ast.walk(t)
    }
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    names = {a.name.split(".")[0] for n in imports if isinstance(n, ast.Import) for a in n.names}
    names |= {
        n.module.split(".")[0] for n in imports if isinstance(n, ast.ImportFrom) and id(n) not in guarded
    }
    assert names <= set(sys.stdlib_module_names) and "generator" not in names
    assert {n.module for n in imports if id(n) in guarded} == {"py_arkworks_bls12381", "blspy"}


def bundles(case):
    request, pools, entropy, result = case
    good = build_public_bundle(request, pools, entropy, result)
    yield "good", good
    for bad, field in tampered_results(result):
        yield field, {**good, "result": bad}
    roster = copy.deepcopy(good)
    roster["public_pools"]["inspectors"][2]["qualifications"] = ["A01"]
    yield "roster", roster
    ent = copy.deepcopy(good)
    ent["entropy"]["reveals"]["jijian"] = "jijian-0123456789abcdeX"
    yield "reveal", ent
    opened = copy.deepcopy(good)
    opened["result"]["objects"][0]["salt"] = "0" * 64
    yield "salt", opened


def test_standalone_agrees_with_engine(case):
    for name, bundle in bundles(case):
        engine = fields(verify_bundle(bundle))
        standalone = sorted({f for f, _, _ in verify_draw.check(bundle)})
        assert engine == standalone, name
        assert (name == "good") == (engine == [])


def test_standalone_cli(case, tmp_path):
    request, pools, entropy, result = case
    good = build_public_bundle(request, pools, entropy, result)
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert run.returncode == 0 and "✓" in run.stdout and "BLS" in run.stdout
    bad, field = tampered_results(result)[1]
    path.write_text(json.dumps({**good, "result": bad}, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert run.returncode == 1 and field in run.stdout


@pytest.mark.parametrize(
    "text",
    [
        '{"request": "x", "result": {}}',
        '{"request": [1], "result": {}}',
        "[" * 100_000 + "]" * 100_000,
        '{"request": {}, "result": {}}',
    ],
    ids=["request-text", "request-list", "nested-100000", "empty-parts"],
)
def test_standalone_cli_never_shows_a_traceback(case, tmp_path, text):
    """The citizen runs verify_draw.py on whatever they downloaded: a bundle of the wrong shape, or
    JSON nested beyond Python's recursion limit, is a plain Chinese message, never a traceback."""
    request, pools, entropy, result = case
    path = tmp_path / "draw.json"
    path.write_text(text, encoding="utf-8")
    subs = tmp_path / "subs.json"
    subs.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for argv in ([str(path)], [str(path), str(subs)]):
        run = subprocess.run([sys.executable, str(SCRIPT), *argv], capture_output=True, text=True)
        assert run.returncode in (1, 2), run.stdout + run.stderr
        assert "Traceback" not in run.stdout + run.stderr and run.stderr == ""
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(build_public_bundle(request, pools, entropy, result), ensure_ascii=False), "utf-8"
    )
    run = subprocess.run([sys.executable, str(SCRIPT), str(good), str(subs)], capture_output=True, text=True)
    assert run.returncode == 2 and "嵌套层数过深" in run.stdout and run.stderr == ""


def test_township_mode_and_assistants():
    request, pools, entropy = scenario(n_objects=200)
    request = make_request(
        pools,
        teams={
            "mode": "township",
            "team_size": 3,
            "per_unit_min": 1,
            "max_objects_per_inspector": 4,
            "assistants_per_team": 1,
            "max_objects_per_assistant": 3,
        },
    )
    result = draw(request, pools, entropy)
    req = parse_request(request)
    people = {p.id: p for p in parse_people(pools["inspectors"])}
    assistants = {p.id: p for p in parse_people(pools["assistants"])}
    for obj, team in zip(result["objects"], result["teams"], strict=False):
        assert len(team["members"]) == 3 and len(team["assistants"]) == 1
        assert team_problems(team, obj, req.task, req.teams, people, assistants) == []
    assert verify(request, pools, entropy, result) == []
    assert verify_bundle(build_public_bundle(request, pools, entropy, result)) == []
