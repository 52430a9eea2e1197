"""ci site: verify, report into the forge's job summary, build — dated by the last commit."""

from __future__ import annotations

import os
import subprocess

import pytest

from generator.cli import main
from tests.support.tree import build_full
from tests.workflow.gitutil import make_repo

pytestmark = pytest.mark.heavy  # a real site build


def test_site_is_dated_by_the_last_commit_and_report_goes_to_the_summary(tmp_path, monkeypatch, capsys):
    repo = make_repo(tmp_path, {"README.md": "x\n"})
    build_full(repo / "records")  # a draw taken through request, accept, entropy and draw
    env = {**os.environ, "GIT_COMMITTER_DATE": "2026-06-30T12:00:00+08:00"}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "records"], cwd=repo, check=True, env=env)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITEA_ACTIONS", raising=False)
    monkeypatch.delenv("FORGEJO_ACTIONS", raising=False)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out_dir = tmp_path / "site"
    code = main(["ci", "site", "--records", str(repo / "records"), "--out", str(out_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert os.environ["SOURCE_DATE_EPOCH"] == "1782792000"  # the commit's time, not the clock
    assert (out_dir / "index.html").is_file()
    assert summary.read_text(encoding="utf-8").startswith("```text\n") and "已写入运行摘要" in out
