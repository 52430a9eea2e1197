"""ci registry: after a merge and hourly — accept new draw requests, fetch due beacons, run due draws.

Everything happens in the local clone and ends in one local commit under ``records/draws/``;
this step holds no credential. ``ci push`` (a separate step, or job via ``--bundle``) checks that
commit and pushes it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli.ci_steps.forge import detect
from generator.cli.ci_steps.gitops import commit_paths, git
from generator.gitrepo import GitError

NAME = "registry"
HELP = (
    "合并后与定时运行：受理新申请（记录 drand 最新轮次）、获取到期信标、运行到期抽取，并在本地提交（不推送）"
)
MESSAGE = "抽取登记簿：CI 受理申请、记录随机信标和抽取结果"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", type=Path, default=Path("."), help="仓库目录（默认当前目录）")
    parser.add_argument("--records", default="records", help="记录目录在仓库中的相对路径（默认 records）")
    parser.add_argument("--round", type=int, default=None, help="drand 最新轮次（默认联网查询）")
    parser.add_argument(
        "--bundle", type=Path, default=None, help="把新提交另存为 git bundle（交给单独的推送作业）"
    )


def latest_round() -> int | None:
    from generator.workflow.beacon_client import BeaconClient, BeaconUnavailable, relays_from_env

    try:
        return BeaconClient(relays=relays_from_env(), timeout=10, retries=2).latest().round
    except BeaconUnavailable as exc:
        print(f"无法取得 drand 最新轮次（{exc}），新申请将在下次运行时受理。", file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    from generator.cli import main

    repo = args.repo.resolve()
    records = str(repo / args.records)
    try:
        start = git(repo, "rev-parse", "HEAD")
    except GitError as exc:
        print(str(exc))
        return 2
    sha = detect().sha or start
    latest = args.round if args.round is not None else latest_round()
    # accept always runs: requests without drand are settled now, a drand request stays pending
    # until a verified, clock-consistent latest round is known, and every refusal is recorded.
    print(
        f"== 受理新申请（drand 最新轮次 {latest if latest is not None else '未知：drand 申请暂缓受理'}）",
        flush=True,
    )
    round_args = ["--round", str(latest)] if latest is not None else []
    if main(["accept", "--records", records, *round_args, "--commit", sha]) != 0:
        return 1
    print("== 获取到期抽取的 drand 信标（失败的留待下次运行）", flush=True)
    if main(["beacon", "--timeout", "10", "--retries", "2", "fetch", "--due", "--records", records]) != 0:
        print("部分信标暂时无法获取，相应抽取下次运行时再做。")
    print("== 运行到期的抽取", flush=True)
    if main(["draw", "--due", "--records", records]) != 0:
        return 1
    try:
        committed = commit_paths(repo, [f"{args.records}/draws"], MESSAGE)
        if committed and args.bundle:
            git(repo, "bundle", "create", str(args.bundle.resolve()), f"{start}..HEAD")
    except GitError as exc:
        print(str(exc))
        return 1
    print(
        f"已在本地提交 {git(repo, 'rev-parse', '--short', 'HEAD')}。" if committed else "没有新的抽取记录。"
    )
    return 0
