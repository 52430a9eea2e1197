"""ci push and ci registry on real repositories: only append-only registry commits leave CI.

The remote is a bare repository standing in for the forge; the SSH key path is exercised through
the environment git receives (never .git/config).
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from generator.cli import main
from generator.cli.ci_steps.push import credential_env
from tests.workflow.gitutil import commit, git, make_repo

REQ = "records/draws/2026/D2026-0001/request.yaml"
REQUEST = "id: D2026-0001\nseq: 1\ntask: T2026-market-01\n"
ENTROPY = "records/draws/2026/D2026-0001/entropy.yaml"


@pytest.fixture
def clone(tmp_path):
    """A bare 'forge' repository with main, and a CI clone of it (origin/main)."""
    seed = make_repo(
        tmp_path / "seed",
        {
            REQ: REQUEST,
            ENTROPY: "id: D2026-0001\nceremony: {meeting: '370215'}\n",
            "generator/x.py": "X = 1\n",
        },
    )
    forge = tmp_path / "forge.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(forge))
    work = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--branch", "main", str(forge), str(work))
    for key, value in (
        ("user.email", "ci@example.invalid"),
        ("user.name", "CI"),
        ("commit.gpgsign", "false"),
    ):
        git(work, "config", key, value)
    return forge, work


def push(work: Path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["ci", "push", "--repo", str(work), "--branch", "main", *extra])
    return code, capsys.readouterr().out


def forge_main(forge: Path) -> str:
    return git(forge, "rev-parse", "main").strip()


def test_registry_append_is_pushed(clone, capsys):
    forge, work = clone
    entropy = (work / ENTROPY).read_text(encoding="utf-8") + "drand: {round: 5000}\n"
    commit(work, {"records/draws/2026/D2026-0001/accepted.yaml": "id: D2026-0001\n", ENTROPY: entropy}, "ci")
    code, out = push(work, capsys)
    assert code == 0, out
    assert forge_main(forge) == git(work, "rev-parse", "HEAD").strip()
    assert "已推送" in out


@pytest.mark.parametrize(
    "files, reason",
    [
        ({"generator/x.py": "X = 2\n"}, "登记簿以外的文件或未登记的抽取：generator/x.py"),
        ({REQ: REQUEST + "note: changed\n"}, REQ),
        ({REQ: None}, REQ),
        ({ENTROPY: "id: D2026-0001\nceremony: {meeting: '999999'}\n"}, "只能在末尾追加"),
        ({"records/draws/2026/D2026-0009/result.yaml": "x: 1\n"}, "未登记的抽取"),
        ({"records/draws/2026/D2026-0001/notes.txt": "x\n"}, "notes.txt"),
    ],
    ids=["code", "edit-request", "delete-request", "rewrite-entropy", "unregistered", "other-file"],
)
def test_anything_but_registry_appends_is_refused(clone, capsys, files, reason):
    forge, work = clone
    before = forge_main(forge)
    commit(work, files, "sneaky")
    code, out = push(work, capsys)
    assert code == 1 and "拒绝推送" in out and reason in out, out
    assert forge_main(forge) == before


def test_non_fast_forward_is_refused(clone, capsys):
    forge, work = clone
    before = forge_main(forge)
    git(work, "checkout", "-q", "--orphan", "other")
    commit(work, {"records/draws/2026/D2026-0002/request.yaml": "id: D2026-0002\n"}, "unrelated history")
    code, out = push(work, capsys)
    assert code == 1 and "快进" in out
    assert forge_main(forge) == before


def test_nothing_to_push(clone, capsys):
    _, work = clone
    code, out = push(work, capsys)
    assert code == 0 and "没有登记簿提交" in out


def test_bundle_carries_the_commit_to_a_separate_push_job(clone, tmp_path, capsys):
    forge, work = clone
    commit(work, {"records/draws/2026/D2026-0001/accepted.yaml": "id: D2026-0001\n"}, "accept")
    bundle = tmp_path / "registry.bundle"
    git(work, "bundle", "create", str(bundle), "origin/main..HEAD")
    pusher = tmp_path / "push-job"
    git(tmp_path, "clone", "-q", "--branch", "main", str(forge), str(pusher))
    code, out = push(pusher, capsys, "--bundle", str(bundle))
    assert code == 0, out
    assert forge_main(forge) == git(work, "rev-parse", "HEAD").strip()
    assert push(pusher, capsys, "--bundle", str(tmp_path / "missing.bundle"))[0] == 0


def test_credentials_reach_git_only_through_the_environment(tmp_path, monkeypatch, clone):
    _, work = clone
    monkeypatch.setenv(
        "SSJ_DEPLOY_KEY", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----"
    )
    monkeypatch.setenv("SSJ_KNOWN_HOSTS", "git.example.invalid ssh-ed25519 AAAA\n")
    env = credential_env(tmp_path)
    key = tmp_path / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert f"-i {key}" in env["GIT_SSH_COMMAND"] and "StrictHostKeyChecking=yes" in env["GIT_SSH_COMMAND"]
    monkeypatch.delenv("SSJ_DEPLOY_KEY")
    monkeypatch.setenv("SSJ_PUSH_TOKEN", "t0ken")
    env = credential_env(tmp_path)
    assert env["GIT_CONFIG_KEY_0"] == "http.extraHeader" and "t0ken" not in env["GIT_CONFIG_VALUE_0"]
    assert "t0ken" not in (work / ".git" / "config").read_text(encoding="utf-8")


def test_registry_commits_locally_without_credentials(tmp_path, full_tree_master, capsys):
    """ci registry with a given round: accepts nothing new here, runs no draw, commits nothing."""
    import shutil

    repo = make_repo(tmp_path, {"README.md": "x\n"})
    shutil.copytree(full_tree_master, repo / "records")
    commit(repo, {}, "records")
    head = git(repo, "rev-parse", "HEAD")
    code = main(
        ["ci", "registry", "--repo", str(repo), "--round", "99999999", "--bundle", str(tmp_path / "b")]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "没有新的抽取记录" in out and not (tmp_path / "b").exists()
    assert git(repo, "rev-parse", "HEAD") == head
