"""A registry that never jams (issue 11, points 5, 9, 10, 1): one poisoned draw among good ones.

A temporary records tree in a real Git repository holds three accepted requests with their entropy
and beacon; the second one's frozen pool is poisoned after acceptance. CI's ``draw --due`` draws the
good ones, publishes the bad one as failed, and exits 0 (so CI commits and deploys); ``verify`` still
passes (the failure is re-checked) and reports broken draws one by one; the PR dry-run names the bad
draw but blocks only a pull request that touches it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from generator.registry import log, store
from generator.registry.run import read
from tests.support.tree import BASE
from tests.test_registry_order import BEFORE, T_R, accept, beacon, entropy, request, run
from tests.workflow.gitutil import commit, git

TASKS = ("T2026-market-01", "T2026-market-02", "T2026-market-03")


def _tasks(root):
    source = root / "units/market/tasks/T2026-market-01.yaml"
    text = source.read_text(encoding="utf-8")
    for task in TASKS[1:]:
        copy = text.replace("T2026-market-01", task).replace(
            "type: 计划内\nplan_entry: P2026-market-01\n", ""
        )
        copy = copy.replace("year: 2026\n", "year: 2026\ntype: 临时\nreason: 上级部署的专项检查\n")
        (source.parent / f"{task}.yaml").write_text(copy, encoding="utf-8")


@pytest.fixture
def repo(tmp_path, capsys):
    """Three accepted draws with entropy and beacon, the second poisoned, committed on main."""
    top = tmp_path / "repo"
    root = top / "records"
    shutil.copytree(BASE, root)
    _tasks(root)
    for task in TASKS:
        assert request(capsys, root, task)[0] == 0, capsys.readouterr()
    assert accept(capsys, root, BEFORE + 3600)[1].count("已受理") == 3
    for draw_id in store.all_draw_ids(root):
        entropy(capsys, root, draw_id)
    accept(capsys, root, T_R - 600)
    for draw_id in store.all_draw_ids(root):
        beacon(root, draw_id)
    pools = store.folder(root, "D2026-0002") / store.POOLS
    data = json.loads(pools.read_text(encoding="utf-8"))
    data["objects"].pop()  # poisoned after acceptance: the pinned digest no longer matches
    pools.write_text(store.dump_json(data), encoding="utf-8")
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.email", "ci@example.invalid")
    git(top, "config", "user.name", "CI")
    git(top, "config", "commit.gpgsign", "false")
    commit(top, {}, "registry with a poisoned draw")
    git(top, "checkout", "-q", "-b", "feature")
    return top


def test_one_poisoned_draw_is_published_as_failed_and_the_others_are_drawn(repo, capsys):
    root = repo / "records"
    code, out = run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    assert code == 0, out  # CI goes on to commit and deploy
    assert "D2026-0001：已抽取" in out and "D2026-0003：已抽取" in out
    assert "D2026-0002：抽取失败" in out and ",title=DRAW_" in out and "::warning file=" in out
    failed = read(root, "D2026-0002").failed
    assert failed["code"].startswith("DRAW_") and failed["reason"] and failed["task"] == "T2026-market-02"
    entries = log.entries(store.log_path(root).read_text(encoding="utf-8"))
    assert [e["draw_id"] for e in entries if e["event"] == "failed"] == ["D2026-0002"]
    # the failure is public and genuine: verify recomputes it
    code, out = run(capsys, "verify", "--records", root)
    assert code == 0 and "共 3 次抽取（其中公开失败 1 次）" in out, out
    # no veto: the failed draw is never redrawn
    code, out = run(capsys, "draw", "D2026-0002", "--records", root, "--now", T_R + 120)
    assert code == 1 and "不能重抽" in out


def test_a_failure_that_does_not_reproduce_is_caught(repo, capsys):
    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    path = store.folder(root, "D2026-0002") / store.FAILED
    path.write_text(path.read_text(encoding="utf-8").replace("code: DRAW_", "code: DRAWX_"), encoding="utf-8")
    code, out = run(capsys, "verify", "--records", root)
    assert code == 1 and "REGISTRY_FAILURE_MISMATCH" in out


@pytest.mark.parametrize(("touch", "blocked"), [("unrelated", False), ("poisoned", True)])
def test_pull_request_dry_run_names_the_bad_draw_and_blocks_only_its_own_pr(repo, capsys, touch, blocked):
    root = repo / "records"
    changed = {
        "unrelated": {"records/units/market/README.md": "说明\n"},
        "poisoned": {"records/draws/2026/D2026-0002/pool-note.csv": "id\n"},
    }[touch]
    commit(repo, changed, "a pull request")
    argv = ("draw", "--due", "--dry-run", "--base", "main", "--records", root, "--now", T_R + 60)
    code, out = run(capsys, *argv)
    assert "D2026-0002" in out and "抽取将失败" in out
    assert code == (1 if blocked else 0)
    assert not (store.folder(root, "D2026-0002") / store.FAILED).exists()  # a dry run writes nothing


def test_verify_reports_each_broken_draw_and_goes_on(repo, capsys):
    # Point 10: an engine error in one draw used to stop the verification of all later draws.
    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    first = store.folder(root, "D2026-0001") / store.ENTROPY
    first.write_text(first.read_text(encoding="utf-8").replace("jijian: ", "other: "), encoding="utf-8")
    third = store.folder(root, "D2026-0003") / store.RESULT
    text = third.read_text(encoding="utf-8")
    third.write_text(text.replace("ticket: '0.", "ticket: '0.9", 1), encoding="utf-8")
    code, out = run(capsys, "verify", "--records", root)
    assert code == 1
    assert "draws/2026/D2026-0001/" in out and "draws/2026/D2026-0003/result.yaml:" in out, out
    assert "2 处不一致" in out  # two draws, however many lines each


@pytest.mark.parametrize("broken", [store.REQUEST, store.RESULT, store.POOLS, store.ACCEPTED])
def test_verify_one_draw_reads_only_that_draw(repo, capsys, broken):
    # ``verify --draw X`` re-derives X from X's files alone: another draw's broken files neither
    # stop it nor appear in its report; a full ``verify`` still names them, at their line.
    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    other = store.folder(root, "D2026-0003") / broken
    other.write_text(other.read_text(encoding="utf-8") + "\n: [unclosed\n", encoding="utf-8")
    code, out = run(capsys, "verify", "--records", root, "--draw", "D2026-0001")
    assert code == 0 and "核验通过：共 1 次抽取" in out, out
    assert "D2026-0003" not in out
    code, out = run(capsys, "verify", "--records", root)
    assert code == 1
    line = len(other.read_text(encoding="utf-8").splitlines())
    name = f"draws/2026/D2026-0003/{broken}:{line}："
    assert name in out and "（REGISTRY_UNREADABLE）" in out, out
    assert "D2026-0001" not in out  # the sound draws still verify


def test_verify_one_draw_still_catches_its_own_tampering(repo, capsys):
    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    result = store.folder(root, "D2026-0001") / store.RESULT
    result.write_text(
        result.read_text(encoding="utf-8").replace("ticket: '0.", "ticket: '0.9", 1), encoding="utf-8"
    )
    code, out = run(capsys, "verify", "--records", root, "--draw", "D2026-0001")
    assert code == 1 and "draws/2026/D2026-0001/result.yaml:" in out and "（REGISTRY_MISMATCH）" in out
    # and a copy of it in another year's folder is its problem too
    shutil.copytree(store.folder(root, "D2026-0003"), root / "draws" / "2025" / "D2026-0003")
    code, out = run(capsys, "verify", "--records", root, "--draw", "D2026-0003")
    assert code == 1 and "draws/2025/D2026-0003/：" in out and "REGISTRY_FOLDER_MISPLACED" in out
    code, out = run(capsys, "verify", "--records", root, "--draw", "D2026-0002")
    assert code == 0, out  # the failed draw's own files hold; the stray copy is another draw's


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t,
        lambda t: t + "drawn_on: 2026-01-01\n",  # a second drawn_on line, after the output
        lambda t: t.replace("\ndrawn_on: ", "\ndrawn_on: 2026-01-01\nx_drawn_on: ", 1),  # one before it
        lambda t: t.replace("\ndrawn_on: ", "\ndrawn_on:  ", 1),  # not the line CI writes
        lambda t: t.replace("\ndrawn_on: ", "\n# drawn_on: ", 1),  # none
        lambda t: t.replace("ticket: '0.", "ticket: '0.9", 1),
    ],
)
def test_the_text_comparison_never_changes_the_report(repo, capsys, monkeypatch, edit):
    """verify renders CI's text for the recomputation from the first ``drawn_on`` line and, if the
    file is exactly that text, skips reading it; however the file's drawn_on lines are arranged, the
    report is the one the full read and field-by-field comparison gives."""
    from generator.registry import run as registry_run

    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    result = store.folder(root, "D2026-0001") / store.RESULT
    result.write_text(edit(result.read_text(encoding="utf-8")), encoding="utf-8")
    fast = run(capsys, "verify", "--records", root)
    monkeypatch.setattr(registry_run, "_same_text", lambda files, output: False)
    assert run(capsys, "verify", "--records", root) == fast


def test_verify_on_two_cores_reports_exactly_what_one_core_does(repo, capsys, monkeypatch):
    # A county's pools are verified on both cores (parallel.split); the report must not depend on it.
    from generator.cli import verify as command

    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    for draw_id in ("D2026-0001", "D2026-0003"):
        result = store.folder(root, draw_id) / store.RESULT
        text = result.read_text(encoding="utf-8")
        result.write_text(text.replace("ticket: '0.", "ticket: '0.9", 1), encoding="utf-8")
    one = run(capsys, "verify", "--records", root)
    monkeypatch.setattr(command, "SPLIT_BYTES", 0)
    monkeypatch.setattr(command.parallel, "can_fork", lambda: True)
    assert run(capsys, "verify", "--records", root) == one
    assert one[0] == 1 and one[1].count("（REGISTRY_MISMATCH）") == 2 and "2 处不一致" in one[1]


def test_a_duplicate_result_in_another_year_is_not_counted_twice(repo, capsys):
    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    shutil.copytree(store.folder(root, "D2026-0001"), root / "draws" / "2025" / "D2026-0001")
    code, out = run(capsys, "verify", "--records", root)
    assert code == 1 and "REGISTRY_FOLDER_MISPLACED" in out and "共 3 次抽取" in out


@pytest.mark.parametrize("edit", ["rewrite", "drop", "reorder"])
def test_a_rewritten_log_is_detected(repo, capsys, edit):
    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    path = store.log_path(root)
    text = path.read_text(encoding="utf-8")
    archived = log.head(text)
    lines = text.splitlines(keepends=True)
    if edit == "rewrite":
        lines[1] = lines[1].replace('"seq":2', '"seq":7')
    elif edit == "drop":
        del lines[1]
    else:
        lines[0], lines[1] = lines[1], lines[0]
    path.write_text("".join(lines), encoding="utf-8")
    code, out = run(capsys, "verify", "--records", root)
    assert code == 1 and "REGISTRY_LOG_BROKEN" in out
    assert log.position_of(path.read_text(encoding="utf-8"), archived) is None  # an archived head is gone


def test_failed_draw_and_its_correction_are_published_on_both_pages(repo, capsys):
    # No veto (point 5): the failure is public, and the new request names it with a reason.
    from generator.corpus import load
    from generator.site.draws import load_draws, load_registry_log

    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    code, out = request(capsys, root, "T2026-market-02", BEFORE + 7200)
    assert code == 1 and "REGISTRY_SUPERSEDES_MISSING" in out
    reason = "D2026-0002 的候选池在受理后被改动，抽取失败，重新申请"
    extra = ("--supersedes", "D2026-0002", "--reason", reason)
    assert request(capsys, root, "T2026-market-02", BEFORE + 7200, *extra)[0] == 0
    assert accept(capsys, root, BEFORE + 8000)[0] == 0
    entropy(capsys, root, "D2026-0004")
    accept(capsys, root, T_R - 500)
    beacon(root, "D2026-0004")
    assert "D2026-0004：已抽取" in run(capsys, "draw", "--due", "--records", root, "--now", T_R + 90)[1]
    pages = load_draws(load(root))
    failed, fixed = pages["D2026-0002"], pages["D2026-0004"]
    assert failed["bundle"] is None and failed["page"]["status"] == "抽取失败"
    assert failed["page"]["failure"]["reason"] and failed["page"]["failure"]["code"].startswith("DRAW_")
    assert failed["page"]["superseded_by"] == [{"id": "D2026-0004", "reason": reason}]
    assert fixed["page"]["supersedes"] == "D2026-0002" and fixed["page"]["supersede_reason"] == reason
    head = load_registry_log(root)["head"]
    assert failed["page"]["log_head"] == fixed["page"]["log_head"] == head
    assert run(capsys, "verify", "--records", root)[0] == 0
    html = _rendered(root, pages)
    assert "抽取失败" in html["D2026-0002"] and failed["page"]["failure"]["reason"] in html["D2026-0002"]
    assert "D2026-0004" in html["D2026-0002"] and reason in html["D2026-0002"]  # 已被更正 + why
    assert "D2026-0002" in html["D2026-0004"] and reason in html["D2026-0004"]  # 更正的抽取 + why
    assert "核验本次抽取" not in html["D2026-0002"] and "核验本次抽取" in html["D2026-0004"]
    assert all(head in page for page in html.values())
    assert "抽取失败" in html["verify"] and head in html["verify"] and "log.jsonl" in html["verify"]


def _rendered(root, pages) -> dict[str, str]:
    """Draw pages and the 如何核验 page rendered with the real templates."""
    from generator.corpus import load
    from generator.site.draws import load_registry_log
    from generator.site.models_hubs import hub_pages
    from generator.site.models_records import draw_pages
    from generator.site.render import make_env, render_page
    from generator.site.site_data import build_site_data

    site_data = build_site_data(load(root), {d: v["page"] for d, v in pages.items()})
    site_data.registry_log = load_registry_log(root)
    env = make_env(site_data)
    out = {p.data["draw"]["id"]: render_page(env, p) for p in draw_pages(site_data)}
    out["verify"] = render_page(env, next(p for p in hub_pages(site_data) if p.path == "verify.md"))
    return out


def test_pull_request_verify_checks_the_draws_it_touches(repo, capsys):
    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "CI draws")
    git(repo, "checkout", "-q", "-b", "pr2")
    result = store.folder(root, "D2026-0003") / store.RESULT
    result.write_text(
        result.read_text(encoding="utf-8").replace("ticket: '0.", "ticket: '0.9", 1), encoding="utf-8"
    )
    commit(repo, {}, "tamper with D2026-0003")
    code, out = run(capsys, "verify", "--records", root, "--base", "pr2~1")
    assert code == 1 and "D2026-0003" in out and "共 1 次抽取" in out
    commit(repo, {"records/units/market/README.md": "说明\n"}, "unrelated")  # a later, unrelated PR
    code, out = run(capsys, "verify", "--records", root, "--base", "HEAD~1")
    assert code == 0 and "共 0 次抽取" in out


def test_each_draw_has_an_inclusion_path_to_the_current_head(repo, capsys):
    from generator.registry.evidence import evidence

    root = repo / "records"
    run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    head = log.head(store.log_path(root).read_text(encoding="utf-8"))
    for draw_id in ("D2026-0001", "D2026-0003"):
        proof = evidence(root, read(root, draw_id))
        assert proof["acceptance"]["recorded_round"] + proof["acceptance"]["margin"] < 657413
        assert proof["acceptance"]["draw_id"] == draw_id
        assert log.check_inclusion(proof["inclusion"], head)
        tampered = dict(proof["inclusion"], entry=proof["inclusion"]["entry"].replace("D2026", "D2027"))
        assert not log.check_inclusion(tampered, head)


def test_verify_against_the_base_refuses_a_consistently_rewritten_log(repo, capsys):
    # A rewrite that keeps the chain sound (every later hash recomputed) still does not extend the base.
    root = repo / "records"
    path = store.log_path(root)
    entries = log.entries(path.read_text(encoding="utf-8"))
    text = ""
    for e in entries:
        e.pop("prev")
        text = log.append(text, e | ({"latest_round": 1} if e.get("draw_id") == "D2026-0001" else {}))
    path.write_text(text, encoding="utf-8")
    assert log.check_text(text) == []
    code, out = run(capsys, "verify", "--records", root, "--base", "main")
    assert code == 1 and "历史被改写" in out


def test_trusted_check_dry_run_blocks_only_the_pull_request_that_touches_the_bad_draw(repo):
    """`ci checks` (the forge-neutral PR check) says the same as `draw --due --dry-run --base`."""
    from generator.cli.ci_steps.checks import dry_run_draws

    root = repo / "records"
    unrelated = dry_run_draws(root, "records", touched=set(), today=dt.date(2026, 5, 8))
    assert [(f.code, f.file, f.severity) for f in unrelated] == [
        ("CI_DRAW_DRY_RUN", "records/draws/2026/D2026-0002/request.yaml", "warning")
    ]
    own = dry_run_draws(root, "records", touched={"D2026-0002"}, today=dt.date(2026, 5, 8))
    assert [(f.code, f.severity) for f in own] == [("CI_DRAW_DRY_RUN", "error")]
