"""Grinding a draw through the registry: each attack by a unit's clerk, run through the commands.

Promise: once a draw's beacon round is known (or its result seen), nothing a unit does can get the
task another draw — not a superseding request, not a second request raced in with the same sequence
number, not an entropy file submitted after the round to get the draw refused and re-requested.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from generator.draw.beacon import round_at, time_of_round
from generator.registry import log, store
from generator.registry.run import read
from tests.support.tree import BASE
from tests.test_registry_order import BEFORE, COMMIT, REVEAL, T_R, TASK, R, accept, beacon, drawn, run

D1, D2 = "D2026-0001", "D2026-0002"


@pytest.fixture
def root(tmp_path):
    out = tmp_path / "records"
    shutil.copytree(BASE, out)
    return out


R2 = round_at(T_R + 3600) + 5000  # a round still in the future for the later requests


def request(capsys, root, now, *extra, round_=R):
    return run(
        capsys, "request", TASK, "--records", root, "--date", "2026-04-29", "--drand-round", round_,
        "--now", now, "--commit", f"jijian={COMMIT}", *extra,
    )  # fmt: skip


def copy_request(root, source: str, target: str, round_=R2, **changes) -> None:
    """A hand-made request (what a clerk can put in a pull request): another draw's, re-labelled."""
    src, dst = store.folder(root, source), store.folder(root, target)
    dst.mkdir(parents=True)
    data = yaml.safe_load((src / store.REQUEST).read_text(encoding="utf-8"))
    data.update(id=target, **changes)
    for s in data["sources"]:
        if s["kind"] == "drand":
            s["round"] = round_
    (dst / store.REQUEST).write_text(store.dump_yaml(data), encoding="utf-8")
    shutil.copy(src / store.POOLS, dst / store.POOLS)


def events(root) -> list[tuple[str, str]]:
    entries = log.entries(store.log_path(root).read_text(encoding="utf-8"))
    return [(e["event"], e["draw_id"]) for e in entries]


def test_a_drawn_draw_cannot_be_superseded(root, capsys):
    # Attack: the result is public and not to the unit's liking; a request "correcting" it
    # (supersedes + any reason) was accepted and its new draw replaced the first.
    drawn(capsys, root)
    extra = ("--supersedes", D1, "--reason", "检查组无法按时到位")
    code, out = request(capsys, root, T_R + 3600, *extra, round_=R2)
    assert code == 1 and "（REGISTRY_SUPERSEDES_DRAWN）" in out and store.all_draw_ids(root) == [D1]
    # the same request written by hand in a pull request: validate fails it, CI refuses it
    copy_request(root, D1, D2, seq=2, supersedes=D1, reason="检查组无法按时到位")
    code, out = run(capsys, "validate", "--records", root)
    assert code == 1 and "DRAW_SUPERSEDES_DRAWN" in out and "D2026-0002/request.yaml:" in out
    code, out = accept(capsys, root, T_R + 3600)
    assert code == 0 and "REGISTRY_SUPERSEDES_DRAWN" in out
    assert read(root, D2).refused["code"] == "REGISTRY_SUPERSEDES_DRAWN" and read(root, D2).accepted is None


def test_a_draw_whose_round_has_come_cannot_be_superseded_before_ci_draws_it(root, capsys):
    # Attack: the beacon is out, the clerk computes the outcome before CI's hourly run draws it,
    # and files the superseding request in that gap.
    assert request(capsys, root, BEFORE)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    run(capsys, "entropy", D1, "--records", root, "--ceremony", "meeting=370215", "--reveal",
        f"jijian={REVEAL}", "--date", "2026-05-01")  # fmt: skip
    assert accept(capsys, root, T_R - 600)[0] == 0
    copy_request(root, D1, D2, seq=2, supersedes=D1, reason="更正")
    code, out = accept(capsys, root, T_R + 60)
    assert "REGISTRY_SUPERSEDES_DRAWN" in out and read(root, D2).refused is not None
    beacon(root)  # and once the beacon is recorded the PR check sees it too
    code, out = run(capsys, "validate", "--records", root)
    assert "DRAW_SUPERSEDES_DRAWN" not in out  # D2 is settled (refused): history, not a new finding


def test_superseding_a_draw_before_its_round_or_a_refused_one_stays_possible(root, capsys):
    assert request(capsys, root, BEFORE)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    code, out = request(capsys, root, BEFORE + 7200, "--supersedes", D1, "--reason", "任务范围调整")
    assert code == 0, out


def test_two_requests_raced_in_with_one_sequence_number_need_supersedes(root, capsys):
    # Attack: two pull requests each add a request for the same task with the next seq (each passes
    # the append check alone); after both merge neither was "earlier" than the other, so both were
    # accepted without supersedes and the task had two live draws.
    assert request(capsys, root, BEFORE)[0] == 0
    copy_request(root, D1, D2, round_=R)  # same task, same seq 1
    code, out = accept(capsys, root, BEFORE + 3600)
    assert code == 0
    assert read(root, D1).accepted is not None
    assert read(root, D2).accepted is None
    assert read(root, D2).refused["code"] in {"REGISTRY_SUPERSEDES_MISSING", "REGISTRY_SEQ_TAKEN"}
    assert ("accepted", D2) not in events(root)


def _no_ceremony(root) -> None:
    """A county whose policy asks for drand and a third party's commitment, no ceremony."""
    county = root / "county.yaml"
    text = county.read_text(encoding="utf-8")
    assert "required_sources: [ceremony, commit_reveal]" in text
    county.write_text(text.replace("[ceremony, commit_reveal]", "[commit_reveal]"), encoding="utf-8")


def _late_reveal(root) -> None:
    # what a pull request may add to a registered folder (the append check lets entropy.yaml in)
    (store.folder(root, D1) / store.ENTROPY).write_text(
        f"id: {D1}\nreveals:\n  jijian: {REVEAL}\nrecorded_on: 2026-05-01\n", encoding="utf-8"
    )


@pytest.mark.parametrize("late", [False, True], ids=["reveal-withheld", "reveal-sent-after-the-round"])
def test_an_entropy_file_sent_after_the_round_cannot_withdraw_the_draw(root, capsys, late):
    # Attack: the round is out, the clerk computes the outcome before CI draws it and, if it does
    # not suit, sends the reveal (or any entropy.yaml) late: CI refused the whole draw at the
    # entropy stage, and a refused draw may be re-requested (superseded) — a free redraw.
    _no_ceremony(root)
    assert request(capsys, root, BEFORE)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    if late:
        _late_reveal(root)
    code, out = accept(capsys, root, T_R + 600)
    assert code == 0 and read(root, D1).refused is None, out
    assert ("REGISTRY_ENTROPY_IGNORED" in out) == late and "REGISTRY_ENTROPY_LATE" not in out
    assert ("迟交未采用的随机源 1 项" in out) == late  # the run's summary counts it too
    beacon(root)
    code, out = run(capsys, "draw", "--due", "--records", root, "--now", T_R + 700)
    files = read(root, D1)
    assert files.refused is None and files.result is not None, out
    assert "reveal.jijian.-/" in files.result["output"]["seed"]  # the late reveal is never used
    code, out = run(capsys, "verify", "--records", root)
    assert code == 0, out
    # and the task cannot be drawn again
    copy_request(root, D1, D2, seq=2, supersedes=D1, reason="重新抽取")
    code, out = accept(capsys, root, T_R + 800)
    assert "REGISTRY_SUPERSEDES_DRAWN" in out and read(root, D2).accepted is None


def test_an_object_in_a_pending_draws_pool_cannot_be_deleted_before_the_draw(root, capsys):
    # Attack (timing): after acceptance froze the pool, the clerk deletes a pooled object's row in a
    # pull request that passed every check (no result names it yet); CI then draws it, and the
    # draw result naming an object without a row (DRAW_OBJECT_MISSING, in the registry, which
    # cannot be left out) stopped every unit's site. The pooled objects are held from acceptance on.
    assert request(capsys, root, BEFORE)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    pooled = {o["id"] for o in store.read_json(root / "draws/2026" / D1 / "pool-internal.json")["objects"]}
    objects = root / "units/market/objects.csv"
    lines = objects.read_text(encoding="utf-8").splitlines(keepends=True)
    victim = next(line for line in lines[1:] if line.split(",")[0] in pooled)
    objects.write_text("".join(x for x in lines if x != victim), encoding="utf-8")
    code, out = run(capsys, "validate", "--records", root)
    assert code == 1 and "DRAW_POOL_OBJECT_MISSING" in out and victim.split(",")[0] in out, out
    assert f"draws/2026/{D1}/request.yaml:" in out


def _fail_rule(root) -> None:
    """The county's reveals are required: a reveal missing at round R fails the draw (rule fail)."""
    county = root / "county.yaml"
    text = county.read_text(encoding="utf-8")
    county.write_text(text.replace("required_sources: [commit_reveal]", "required_sources: [commit_reveal]\n  missing_reveal: fail"), encoding="utf-8")  # fmt: skip


@pytest.mark.parametrize("late", [False, True], ids=["reveal-withheld", "reveal-sent-after-the-round"])
def test_a_required_reveal_missing_at_the_round_closes_the_draw(root, capsys, late):
    # Break: with rule fail, a reveal not accepted before round R was "ignored" and counted missing,
    # so the draw was never due, never failed, and (its round having come) could never be
    # superseded either: one reveal party, by withholding, killed the task for good — silently
    # (verify and validate passed, every hourly run warned again).
    _no_ceremony(root)
    _fail_rule(root)
    assert request(capsys, root, BEFORE)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    if late:
        _late_reveal(root)
    code, out = accept(capsys, root, T_R + 600)
    assert code == 0 and "REGISTRY_ENTROPY_LATE" in out, out
    files = read(root, D1)
    assert files.refused["code"] == "REGISTRY_ENTROPY_LATE" and "jijian" in files.refused["reason"]
    assert ("refused", D1) in events(root)
    # decided by what CI accepted before R, never by what is sent after: the task is requested again
    code, out = request(
        capsys, root, T_R + 3600, "--supersedes", D1, "--reason", "揭示值未按时提交", round_=R2
    )
    assert code == 0, out
    code, out = accept(capsys, root, T_R + 7200)
    assert read(root, D2).accepted is not None, out


def test_a_superseded_draw_is_never_drawn(root, capsys):
    # Break: D2 superseded D1 before D1's round (allowed) and asked for a later round. D1 stayed
    # open and was drawn at its round; the clerk then saw D1's objects and chose: withhold D2's
    # ceremony digits (D2 refused, D1's result stands) or let D2 draw (the latest draw wins).
    assert request(capsys, root, BEFORE)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    run(capsys, "entropy", D1, "--records", root, "--ceremony", "meeting=370215", "--reveal",
        f"jijian={REVEAL}", "--date", "2026-05-01")  # fmt: skip
    assert accept(capsys, root, BEFORE + 5400)[0] == 0 and read(root, D1).entropy_accepted is not None
    extra = ("--supersedes", D1, "--reason", "任务范围调整")
    assert request(capsys, root, BEFORE + 7200, *extra, round_=R2)[0] == 0
    code, out = accept(capsys, root, BEFORE + 9000)
    assert read(root, D2).accepted is not None, out
    d1 = read(root, D1)
    assert (
        d1.refused is not None and d1.refused["code"] == "REGISTRY_SUPERSEDED" and D2 in d1.refused["reason"]
    )
    assert "REGISTRY_SUPERSEDED" in out and ("refused", D1) in events(root)
    beacon(root)  # D1's round comes: nothing is drawn for it
    code, out = run(capsys, "draw", "--due", "--records", root, "--now", T_R + 700)
    assert read(root, D1).result is None, out
    code, out = run(capsys, "verify", "--records", root)
    assert code == 0, out
    # D2 withheld and refused at its round: the task has no result to fall back on
    code, out = accept(capsys, root, time_of_round(R2) + 60)
    assert read(root, D2).refused is not None, out
    from generator.corpus import load
    from generator.rules.drawn import drawn_teams

    assert TASK not in drawn_teams(load(root))


def test_a_request_accepted_closes_every_earlier_open_draw_of_its_task(root, capsys):
    # D3 supersedes D1 (refused) while D2 is still open: D2 must not stay drawable beside D3.
    assert request(capsys, root, BEFORE)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    extra = ("--supersedes", D1, "--reason", "任务范围调整")
    assert request(capsys, root, BEFORE + 5400, *extra, round_=R2)[0] == 0
    copy_request(root, D2, "D2026-0003", seq=3, supersedes=D1, reason="再次调整")
    code, out = accept(capsys, root, BEFORE + 9000)
    assert read(root, "D2026-0003").accepted is not None, out
    assert [read(root, d).refused["code"] for d in (D1, D2)] == ["REGISTRY_SUPERSEDED"] * 2


@pytest.mark.parametrize(
    "draw_id, seq",
    [(D2, 0), (D2, -5), (D2, True), (D2, "2"), (D2, 2.5), ("D2026-0000", 1)],
    ids=["zero", "negative", "bool", "text", "float", "same-seq-smaller-id"],
)
def test_a_request_placed_before_a_drawn_draw_of_its_task_is_refused(root, capsys, draw_id, seq):
    # Break: CI ordered requests by (seq, id) and took a seq that is not a positive integer as 0, so
    # a request for a drawn task with seq 0 (or -5, true, "2", or seq 1 under a smaller id) came
    # "before" the drawn draw, needed no supersedes and was accepted: a second draw of the task.
    # (The append check and validate refuse such a seq in the pull request; CI must not rely on it.)
    # A float seq crashed accept outright (the log refuses floats): no draw of the county went on.
    drawn(capsys, root)
    copy_request(root, D1, draw_id, seq=seq)
    code, out = accept(capsys, root, T_R + 3600)
    files = read(root, draw_id)
    assert code == 0 and files.accepted is None, out
    assert files.refused["code"] in {"REGISTRY_REQUEST_INVALID", "REGISTRY_SUPERSEDES_DRAWN"}
    code, out = run(capsys, "verify", "--records", root)
    assert "REGISTRY_LOG" not in out, out


@pytest.mark.parametrize(
    "people",
    ["reveals: [1, 2]", "ceremony: 5", "reveals: {jijian: 1.5}", "ceremony: {meeting: [3, 7]}"],
    ids=["reveals-list", "ceremony-number", "reveal-float", "digits-list"],
)
def test_a_malformed_entropy_file_is_refused_not_a_crash_of_the_run(root, capsys, people):
    # Break: accept crashed on these (internal error, exit 1 or 2), so `ci registry` stopped for the
    # whole county every hour until the round: other draws' digits went unaccepted past their own
    # rounds (and so were refused) - a clerk's way to get other draws withdrawn.
    assert request(capsys, root, BEFORE)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    (store.folder(root, D1) / store.ENTROPY).write_text(f"id: {D1}\n{people}\n", encoding="utf-8")
    code, out = accept(capsys, root, BEFORE + 7200)
    assert code == 0 and read(root, D1).refused["code"] == "REGISTRY_ENTROPY_INVALID", out
    code, out = run(capsys, "verify", "--records", root)
    assert code == 0, out


def test_accepted_entropy_without_the_named_ceremony_closes_the_draw_at_its_round(root, capsys):
    # Break: entropy.yaml with the reveals but not the ceremony digits the request names was
    # accepted; at round R the draw was not due (digits missing), was never refused, and (its
    # round having come) could not be superseded: the task could never be drawn.
    assert request(capsys, root, BEFORE)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    (store.folder(root, D1) / store.ENTROPY).write_text(
        f"id: {D1}\nreveals:\n  jijian: {REVEAL}\nrecorded_on: 2026-05-01\n", encoding="utf-8"
    )
    assert accept(capsys, root, BEFORE + 7200)[0] == 0 and read(root, D1).entropy_accepted is not None
    code, out = accept(capsys, root, T_R + 600)
    assert read(root, D1).refused["code"] == "REGISTRY_ENTROPY_LATE" and "meeting" in out, out


def _assistant_per_team(root, rows: list[str]) -> None:
    """The task takes one expert or testing body per team from market's roster ``rows``."""
    task = root / "units/market/tasks/T2026-market-01.yaml"
    text = task.read_text(encoding="utf-8")
    if "assistants: 1" not in text:
        task.write_text(
            text.replace("  max_objects: 3\n", "  max_objects: 3\n  assistants: 1\n"), encoding="utf-8"
        )
    head = "编号,名称或姓名,类型,管理单位,专业领域,状态,联系电话,申报的利害关系\n"
    (root / "units/market/assistants.csv").write_text(head + "".join(rows), encoding="utf-8")


def test_an_assistants_declared_conflict_cannot_fail_the_draw_after_the_beacon(root, capsys):
    # Break: the pre-beacon feasibility check counted inspectors only. With one expert who declared
    # a conflict with a candidate, the request was accepted; at the round the draw failed
    # (DRAW_INFEASIBLE_OBJECT_SHORTFALL, 专家和检测机构库) exactly when that firm was drawn, and a
    # failed draw may be requested again: the firm was shielded from every draw of the task, and the
    # public failure named it, telling anyone the one expert had declared a conflict with it.
    victim = "913213233BJ1XG612E"  # class A at 50%: drawn for some randomness, not for other
    _assistant_per_team(root, [f"AS-SCJG-001,丁月红,行业专家,market,食品检验,有效,,{victim}\n"])
    code, out = request(capsys, root, BEFORE)
    assert code == 1 and "REGISTRY_INFEASIBLE" in out and "专家和检测机构库" in out, out
    assert store.all_draw_ids(root) == []
    # a second expert, free of conflicts: every outcome can be staffed, the draw goes through
    _assistant_per_team(
        root,
        [
            f"AS-SCJG-001,丁月红,行业专家,market,食品检验,有效,,{victim}\n",
            "AS-SCJG-002,卢浩燕,行业专家,market,食品检验,有效,,\n",
        ],
    )
    assert request(capsys, root, BEFORE)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    run(capsys, "entropy", D1, "--records", root, "--ceremony", "meeting=370215", "--reveal",
        f"jijian={REVEAL}", "--date", "2026-05-01")  # fmt: skip
    assert accept(capsys, root, T_R - 600)[0] == 0
    beacon(root)
    code, out = run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    files = read(root, D1)
    assert files.failed is None and files.result is not None, out
    assert all(t["assistants"] for t in files.result["output"]["teams"])


def test_an_assistant_request_written_by_hand_is_refused_by_ci_before_the_beacon(root, capsys):
    # The same request made by hand in a pull request (the command refuses to write it): CI's
    # acceptance applies the same check and publishes no count of the recusals.
    victim = "913213233BJ1XG612E"
    _assistant_per_team(
        root,
        [
            f"AS-SCJG-001,丁月红,行业专家,market,食品检验,有效,,{victim}\n",
            "AS-SCJG-002,卢浩燕,行业专家,market,食品检验,有效,,\n",
        ],
    )
    assert request(capsys, root, BEFORE)[0] == 0
    _assistant_per_team(root, [f"AS-SCJG-001,丁月红,行业专家,market,食品检验,有效,,{victim}\n"])
    pools = store.read_json(store.folder(root, D1) / store.POOLS)
    pools["assistants"] = [p for p in pools["assistants"] if p["id"] == "AS-SCJG-001"]
    from tests.test_registry_order import _repin

    _repin(root, D1, change_pools=lambda p: p.update(assistants=pools["assistants"]))
    code, out = accept(capsys, root, BEFORE + 3600)
    refused = read(root, D1).refused
    assert code == 0 and refused is not None and refused["code"] == "REGISTRY_INFEASIBLE", out
    assert "专家和检测机构库" in refused["reason"] and "回避" not in refused["reason"]


def _second_task(root) -> str:
    task = root / "units/market/tasks/T2026-market-01.yaml"
    other = task.with_name("T2026-market-02.yaml")
    other.write_text(task.read_text(encoding="utf-8").replace(TASK, "T2026-market-02"), encoding="utf-8")
    return "T2026-market-02"


@pytest.mark.parametrize("same_task", [False, True], ids=["two-tasks", "one-task"])
def test_two_requests_raced_in_with_one_seq_do_not_stop_the_site_once_ci_settled_them(
    root, capsys, same_task
):
    # Break: two pull requests each add a request with the next seq (each passes the append check
    # and validate alone; a 2026 and a 2027 draw, or a hand-picked folder number, share no path).
    # CI settles both (accepts them, or refuses the later one of a task), but validate kept
    # reporting DRAW_SEQ_GAP (and DRAW_SUPERSEDES_MISSING) at the request: an error in the draw
    # registry, which ci site cannot leave out and no pull request may edit - no unit's site was
    # published again. A settled request's place is CI's decision, recorded in the log.
    from generator.cli.ci_steps import withhold

    other = TASK if same_task else _second_task(root)
    assert request(capsys, root, BEFORE)[0] == 0
    copy_request(root, D1, D2, round_=R)  # the other pull request's request, same seq 1
    if not same_task:
        data = yaml.safe_load((store.folder(root, D2) / store.REQUEST).read_text(encoding="utf-8"))
        data["task"] = data["parameters"]["task"]["id"] = other
        (store.folder(root, D2) / store.REQUEST).write_text(store.dump_yaml(data), encoding="utf-8")
        from tests.test_registry_order import _repin

        _repin(root, D2)
    code, out = run(capsys, "validate", "--records", root)
    assert code == 1 and "DRAW_SEQ_GAP" in out  # the pull request check still sees the race
    code, out = accept(capsys, root, BEFORE + 3600)
    assert read(root, D1).accepted is not None, out
    assert (read(root, D2).refused is not None) == same_task, out
    code, out = run(capsys, "validate", "--records", root)
    assert code == 0, out
    assert withhold.plan(root).ok
    code, out = run(capsys, "verify", "--records", root)
    assert code == 0, out


def test_a_draw_folder_without_a_request_is_reported_and_never_closed_by_ci(root, capsys):
    # Break: records/draws/2026/D2026-0099/pool-internal.json alone (a pull request passing every
    # check) made CI's accept write refused.yaml and a log line into the folder: validate
    # (DRAW_RESULT_WITHOUT_REQUEST) and verify (REGISTRY_UNREADABLE, REGISTRY_LOG_MISSING) then
    # failed in the append-only registry, and ci site stopped for every unit.
    stray = root / "draws/2026/D2026-0099"
    stray.mkdir(parents=True)
    (stray / "pool-internal.json").write_text('{"objects": []}\n', encoding="utf-8")
    code, out = run(capsys, "validate", "--records", root)
    assert code == 1 and "DRAW_RESULT_WITHOUT_REQUEST" in out and "D2026-0099/pool-internal.json" in out, out
    code, out = accept(capsys, root, BEFORE)
    assert code == 0 and sorted(p.name for p in stray.iterdir()) == ["pool-internal.json"], out
    assert not store.log_path(root).exists() or "D2026-0099" not in store.log_path(root).read_text("utf-8")
    assert "D2026-0099" in out  # said, not recorded
