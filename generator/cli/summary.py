"""summary: the December annual summary (总结) as a printable HTML document and a JSON page model."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from generator.calendar import beijing_today
from generator.cli._common import add_records_option, refuse_invalid, year
from generator.paths import write_file

NAME = "summary"
HELP = "年度总结：各单位发起和参与任务、检查对象、发现问题、按时录入率，生成可打印的 HTML 和图表"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument("--year", type=year, default=None, help="年度（默认今年）")
    parser.add_argument("--out", type=Path, default=Path("summary"), help="输出目录（默认 summary）")


def run(args: argparse.Namespace) -> int:
    from generator.corpus import load
    from generator.reports.summary import annual_summary, render_html

    if not args.records.is_dir():
        print(f"找不到记录目录“{args.records}”。请用 --records 指定记录目录。")
        return 2
    year = args.year or beijing_today().year
    corpus = load(args.records)
    if refuse_invalid(corpus, "年度总结会提交联席会议并公开，数字必须来自通过校验的记录"):
        return 1
    model = annual_summary(corpus, year)
    args.out.mkdir(parents=True, exist_ok=True)
    html_path, json_path = args.out / f"summary-{year}.html", args.out / f"summary-{year}.json"
    write_file(html_path, render_html(model))
    write_file(json_path, json.dumps(model, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    print(f"已生成 {year} 年度总结：{html_path}（可打印）和 {json_path}（页面数据）。")
    return 0
