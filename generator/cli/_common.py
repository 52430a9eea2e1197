"""Options and output helpers shared by the commands."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from generator.cilog import emit_command
from generator.errors import Findings, github_annotation


def add_records_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--records",
        type=Path,
        default=Path(os.environ.get("SSJ_RECORDS", "records")),
        help="记录目录（默认 records，或环境变量 SSJ_RECORDS）",
    )


def add_github_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--github",
        action="store_true",
        default=os.environ.get("GITHUB_ACTIONS") == "true",
        help="同时输出 GitHub Actions 注释（在 GitHub 上默认开启）",
    )


def print_findings(findings: Findings, strict: bool = False, github: bool = False) -> int:
    """Print grouped findings and a summary line; returns the exit code."""
    for line in findings.grouped():
        print(line)
    if github:
        for f in findings.sorted():
            kind = "error" if (f.severity == "error" or strict) else "warning"
            emit_command(github_annotation(f, kind))
    errors, warnings = len(findings.errors), len(findings.warnings)
    failed = errors > 0 or (strict and warnings > 0)
    status = "未通过" if failed else "通过"
    print(f"校验{status}：{errors} 个错误，{warnings} 个警告。")
    return 1 if failed else 0


def year(text: str) -> int:
    """An argparse type for --year: a four-digit year (a path and a date are built from it)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度“{text}”不是整数，应为四位数的年份") from None
    if not 1900 <= value <= 2999:
        raise argparse.ArgumentTypeError(f"年度“{text}”超出范围，应为四位数的年份")
    return value


def refuse_invalid(corpus, why: str) -> bool:
    """True (after saying so) when ``corpus`` has validation errors: outputs that are reported to
    the 公示系统 or published (the results table, the plan, the annual summary) must be made from
    records ``validate`` accepts. An unreadable county.yaml falls back to default settings, a
    result for an undrawn object is counted: without this they were written without a word."""
    from generator.validation import validate_corpus

    errors = [f for f in validate_corpus(corpus) if f.severity == "error"]
    for f in errors[:5]:
        print(f.render())
    if errors:
        shown = f"共 {len(errors)} 个错误，以上为前 5 个" if len(errors) > 5 else f"{len(errors)} 个错误"
        print(f"记录校验未通过（{shown}），没有生成：{why}。请先运行 python -m generator validate 改正。")
    return bool(errors)
