"""verify: recompute every published draw and report each mismatch."""

from __future__ import annotations

import argparse

from generator import paths
from generator.cli._common import add_records_option
from generator.registry import store
from generator.registry.run import read, verify

NAME = "verify"
HELP = "核验全部已公布的抽取：重新计算并逐项比对，发现不一致时退出码为 1"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument("--draw", help="只核验这一次抽取")
    parser.add_argument("--no-beacon-check", action="store_true", help="不做 BLS 签名校验")


def run(args: argparse.Namespace) -> int:
    paths.records_root(args.records)
    if args.draw:
        paths.check_draw(args.draw)
        if not (store.folder(args.records, args.draw) / store.REQUEST).is_file():
            print(f"找不到抽取“{args.draw}”（{store.folder(args.records, args.draw)} 中没有 request.yaml）。")
            return 1
    ids = [args.draw] if args.draw else store.all_draw_ids(args.records)
    checked = bad = 0
    for draw_id in ids:
        files = read(args.records, draw_id)
        if files.result is None:
            continue
        checked += 1
        problems = verify(files, verify_beacon=not args.no_beacon_check)
        for m in problems:
            print(f"{draw_id}：字段 {m.field} 不一致：应为 {_short(m.expected)}，实为 {_short(m.found)}")
        bad += bool(problems)
    print(f"核验{'未通过' if bad else '通过'}：共 {checked} 次抽取，{bad} 次不一致。")
    return 1 if bad else 0


def _short(value: object, limit: int = 120) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
