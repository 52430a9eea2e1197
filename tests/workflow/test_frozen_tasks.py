"""A drawn task keeps its co-initiators (append-check; red team 3's gap).

``co_initiators`` credits a unit with its yearly joint-task duty on 合规 but is not in the draw
request's frozen task, so ``TASK_CHANGED_AFTER_DRAW`` cannot see it change. A pull request that
edits it on a task whose draw is merged is refused; moving the task to another file does not help;
an undrawn task may change freely."""

from __future__ import annotations

from tests.workflow.gitutil import commit, make_repo
from tests.workflow.test_append_check import BASE, DRAWN, DRAWN_TEXT, run_check

TASK = "records/units/market/tasks/T2026-market-01.yaml"
OTHER = "records/units/market/tasks/T2026-market-02.yaml"


def task(task_id: str, co: str = "[]", name: str = "学校食堂") -> str:
    return (
        f"id: {task_id}\nname: {name}\ninitiator: market\nco_initiators: {co}\n"
        "participants: [market, health, education]\nitems: [SCJG-01]\n"
    )


def codes(out: str) -> list[str]:
    return sorted(c for c in ("APPEND_TASK_FROZEN",) for line in out.splitlines() if c in line)


def _repo(tmp_path):
    return make_repo(
        tmp_path,
        {**BASE, DRAWN: DRAWN_TEXT, TASK: task("T2026-market-01"), OTHER: task("T2026-market-02")},
    )


def test_a_drawn_tasks_co_initiators_cannot_change(tmp_path, capsys):
    repo = _repo(tmp_path)
    commit(repo, {TASK: task("T2026-market-01", "[health]")})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["APPEND_TASK_FROZEN"], out
    assert f"{TASK}:4" in out and "共同发起单位" in out and "D2026-0001" in out


def test_moving_a_drawn_task_to_another_file_does_not_unfreeze_it(tmp_path, capsys):
    repo = _repo(tmp_path)
    moved = "records/units/market/tasks/秋季.yaml"
    commit(repo, {TASK: None, moved: task("T2026-market-01", "[education]")})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["APPEND_TASK_FROZEN"], out
    assert moved in out


def test_other_edits_and_undrawn_tasks_pass(tmp_path, capsys):
    repo = _repo(tmp_path)
    commit(
        repo,
        {
            TASK: task("T2026-market-01", "[]", name="学校食堂（秋季）"),  # same co-initiators, spelt apart
            OTHER: task("T2026-market-02", "[health, education]"),  # never drawn
        },
    )
    code, out = run_check(repo, capsys)
    assert code == 0, out
