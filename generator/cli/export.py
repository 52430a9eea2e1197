"""export: check results for 国家企业信用信息公示系统, the annual plan, or a directory for editing."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.calendar import beijing_today
from generator.cli._common import add_records_option, refuse_invalid, year

NAME = "export"
HELP = "导出检查结果（公示系统格式）、年度抽查计划（XLSX/HTML）或名录（模板格式，可修改后再导入）"
WHAT = ("results", "plan", "objects", "inspectors", "assistants", "items", "result-entries")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "what", choices=WHAT, help="results 公示格式检查结果；plan 年度计划；其余为模板格式的记录"
    )
    parser.add_argument("--year", type=year, default=beijing_today().year, help="年度（results、plan 用）")
    parser.add_argument("--unit", help="单位代号；plan 不填时导出全县部门联合抽查计划")
    parser.add_argument("--out", type=Path, required=True, help="输出文件：.xlsx，计划也可为 .html")
    parser.add_argument(
        "--public", action="store_true", help="模板格式导出时去掉内部字段（信用风险分类、手机号码等）"
    )
    add_records_option(parser)


def run(args: argparse.Namespace) -> int:
    from generator.corpus import load
    from generator.intake import export_records, plan_rows, publication_rows, write_plan_html, write_table
    from generator.intake.export import PLAN_COLUMNS, PUBLICATION_COLUMNS, demo_note

    if not args.records.is_dir():
        print(f"找不到记录目录“{args.records}”。请用 --records 指定记录目录。")
        return 2
    suffix = args.out.suffix.lower()
    if suffix not in (".xlsx", ".html") or (suffix == ".html" and args.what != "plan"):
        print(f"不支持的输出格式“{suffix or args.out.name}”。请用 .xlsx（年度计划也可用 .html）。")
        return 2
    from generator import paths

    paths.output_file(args.out)
    corpus = load(args.records)
    if args.unit is not None and args.unit not in corpus.units:
        known = "、".join(sorted(corpus.units)) or "（没有）"
        print(
            f"找不到单位“{args.unit}”（records/units/ 下没有它的 unit.yaml）。已登记的单位：{known}。什么也没有导出。"
        )
        return 2
    why = "导出的内容会报送公示系统或公开发布，必须是通过校验的记录"
    if args.what in ("results", "plan") and refuse_invalid(corpus, why):
        return 1
    if args.what == "results":
        pub = publication_rows(corpus, args.year, args.unit)
        title = f"{args.year}年“双随机、一公开”抽查检查结果{demo_note(corpus)}"
        widths = [6, 24, 30, 24, 14, 12, 30, 10, 36, 20, 24, 12]
        write_table(title, PUBLICATION_COLUMNS, pub.rows, args.out, widths)
        print(f"已导出 {len(pub.rows)} 条检查结果到 {args.out}（企业、个体工商户、农民专业合作社）。")
        if pub.others:
            extra = args.out.with_name(f"{args.out.stem}-其他主体{args.out.suffix}")
            write_table(f"{title}（不属于公示系统的主体）", PUBLICATION_COLUMNS, pub.others, extra, widths)
            print(
                f"另有 {len(pub.others)} 条事业单位、社会组织等主体的结果不属于公示系统范围，已另行导出到 {extra}。"
            )
        if pub.skipped:
            print(f"另有 {pub.skipped} 条针对产品、项目或行为的结果不属于公示系统的市场主体，未导出。")
        if pub.non_random:
            print(
                f"另有 {pub.non_random} 条投诉举报、转办等非随机任务的检查结果（检查对象不是随机抽取的），"
                "不属于“双随机、一公开”抽查检查结果，未导出；请按其他行政检查的渠道公示。"
            )
        return 0
    if args.what == "plan":
        title, rows = plan_rows(corpus, args.year, args.unit)
        title += demo_note(corpus)
        if not rows:
            print(
                f"没有找到 {args.year} 年的{'单位“' + args.unit + '”' if args.unit else '全县部门联合'}抽查计划条目。"
            )
            return 1
        if suffix == ".html":
            write_plan_html(title, rows, args.out)
        else:
            write_table(title, PLAN_COLUMNS, rows, args.out, [6, 18, 30, 10, 14, 24, 36, 20, 14, 10, 26, 16])
        print(f"已导出 {len(rows)} 条计划条目到 {args.out}。")
        return 0
    kind = "results" if args.what == "result-entries" else args.what
    count = export_records(kind, corpus, args.unit, args.out, public=args.public)
    print(f"已导出 {count} 条记录到 {args.out}（模板格式，可修改后用 import 命令导入）。")
    return 0
