"""A plan's filing date (``filed_on``) is the unit's word; CI's clock knows when the plan reached the
platform. A plan that claims to be filed by the deadline but arrives after it is pointed out to the
reviewer (a warning: a plan filed on paper in time and entered later is legitimate)."""

from __future__ import annotations

from generator.cli import main
from tests.workflow.gitutil import commit, make_repo

PLAN = "records/units/health/plans/2027.yaml"
JOINT = "records/joint/plans/2027.yaml"
BASE = {"records/county.yaml": "name: 泗阳县\ndeadlines: {unit_plan: '01-31'}\n"}


def plan(filed: str) -> str:
    return f"year: 2027\nunit: health\nfiled_on: {filed}\nentries: []\n"


def check(repo, now, capsys) -> tuple[int, str]:
    code = main(["append-check", "--base", "main", "--repo", str(repo), "--now", now])
    return code, capsys.readouterr().out


def test_a_plan_claiming_the_deadline_that_arrives_after_it_is_pointed_out(tmp_path, capsys):
    # Filed on 2027-03-15 (CI's clock), the plan said 2027-01-20: on the site and in 合规 it was
    # "filed on time" (no CAL_UNIT_PLAN_LATE), which nothing the unit submitted could show.
    repo = make_repo(tmp_path, BASE)
    commit(repo, {PLAN: plan("2027-01-20")})
    code, out = check(repo, "2027-03-15T10:00:00+08:00", capsys)
    assert code == 0, out  # a warning: the pull request is not refused
    assert "APPEND_PLAN_FILED_BEFORE_ARRIVAL" in out and "2027-01-20" in out and "2027-03-15" in out, out
    assert "filed_on" in out and PLAN in out


def test_a_plan_filed_in_time_or_dated_truthfully_late_passes_quietly(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {PLAN: plan("2027-01-20")})
    code, out = check(repo, "2027-01-25T10:00:00+08:00", capsys)  # arrives before the deadline
    assert code == 0 and "APPEND_PLAN" not in out, out
    repo = make_repo(tmp_path / "late", BASE)
    commit(repo, {PLAN: plan("2027-03-15")})  # late, and says so: validate's CAL_UNIT_PLAN_LATE
    code, out = check(repo, "2027-03-15T10:00:00+08:00", capsys)
    assert code == 0 and "APPEND_PLAN" not in out, out


def test_an_edit_that_moves_the_filing_date_back_after_the_deadline_is_pointed_out(tmp_path, capsys):
    repo = make_repo(tmp_path, {**BASE, PLAN: plan("2027-02-20")})
    commit(repo, {PLAN: plan("2027-01-30")})
    code, out = check(repo, "2027-03-01T09:00:00+08:00", capsys)
    assert code == 0 and "APPEND_PLAN_FILED_BEFORE_ARRIVAL" in out, out
    repo = make_repo(tmp_path / "same", {**BASE, PLAN: plan("2027-01-30")})  # date untouched
    commit(repo, {PLAN: plan("2027-01-30").replace("entries: []", "entries: []\nnote: 补充")})
    code, out = check(repo, "2027-03-01T09:00:00+08:00", capsys)
    assert code == 0 and "APPEND_PLAN" not in out, out


def test_the_joint_plan_is_held_to_its_own_target(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {JOINT: "year: 2027\nunit: joint\nfiled_on: 2027-03-05\nentries: []\n"})
    code, out = check(repo, "2027-04-20T09:00:00+08:00", capsys)
    assert code == 0 and "APPEND_PLAN_FILED_BEFORE_ARRIVAL" in out and "2027-03-10" in out, out
