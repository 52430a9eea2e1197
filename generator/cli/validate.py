"""validate: check every record file and every cross-record rule."""

from __future__ import annotations

import argparse

from generator.cli._common import add_github_option, add_records_option, print_findings
from generator.validation import validate_tree

NAME = "validate"
HELP = "校验全部记录：字段、引用、统一社会信用代码、工作日时限、检查组规则和时间节点"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument("--strict", action="store_true", help="把警告也当作错误（退出码 1）")
    add_github_option(parser)


def run(args: argparse.Namespace) -> int:
    if not args.records.is_dir():
        print(f"找不到记录目录“{args.records}”。请用 --records 指定记录目录。")
        return 2
    findings = validate_tree(args.records)
    return print_findings(findings, strict=args.strict, github=args.github)
