"""ci push: the only step that holds a write credential; it pushes the registry commit to main.

Branch protection keeps everyone, CI included, from pushing to the main branch except through a
reviewed pull request — with one narrow exception: the registry bot's deploy key (or bot token),
which the forge lets bypass the rule (docs/deploy.md). To keep that exception narrow, this command
refuses to push anything but fast-forward commits that only add CI's files to registered draws or
insert ``published_on`` lines into result entries that had none (``ci publish``) — ``allowed_changes``
— whatever the earlier steps did. The credential comes from the environment of
this one step (``SSJ_DEPLOY_KEY`` + ``SSJ_KNOWN_HOSTS`` for SSH, or ``SSJ_PUSH_TOKEN`` for HTTPS)
and reaches git only through that process's environment, never ``.git/config``.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import shutil
import tempfile
from pathlib import Path

from generator.cli.ci_steps.forge import detect
from generator.cli.ci_steps.gitops import git
from generator.gitrepo import GitError, GitRepo
from generator.workflow.publication import only_stamps_added

NAME = "push"
HELP = "把登记簿提交推送到主分支（只允许 records/draws/ 下只追加的快进提交；凭据只在这一步）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", type=Path, default=Path("."), help="仓库目录（默认当前目录）")
    parser.add_argument("--records", default="records", help="记录目录在仓库中的相对路径（默认 records）")
    parser.add_argument("--remote", default="", help="推送地址（默认环境变量 SSJ_PUSH_URL，否则 origin）")
    parser.add_argument("--branch", default="", help="目标分支（默认仓库的默认分支，一般是 main）")
    parser.add_argument("--base", default="", help="推送前远端分支所在的版本（默认 origin/<分支>）")
    parser.add_argument(
        "--bundle", type=Path, default=None, help="先从 ci registry --bundle 生成的文件取提交"
    )


CI_FILES = ("accepted.yaml", "entropy.yaml", "result.yaml")  # what CI adds to a registered draw


def allowed_changes(repo: Path, base: str, target: str, records: str) -> list[str]:
    """Why the commits base..target may not be pushed (empty list: they may).

    CI only ever adds its acceptance record, the entropy record and the result to a draw folder
    whose request is already on main, or appends a ``drand:`` block to an existing entropy.yaml
    (its earlier bytes unchanged). Anything else is refused, whichever step produced it.
    """
    problems = []
    if git(repo, "rev-list", "--merges", f"{base}..{target}"):
        problems.append("包含合并提交")
    draw = re.compile(rf"^{re.escape(records)}/draws/\d{{4}}/([^/]+)/([^/]+)$")
    results = re.compile(rf"^{re.escape(records)}/units/[^/]+/results/[^/]+\.yaml$")
    git_repo = GitRepo(repo)
    for change in git_repo.diff(base, target, "."):
        if results.match(change.path) and change.status == "M":
            # ci publish: only published_on lines inserted into entries that had none
            old, new = git_repo.show(base, change.path) or b"", git_repo.show(target, change.path) or b""
            if not only_stamps_added(old, new):
                problems.append(f"检查结果文件除记录公示日期外还有改动：{change.path}")
            continue
        m = draw.match(change.path)
        name = m.group(2) if m else ""
        request = change.path[: -len(name)] + "request.yaml" if m else ""
        if not m or name not in CI_FILES or git_repo.show(base, request) is None:
            problems.append(f"修改了登记簿以外的文件或未登记的抽取：{change.path}")
        elif change.status == "A":
            continue
        elif change.status == "M" and name == "entropy.yaml":
            old, new = git_repo.show(base, change.path) or b"", git_repo.show(target, change.path) or b""
            if not new.startswith(old):
                problems.append(f"改动了已有的随机源记录（只能在末尾追加）：{change.path}")
        else:
            problems.append(f"修改或删除了已公开的文件：{change.path}")
    return problems


def credential_env(tmp: Path) -> dict[str, str]:
    """git's environment for this push: SSH key or HTTPS token, from this step's variables only."""
    key, token = os.environ.get("SSJ_DEPLOY_KEY", ""), os.environ.get("SSJ_PUSH_TOKEN", "")
    if key:
        key_file, hosts = tmp / "key", tmp / "known_hosts"
        key_file.write_text(key.strip() + "\n", encoding="utf-8")
        key_file.chmod(0o600)
        hosts.write_text(os.environ.get("SSJ_KNOWN_HOSTS", ""), encoding="utf-8")
        return {
            "GIT_SSH_COMMAND": f"ssh -i {key_file} -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes "
            f"-o UserKnownHostsFile={hosts}"
        }
    if token:
        basic = base64.b64encode(f"ssj-registry-bot:{token}".encode()).decode()
        return {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "http.extraHeader",
            "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
        }
    return {}


def run(args: argparse.Namespace) -> int:
    repo = args.repo.resolve()
    branch = args.branch or detect().default_branch
    remote = args.remote or os.environ.get("SSJ_PUSH_URL", "") or "origin"
    try:
        if args.bundle:
            if not args.bundle.exists():
                print("没有登记簿提交需要推送（bundle 文件不存在）。")
                return 0
            git(repo, "fetch", "--quiet", str(args.bundle.resolve()), "HEAD")
            target = git(repo, "rev-parse", "FETCH_HEAD")
        else:
            target = git(repo, "rev-parse", "HEAD")
        base = git(repo, "rev-parse", args.base or f"origin/{branch}")
        if target == base:
            print("没有登记簿提交需要推送。")
            return 0
        if git(repo, "merge-base", base, target, check=False) != base:
            print(f"拒绝推送：{target[:12]} 不是 {base[:12]} 的快进提交。")
            return 1
        problems = allowed_changes(repo, base, target, args.records)
        if problems:
            print("拒绝推送：登记簿提交只能为已登记的抽取追加受理、随机源和结果记录。")
            for p in problems:
                print(f"  {p}")
            return 1
        tmp = Path(tempfile.mkdtemp(prefix="ssj-push-"))
        try:
            git(repo, "push", "--quiet", remote, f"{target}:refs/heads/{branch}", env=credential_env(tmp))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except GitError as exc:
        print(f"推送失败（主分支可能已更新，下次运行会重做）：{exc}")
        return 1
    print(f"已推送登记簿提交 {target[:12]} 到 {branch}。")
    return 0
