"""Which record files the public site leaves out because they have errors (ci site, ci publish).

One unit's broken record on ``main`` (two pull requests valid alone but not together, a rule made
stricter by a code update) must not stop every other unit's results being published, and an
invalid record must never be published. So the site is built from the records without the files
that have errors, repeated until what is left validates (leaving out an objects file also leaves
out the results that name its objects), and the run says loudly which files were left out and why.

Only files the units and the joint office edit by hand may be left out (``units/``, ``joint/``);
an error in ``county.yaml`` or in the draw registry (written by CI) still fails the build: without
them nothing can be shown correctly. An error that appears in those files only once a unit's file is
left out (a draw result naming objects of a directory left out, a draw request naming a task left
out) is a consequence of leaving it out, not of the registry: it is listed (``consequences``) and the
build of the trimmed tree accepts exactly those (site/withheld.py, site/assemble.py).
Otherwise one bad cell in a drawn unit's ``objects.csv`` would stop every unit's site.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ERROR, Finding
from generator.records.common import UNIT_ID

ROUNDS = 8  # each round leaves out the files that leaving out the last ones broke
WITHHOLDABLE = ("units/", "joint/")
# Findings listed per withheld file in the log and job summary: one bad cell can repeat an error on
# every row (269 lines), and a forge drops a step summary over 1 MiB. validate lists them all.
MAX_LISTED = 20
_UNIT_ID = re.compile(UNIT_ID)


@dataclass
class Withheld:
    files: list[str] = field(default_factory=list)  # relative to the records folder
    findings: list[Finding] = field(default_factory=list)  # the errors that made them left out
    blocking: list[Finding] = field(default_factory=list)  # errors no leaving out can clear
    # errors in files that cannot be left out which leaving out the files above created
    consequences: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.blocking


def withholdable(f: Finding) -> bool:
    return f.file.startswith(WITHHOLDABLE)


def consequence_keys(w: Withheld) -> list[list]:
    """What the trimmed tree's build accepts: (code, file, line, field, value) of each consequence,
    the file relative to the records folder."""
    return [[f.code, f.file, f.line, f.path, f.value] for f in w.consequences]


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
        blocking = [f for f in errors if not withholdable(f)]
        if blocking:  # already in the records: a real error of county.yaml or the registry
            out.blocking = blocking
            return out
        for _ in range(ROUNDS):
            files = sorted({f.file for f in errors} - set(out.files))
            if not files:
                out.blocking = errors
                return out
            for rel in files:
                _leave_out(scratch, rel)
            out.files += files
            out.findings += errors
            errors = errors_of(scratch)
            consequences = [f for f in errors if not withholdable(f)]
            out.consequences = consequences  # the last round's: what the trimmed tree still has
            errors = [f for f in errors if withholdable(f)]
            if not errors:
                return out
        out.blocking = errors
        return out
    finally:
        if holder is not None:
            shutil.rmtree(holder, ignore_errors=True)


# A unit's unit.yaml left out would make the unit vanish, and with it every other unit's file that
# names it (a joint task, items, results): in the sample, one GBK unit.yaml took 149 files of 17 units
# off the site. In its place the trimmed tree gets this stand-in, which invents nothing: the unit's
# code as its name, its details marked withheld (every page also names the withheld file).
STAND_IN = """# stand-in written by ci site (withhold.py): the unit's own unit.yaml has errors
id: {unit}
name: {unit}（单位信息暂未公开）
short_name: {unit}
order: 999
liaison:
  name: 暂未公开
  office_phone: '-------'
"""


def _leave_out(scratch: Path, rel: str) -> None:
    """Remove ``rel`` from the trimmed copy (a folder standing where a file belongs too); a unit's
    ``unit.yaml`` is replaced by the stand-in, so the unit's other files and everyone else's still
    find the unit."""
    path = scratch / rel
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    parts = rel.split("/")
    if len(parts) == 3 and parts[0] == "units" and parts[2] == "unit.yaml" and _UNIT_ID.fullmatch(parts[1]):
        path.write_text(STAND_IN.format(unit=parts[1]), encoding="utf-8")


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
    if w.consequences:
        lines.append(
            "因不收录上述文件，抽取登记簿中以下引用暂时找不到对应记录（网站照常发布抽取结果，"
            "上述文件改正后自动恢复）："
        )
        lines += [f"  {f.render()}" for f in w.consequences[:MAX_LISTED]]
        if len(w.consequences) > MAX_LISTED:
            lines.append(f"  ……另有 {len(w.consequences) - MAX_LISTED} 条未列出")
    return "\n".join(lines)
