"""Findings as each forge shows them next to the changed lines.

* GitHub Actions: workflow commands ``::error file=…,line=…,title=CODE::message``;
* GitLab CI: a Code Quality report (JSON list) that the merge request widget shows;
* Gitea/Forgejo Actions (no annotations) and local runs: nothing more than the plain
  ``file:line:column: 级别 CODE message`` lines every command prints (``Finding.render``), which
  log viewers and editors can jump to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from generator.cli.ci_steps.forge import GITHUB, GITLAB, Forge
from generator.errors import Finding

CODE_QUALITY_REPORT = "gl-code-quality-report.json"


def github_command(f: Finding, strict: bool = False) -> str:
    """One GitHub workflow command; properties and message escaped as the runner expects.

    >>> from generator.errors import Finding
    >>> github_command(Finding("X_Y", "a,b.yaml", 3, 0, "", "", "50%\\n下一行", "warning"))
    '::warning file=a%2Cb.yaml,line=3,col=1,title=X_Y::50%25%0A下一行'
    """
    kind = "error" if (f.severity == "error" or strict) else "warning"
    props = f"file={_prop(f.file)},line={f.line or 1},col={f.column or 1},title={_prop(f.code)}"
    return f"::{kind} {props}::{_data(f.message)}"


def code_quality(findings: Iterable[Finding], strict: bool = False) -> list[dict]:
    """GitLab Code Quality entries (one per finding; fingerprint stable across runs)."""
    out = []
    for f in findings:
        fingerprint = hashlib.sha256(f"{f.code}\0{f.file}\0{f.line}\0{f.message}".encode()).hexdigest()
        out.append(
            {
                "description": f"{f.code} {f.message}",
                "check_name": f.code,
                "fingerprint": fingerprint,
                "severity": "major" if (f.severity == "error" or strict) else "minor",
                "location": {"path": f.file, "lines": {"begin": f.line or 1}},
            }
        )
    return out


def emit(findings: list[Finding], forge: Forge, report_dir: Path = Path("."), strict: bool = False) -> None:
    """GitHub: print workflow commands; GitLab: append to the Code Quality report; others: nothing."""
    if forge.name == GITHUB:
        for f in findings:
            print(github_command(f, strict))
        return
    if forge.name == GITLAB:
        path = report_dir / CODE_QUALITY_REPORT
        existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        text = json.dumps(existing + code_quality(findings, strict), ensure_ascii=False, indent=1)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(path)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
