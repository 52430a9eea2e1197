"""new: write a commented starter record of a kind, so nobody begins from a blank file."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from generator.cli._common import add_records_option
from generator.records import BY_NAME
from generator.starter import starter_text

# Draw files are never started from a blank form: each is written by the command that makes it
# reproducible (the frozen pool, the recorded digits, the drand round, the engine's result).
WRITTEN_BY_COMMAND = {
    "draw_request": "request",
    "draw_entropy": "entropy",
    "draw_accepted": "accept（CI）",
    "draw_result": "draw（CI）",
}
PERSON_KINDS = sorted(set(BY_NAME) - set(WRITTEN_BY_COMMAND))

NAME = "new"
HELP = "生成一份带中文注释的记录模板（如 new tasks --unit market --id T2026-market-03）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind",
        choices=PERSON_KINDS,
        metavar="种类",
        help=f"记录种类：{'、'.join(PERSON_KINDS)}（见 docs/records.md）。抽取记录由 "
        + "、".join(sorted(set(WRITTEN_BY_COMMAND.values())))
        + " 命令生成，没有模板",
    )
    add_records_option(parser)
    parser.add_argument("--unit", default="market", help="单位代号（单位目录中的记录）")
    parser.add_argument("--id", help="记录编号（任务等按编号命名的文件）")
    parser.add_argument("--year", type=int, default=dt.date.today().year, help="年度")
    parser.add_argument("--stdout", action="store_true", help="输出到屏幕，不写文件")


def target(kind_name: str, unit: str, record_id: str | None, year: int) -> str:
    path = BY_NAME[kind_name].example_path.replace("units/market/", f"units/{unit}/")
    path = path.replace("2026", str(year)).replace("2027", str(year))
    if record_id:
        stem = Path(path).stem
        path = path.replace(stem, record_id)
    return path


def run(args: argparse.Namespace) -> int:
    text = starter_text(BY_NAME[args.kind], dt.date.today())
    if args.stdout:
        sys.stdout.write(text)
        return 0
    path = args.records / target(args.kind, args.unit, args.id, args.year)
    if path.exists():
        print(f"{path} 已存在，没有覆盖。请换一个编号，或用 --stdout 查看模板。")
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"已生成模板：{path}。请按注释填写后运行 python -m generator validate。")
    return 0
