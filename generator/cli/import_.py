"""import: read an Excel/WPS/CSV sheet into the records, all rows or none."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from generator.cli._common import add_records_option
from generator.intake import KINDS

NAME = "import"
HELP = (
    "从 Excel（.xlsx/.xls）或 CSV 导入检查对象、执法检查人员、辅助人员、抽查事项或检查结果（全部通过才写入）"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="要导入的 .xlsx、.xls 或 .csv 文件")
    parser.add_argument("--kind", required=True, choices=KINDS, help="记录种类")
    parser.add_argument("--unit", required=True, help="单位代号，如 market")
    add_records_option(parser)
    parser.add_argument("--dry-run", action="store_true", help="只检查并显示将要发生的变化，不写入")


def _order(where: str) -> tuple:
    m = re.search(r"!([A-Z]+)?(\d+)$", where)
    if not m:
        return (0, 0, "")
    return (int(m[2]), len(m[1] or ""), m[1] or "")


def run(args: argparse.Namespace) -> int:
    from generator.intake import import_file  # openpyxl and friends load only for this command

    if not args.file.is_file():
        print(f"找不到文件“{args.file}”。请检查文件路径。")
        return 2
    from generator import paths

    # No "../x" ever becomes a folder; refusing a unit without unit.yaml (a typo) is the intake's job.
    paths.check_unit(args.unit)
    paths.inside(args.records, args.records / "units" / args.unit)  # no linked unit folder
    if args.dry_run:
        from generator.intake import plan_import

        result = plan_import(args.file, args.kind, args.unit, args.records)
    else:
        result = import_file(args.file, args.kind, args.unit, args.records)
    for p in sorted(result.problems, key=lambda p: (p.where.split("!")[0], _order(p.where))):
        print(p.render())
    errors = len(result.errors)
    if errors:
        print(f"导入未完成：{errors} 个错误，没有写入任何记录。请改正后重新导入。")
        return 1
    action = "将" if args.dry_run else "已"
    print(f"导入{'检查通过' if args.dry_run else '完成'}：{result.counts.summary()}。")
    for path in sorted(result.files):
        print(f"{action}写入 {path}")
    if not result.files:
        print("记录没有变化，未写入文件。")
    return 0
