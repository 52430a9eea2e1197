"""validate: check every record file and every cross-record rule."""

from __future__ import annotations

import argparse

from generator.cli._common import add_github_option, add_records_option, print_findings
from generator.corpus import collector_frozen_after_loading
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
    with collector_frozen_after_loading():
        findings = validate_tree(args.records)
    code = print_findings(findings, strict=args.strict, github=args.github)
    note = demo_note(args.records, len(findings.warnings))
    if note:
        print(note)
    return code


def demo_note(records, warnings: int) -> str:
    """On the bundled demo records (county.yaml ``demo: true``) say that their warnings are deliberate."""
    import yaml

    try:
        county = yaml.safe_load((records / "county.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    if not (isinstance(county, dict) and county.get("demo") is True and warnings):
        return ""
    return (
        f"说明：这是虚构的示例数据（county.yaml 中 demo: true）。上面的 {warnings} 个警告是示例里故意保留的"
        "（如结果逾期录入、计划逾期备案），用来演示校验规则；真实数据中的警告应逐条处理。"
    )
