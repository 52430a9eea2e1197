"""The few git writes CI makes (commit, bundle, push), apart from the read-only ``GitRepo``.

No credential is ever written to ``.git/config``: a push gets its key through environment
variables of that one process (``GIT_SSH_COMMAND``), and the key file is deleted afterwards.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from generator.gitrepo import GitError

BOT_NAME = os.environ.get("SSJ_BOT_NAME", "ssj-registry-bot")
BOT_EMAIL = os.environ.get("SSJ_BOT_EMAIL", "ssj-registry-bot@users.noreply.invalid")


def git(repo: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    proc = subprocess.run(
        ["git", "-c", "core.quotepath=off", *args],
        cwd=repo,
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if check and proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {' '.join(args[:2])} 失败：{detail}")
    return proc.stdout.decode("utf-8", "replace").strip()


def commit_paths(repo: Path, paths: list[str], message: str) -> bool:
    """Commit changes under ``paths`` as the registry bot; False when there was nothing to commit."""
    git(repo, "add", "--", *paths)
    if subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=repo, check=False).returncode == 0:
        return False
    git(
        repo,
        "-c",
        f"user.name={BOT_NAME}",
        "-c",
        f"user.email={BOT_EMAIL}",
        "commit",
        "--quiet",
        "--no-verify",
        "-m",
        message,
    )
    return True
