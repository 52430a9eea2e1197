"""Which draws a pull request touches (files added or changed under ``draws/<year>/<id>/``)."""

from __future__ import annotations

import re
from pathlib import Path

from generator.gitrepo import GitRepo


def touched_draw_ids(records: Path, base: str) -> set[str]:
    """Draw ids with a file changed between ``merge-base(base, HEAD)`` and ``HEAD``."""
    top = GitRepo(records).toplevel().resolve()
    repo = GitRepo(top)  # pathspecs are relative to the working directory
    prefix = Path(records).resolve().relative_to(top).as_posix()
    head = repo.resolve("HEAD")
    start = repo.merge_base(repo.resolve(base), head)
    pattern = re.compile(rf"^{re.escape(prefix)}/draws/[^/]+/([^/]+)/")
    return {m.group(1) for c in repo.diff(start, head, prefix) if (m := pattern.match(c.path))}


def log_at_base(records: Path, base: str) -> str:
    """The registry log as it was at ``merge-base(base, HEAD)`` ("" if it did not exist)."""
    top = GitRepo(records).toplevel().resolve()
    repo = GitRepo(top)
    prefix = Path(records).resolve().relative_to(top).as_posix()
    start = repo.merge_base(repo.resolve(base), repo.resolve("HEAD"))
    data = repo.show(start, f"{prefix}/draws/log.jsonl")
    return data.decode("utf-8", "replace") if data else ""
