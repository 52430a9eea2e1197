"""The build date of ``ci site``: the last commit's time, never after the clock, read in Beijing."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time

from generator.cli.ci_steps.site import build_epoch
from generator.site.models_reports import build_date
from tests.workflow.gitutil import git, make_repo


def test_a_commit_dated_in_the_future_does_not_move_the_build_date(tmp_path):
    # A unit controls its commits' dates; on a forge that merges by fast-forward (GitLab, Gitea) its
    # commit is main's last one. Dated 2030, it made the published site's "today" 2030: an entry or
    # an amendment dated up to then was not "in the future" (RESULT_DATE_FUTURE, AMENDMENT_FUTURE)
    # and the report pages counted every open follow-up as years overdue.
    repo = make_repo(tmp_path, {"records/county.yaml": "name: 泗阳县\n"})
    env = {
        **os.environ,
        "GIT_COMMITTER_DATE": "2030-01-01T00:00:00+08:00",
        "GIT_AUTHOR_DATE": "2030-01-01T00:00:00+08:00",
    }
    (repo / "records" / "x.txt").write_text("x\n", encoding="utf-8")
    git(repo, "add", "-A")
    subprocess.run(["git", "commit", "-q", "-m", "from the future"], cwd=repo, env=env, check=True)
    before = int(time.time())
    epoch = int(build_epoch(repo / "records"))
    assert before <= epoch <= int(time.time())


def test_an_ordinary_commit_keeps_its_time(tmp_path):
    repo = make_repo(tmp_path, {"records/county.yaml": "name: 泗阳县\n"})
    assert build_epoch(repo / "records") == git(repo, "log", "-1", "--format=%ct").strip()


def test_the_pages_today_is_the_beijing_date():
    # 23:30 UTC on 30 November is 07:30 on 1 December in the county, as the rules read "today"
    moment = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)
    assert build_date(int(moment.timestamp())) == dt.date(2026, 12, 1)
