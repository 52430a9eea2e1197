"""entropy: record the ceremony digits and third-party reveals after the coordination meeting."""

from __future__ import annotations

import argparse
import datetime as dt

from generator import paths
from generator.calendar import beijing_today
from generator.cli._common import add_records_option
from generator.draw.seed import entropy_value_problems
from generator.errors import finding
from generator.registry import store
from generator.registry.run import read

NAME = "entropy"
HELP = "登记现场摇号数字和第三方揭示值（drand 信标由 beacon 命令获取）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("draw", help="抽取编号，如 D2026-0001")
    add_records_option(parser)
    parser.add_argument(
        "--ceremony", action="append", default=[], metavar="名称=数字", help="现场摇号结果，如 meeting=370215"
    )
    parser.add_argument("--reveal", action="append", default=[], metavar="参与方=揭示值", help="第三方揭示值")
    parser.add_argument("--witness", action="append", default=[], help="见证人（单位 姓名），可重复")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="记录日期（默认今天）")


def _pairs(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, _, value = item.partition("=")
        out[key.strip()] = value.strip()
    return out


def run(args: argparse.Namespace) -> int:
    paths.check_draw(args.draw)
    paths.records_root(args.records)
    request = store.folder(args.records, args.draw) / store.REQUEST
    if not request.is_file():
        print(f"找不到抽取“{args.draw}”的申请（{request} 不存在）。请先用 request 命令提交抽取申请。")
        return 1
    files = read(args.records, args.draw)
    if files.entropy is not None:
        print(f"抽取 {args.draw} 的随机源记录已存在，不能修改。")
        return 1
    data = {"id": args.draw, "recorded_on": args.date or beijing_today()}
    if args.ceremony:
        data["ceremony"] = _pairs(args.ceremony)
    if args.witness:
        data["witnesses"] = args.witness
    if args.reveal:
        data["reveals"] = _pairs(args.reveal)
    bad = entropy_value_problems(files.request.get("sources"), data)
    if bad:  # refused now, not by the engine once the beacon is out (the draw would fail in public)
        for field, value, why in bad:
            target = str(files.path / store.ENTROPY)
            print(
                finding(
                    "DRAW_ENTROPY_VALUE_INVALID", target, 0, 0, field, value, field=field, why=why
                ).render()
            )
        print("没有写入随机源记录。")
        return 1
    store.write_text(files.path / store.ENTROPY, store.dump_yaml(data, "# 随机源记录：登记后不得修改。\n"))
    print(f"已登记抽取 {args.draw} 的随机源。")
    return 0
