"""Real temporary repositories for ``ci intake``: main holds records, a feature branch adds an upload."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from openpyxl import Workbook

from generator.cli import main
from tests.workflow.gitutil import git

OBJECTS_HEADER = ["对象编号", "编号类型", "名称", "对象类型", "乡镇（街道）", "地址", "专项库标签", "状态"]


def xlsx(rows: list[list[object]], sheet: str = "对象名录") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_intake_repo(tmp: Path, records: Path) -> tuple[Path, Path]:
    """(work clone on branch ``feature``, bare remote): main = records + inbox/README.md."""
    tmp.mkdir(parents=True, exist_ok=True)
    remote = tmp / "remote.git"
    git(tmp, "init", "-q", "--bare", "-b", "main", str(remote))
    repo = tmp / "work"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for key, value in (
        ("user.email", "clerk@example.invalid"),
        ("user.name", "Clerk"),
        ("commit.gpgsign", "false"),
    ):
        git(repo, "config", key, value)
    shutil.copytree(records, repo / "records")
    (repo / "inbox").mkdir()
    (repo / "inbox" / "README.md").write_text("上传到 inbox/单位代号/\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main")
    git(repo, "fetch", "-q", "origin")
    git(repo, "checkout", "-q", "-b", "feature")
    return repo, remote


def upload(repo: Path, files: dict[str, bytes], push_to: str | None = "feature") -> str:
    """Commit ``files`` (as the forge's upload page does) and return the new HEAD."""
    for rel, data in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "上传文件")
    if push_to:
        git(repo, "push", "-q", "origin", f"HEAD:refs/heads/{push_to}")
    return git(repo, "rev-parse", "HEAD").strip()


def intake(repo: Path, *extra: str, comment: Path | None = None) -> int:
    argv = ["ci", "intake", "--tree", str(repo), "--base", "origin/main", *extra]
    if comment is not None:
        argv += ["--comment-file", str(comment)]
    return main(argv)
