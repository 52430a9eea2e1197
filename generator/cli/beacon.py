"""beacon: the current drand quicknet round, and fetching verified beacons for due draws."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from generator.calendar import CHINA
from generator.cli._common import add_records_option
from generator.draw.beacon import round_at
from generator.registry.clock import moment
from generator.workflow import registry
from generator.workflow.beacon_client import BeaconClient, BeaconUnavailable, RelayNotHttps, relays_from_env

NAME = "beacon"
HELP = "drand 随机信标：查询当前轮次，为到期的抽取获取并验证信标（写入 entropy.yaml）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--relay",
        action="append",
        help="drand 中继地址，可重复，按顺序尝试（默认官方中继列表或 SSJ_DRAND_RELAYS）",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="每次请求的超时秒数（默认 10）")
    parser.add_argument("--retries", type=int, default=2, help="每个中继超时或 5xx 时的重试次数（默认 2）")
    sub = parser.add_subparsers(dest="action", metavar="操作", required=True)
    latest = sub.add_parser("latest", help="输出 drand quicknet 当前最新轮次（经签名验证，且与时钟相符）")
    latest.add_argument("--now", type=moment, help="当前时间（ISO 8601 或 Unix 秒，测试用；默认系统时间）")
    fetch = sub.add_parser("fetch", help="为指定抽取或全部到期抽取获取 drand 信标，验证后写入 entropy.yaml")
    add_records_option(fetch)
    which = fetch.add_mutually_exclusive_group(required=True)
    which.add_argument("draw_id", nargs="?", help="抽取编号，如 D2026-0001")
    which.add_argument("--due", action="store_true", help="全部指定轮次已到达、尚未记录 drand 信标的抽取")
    fetch.add_argument("--now", type=moment, help="当前时间（ISO 8601 或 Unix 秒，测试用；默认系统时间）")


def _client(args) -> BeaconClient:
    relays = tuple(r.rstrip("/") for r in args.relay) if args.relay else relays_from_env()
    now = getattr(args, "now", None)
    clock = (lambda: _now(now)) if now else time.time
    return BeaconClient(relays=relays, timeout=args.timeout, retries=args.retries, clock=clock)


def _now(text: str | None) -> int:
    if not text:
        return int(time.time())
    if text.isdigit():
        return int(text)
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return int(moment.timestamp())


def run(args: argparse.Namespace) -> int:
    try:
        client = _client(args)
    except RelayNotHttps as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.action == "latest":
        try:
            beacon = client.latest()
        except BeaconUnavailable as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print(beacon.round)
        print(f"drand quicknet 最新轮次 {beacon.round}（来自 {beacon.relay}，签名已验证）", file=sys.stderr)
        return 0
    return _fetch(args, client)


def _fetch(args, client: BeaconClient) -> int:
    from generator import paths

    if args.draw_id:
        paths.check_draw(args.draw_id)
    if not args.records.is_dir():
        print(f"找不到记录目录“{args.records}”。请用 --records 指定记录目录。")
        return 2
    now = _now(args.now)
    today = dt.datetime.fromtimestamp(now, CHINA).date()
    if args.due:
        targets = [
            d
            for d in registry.draws(args.records)
            if not d.has_drand and not d.closed and d.round is not None
        ]
        waiting = [d for d in targets if d.due_at > now]
        targets = [d for d in targets if d.due_at <= now]
        for d in waiting:
            print(f"{d.draw_id}：drand 第 {d.round} 轮尚未到达（{_when(d.due_at)}），本次不抽取。")
        if not targets:
            print(f"没有到期的抽取需要获取 drand 信标（当前约为第 {round_at(now)} 轮）。")
            return 0
    else:
        draw = registry.find(args.records, args.draw_id)
        if draw is None:
            print(
                f"找不到抽取“{args.draw_id}”：{args.records}/draws/<年度>/{args.draw_id}/request.yaml 不存在。"
            )
            return 1
        if draw.has_drand:
            print(f"{draw.draw_id}：entropy.yaml 已记录 drand 信标，不再获取（记录只追加）。")
            return 0
        if draw.round is None:
            print(
                f"{draw.draw_id}：抽取申请的 sources 中没有 drand 轮次（kind: drand, round: …），无法获取信标。"
            )
            return 1
        if draw.due_at > now:
            print(f"{draw.draw_id}：drand 第 {draw.round} 轮在 {_when(draw.due_at)} 才产生，请到时再获取。")
            return 1
        targets = [draw]
    failed = 0
    for draw in targets:
        try:
            beacon = client.fetch(draw.round)
        except BeaconUnavailable as exc:
            failed += 1
            print(f"{draw.draw_id}：{exc}。抽取保持待办，下次定时运行时重试。")
            continue
        path = registry.write_drand(draw, beacon.entropy(), today)
        print(
            f"{draw.draw_id}：已记录 drand quicknet 第 {beacon.round} 轮（来自 {beacon.relay}，签名已验证）→ {path}"
        )
    return 1 if failed else 0


def _when(unix: int) -> str:
    return dt.datetime.fromtimestamp(unix, CHINA).strftime("%Y-%m-%d %H:%M:%S（北京时间）")
