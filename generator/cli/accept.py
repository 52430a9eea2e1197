"""accept: CI accepts or refuses each new draw request and each new set of ceremony digits/reveals.

Every decision is recorded (``accepted.yaml``, ``refused.yaml``, ``entropy-accepted.yaml``) and
appended to the public registry log. One bad request never stops the others: it is refused with its
reason (even one whose files cannot be read) and the run goes on; the exit code is 0.
"""

from __future__ import annotations

import argparse
import os

from generator.cli._common import add_records_option
from generator.errors import draw_warning
from generator.registry import store
from generator.registry.accept import (
    accept_entropy,
    accept_request,
    ceremony_overdue,
    close_superseded,
    refuse,
    refuse_unreadable,
)
from generator.registry.clock import moment, parse_now
from generator.registry.order import needs_entropy_acceptance, problem
from generator.registry.rederive import request_problems
from generator.registry.run import read

NAME = "accept"
HELP = "受理新合并的抽取申请和随机源：记录当时 drand 的最新轮次；不符合规则的记录拒绝原因并公开"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument(
        "--round", type=int, help="当前 drand 最新轮次（CI 由 beacon latest 获取；取不到时不填）"
    )
    parser.add_argument("--commit", default="", help="受理时 main 分支的提交号")
    parser.add_argument("--now", type=moment, help="当前时间（ISO 8601 或 Unix 秒，测试用；默认系统时间）")


def run(args: argparse.Namespace) -> int:
    from generator import paths
    from generator.corpus import load
    from generator.rules.settings import settings

    paths.records_root(args.records)
    now = parse_now(args.now)
    corpus = load(args.records)
    margin = settings(corpus).get("draw_policy", {}).get("drand_margin_rounds", 1200)
    counts = {"accepted": 0, "refused": 0, "pending": 0, "ignored": 0}
    for draw_id in store.all_draw_ids(args.records):
        where = store.folder(args.records, draw_id) / store.REQUEST
        if not os.path.lexists(where):
            # no request, no draw: a refusal recorded here would put a folder that no pull request
            # may edit (and validate and verify fail on) into the append-only registry for good
            print(
                draw_warning(
                    "REGISTRY_UNREADABLE", where, f"{draw_id}：目录中没有抽取申请，不是抽取，未作记录。"
                )
            )
            continue
        try:
            files = read(args.records, draw_id)
        except Exception as exc:  # noqa: BLE001 - a broken file must not stop the other draws
            detail = f"{type(exc).__name__}：{str(exc).splitlines()[0] if str(exc) else ''}"
            if refuse_unreadable(args.records, draw_id, detail, now):
                counts["refused"] += 1
            print(
                draw_warning(
                    "REGISTRY_UNREADABLE", where, f"{draw_id}：无法读取，已记录为不予受理（{detail}）"
                )
            )
            continue
        try:
            _settle(args, corpus, files, now, margin, counts)
        except Exception as exc:  # noqa: BLE001 - one draw's crash must not stop the county's run
            print(
                draw_warning(
                    "REGISTRY_UNREADABLE",
                    files.path / store.REQUEST,
                    f"{draw_id}：无法处理（{type(exc).__name__}：{exc}），本次跳过，其他抽取照常进行。",
                )
            )
    print(
        f"受理 {counts['accepted']} 项，拒绝 {counts['refused']} 项（已记录并公开），待受理 {counts['pending']} 项"
        + (f"，迟交未采用的随机源 {counts['ignored']} 项" if counts["ignored"] else "")
        + "。"
    )
    return 0  # every bad request is recorded and reported: the run goes on to draw and deploy


def _settle(args, corpus, files, now: int, margin: int, counts: dict) -> None:
    """Take one draw as far as CI can now: the request, then (same run) its entropy."""
    draw_id = files.draw_id
    for _stage in range(2):
        if files.closed:
            return
        if files.accepted is None:
            decision = accept_request(
                args.records, files, args.round, now, margin, args.commit, _problems(corpus, files, now)
            )
            what = "申请"
        elif files.entropy_accepted is None and needs_entropy_acceptance(files.entropy):
            decision = accept_entropy(args.records, files, args.round, now)
            what = "随机源"
        else:
            _overdue(args, files, now, counts)
            return
        counts[decision.status] += 1
        if decision.status in ("refused", "ignored"):
            print(
                draw_warning(
                    decision.code,
                    files.path / store.REQUEST,
                    f"{draw_id}：{what}不予受理"
                    + ("，已记录原因。" if decision.status == "refused" else "。")
                    + decision.message,
                )
            )
        else:
            print(f"{draw_id}：{what}{decision.message}")
        if decision.status == "ignored":
            _overdue(args, files, now, counts)  # the draw goes on without it, or cannot at all
        if decision.status != "accepted":
            return
        if what == "申请":
            for earlier in close_superseded(args.records, corpus, files, now, args.round):
                counts["refused"] += 1
                print(
                    draw_warning(
                        "REGISTRY_SUPERSEDED",
                        store.folder(args.records, earlier) / store.REQUEST,
                        f"{earlier}：已被 {draw_id} 取代，不再抽取（已记录并公开）。",
                    )
                )
        files = read(args.records, draw_id)


def _overdue(args, files, now: int, counts: dict) -> None:
    """Round R has come without the entropy the draw needs: closed with its reason."""
    problem = ceremony_overdue(files, now)
    if problem is not None:
        refuse(args.records, files, "entropy", problem, now, args.round)
        print(
            draw_warning(
                problem.code, files.path / store.REQUEST, f"{files.draw_id}：不予受理。{problem.message}"
            )
        )
        counts["refused"] += 1


def _problems(corpus, files, now: int):
    try:
        return request_problems(corpus, files, now)
    except Exception as exc:  # noqa: BLE001 - a request that breaks the checker is refused, not a crash
        return [problem("REGISTRY_REQUEST_INVALID", detail=f"无法检查（{type(exc).__name__}：{exc}）")]
