"""draw: run due draws with the pure engine and write their results."""

from __future__ import annotations

import argparse
import datetime as dt

from generator import paths
from generator.cli._common import add_records_option
from generator.draw import DrawError
from generator.registry import store
from generator.registry.run import is_due, make_result, missing_entropy, read, write_result

NAME = "draw"
HELP = "运行抽取：用事先指定的随机源从冻结的候选池中抽取检查对象和检查人员，写入抽取结果"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("draw", nargs="?", help="抽取编号或任务编号；不填时配合 --due 运行所有到期的抽取")
    add_records_option(parser)
    parser.add_argument("--due", action="store_true", help="运行所有随机源已齐备、尚无结果的抽取")
    parser.add_argument("--dry-run", action="store_true", help="只检查能否抽取，不写文件")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="抽取日期（默认今天）")
    parser.add_argument(
        "--no-beacon-check", action="store_true", help="不做 BLS 签名校验（仅用于未安装 BLS 库的环境）"
    )


def resolve(records, name: str) -> str | None:
    """A draw id as given, or the latest draw requested for a task id."""
    if store.DRAW_ID.fullmatch(name):
        return name
    ids = [i for i in store.all_draw_ids(records) if _task_of(records, i) == name]
    return ids[-1] if ids else None


def _task_of(records, draw_id: str) -> object:
    request = store.folder(records, draw_id) / store.REQUEST
    return store.read_yaml(request).get("task") if request.is_file() else None


def run(args: argparse.Namespace) -> int:
    if not args.draw and not args.due:
        print("请指定抽取编号，或使用 --due。")
        return 2
    if args.draw:
        paths.check_draw_or_task(args.draw)
    paths.records_root(args.records)
    ids = [resolve(args.records, args.draw)] if args.draw else store.all_draw_ids(args.records)
    if ids == [None]:
        print(f"找不到“{args.draw}”的抽取申请。请先用 python -m generator request {args.draw} 提交申请。")
        return 1
    failed = done = 0
    for draw_id in ids:
        if not (store.folder(args.records, draw_id) / store.REQUEST).is_file():
            print(
                f"找不到抽取“{draw_id}”的申请（{store.folder(args.records, draw_id) / store.REQUEST} 不存在）。"
            )
            failed += 1
            continue
        files = read(args.records, draw_id)
        if files.result is not None:
            if args.draw:
                print(f"{draw_id}：已有抽取结果，不能重抽。")
                failed += 1
            continue
        if not is_due(files):
            if args.draw:
                print(
                    f"{draw_id}：随机源尚未齐备（缺 {'、'.join(missing_entropy(files)) or '随机源记录'}），不能抽取。"
                )
                failed += 1
            continue
        try:
            result = make_result(files, args.date or dt.date.today(), verify_beacon=not args.no_beacon_check)
        except DrawError as exc:
            print(f"{draw_id}：抽取失败（{exc.code}）：{exc.message}")
            failed += 1
            continue
        drawn = len(result["output"]["objects"])
        done += 1
        if args.dry_run:
            print(f"{draw_id}：可以抽取（{drawn} 个对象），未写入（--dry-run）。")
        else:
            print(f"{draw_id}：已抽取 {drawn} 个对象，结果写入 {write_result(files, result)}")
    if args.due and not args.draw and not done and not failed:
        print(f"没有到期的抽取（共 {len(ids)} 次抽取申请，均已有结果或随机源尚未齐备）。")
    return 1 if failed else 0
