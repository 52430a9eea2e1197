"""Build and print workflow findings (same ``Finding`` shape as the validator's)."""

from __future__ import annotations

from collections.abc import Iterable

from generator.cilog import emit_command
from generator.errors import Finding, github_annotation
from generator.workflow.catalog import WORKFLOW_CATALOG


def wfinding(
    code: str, file: str, line: int = 0, column: int = 0, path: str = "", value: object = "", **params
) -> Finding:
    entry = WORKFLOW_CATALOG[code]
    message = entry.template.format(file=file, **params)
    return Finding(
        code, file, line, column, path, "" if value is None else str(value), message, entry.severity
    )


def print_workflow_findings(findings: Iterable[Finding], github: bool, ok_text: str, fail_text: str) -> int:
    items = sorted(findings, key=lambda f: (f.file, f.line, f.code, f.path))
    for f in items:
        print(f.render())
    if github:
        for f in items:
            emit_command(
                github_annotation(f, "error", column=False)
            )  # %, CR, LF (and , : in properties) escaped
    if items:
        print(f"{fail_text}：{len(items)} 个错误。")
        return 1
    print(ok_text)
    return 0
