"""import: read an Excel/WPS/CSV sheet into the records, all rows or none."""

from __future__ import annotations

import argparse
import re
import stat
from pathlib import Path

from generator.cli._common import add_records_option
from generator.intake import KINDS

NAME = "import"
HELP = (
    "从 Excel（.xlsx/.xls）或 CSV 导入检查对象、执法检查人员、辅助人员、抽查事项或检查结果"
    "（默认合并：表中没有的行保留；全部通过校验才写入）"
)
FIRST_OF_KIND = 5  # problems shown per kind before "同类问题共 N 处"
DIFF_LINES = 20  # rows of the diff shown per action unless --all or --dry-run


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="要导入的 .xlsx、.xls 或 .csv 文件")
    parser.add_argument("--kind", required=True, choices=KINDS, help="记录种类")
    parser.add_argument("--unit", required=True, help="单位代号，如 market")
    add_records_option(parser)
    parser.add_argument("--sheet", help="要导入的工作表名称（文件中有多个同样表头的工作表时必须指定）")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="用表格替换整个名录：表中没有的行将被删除（会逐条列出；被抽取、结果或计划引用的行不能删除）",
    )
    parser.add_argument("--dry-run", action="store_true", help="只检查并逐条列出将要发生的变化，不写入")
    parser.add_argument("--all", action="store_true", help="列出全部问题和变化（默认同类问题只列前几处）")


def _order(where: str) -> tuple:
    m = re.search(r"!([A-Z]+)?(\d+)$", where)
    if not m:
        return (0, 0, "")
    return (int(m[2]), len(m[1] or ""), m[1] or "")


def grouped(problems, show_all: bool = False) -> list[str]:
    """Problems sorted by place, the same kind folded after its first few (like ``validate``)."""
    ordered = sorted(problems, key=lambda p: (p.severity != "error", p.where.split("!")[0], _order(p.where)))
    buckets: dict[tuple[str, str], list] = {}
    for p in ordered:
        buckets.setdefault((p.severity, p.code), []).append(p)
    lines = []
    for (_, code), group in buckets.items():
        shown = group if show_all else group[:FIRST_OF_KIND]
        lines.extend(p.render() for p in shown)
        if len(group) > len(shown):
            lines.append(
                f"…… {code} 同类问题共 {len(group)} 处（以上为前 {len(shown)} 处，加 --all 查看全部）"
            )
    return lines


def diff_lines(changes, limit: int | None) -> list[str]:
    out = []
    titles = {"added": "新增", "changed": "修改", "removed": "删除"}
    for action, title in titles.items():
        rows = [c for c in changes if c.action == action]
        for c in rows[:limit] if limit is not None else rows:
            name = f"（{c.name}）" if c.name else ""
            where = f"  [{c.where}]" if c.where else ""
            out.append(f"  {title} {c.key}{name}{where}")
            out.extend(
                f"      {label}：{old or '（空）'} → {new or '（空）'}" for label, old, new in c.fields
            )
        if limit is not None and len(rows) > limit:
            out.append(f"  ……{title}共 {len(rows)} 条（以上为前 {limit} 条，加 --all 查看全部）")
    return out


def _not_a_file(path: Path) -> str:
    """Why ``path`` cannot be read as a spreadsheet (a folder, a pipe or device, missing), or ""."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"找不到文件“{path}”。请检查文件路径。"
    # any other OSError (no permission, a link loop) goes to the command guard: a sentence with the path
    if stat.S_ISDIR(mode):
        return f"“{path}”是一个文件夹，不是文件。请写出要导入的表格文件，如“{path}/对象名录.xlsx”。"
    if not stat.S_ISREG(mode):
        return f"“{path}”不是普通文件（命名管道、设备等），没有读取。请把表格另存为普通文件后再导入。"
    return ""


def run(args: argparse.Namespace) -> int:
    from generator.intake import import_file, plan_import  # openpyxl and friends load only for this command

    refused = _not_a_file(args.file)
    if refused:
        print(refused)
        return 2
    from generator import paths

    # No "../x" ever becomes a folder; refusing a unit without unit.yaml (a typo) is the intake's job.
    paths.check_unit(args.unit)
    paths.inside(args.records, args.records / "units" / args.unit)  # no linked unit folder
    options = {"sheet": args.sheet, "replace": args.replace}
    if args.dry_run:
        result = plan_import(args.file, args.kind, args.unit, args.records, **options)
    else:
        result = import_file(args.file, args.kind, args.unit, args.records, **options)
    if result.sheet:
        print(f"读取工作表“{result.sheet}”，第 {result.header_row} 行为表头。")
    for line in grouped(result.problems, args.all):
        print(line)
    errors = len(result.errors)
    if errors:
        print(f"导入未完成：{errors} 个错误，没有写入任何记录。请改正后重新导入。")
        return 1
    action = "将" if args.dry_run else "已"
    print(f"导入{'检查通过' if args.dry_run else '完成'}：{result.counts.summary()}。")
    if args.kind == "plans":
        from generator.intake.plan_sheet import WHOLE_PLAN_NOTE

        print(WHOLE_PLAN_NOTE)
    limit = None if (args.all or args.dry_run or args.replace) else DIFF_LINES
    for line in diff_lines(result.changes, limit):
        print(line)
    for path in sorted(result.files):
        print(f"{action}写入 {path}")
    if not result.files:
        print("记录没有变化，未写入文件。")
    return 0
