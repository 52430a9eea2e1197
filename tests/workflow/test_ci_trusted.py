"""Trusted pull-request checks: the base branch's code checks the pull request's tree.

Acceptance (issue 15): a pull request that rewrites ``generator/workflow/appendonly.py`` to accept
everything AND edits a published result still fails, and the failure names the result file — because
the checks run from a separate checkout of the base branch. The same attack run with the pull
request's own code passes, which is exactly why the workflows never do that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.corpus import load
from generator.workflow.codeowners import render
from tests.workflow.gitutil import commit, git, make_repo

PROJECT = Path(__file__).resolve().parents[2]
RESULTS = "records/units/market/results/T2026-market-01.yaml"
ACCEPT_EVERYTHING = """

def check(repo, base, head="HEAD", records="records"):  # "simplified" by the pull request
    return []
"""


@pytest.fixture(scope="module")
def attacked(tmp_path_factory, full_tree_master):
    """A repository: main = real code + valid records; feature = weakened checker + edited result."""
    tmp = tmp_path_factory.mktemp("trusted")
    files = {".github/CODEOWNERS": render(load(full_tree_master), "records")}
    repo = make_repo(tmp, files)
    git(repo, "checkout", "-q", "main")
    shutil.copytree(PROJECT / "generator", repo / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(full_tree_master, repo / "records")
    commit(repo, {}, "base: code and records")
    git(repo, "checkout", "-q", "feature")
    git(repo, "reset", "-q", "--hard", "main")
    appendonly = repo / "generator" / "workflow" / "appendonly.py"
    result = repo / RESULTS
    edited = result.read_text(encoding="utf-8").replace("findings: 未发现问题", "findings: 已整改", 1)
    assert edited != result.read_text(encoding="utf-8")
    commit(
        repo,
        {
            "generator/workflow/appendonly.py": appendonly.read_text(encoding="utf-8") + ACCEPT_EVERYTHING,
            RESULTS: edited,
        },
        "accept everything, fix a published result",
    )
    trusted = tmp / "trusted"
    git(repo, "worktree", "add", "-q", "--detach", str(trusted), "main")
    return repo, trusted


def run_checks(code_dir: Path, tree: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GITEA_", "GITLAB", "CI_"))}
    env["PYTHONPATH"] = str(code_dir)
    return subprocess.run(
        [sys.executable, "-m", "generator", "ci", "checks", "--tree", str(tree), "--base", "main", *extra],
        cwd=code_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_base_code_still_refuses_the_edited_result_and_names_it(attacked):
    repo, trusted = attacked
    proc = run_checks(trusted, repo)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "== 只追加检查：未通过" in out
    assert f"{RESULTS}:" in out and "APPEND_ENTRY_CHANGED" in out
    # the weakened checker is reported to the reviewers as a protected path
    assert "CI_PROTECTED_PATH" in out and "generator/workflow/appendonly.py" in out
    assert f"代码 {trusted / 'generator'}" in out


def test_the_same_attack_passes_when_the_pull_requests_own_code_runs(attacked):
    repo, _ = attacked
    proc = run_checks(repo, repo, "--local")
    out = proc.stdout + proc.stderr
    assert "== 只追加检查：通过" in out, out  # why the workflows never run the PR's code for this


def test_refuses_to_run_code_from_inside_the_checked_tree(attacked):
    repo, _ = attacked
    proc = run_checks(repo, repo)
    assert proc.returncode == 2
    assert "拒绝运行" in proc.stdout


def test_symlink_in_pull_request_is_an_error(tmp_path, full_tree_master):
    from generator.cli.ci_steps.checks import links
    from generator.gitrepo import GitRepo

    repo = make_repo(tmp_path, {"records/county.yaml": "name: x\n"})
    (repo / "records" / "units").mkdir()
    os.symlink("/etc/passwd", repo / "records" / "units" / "leak.yaml")
    commit(repo, {}, "link")
    found = links(GitRepo(repo), "records")
    assert [(f.code, f.file) for f in found] == [("CI_LINK_IN_TREE", "records/units/leak.yaml")]


def test_github_annotations_and_gitlab_code_quality(tmp_path, monkeypatch, capsys):
    import json

    from generator.cli.ci_steps import annotate
    from generator.cli.ci_steps.forge import detect
    from generator.errors import Finding

    f = Finding("APPEND_EDITED", RESULTS, 7, 3, "", "", "已公开的记录被修改", "error")
    annotate.emit([f], detect({"GITHUB_ACTIONS": "true"}))
    assert (
        capsys.readouterr().out
        == f"::error file={RESULTS},line=7,col=3,title=APPEND_EDITED::已公开的记录被修改\n"
    )
    annotate.emit([f], detect({"GITHUB_ACTIONS": "true", "GITEA_ACTIONS": "true"}), tmp_path)
    assert capsys.readouterr().out == ""  # Gitea shows the plain file:line:col lines already printed
    gitlab = detect({"GITLAB_CI": "true"})
    annotate.emit([f], gitlab, tmp_path)
    annotate.emit([f], gitlab, tmp_path)  # a second section appends
    report = json.loads((tmp_path / annotate.CODE_QUALITY_REPORT).read_text(encoding="utf-8"))
    assert len(report) == 2
    assert report[0]["location"] == {"path": RESULTS, "lines": {"begin": 7}}
    assert report[0]["severity"] == "major" and report[0]["check_name"] == "APPEND_EDITED"


def test_a_symlink_stops_the_checks_before_anything_reads_through_it(tmp_path, capsys):
    from generator.cli import main

    repo = make_repo(tmp_path / "r", {"records/county.yaml": "name: x\n"})
    os.symlink("/etc/hostname", repo / "records" / "holidays.yaml")
    commit(repo, {}, "link")
    code = main(["ci", "checks", "--tree", str(repo), "--base", "main"])
    out = capsys.readouterr().out
    assert code == 1 and "CI_LINK_IN_TREE" in out and "其余检查未运行" in out
    assert "记录校验" not in out


def test_a_stale_codeowners_file_is_an_error_naming_the_file(tmp_path, full_tree_master):
    """A unit's reviewers changed without regenerating CODEOWNERS: the trusted check says which file."""
    from generator.cli.ci_steps.checks import codeowners

    shutil.copytree(full_tree_master, tmp_path / "records")
    (tmp_path / ".github").mkdir()
    fresh = render(load(tmp_path / "records"), "records")
    (tmp_path / ".github/CODEOWNERS").write_text(fresh, encoding="utf-8")
    assert codeowners(tmp_path, "records") == []
    (tmp_path / ".github/CODEOWNERS").write_text(fresh.replace("@", "@x", 1), encoding="utf-8")
    found = codeowners(tmp_path, "records")
    assert [(f.code, f.file) for f in found] == [("CI_CODEOWNERS_STALE", ".github/CODEOWNERS")]


def test_an_error_already_on_the_base_does_not_fail_every_other_pull_request(tmp_path, full_tree_master):
    """Two pull requests valid alone but not together, or a rule made stricter by a code update,
    leave an error on main in one unit's folder. Every other unit's pull request then failed the
    trusted record check until that unit fixed it. An error the base already has is a warning
    (saying so); an error the pull request brings still fails it."""
    from generator.cli.ci_steps.checks import INHERITED, validate
    from generator.gitrepo import GitRepo

    repo = make_repo(tmp_path, {"README.md": "县\n"})
    git(repo, "checkout", "-q", "main")
    shutil.copytree(full_tree_master, repo / "records")
    unit = repo / "records" / "units" / "health" / "unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8") + "colour: 红\n", encoding="utf-8")
    commit(repo, {}, "main: health's unit.yaml got a bad field")
    git(repo, "checkout", "-q", "feature")
    git(repo, "reset", "-q", "--hard", "main")
    commit(repo, {}, "another unit's pull request, touching nothing of health's")
    git_repo = GitRepo(repo)
    base = git_repo.merge_base(git_repo.resolve("main"), git_repo.resolve("HEAD"))
    found = [f for f in validate(repo, "records", git_repo, base) if f.code == "FIELD_UNKNOWN"]
    assert [(f.file.split("/records/")[-1], f.severity) for f in found] == [
        ("units/health/unit.yaml", "warning")
    ]
    assert found[0].message.endswith(INHERITED)
    market = repo / "records" / "units" / "market" / "unit.yaml"
    commit(repo, {"records/units/market/unit.yaml": market.read_text(encoding="utf-8") + "size: 大\n"})
    found = {
        f.file.split("/records/")[-1]: f.severity
        for f in validate(repo, "records", git_repo, base)
        if f.code == "FIELD_UNKNOWN"
    }
    assert found == {"units/health/unit.yaml": "warning", "units/market/unit.yaml": "error"}


def test_the_base_export_needs_no_tar_filter(tmp_path, monkeypatch):
    """Debian 12's Python 3.11.2 has no tarfile data filter: the export still writes the records
    and nothing outside its folder."""
    import tarfile

    from generator.gitrepo import GitRepo

    monkeypatch.delattr(tarfile, "data_filter", raising=False)
    repo = make_repo(tmp_path, {"records/county.yaml": "name: 县\n", "records/units/a/unit.yaml": "id: a\n"})
    dest = tmp_path / "out"
    dest.mkdir()
    GitRepo(repo).export("HEAD", "records", dest)
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) == [
        "records/county.yaml",
        "records/units/a/unit.yaml",
    ]
