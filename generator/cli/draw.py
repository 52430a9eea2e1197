"""draw: run due draws with the pure engine and write their results, each draw in isolation.

A draw that cannot be made once its randomness is known is published as failed (``failed.yaml``,
with the engine's code and reason) and never redrawn; one that breaks the order rules is refused
(``refused.yaml``). Either way the other due draws are drawn, and the exit code stays 0 so CI commits
and deploys them: a bad draw is recorded and reported, never a reason to jam the registry.

``--dry-run --base REV`` (the pull-request check) writes nothing; it names every draw that would
fail or be refused, and exits 1 only if such a draw is one the pull request touches.
"""

from __future__ import annotations

import argparse

from generator import paths
from generator.catalog.registry import render
from generator.cli._common import add_records_option
from generator.draw import DrawError
from generator.errors import draw_warning
from generator.registry import store
from generator.registry.accept import record_failure, refuse
from generator.registry.clock import moment, parse_now, today
from generator.registry.order import Problem, draw_blockers
from generator.registry.run import is_due, make_result, missing_entropy, read, write_result
from generator.registry.touched import touched_draw_ids

NAME = "draw"
HELP = "运行抽取：用事先指定的随机源从冻结的候选池中抽取检查对象和检查人员，写入抽取结果"
PENDING = {"REGISTRY_NOT_ACCEPTED", "REGISTRY_ENTROPY_NOT_ACCEPTED"}  # CI's next accept run settles these


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("draw", nargs="?", help="抽取编号或任务编号；不填时配合 --due 运行所有到期的抽取")
    add_records_option(parser)
    parser.add_argument("--due", action="store_true", help="运行所有随机源已齐备、尚无结果的抽取")
    parser.add_argument("--dry-run", action="store_true", help="只检查能否抽取，不写文件")
    parser.add_argument("--base", help="合并请求的基准版本：试运行时只有本合并请求涉及的抽取出错才返回 1")
    parser.add_argument("--now", type=moment, help="当前时间（ISO 8601 或 Unix 秒，测试用；默认系统时间）")
    parser.add_argument(
        "--no-beacon-check", action="store_true", help="不做 BLS 签名校验（仅用于未安装 BLS 库的环境）"
    )


def resolve(records, name: str) -> str | None:
    """A draw id as given, or the latest draw requested for a task id."""
    if store.DRAW_ID.fullmatch(name):
        return name
    ids = [i for i in store.all_draw_ids(records) if _task_of(records, i) == name]
    return ids[-1] if ids else None


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
    now = parse_now(args.now)
    touched = touched_draw_ids(args.records, args.base) if args.base else None
    bad: list[str] = []
    for draw_id in ids:
        outcome = _one(args, draw_id, now)
        if outcome:
            bad.append(draw_id)
    if args.draw:
        return 1 if bad else 0
    blocking = [d for d in bad if touched is None or d in touched] if args.dry_run else []
    if bad:
        print(
            f"有问题的抽取：{'、'.join(bad)}（已分别{'报告' if args.dry_run else '记录并公开'}，其他抽取照常进行）。"
        )
    return 1 if blocking else 0


def _task_of(records, draw_id: str) -> object:
    request = store.folder(records, draw_id) / store.REQUEST
    return store.read_yaml(request).get("task") if request.is_file() else None


def _one(args, draw_id: str, now: int) -> bool:
    """Process one draw; True if it is bad (failed, refused, unreadable)."""
    try:
        files = read(args.records, draw_id)
    except Exception as exc:  # noqa: BLE001 - one unreadable folder must not stop the others
        print(
            draw_warning(
                "REGISTRY_UNREADABLE",
                store.folder(args.records, draw_id) / store.REQUEST,
                f"{draw_id}：抽取目录无法读取（{type(exc).__name__}：{exc}）",
            )
        )
        return True
    if files.closed:
        if args.draw:
            state = "已有抽取结果" if files.result is not None else "已记录为失败或拒绝受理"
            print(f"{draw_id}：{state}，不能重抽。如需更正，请提交新申请并填写 supersedes 和 reason。")
            return True
        return False
    if not is_due(files):
        if args.draw:
            lacking = (
                "受理记录" if files.accepted is None else "、".join(missing_entropy(files)) or "随机源记录"
            )
            print(f"{draw_id}：随机源尚未齐备（缺 {lacking}），不能抽取。")
            return True
        return False
    blockers = draw_blockers(files)
    pending = [p for p in blockers if p.code in PENDING]
    final = [p for p in blockers if p.code not in PENDING]
    if final:
        return _refuse(args, files, final[0], now)
    if pending:
        print(f"{draw_id}：{pending[0].message}")
        return bool(args.draw)
    try:
        result = make_result(files, today(now), verify_beacon=not args.no_beacon_check)
    except DrawError as exc:
        return _fail(args, files, exc.code, exc.message, now, _internal(exc))
    except Exception as exc:  # noqa: BLE001 - one draw's crash is reported, the others go on
        return _fail(
            args,
            files,
            "REGISTRY_INPUT_INVALID",
            render("REGISTRY_INPUT_INVALID", detail=f"{type(exc).__name__}：{exc}"),
            now,
        )
    drawn = len(result["output"]["objects"])
    if args.dry_run:
        print(f"{draw_id}：可以抽取（{drawn} 个对象），未写入（--dry-run）。")
    else:
        print(f"{draw_id}：已抽取 {drawn} 个对象，结果写入 {write_result(files, result)}")
    return False


def _refuse(args, files, problem: Problem, now: int) -> bool:
    if args.dry_run:
        print(
            draw_warning(
                problem.code, files.path / store.REQUEST, f"{files.draw_id}：将被拒绝：{problem.message}"
            )
        )
    else:
        refuse(args.records, files, "order", problem, now, None)
        print(
            draw_warning(
                problem.code,
                files.path / store.REQUEST,
                f"{files.draw_id}：不予抽取，已记录原因：{problem.message}",
            )
        )
    return True


def _internal(exc: DrawError) -> str:
    """What the public failure record leaves out: how many people were left for the object after
    recusals and caps (with the public rosters, a count would let anyone infer a declared conflict)."""
    if "have" in exc.details and "object" in exc.details:
        return f"检查对象 {exc.details['object']} 排除回避、已达上限人员后可派 {exc.details['have']} 名"
    return ""


def _fail(args, files, code: str, message: str, now: int, internal: str = "") -> bool:
    note = f"（内部核对，不公开：{internal}）" if internal else ""
    if args.dry_run:
        print(
            draw_warning(
                code, files.path / store.REQUEST, f"{files.draw_id}：抽取将失败（{code}）：{message}{note}"
            )
        )
    else:
        record_failure(args.records, files, code, message, today(now))
        print(
            draw_warning(
                code,
                files.path / store.REQUEST,
                f"{files.draw_id}：抽取失败（{code}），已公开记录：{message}{note}",
            )
        )
    return True
