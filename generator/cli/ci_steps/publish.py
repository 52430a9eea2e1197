"""ci publish: on the publish run after a merge, record the date each new result was published.

Runs in the CI clone of main before the site is built: every result entry without
``published_on`` gets today's date in Beijing time (the day the site carrying it is deployed), inserted as one
line so nothing else in the file changes (generator/workflow/publication.py). The change ends in
one local commit; ``ci push`` checks it (only such inserted lines) and pushes it. No credential
here. Units never write the field: ``append-check`` refuses a pull request that does.

Files ``ci site`` leaves out (withhold.py) are not published, so not dated; when the records have
errors no leaving out can clear, no site is built at all and nothing is dated (exit 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from generator import bounded
from generator.cli.ci_steps.gitops import commit_paths, git
from generator.gitrepo import GitError
from generator.registry import clock
from generator.registry.clock import moment
from generator.workflow.publication import stamp

NAME = "publish"
HELP = "合并后发布网站前运行：为新公示的检查结果记录公示日期 published_on（只由 CI 写入），并在本地提交（不推送）"
MESSAGE = "检查结果公示：CI 记录公示日期"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", type=Path, default=Path("."), help="仓库目录（默认当前目录）")
    parser.add_argument("--records", default="records", help="记录目录在仓库中的相对路径（默认 records）")
    parser.add_argument(
        "--date", type=dt.date.fromisoformat, default=None, help="公示日期（默认北京时间的今天）"
    )
    parser.add_argument("--now", type=moment, help="当前时间（ISO 8601 或 Unix 秒，测试用；默认系统时间）")
    parser.add_argument(
        "--bundle", type=Path, default=None, help="把新提交另存为 git bundle（交给单独的推送作业）"
    )
    parser.add_argument(
        "--bundle-base",
        default="",
        help="bundle 从哪个版本之后开始（默认本步开始时的 HEAD；先运行 ci registry 时填流水线的提交）",
    )


def stamp_tree(records: Path, day: dt.date, withheld: frozenset[str] = frozenset()) -> dict[Path, int]:
    """Stamp every results file under ``records/units/*/results/``; file -> entries stamped.
    ``withheld`` (paths relative to ``records``): files the site leaves out, so not published."""
    out: dict[Path, int] = {}
    units = records / "units"
    for path in sorted(units.glob("*/results/*.yaml")) if units.is_dir() else []:
        if path.relative_to(records).as_posix() in withheld:
            continue  # ci site leaves it out (it has errors): it is not published today
        try:
            text = bounded.read_bytes(path).decode("utf-8")
        except (OSError, UnicodeDecodeError, bounded.FileRefused):
            continue  # validate reports the file; publishing skips it
        new, count = stamp(text, day)
        if count:
            tmp = path.with_name(f".{path.name}.publish.tmp")
            tmp.write_text(new, encoding="utf-8", newline="")
            tmp.replace(path)
            out[path] = count
    return out


def run(args: argparse.Namespace) -> int:
    repo = args.repo.resolve()
    # the county's date (Beijing time), as validate reads "today" (results_context.reference_date):
    # CI's runners keep UTC, where 00:00-08:00 in Beijing is still the day before, and an entry
    # entered today would have been dated published the day before its entry, for good
    day = args.date or clock.today(clock.parse_now(args.now))
    try:
        start = git(repo, "rev-parse", "HEAD")
    except GitError as exc:
        print(str(exc))
        return 2
    from generator.cli.ci_steps import withhold

    w = withhold.plan(repo / args.records)
    if not w.ok:
        # ci site refuses these records (county.yaml, the draw registry, or what leaving files out
        # cannot clear): no site is deployed, so no result is published today and none is dated.
        print(
            f"错误：{args.records} 中有 {len(w.blocking)} 个错误无法靠不收录单个文件排除，"
            "本次不会发布网站，因此不记录任何公示日期（published_on）。请先改正以下错误（运行 "
            f"python -m generator validate --records {args.records} 可看全部），再重新发布："
        )
        for f in w.blocking[: withhold.MAX_LISTED]:
            print(f"  {args.records}/{f.render()}")
        if len(w.blocking) > withhold.MAX_LISTED:
            print(f"  ……另有 {len(w.blocking) - withhold.MAX_LISTED} 条")
        return 1
    for rel in w.files:
        print(f"{args.records}/{rel}：有错误，本次网站不收录，不记录公示日期")
    stamped = stamp_tree(repo / args.records, day, frozenset(w.files))
    for path, count in stamped.items():
        print(f"{path.relative_to(repo).as_posix()}：{count} 条结果记录公示日期 {day.isoformat()}")
    try:
        committed = commit_paths(repo, [f"{args.records}/units"], MESSAGE) if stamped else False
        base = args.bundle_base or start
        if args.bundle and git(repo, "rev-list", f"{base}..HEAD"):
            git(repo, "bundle", "create", str(args.bundle.resolve()), f"{base}..HEAD")
    except GitError as exc:
        print(str(exc))
        return 1
    print(
        f"已在本地提交 {git(repo, 'rev-parse', '--short', 'HEAD')}。" if committed else "没有新公示的结果。"
    )
    return 0
