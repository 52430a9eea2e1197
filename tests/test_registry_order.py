"""Issue 11 at the registry level: each attack reproduced through the commands, and shown to fail now.

The drand round used is a recorded quicknet beacon (round 657413, signature verified offline), and
every command runs with ``--now`` so "before" and "after" the round are real clock positions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil

import pytest
import yaml

from generator.cli import main
from generator.draw import compute_pool_digests
from generator.draw.beacon import round_at, time_of_round
from generator.registry import log, store
from generator.registry.request import engine_view
from generator.registry.run import read
from generator.workflow import registry
from tests.support.tree import BASE
from tests.workflow.relays import BEACONS

REVEAL = "reveal-value-jijian-0001"
COMMIT = hashlib.sha256(REVEAL.encode()).hexdigest()
R = 657413
T_R = time_of_round(R)
BEFORE = T_R - 2 * 86400  # the request, two days before the round
TASK = "T2026-market-01"


@pytest.fixture
def root(tmp_path):
    out = tmp_path / "records"
    shutil.copytree(BASE, out)
    return out


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().out


def request(capsys, root, task=TASK, now=BEFORE, *extra):
    return run(
        capsys, "request", task, "--records", root, "--date", "2026-04-29", "--drand-round", R,
        "--now", now, "--commit", f"jijian={COMMIT}", *extra,
    )  # fmt: skip


def accept(capsys, root, now, latest=None):
    latest = round_at(now) if latest is None else latest
    return run(capsys, "accept", "--records", root, "--round", latest, "--now", now)


def entropy(capsys, root, draw_id="D2026-0001", digits="370215"):
    argv = ["entropy", draw_id, "--records", root, "--ceremony", f"meeting={digits}"]
    return run(capsys, *argv, "--reveal", f"jijian={REVEAL}", "--date", "2026-05-01")


def beacon(root, draw_id="D2026-0001"):
    b = BEACONS[R]
    drand = {"chain": "quicknet", "round": R, "signature": b["signature"], "randomness": b["randomness"]}
    registry.write_drand(registry.find(root, draw_id), drand, dt.date(2026, 5, 1))


def drawn(capsys, root, draw_id="D2026-0001"):
    """The whole honest path: request, accept, entropy, accept it, beacon, draw."""
    assert request(capsys, root)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    assert entropy(capsys, root, draw_id)[0] == 0
    assert accept(capsys, root, T_R - 600)[0] == 0
    beacon(root, draw_id)
    code, out = run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    assert code == 0 and f"{draw_id}：已抽取" in out, out


def test_honest_path_draws_and_verifies_and_logs_every_step(root, capsys):
    drawn(capsys, root)
    code, out = run(capsys, "verify", "--records", root)
    assert code == 0 and "核验通过：共 1 次抽取" in out, out
    events = [e["event"] for e in log.entries(store.log_path(root).read_text(encoding="utf-8"))]
    assert events == ["accepted", "entropy"]
    accepted = read(root, "D2026-0001").accepted
    assert accepted["latest_round"] == round_at(BEFORE + 3600) and accepted["margin_rounds"] == 1200


def test_request_refuses_a_round_that_is_not_in_the_future(root, capsys):
    # Attack: `request --drand-round 123` (a 2023 round) used to be accepted.
    code, out = run(
        capsys, "request", TASK, "--records", root, "--drand-round", 123, "--commit", f"jijian={COMMIT}"
    )
    assert code == 1 and "REGISTRY_ROUND_NOT_FUTURE" in out
    assert store.all_draw_ids(root) == []
    code, out = run(
        capsys, "request", TASK, "--records", root, "--drand-round", 2**64, "--commit", f"jijian={COMMIT}"
    )
    assert code == 1 and "REGISTRY_ROUND" in out  # no OverflowError, a coded refusal


def test_accept_refuses_and_records_a_round_too_close(root, capsys):
    assert request(capsys, root)[0] == 0
    # CI only gets to accept it 10 minutes before the round: the margin (1 h) is not met.
    code, out = accept(capsys, root, T_R - 600)
    assert code == 0 and "不予受理" in out and "REGISTRY_ROUND_NOT_FUTURE" in out
    files = read(root, "D2026-0001")
    assert files.accepted is None and files.refused["code"] == "REGISTRY_ROUND_NOT_FUTURE"
    assert files.refused["stage"] == "request" and "轮" in files.refused["reason"]
    entry = log.entries(store.log_path(root).read_text(encoding="utf-8"))[-1]
    assert (
        entry["event"] == "refused"
        and entry["draw_id"] == "D2026-0001"
        and entry["code"] == files.refused["code"]
    )
    # a refused draw is never drawn, even with all its entropy
    entropy(capsys, root)
    beacon(root)
    code, out = run(capsys, "draw", "D2026-0001", "--records", root, "--now", T_R + 60)
    assert code == 1 and "不能重抽" in out and read(root, "D2026-0001").result is None


def test_no_beacon_latest_means_no_acceptance_and_no_draw(root, capsys):
    # Attack: if `beacon latest` fails the publish workflow skipped `accept` and drew anyway.
    assert request(capsys, root)[0] == 0
    code, out = run(capsys, "accept", "--records", root, "--now", BEFORE + 3600)  # no --round
    assert code == 0 and "待受理 1 项" in out
    entropy(capsys, root)
    beacon(root)
    code, out = run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    assert code == 0 and read(root, "D2026-0001").result is None
    code, out = run(capsys, "draw", "D2026-0001", "--records", root, "--now", T_R + 60)
    assert code == 1 and "受理记录" in out


@pytest.mark.parametrize("edit", ["no-acceptance", "late-acceptance"])
def test_verify_requires_an_acceptance_before_the_round(root, capsys, edit):
    # Attack: draw and verify used to ignore accepted.yaml.
    drawn(capsys, root)
    path = store.folder(root, "D2026-0001") / store.ACCEPTED
    if edit == "no-acceptance":
        path.unlink()
        code_wanted = "REGISTRY_NOT_ACCEPTED"
    else:
        path.write_text(
            path.read_text(encoding="utf-8").replace("latest_round: ", "latest_round: 65"), encoding="utf-8"
        )
        code_wanted = "REGISTRY_ACCEPTANCE_LATE"
    code, out = run(capsys, "verify", "--records", root, "--no-beacon-check")
    assert code == 1 and code_wanted in out


def test_ceremony_digits_after_the_round_are_refused(root, capsys):
    # Attack: entropy.yaml could be added at any time, so digits were re-rolled after the beacon.
    assert request(capsys, root)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    beacon(root)  # the beacon is public now
    entropy(capsys, root)
    code, out = accept(capsys, root, T_R + 600)
    assert code == 0 and "REGISTRY_ENTROPY_LATE" in out
    files = read(root, "D2026-0001")
    assert files.refused["stage"] == "entropy" and files.entropy_accepted is None
    code, out = run(capsys, "draw", "--due", "--records", root, "--now", T_R + 700)
    assert read(root, "D2026-0001").result is None


def test_ceremony_never_recorded_before_the_round_closes_the_draw(root, capsys):
    assert request(capsys, root)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    code, out = accept(capsys, root, T_R + 30)
    assert code == 0 and "REGISTRY_ENTROPY_LATE" in out and read(root, "D2026-0001").refused is not None


def _repin(root, draw_id, change_pools=None, change_request=None):
    folder = store.folder(root, draw_id)
    data = yaml.safe_load((folder / store.REQUEST).read_text(encoding="utf-8"))
    pools = json.loads((folder / store.POOLS).read_text(encoding="utf-8"))
    if change_pools:
        change_pools(pools)
    if change_request:
        change_request(data)
    data["pool_digests"] = compute_pool_digests(engine_view(data), pools)
    (folder / store.POOLS).write_text(store.dump_json(pools), encoding="utf-8")
    (folder / store.REQUEST).write_text(store.dump_yaml(data), encoding="utf-8")


def _ratios(data):
    for s in data["parameters"]["objects"]["strata"]:
        s["ratio"] = "1/100"


def _open(data):
    # v2 allows privacy: open only with public strata (the engine refuses it with sealed ones), so the
    # attack publishes both; the county's policy (sealed) does not allow either.
    data["parameters"]["objects"].update(privacy="open", strata_disclosure="public")


@pytest.mark.parametrize(
    ("pools", "req", "code"),
    [
        (lambda p: p["objects"].pop(0), None, "REGISTRY_POOL_MISSING_ROWS"),
        (lambda p: p["inspectors"].pop(), None, "REGISTRY_POOL_MISSING_ROWS"),
        (
            lambda p: p["objects"].append(dict(p["objects"][0], id="X-EXTRA")),
            None,
            "REGISTRY_POOL_EXTRA_ROWS",
        ),
        (lambda p: p["objects"][0].update(recognised_result=True), None, "REGISTRY_POOL_ROW_CHANGED"),
        (None, _ratios, "REGISTRY_PARAMETERS_MISMATCH"),
        (None, _open, "REGISTRY_PARAMETERS_MISMATCH"),
    ],
    ids=[
        "object-dropped",
        "inspector-dropped",
        "object-added",
        "facts-changed",
        "ratios-1-100",
        "privacy-open",
    ],
)
def test_pools_and_parameters_are_rederived_from_the_records(root, capsys, pools, req, code):
    # Attack: dropping objects from pool-internal.json and re-pinning the digests passed everything.
    assert request(capsys, root)[0] == 0
    _repin(root, "D2026-0001", pools, req)
    code_v, out = run(capsys, "validate", "--records", root)
    assert code_v == 1 and "DRAW_REQUEST_MISMATCH" in out and code in out
    result, out = accept(capsys, root, BEFORE + 3600)
    assert result == 0 and code in out
    assert read(root, "D2026-0001").refused["code"] in {code, "REGISTRY_POOL_MISSING_ROWS"}


def test_a_second_request_for_a_drawn_task_needs_supersedes_and_reason(root, capsys):
    # Attack: a second request for an already drawn task passed, and the latest won.
    drawn(capsys, root)
    code, out = request(capsys, root, TASK, BEFORE + 7200)
    assert code == 1 and "REGISTRY_SUPERSEDES_MISSING" in out and store.all_draw_ids(root) == ["D2026-0001"]
    # ... and with them it is refused too once the first draw's result exists: a drawn task is never
    # redrawn (tests/test_registry_grinding.py; superseding stays possible before the round)
    code, out = request(
        capsys, root, TASK, BEFORE + 7200, "--supersedes", "D2026-0001", "--reason", "检查组无法按时到位"
    )
    assert code == 1 and "REGISTRY_SUPERSEDES_DRAWN" in out and store.all_draw_ids(root) == ["D2026-0001"]
    assert run(capsys, "validate", "--records", root)[0] == 0


def test_township_mode_refuses_a_request_with_an_unstaffable_candidate(root, capsys):
    # No veto (point 5): in township mode a draw could fail after the beacon if a drawn object's
    # township has no eligible inspector; every possible outcome is checked before the randomness.
    task = root / "units/market/tasks/T2026-market-01.yaml"
    task.write_text(
        task.read_text(encoding="utf-8").replace("mode: unit", "mode: township"), encoding="utf-8"
    )
    assert request(capsys, root, TASK, BEFORE)[0] == 0  # every township is covered by both units
    shutil.rmtree(root / "draws")
    people = root / "units/health/inspectors.csv"
    text = (
        people.read_text(encoding="utf-8")
        .replace("众兴街道;来安街道", "众兴街道")
        .replace("来安街道,有效", "众兴街道,有效")
    )
    people.write_text(text, encoding="utf-8")
    code, out = request(capsys, root, TASK, BEFORE)
    assert code == 1 and "REGISTRY_INFEASIBLE" in out and "来安街道" in out
    assert store.all_draw_ids(root) == []


def test_an_unreadable_request_is_refused_on_record_and_does_not_stop_the_run(root, capsys):
    # Point 9: one bad immutable request used to fail the registry job every hour.
    assert request(capsys, root)[0] == 0
    path = store.folder(root, "D2026-0001") / store.REQUEST
    path.write_text("id: [D2026-0001\n", encoding="utf-8")
    code, out = accept(capsys, root, BEFORE + 3600)
    assert code == 0 and "REGISTRY_UNREADABLE" in out
    refused = yaml.safe_load((path.parent / store.REFUSED).read_text(encoding="utf-8"))
    assert refused["code"] == "REGISTRY_UNREADABLE" and "无法读取" in refused["reason"]
    assert accept(capsys, root, BEFORE + 7200)[0] == 0  # recorded once, not again every hour
    assert len(log.entries(store.log_path(root).read_text(encoding="utf-8"))) == 1
    assert run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)[0] == 0


def test_an_accepted_request_waiting_for_its_round_survives_later_record_edits(root, capsys):
    # Point 9: records change legitimately after acceptance; that must not fail every later PR.
    assert request(capsys, root)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    people = root / "units/health/inspectors.csv"
    people.write_text(
        people.read_text(encoding="utf-8").replace("来安街道,有效", "来安街道,失效"), encoding="utf-8"
    )
    assert run(capsys, "validate", "--records", root)[0] == 0


def test_draw_refuses_on_record_an_acceptance_that_came_too_late(root, capsys):
    assert request(capsys, root)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    entropy(capsys, root)
    assert accept(capsys, root, T_R - 600)[0] == 0
    beacon(root)
    path = store.folder(root, "D2026-0001") / store.ACCEPTED
    path.write_text(
        path.read_text(encoding="utf-8").replace("latest_round: ", "latest_round: 65"), encoding="utf-8"
    )
    code, out = run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    assert code == 0 and "REGISTRY_ACCEPTANCE_LATE" in out
    files = read(root, "D2026-0001")
    assert files.result is None and files.refused["stage"] == "order"


@pytest.mark.parametrize(
    ("name", "find", "replace", "code"),
    [
        (store.ENTROPY, "meeting: '370215'", "meeting: '370216'", "REGISTRY_ENTROPY_CHANGED"),
        (store.REQUEST, "reserve_count: 5", "reserve_count: 6", "REGISTRY_LOG_REQUEST_CHANGED"),
    ],
    ids=["digits-after-acceptance", "request-after-acceptance"],
)
def test_changes_after_acceptance_are_caught_by_the_recorded_digests(root, capsys, name, find, replace, code):
    # Point 1: with the beacon known, changing an input and redrawing used to pass every verifier.
    drawn(capsys, root)
    path = store.folder(root, "D2026-0001") / name
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, replace), encoding="utf-8")
    code_v, out = run(capsys, "verify", "--records", root, "--no-beacon-check")
    assert code_v == 1 and code in out
