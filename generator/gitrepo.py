"""Thin read-only wrapper over the ``git`` command line (no third-party Git library needed)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


class GitError(RuntimeError):
    """A git command failed; the message is shown to the user as is."""


@dataclass(frozen=True)
class Change:
    status: str  # A, M, D, T (type change) — renames are split into D + A on purpose
    path: str  # repository-relative, forward slashes


class GitRepo:
    def __init__(self, directory: Path | str = "."):
        self.directory = Path(directory)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=self.directory, capture_output=True, check=False
        )
        if check and proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"git {' '.join(args)} 失败：{detail}")
        return proc

    def toplevel(self) -> Path:
        return Path(self._run("rev-parse", "--show-toplevel").stdout.decode().strip())

    def resolve(self, rev: str) -> str:
        proc = self._run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if proc.returncode != 0:
            raise GitError(
                f"找不到 Git 版本“{rev}”。在 CI 中请先 git fetch 基准分支（actions/checkout 设置 fetch-depth: 0）。"
            )
        return proc.stdout.decode().strip()

    def merge_base(self, base: str, head: str) -> str:
        proc = self._run("merge-base", base, head, check=False)
        return proc.stdout.decode().strip() if proc.returncode == 0 else self.resolve(base)

    def diff(self, base: str, head: str, prefix: str) -> list[Change]:
        out = self._run("diff", "--name-status", "--no-renames", "-z", base, head, "--", prefix).stdout
        parts = out.decode("utf-8").split("\0")
        changes = []
        for status, path in zip(parts[0::2], parts[1::2], strict=False):
            if status:
                changes.append(Change(status[0], path))
        return changes

    def show(self, rev: str, path: str) -> bytes | None:
        proc = self._run("show", f"{rev}:{path}", check=False)
        return proc.stdout if proc.returncode == 0 else None

    def export(self, rev: str, prefix: str, dest: Path) -> Path:
        """Write the files and folders under ``prefix`` at ``rev`` into ``dest`` (``git archive``).
        Links, devices and any member with an absolute path or ``..`` are left out (records hold
        none: the trusted check refuses links); the member check is ours because tarfile's ``data``
        filter is missing from Python 3.11 before 3.11.4 (Debian 12 ships 3.11.2). Returns ``dest``."""
        import io
        import tarfile
        from pathlib import PurePosixPath

        data = self._run("archive", "--format=tar", rev, "--", prefix).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            members = [
                m
                for m in archive.getmembers()
                if (m.isreg() or m.isdir())
                and not PurePosixPath(m.name).is_absolute()
                and ".." not in PurePosixPath(m.name).parts
            ]
            extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            archive.extractall(dest, members=members, **extra)
        return dest

    def files(self, rev: str, prefix: str) -> list[str]:
        out = self._run("ls-tree", "-r", "-z", "--name-only", rev, "--", prefix).stdout
        return sorted(p for p in out.decode("utf-8").split("\0") if p)

    def special_entries(self, rev: str, prefix: str) -> list[tuple[str, str]]:
        """(mode, path) of every symbolic link (120000) or submodule (160000) under ``prefix``."""
        out = self._run("ls-tree", "-r", "-z", rev, "--", prefix).stdout
        found = []
        for entry in out.decode("utf-8", "replace").split("\0"):
            meta, _, path = entry.partition("\t")
            mode = meta.split(" ", 1)[0]
            if mode in ("120000", "160000"):
                found.append((mode, path))
        return found

    def sizes(self, rev: str, prefix: str) -> dict[str, int]:
        """path -> blob size in bytes of every file under ``prefix`` (read before any blob is)."""
        out = self._run("ls-tree", "-r", "-l", "-z", rev, "--", prefix).stdout
        found = {}
        for entry in out.decode("utf-8", "replace").split("\0"):
            meta, _, path = entry.partition("\t")
            fields = meta.split()
            if len(fields) == 4 and fields[1] == "blob" and fields[3].isdigit():
                found[path] = int(fields[3])
        return found
