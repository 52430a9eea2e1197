"""Which record files the public site leaves out because they have errors (ci site, ci publish).

One unit's broken record on ``main`` (two pull requests valid alone but not together, a rule made
stricter by a code update) must not stop every other unit's results being published, and an
invalid record must never be published. So the site is built from the records without the files
that have errors, repeated until what is left validates (leaving out an objects file also leaves
out the results that name its objects), and the run says loudly which files were left out and why.

Only files the units and the joint office edit by hand may be left out (``units/``, ``joint/``);
an error in ``county.yaml`` or in the draw registry (written by CI) still fails the build: without
them nothing can be shown correctly.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ERROR, Finding

ROUNDS = 8  # each round leaves out the files that leaving out the last ones broke
WITHHOLDABLE = ("units/", "joint/")
# Findings listed per withheld file in the log and job summary: one bad cell can repeat an error on
# every row (269 lines), and a forge drops a step summary over 1 MiB. validate lists them all.
MAX_LISTED = 20


@dataclass
class Withheld:
    files: list[str] = field(default_factory=list)  # relative to the records folder
    findings: list[Finding] = field(default_factory=list)  # the errors that made them left out
    blocking: list[Finding] = field(default_factory=list)  # errors no leaving out can clear

    @property
    def ok(self) -> bool:
        return not self.blocking


def errors_of(root: Path) -> list[Finding]:
    from generator.corpus import load
    from generator.validation import validate_corpus

    return [f for f in validate_corpus(load(root, display_prefix="")) if f.severity == ERROR]


def plan(root: Path, work: Path | None = None) -> Withheld:
    """The files to leave out of ``root`` so that the rest validates. ``work`` (an empty folder's
    path) receives the trimmed copy (hard links, so nothing is copied and ``root`` is untouched)."""
    out = Withheld()
    errors = errors_of(root)
    if not errors:
        return out
    # hard links need the same file system: the scratch folder sits beside the records
    holder = None if work else Path(tempfile.mkdtemp(prefix=".withheld-", dir=Path(root).resolve().parent))
    scratch = work or holder / "records"
    shutil.copytree(root, scratch, copy_function=os.link, symlinks=True)
    try:
        for _ in range(ROUNDS):
            blocking = [f for f in errors if not f.file.startswith(WITHHOLDABLE)]
            if blocking:
                out.blocking = blocking
                return out
            files = sorted({f.file for f in errors} - set(out.files))
            if not files:
                out.blocking = errors
                return out
            for rel in files:
                (scratch / rel).unlink(missing_ok=True)
            out.files += files
            out.findings += errors
            errors = errors_of(scratch)
            if not errors:
                return out
        out.blocking = errors
        return out
    finally:
        if holder is not None:
            shutil.rmtree(holder, ignore_errors=True)


def message(w: Withheld) -> str:
    """The loud part of the run's log and job summary."""
    lines = [
        f"注意：以下 {len(w.files)} 个记录文件有错误，本次发布的网站没有收录它们"
        "（其余单位的记录照常发布；改正后下次发布自动收录）：",
        *(f"  未收录：{rel}" for rel in w.files),
        "原因：",
    ]
    by_file: dict[str, list[Finding]] = {}
    for f in w.findings:
        by_file.setdefault(f.file, []).append(f)
    for file, found in by_file.items():
        lines += [f"  {f.render()}" for f in found[:MAX_LISTED]]
        if len(found) > MAX_LISTED:
            lines.append(
                f"  ……{file} 另有 {len(found) - MAX_LISTED} 条错误未列出"
                "（运行 python -m generator validate 可看全部）"
            )
    return "\n".join(lines)
