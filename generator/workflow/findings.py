"""Build and print workflow findings (same ``Finding`` shape as the validator's)."""

from __future__ import annotations

from collections.abc import Iterable

from generator.catalog import ERROR
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
    """Print every finding; exit 1 when one is an error (warnings are shown and do not fail)."""
    items = sorted(findings, key=lambda f: (f.file, f.line, f.code, f.path))
    for f in items:
        print(f.render())
    if github:
        for f in items:
            level = "error" if f.severity == ERROR else "warning"
            emit_command(
                github_annotation(f, level, column=False)
            )  # %, CR, LF (and , : in properties) escaped
    errors = [f for f in items if f.severity == ERROR]
    if errors:
        print(f"{fail_text}：{len(errors)} 个错误。")
        return 1
    print(ok_text if not items else f"{ok_text}（{len(items)} 个警告）")
    return 0
