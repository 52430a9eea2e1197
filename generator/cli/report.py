"""report: the compliance (合规) report for one year, as Chinese text tables or JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from generator.calendar import beijing_today
from generator.cli._common import add_records_option, year

NAME = "report"
HELP = "合规报告：计划备案、牵头发起、结果录入时限、比例上限、检查组、联合抽查占比和对象受检次数"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument("--year", type=year, help="年度（默认 --today 所在年度）")
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, default=None, help="统计截止日期（默认今天），如 2026-12-31"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="输出格式：text（默认）、json，或 markdown（写入 GitHub 运行摘要用：整段作为纯文本显示）",
    )


def run(args: argparse.Namespace) -> int:
    from generator.corpus import load
    from generator.reports.compliance import compliance
    from generator.reports.report_text import as_markdown_literal, render_text

    if not args.records.is_dir():
        print(f"找不到记录目录“{args.records}”。请用 --records 指定记录目录。")
        return 2
    today = args.today or beijing_today()
    corpus = load(args.records)
    broken = county_errors(corpus)
    if broken:
        print(
            "合规报告未生成：报告的期限和规则取自 county.yaml，该文件有错误（或缺失），按默认值算出的报告会误导人。"
        )
        for line in broken:
            print(f"  {line}")
        print("请先改正上述问题（python -m generator validate 可查看全部问题），再生成报告。")
        return 2
    model = compliance(corpus, args.year or today.year, today)
    if args.format == "json":
        print(json.dumps(model, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        county = corpus.county.data.get("name", "") if corpus.county else ""
        text = render_text(model, county)
        print(as_markdown_literal(text) if args.format == "markdown" else text, end="")
    return 0


def county_errors(corpus) -> list[str]:
    """The load errors of county.yaml (rendered), or a line saying it is missing; [] when it is sound."""
    lines = [
        f.render()
        for f in corpus.findings
        if f.severity == "error" and f.file.replace("\\", "/").rsplit("/", 1)[-1] == "county.yaml"
    ]
    if corpus.county is None and not lines:
        lines.append(f"{corpus.root / 'county.yaml'}：找不到县级设置文件 county.yaml。")
    return lines
