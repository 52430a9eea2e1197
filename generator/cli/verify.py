"""verify: recompute every published draw, check the order rules and the public registry log.

Each draw is checked on its own: an engine error in one (a missing reveal with rule ``fail``, a
malformed file) is reported with its code and the file at fault (file:line), and the others are
still checked; exit 1 at the end. ``--draw X`` reads X's folder only. Large registries are verified
on both cores (``_verify_all``).
"""

from __future__ import annotations

import argparse
import gc

from generator import parallel, paths
from generator.cli._common import add_records_option
from generator.draw.engine import collector_paused
from generator.registry import log, store
from generator.registry.check import Report, log_problems, read_all, verify_draw
from generator.registry.touched import log_at_base, touched_draw_ids

NAME = "verify"
HELP = "核验全部已公布的抽取：受理顺序、重新计算逐项比对、失败记录和登记簿日志，发现问题时退出码为 1"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument("--draw", help="只核验这一次抽取")
    parser.add_argument("--base", help="合并请求的基准版本：只核验本合并请求涉及的抽取（登记簿日志总是核验）")
    parser.add_argument("--no-beacon-check", action="store_true", help="不做 BLS 签名校验")


def _log_rewritten(records, base: str) -> list[Report]:
    path = store.log_path(records)
    now = path.read_text(encoding="utf-8") if path.exists() else ""
    if log.extends(log_at_base(records, base), now):
        return []
    text = "登记簿日志不是基准版本日志的追加：基准版本的某些记录被修改、删除或重排（历史被改写）。"
    return [Report(f"draws/{store.LOG}", "REGISTRY_LOG_BROKEN", text)]


def run(args: argparse.Namespace) -> int:
    paths.records_root(args.records)
    if args.draw:
        paths.check_draw(args.draw)
    ids = store.all_draw_ids(args.records)
    if args.draw:  # only what this draw needs: another draw's broken files are not its problem
        ids = [d for d in ids if d == args.draw]
    # Pools and results are read when their draw is verified (and dropped after): small files of
    # every draw are enough for the log's checks.
    files, problems = read_all(args.records, ids, defer=True)
    # The draw files just read live until the end: later collections need not re-walk them
    # (unfrozen on the way out, so repeated calls in one process free them).
    gc.freeze()
    try:
        return _check(args, files, problems)
    finally:
        gc.unfreeze()


def _check(args: argparse.Namespace, files: dict, problems: list[Report]) -> int:
    if args.draw and not files and not problems:
        print(f"找不到抽取“{args.draw}”。")
        return 1
    problems += log_problems(args.records, files, {args.draw} if args.draw else None)
    chosen = sorted(files)
    if args.base:
        touched = touched_draw_ids(args.records, args.base)
        chosen = [d for d in chosen if d in touched]
    if args.base:
        problems += _log_rewritten(args.records, args.base)
    refused = sum(files[d].refused is not None for d in chosen)
    published = [
        d for d in chosen if files[d].refused is None and (files[d].has_result or files[d].failed is not None)
    ]
    failed = sum(files[d].failed is not None for d in published)
    found = _verify_all([files[d] for d in published], verify_beacon=not args.no_beacon_check)
    for draw_id in published:  # in draw order, however the work was split
        problems += found[draw_id]
    checked = len(published)
    bad = {p.draw or p.where for p in problems}
    for p in problems:
        print(f"{p.where}：{p.message}（{p.code}）")
    verdict = "未通过" if problems else "通过"
    print(
        f"核验{verdict}：共 {checked} 次抽取（其中公开失败 {failed} 次），拒绝受理 {refused} 次，"
        f"{len(bad)} 处不一致。"
    )
    return 1 if problems else 0


SPLIT_BYTES = 16 * 2**20  # frozen pools below this verify faster in one process than forking costs


def _verify_all(drawn: list, verify_beacon: bool) -> dict[str, list[Report]]:
    """Each draw's problems; on both cores when the pools are large (a county at full size).

    The draws are dealt largest pools first, each to whichever worker is free (``parallel.deal``):
    a draw's time follows its pool size only roughly (staffing follows drawn objects × roster), so
    dealing by bytes in advance left one worker ~0.5 s longer at scale 40. Each worker reads and
    drops one draw's pools and result at a time. The report does not depend on the dealing: it is
    printed in draw order."""
    sizes = {f.draw_id: _pool_bytes(f) for f in drawn}
    parts = 2 if sum(sizes.values()) >= SPLIT_BYTES and len(drawn) > 1 else 1
    order = sorted(drawn, key=lambda f: (-sizes[f.draw_id], f.draw_id))

    def one(k: int) -> list[Report]:
        f = order[k]
        # No cyclic collection while one draw is verified: reading its pools (a million values at
        # scale 40), recomputing and rendering it make millions of acyclic objects, and each
        # collection would re-walk the pools still in use (3 of 24 CPU-s at scale 40). Its pools
        # are dropped inside, before the collector resumes.
        with collector_paused():
            problems = verify_draw(f, verify_beacon=verify_beacon)
            # a county's pools are large: keep one draw's at a time, and drop them before the
            # collector resumes (its first pass would walk them)
            f.pools = f.result = None
        return problems

    return {f.draw_id: found for f, found in zip(order, parallel.deal(one, len(order), parts), strict=True)}


def _pool_bytes(files) -> int:
    try:
        return files.pools_file.stat().st_size if files.pools_file is not None else 0
    except OSError:
        return 0  # reported when the draw is verified
