"""request: freeze a task's candidate pools and name the randomness sources, before they exist."""

from __future__ import annotations

import argparse
import datetime as dt
import os

from generator import paths
from generator.calendar import beijing_today
from generator.cli._common import add_records_option, print_findings
from generator.corpus import load
from generator.registry import store
from generator.registry.clock import moment, parse_now, today
from generator.registry.order import chain_of, future_round_problem
from generator.registry.order import round_at as order_round_at
from generator.registry.rederive import feasibility_problems, supersedes_problems
from generator.registry.request import RequestError, build, drand_chain, engine_view
from generator.registry.run import DrawFiles
from generator.rules.settings import settings
from generator.validation import validate_corpus

NAME = "request"
HELP = "为抽查任务提交抽取申请：冻结候选池，事先指定随机源（drand 轮次、现场摇号、第三方承诺）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("task", help="任务编号，如 T2026-market-01")
    add_records_option(parser)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="申请日期（默认今天）")
    when = parser.add_mutually_exclusive_group()
    when.add_argument(
        "--drand-round",
        type=int,
        help="使用的 drand 轮次（quicknet，示例数据用本县演示链；必须是未来的轮次）",
    )
    when.add_argument(
        "--drand-at", type=moment, help="使用该时刻之后的第一个 drand 轮次，如 2026-05-06T10:00:00+08:00"
    )
    parser.add_argument("--supersedes", help="本申请更正的前一次抽取编号（同一任务再次申请时必填）")
    parser.add_argument("--reason", help="更正原因（与 --supersedes 一起填写）")
    parser.add_argument("--now", type=moment, help="当前时间（ISO 8601 或 Unix 秒，测试用；默认系统时间）")
    parser.add_argument(
        "--commit",
        action="append",
        default=[],
        metavar="参与方=承诺值",
        help="第三方的承诺值（SHA-256），可重复",
    )


def run(args: argparse.Namespace) -> int:
    paths.check_task(args.task)
    paths.records_root(args.records)
    corpus = load(args.records)
    findings = validate_corpus(corpus)
    if findings.errors:
        print("记录有错误，不能提交抽取申请。请先改正：")
        print_findings(findings)
        return 1
    task = corpus.tasks.get(args.task)
    year = task.data["year"] if task else beijing_today().year
    draw_id, seq = store.next_draw_id(args.records, year)
    now = parse_now(args.now)
    drand_round = args.drand_round
    try:
        chain = chain_of({"sources": [drand_chain(corpus)]})  # quicknet, or the county's demo chain
    except RequestError as exc:
        print(exc)
        return 1
    if args.drand_at:
        drand_round = order_round_at(parse_now(args.drand_at), chain) + 1
    margin = settings(corpus).get("draw_policy", {}).get("drand_margin_rounds", 1200)
    if drand_round is not None:
        problem = future_round_problem(drand_round, now, margin, chain)
        if problem:
            print(f"不能提交抽取申请（{problem.code}）：{problem.shown}")
            return 1
    commitments = {}
    for item in args.commit:
        party, _, value = item.partition("=")
        commitments[party.strip()] = value.strip().lower()
    secret = os.environ.get("SSJ_SALT_SECRET", "").encode() or None
    try:
        data, pools = build(
            corpus, args.task, draw_id, seq, args.date or today(now), drand_round, commitments, secret
        )
    except RequestError as exc:
        print(exc)
        return 1
    if args.supersedes:
        data["supersedes"] = args.supersedes
    if args.reason:
        data["reason"] = args.reason
    folder = store.folder(args.records, draw_id)
    files = DrawFiles(draw_id, folder, data, pools, None, None, None)
    problems = supersedes_problems(corpus, files, now) + feasibility_problems(engine_view(data), pools)
    if problems:
        print("不能提交抽取申请：")
        for p in problems:
            print(f"  {p.shown}（{p.code}）")
        return 1
    header = "# 抽取申请：合并后不得修改。随机源在申请受理之后才产生。\n"
    store.write_text(folder / store.POOLS, store.dump_json(pools))
    store.write_text(folder / store.REQUEST, store.dump_yaml(data, header))
    print(f"已写入抽取申请 {draw_id}（登记簿第 {seq} 号）：{folder}")
    print(f"候选对象 {len(pools['objects'])} 个，执法检查人员 {len(pools['inspectors'])} 名。")
    return 0
