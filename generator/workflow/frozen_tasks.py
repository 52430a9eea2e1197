"""A drawn task keeps the fields its draw does not freeze but the figures read (append-check).

``TASK_CHANGED_AFTER_DRAW`` (validate) holds a task to the copy its draw request froze: initiator,
participants, items, window. ``co_initiators`` is not in that copy (protocol §5: the engine does not
read it), yet the 合规 page credits each co-initiator with its yearly duty to initiate a joint random
inspection. Edited after the draw, a unit could take the credit for a task it never initiated. So
a pull request may not change it on a task that a merged draw result names; the task's id decides,
wherever its file lies (a move is a delete plus an add). The joint office can merge over the check.
"""

from __future__ import annotations

import re

from generator.errors import Finding
from generator.gitrepo import Change, GitRepo
from generator.sources import decode, load_yaml
from generator.workflow.findings import wfinding

FROZEN = {"co_initiators": "共同发起单位"}


def changed_frozen_fields(
    repo: GitRepo, base_rev: str, head_rev: str, prefix: str, changes: list[Change]
) -> list[Finding]:
    task_re = re.compile(rf"^{re.escape(prefix)}/units/[^/]+/tasks/[^/]+\.yaml$")
    touched = [c for c in changes if task_re.match(c.path)]
    if not touched:
        return []
    drawn = _drawn_tasks(repo, base_rev, prefix)
    before: dict[str, dict] = {}
    after: dict[str, tuple[str, dict, bytes]] = {}
    for change in touched:
        if change.status != "A":
            old = yaml_mapping(repo.show(base_rev, change.path))[0]
            if isinstance(old.get("id"), str) and old["id"] in drawn:
                before[old["id"]] = old
        if change.status != "D":
            raw = repo.show(head_rev, change.path) or b""
            new = yaml_mapping(raw)[0]
            if isinstance(new.get("id"), str):
                after[new["id"]] = (change.path, new, raw)
    out = []
    for task_id, old in sorted(before.items()):
        if task_id not in after:
            continue  # deleted: validate names every record that still refers to it
        path, new, raw = after[task_id]
        for field, label in FROZEN.items():
            if _comparable(old.get(field)) != _comparable(new.get(field)):
                out.append(
                    wfinding(
                        "APPEND_TASK_FROZEN",
                        path,
                        key_line(raw, field),
                        0,
                        field,
                        new.get(field),
                        task=task_id,
                        label=label,
                        old=_shown(old.get(field)),
                        new=_shown(new.get(field)),
                        draw=drawn[task_id],
                    )
                )
    return out


def _drawn_tasks(repo: GitRepo, rev: str, prefix: str) -> dict[str, str]:
    """Task id -> the draw whose merged result names it."""
    out: dict[str, str] = {}
    for path in repo.files(rev, f"{prefix}/draws"):
        if path.endswith("/result.yaml"):
            result = yaml_mapping(repo.show(rev, path))[0]
            task, draw = result.get("task"), result.get("id") or path.rsplit("/", 2)[-2]
            if isinstance(task, str):
                out.setdefault(task, str(draw))
    return out


def _comparable(value):
    """Unit codes as a set (their order carries nothing); anything else as it is."""
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(sorted(set(value)))
    return repr(value)


def _shown(value) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value)) or "（无）"
    return "（无）" if value is None else str(value)


def yaml_mapping(data: bytes | None) -> tuple[dict, str]:
    """A pull request's YAML file as a mapping, read with the record loader's limits (no anchors,
    tags or deep nesting), or ``{}`` and why not."""
    text, problems = decode(data or b"", "")
    if text is None:
        return {}, "文件不是 UTF-8 编码"
    loaded = load_yaml(text, "")
    if loaded.findings:
        first = loaded.findings[0]
        return {}, f"第 {first.line} 行：{first.message}"
    value = loaded.value
    return (value, "") if isinstance(value, dict) else ({}, "文件顶层不是映射")


def key_line(data: bytes | None, key: str) -> int:
    for number, line in enumerate((data or b"").decode("utf-8", "replace").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return 0
