"""ci publish on real repositories (issue 13 point 5): CI records ``published_on`` for newly
published results, append-only; a pull request that writes it is refused; ci push lets through
nothing but the inserted dates."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import yaml

from generator.cli import main
from generator.workflow.publication import only_stamps_added, stamp
from tests.support.tree import build_full
from tests.workflow.gitutil import commit, git, make_repo
from tests.workflow.test_append_check import BASE, RESULT, RESULT_TEXT, run_check
from tests.workflow.test_ci_push import clone, forge_main, push  # noqa: F401 - pytest fixture

DAY = dt.date(2026, 5, 25)
PUBLISHED_FIRST = RESULT_TEXT.replace(
    "    entered_on: 2026-04-24\n", "    entered_on: 2026-04-24\n    published_on: 2026-04-27\n"
)


def entries(text: str) -> list[dict]:
    return yaml.safe_load(text)["entries"]


def test_stamp_inserts_one_line_per_unpublished_entry_and_nothing_else():
    new, count = stamp(PUBLISHED_FIRST, DAY)
    assert count == 1
    assert [e.get("published_on") for e in entries(new)] == [dt.date(2026, 4, 27), DAY]
    removed = [line for line in new.splitlines(True) if line not in PUBLISHED_FIRST.splitlines(True)]
    assert removed == ["    published_on: 2026-05-25\n"]
    assert stamp(new, DAY + dt.timedelta(days=3)) == (new, 0)  # a second run changes nothing
    assert only_stamps_added(PUBLISHED_FIRST.encode(), new.encode())
    assert not only_stamps_added(new.encode(), PUBLISHED_FIRST.encode())  # a date removed
    edited = new.replace("findings: 未发现问题", "findings: 已整改")
    assert not only_stamps_added(PUBLISHED_FIRST.encode(), edited.encode())
    redated = new.replace("published_on: 2026-04-27", "published_on: 2026-05-25")
    assert not only_stamps_added(PUBLISHED_FIRST.encode(), redated.encode())  # an earlier date moved


def test_ci_publish_commits_the_dates_and_ci_push_sends_them(clone, capsys):  # noqa: F811
    forge, work = clone
    # a tree ci site builds: ci publish dates only what the site it precedes will carry
    shutil.rmtree(work / "records")
    build_full(work / "records")
    first = "  entered_on: 2026-05-15\n"
    text = (
        (work / RESULT).read_text(encoding="utf-8").replace(first, first + "  published_on: 2026-05-16\n", 1)
    )
    (work / RESULT).write_text(text, encoding="utf-8")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "records, one result published already")
    git(work, "push", "-q", "origin", "HEAD:main")
    before = git(work, "rev-parse", "HEAD").strip()
    assert main(["ci", "publish", "--repo", str(work), "--date", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert f"{RESULT}：3 条结果记录公示日期 2026-05-25" in out
    assert git(work, "rev-parse", "HEAD~1").strip() == before  # one new local commit
    text = (work / RESULT).read_text(encoding="utf-8")
    assert [e.get("published_on") for e in entries(text)] == [dt.date(2026, 5, 16), DAY, DAY, DAY]
    code, out = push(work, capsys)
    assert code == 0, out
    assert forge_main(forge) == git(work, "rev-parse", "HEAD").strip()
    assert main(["ci", "publish", "--repo", str(work), "--date", "2026-06-01"]) == 0
    assert "没有新公示的结果" in capsys.readouterr().out


def test_ci_push_refuses_a_results_commit_that_does_more_than_add_dates(clone, capsys):  # noqa: F811
    forge, work = clone
    commit(work, {RESULT: PUBLISHED_FIRST}, "merged")
    git(work, "push", "-q", "origin", "HEAD:main")
    new, _ = stamp(PUBLISHED_FIRST, DAY)
    commit(work, {RESULT: new.replace("findings: 未发现问题", "findings: 已整改")}, "sneaky")
    before = forge_main(forge)
    code, out = push(work, capsys)
    assert code == 1 and "除记录公示日期外还有改动" in out, out
    assert forge_main(forge) == before


def test_a_pull_request_may_not_write_published_on(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    added = RESULT_TEXT.replace(
        "    entered_on: 2026-05-15\n", "    entered_on: 2026-05-15\n    published_on: 2026-05-16\n"
    )
    new_file = "records/units/market/results/T2026-market-02.yaml"
    commit(repo, {RESULT: added, new_file: PUBLISHED_FIRST.replace("T2026-market-01", "T2026-market-02")})
    code, out = run_check(repo, capsys)
    assert code == 1
    assert out.count("APPEND_PUBLISHED_BY_PR") == 2, out
    assert f"{RESULT}:16" in out and f"{new_file}:9" in out
    assert "公示日期由 CI 在结果公示时自动记录" in out
    assert "APPEND_ENTRY_CHANGED" not in out  # one message per problem, the specific one


def test_ci_publish_dates_nothing_when_the_site_will_not_be_built(tmp_path, capsys):
    # An error no leaving out can clear (here county.yaml) stops ci site: nothing is deployed, so
    # no result may be dated as published today (the dates used to be stamped and committed anyway).
    repo = make_repo(tmp_path, {"README.md": "x\n"})
    build_full(repo / "records")
    county = repo / "records/county.yaml"
    county.write_text(county.read_text(encoding="utf-8") + "unknown_setting: 1\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "records"], cwd=repo, check=True)
    before = git(repo, "rev-parse", "HEAD").strip()
    bundle = tmp_path / "publish.bundle"
    argv = ["ci", "publish", "--repo", str(repo), "--date", DAY.isoformat(), "--bundle", str(bundle)]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "本次不会发布网站，因此不记录任何公示日期" in out
    assert "records/county.yaml:25" in out and "FIELD_UNKNOWN" in out, out
    results = list((repo / "records/units").glob("*/results/*.yaml"))
    assert results and not any("published_on" in p.read_text(encoding="utf-8") for p in results)
    assert git(repo, "rev-parse", "HEAD").strip() == before and not bundle.exists()
    assert git(repo, "status", "--porcelain").strip() == ""


def test_ci_publish_dates_in_beijing_time_not_the_runners_utc(clone, capsys):  # noqa: F811
    # CI runners keep UTC; 07:30 on 1 December in Beijing is still 30 November there. A result
    # entered on 1 December (Beijing) and merged that morning was dated published_on 30 November:
    # a publication before its entry (RESULT_PUBLISHED_BEFORE_ENTRY, an error), in an entry nobody
    # may change any more, so the unit's results file was left off the site for good.
    forge, work = clone
    shutil.rmtree(work / "records")
    build_full(work / "records")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "records")
    assert main(["ci", "publish", "--repo", str(work), "--now", "2026-11-30T23:30:00Z"]) == 0
    assert "条结果记录公示日期 2026-12-01" in capsys.readouterr().out
    text = (work / RESULT).read_text(encoding="utf-8")
    assert {e.get("published_on") for e in entries(text)} == {dt.date(2026, 12, 1)}


def test_ci_publish_defaults_to_the_beijing_date(clone, capsys):  # noqa: F811
    forge, work = clone
    shutil.rmtree(work / "records")
    build_full(work / "records")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "records")
    china = dt.timezone(dt.timedelta(hours=8))
    before = dt.datetime.now(china).date()
    assert main(["ci", "publish", "--repo", str(work)]) == 0
    after = dt.datetime.now(china).date()
    stamped = {e.get("published_on") for e in entries((work / RESULT).read_text(encoding="utf-8"))}
    assert stamped <= {before, after}, (stamped, before)
