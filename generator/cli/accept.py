"""accept: CI records, for each newly merged draw request, the drand round current at acceptance."""

from __future__ import annotations

import argparse
import datetime as dt

from generator.cli._common import add_records_option
from generator.registry import store
from generator.registry.run import read
from generator.rules.settings import settings

NAME = "accept"
HELP = "受理新合并的抽取申请：记录当时 drand 的最新轮次，并检查申请指定的轮次确实在未来"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument("--round", type=int, help="当前 drand quicknet 最新轮次（CI 由 beacon latest 获取）")
    parser.add_argument("--commit", default="", help="受理时 main 分支的提交号")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="受理日期（默认今天）")


def check_round(requested: int, latest: int, margin: int) -> str | None:
    """Why a requested round is not acceptable, or None.

    >>> check_round(5000, 3000, 1200) is None
    True
    >>> check_round(3500, 3000, 1200)
    'drand 轮次 3500 距受理时的最新轮次 3000 不足 1200 轮（约 60 分钟）：随机值可能已经或即将公开，请重新申请更晚的轮次。'
    """
    if requested > latest + margin:
        return None
    return (
        f"drand 轮次 {requested} 距受理时的最新轮次 {latest} 不足 {margin} 轮（约 {margin * 3 // 60} 分钟）："
        "随机值可能已经或即将公开，请重新申请更晚的轮次。"
    )


def run(args: argparse.Namespace) -> int:
    from generator import paths
    from generator.corpus import load

    paths.records_root(args.records)
    margin = settings(load(args.records)).get("draw_policy", {}).get("drand_margin_rounds", 1200)
    rejected = accepted = 0
    for draw_id in store.all_draw_ids(args.records):
        files = read(args.records, draw_id)
        if files.accepted is not None:
            continue
        data: dict = {"id": draw_id, "accepted_on": args.date or dt.date.today()}
        rounds = [s["round"] for s in files.request.get("sources", []) if s.get("kind") == "drand"]
        if rounds:
            if args.round is None:
                print(f"{draw_id}：申请使用 drand 随机源，受理时必须用 --round 记录当前最新轮次。")
                rejected += 1
                continue
            problem = check_round(rounds[0], args.round, margin)
            if problem:
                print(f"{draw_id}：不予受理。{problem}")
                rejected += 1
                continue
            data["latest_round"] = args.round
        if args.commit:
            data["commit"] = args.commit
        store.write_text(files.path / store.ACCEPTED, store.dump_yaml(data, "# 受理记录：由 CI 写入。\n"))
        accepted += 1
        print(f"{draw_id}：已受理。")
    print(f"受理 {accepted} 个申请，拒绝 {rejected} 个。")
    return 1 if rejected else 0
