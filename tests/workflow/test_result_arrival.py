"""``entered_on`` is the unit's word; CI's clock knows when a result reached the platform. Entries
dated within the 10 working days that arrive after them are pointed out to the reviewer (a warning:
results entered in the provincial platform in time and brought here later, a county's history, or a
pull request that waited for review, are legitimate)."""

from __future__ import annotations

from generator.cli import main
from tests.workflow.gitutil import commit, make_repo

RESULT = "records/units/health/results/T2026-health-01.yaml"
BASE = {"records/county.yaml": "name: 泗阳县\n"}


def entry(obj: str, inspected: str, entered: str) -> str:
    return (
        f"- object: {obj}\n  inspectors: [WJ-001, WJ-002]\n  inspected_on: {inspected}\n"
        f"  entered_on: {entered}\n  methods: [实地检查]\n  categories: ['1']\n"
        "  findings: 未发现问题\n  disposition: 无需处置\n"
    )


def results(*entries: str) -> str:
    return "task: T2026-health-01\nunit: health\ndraw: D2026-0001\nentries:\n" + "".join(entries)


def check(repo, now, capsys) -> tuple[int, str]:
    code = main(["append-check", "--base", "main", "--repo", str(repo), "--now", now])
    return code, capsys.readouterr().out


def test_results_dated_on_time_that_arrive_late_are_pointed_out(tmp_path, capsys):
    # Inspected Fri 2026-09-25; the 10th working day after is Thu 2026-10-15 (国庆 10-1..10-7,
    # Sat 10-10 a 调休 working day). Submitted on 2026-11-30 with entered_on 2026-09-30, the entry counted
    # as entered on time (no RESULT_ENTRY_LATE) on the site and in 合规.
    repo = make_repo(tmp_path, BASE)
    commit(
        repo,
        {RESULT: results(entry("A1", "2026-09-25", "2026-09-30"), entry("A2", "2026-09-25", "2026-10-15"))},
    )
    code, out = check(repo, "2026-11-30T10:00:00+08:00", capsys)
    assert code == 0, out  # a warning: not refused
    assert out.count("APPEND_RESULT_ENTERED_BEFORE_ARRIVAL") == 1, out  # one per file
    assert "2 条" in out and "A1" in out and "2026-09-30" in out and "2026-11-30" in out, out


def test_results_within_their_time_or_dated_truthfully_pass_quietly(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {RESULT: results(entry("A1", "2026-09-25", "2026-09-30"))})
    code, out = check(repo, "2026-10-15T18:00:00+08:00", capsys)  # the last day of the 10
    assert code == 0 and "APPEND_RESULT" not in out, out
    repo = make_repo(tmp_path / "late", BASE)
    commit(repo, {RESULT: results(entry("A1", "2026-09-25", "2026-11-30"))})  # late, and says so
    code, out = check(repo, "2026-11-30T10:00:00+08:00", capsys)
    assert code == 0 and "APPEND_RESULT" not in out, out


def test_only_entries_the_pull_request_adds_are_compared(tmp_path, capsys):
    repo = make_repo(tmp_path, {**BASE, RESULT: results(entry("A1", "2026-09-25", "2026-09-30"))})
    commit(
        repo,
        {RESULT: results(entry("A1", "2026-09-25", "2026-09-30"), entry("A2", "2026-11-20", "2026-11-27"))},
    )
    code, out = check(repo, "2026-11-30T10:00:00+08:00", capsys)
    assert code == 0 and "APPEND_RESULT" not in out, out
