"""ci site: verify every published draw, write the compliance report, build the public site.

The build date is pinned to the last commit's time (``SOURCE_DATE_EPOCH``; never after the clock)
unless the caller set it, so the same records give byte-identical pages on every forge. The compliance report goes to the
forge's job summary where there is one (GitHub), otherwise into the log.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import time
from pathlib import Path

from generator.cli.ci_steps.forge import detect
from generator.cli.ci_steps.gitops import git
from generator.gitrepo import GitError
from generator.reports.report_text import as_markdown_literal

NAME = "site"
HELP = "核验全部抽取、输出合规报告、构建公开网站（构建日期固定为最新提交时间）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", default="records", help="记录目录（默认 records）")
    parser.add_argument("--out", default="site", help="网站输出目录（默认 site；GitLab Pages 用 public）")
    parser.add_argument("--cache", default=None, help="构建缓存目录（可选，见 build --cache）")


def build_epoch(records: Path) -> str:
    """The last commit's time, but never after the clock: a unit sets its commits' dates, and on a
    forge that merges by fast-forward its commit is main's last one. A commit dated in the future
    made the build's "today" (results_context.reference_date, the report pages) that future day."""
    return str(min(int(git(records, "log", "-1", "--format=%ct")), int(time.time())))


def usable_cache(cache: str | None, out: str) -> list[str]:
    """``--cache`` for the build, or nothing when the folder is refused (a link, a file, a folder
    without our marker). In CI the folder is what actions/cache restored, which whoever can write
    main's cache decides: a cache problem costs the work, never the build (red team 9), so the
    site is built without it and the log says why."""
    if not cache:
        return []
    from generator.paths import PathRefused
    from generator.site import build_cache

    try:
        build_cache.check_folder(Path(cache), Path(out))
    except PathRefused as refused:
        print(f"警告：{refused} 本次构建不使用缓存（结果相同，只是更慢）；请删除该缓存目录或缓存条目。")
        return []
    return ["--cache", cache]


def run(args: argparse.Namespace) -> int:
    from generator.cli import main

    if "SOURCE_DATE_EPOCH" not in os.environ:
        with contextlib.suppress(GitError, ValueError):
            os.environ["SOURCE_DATE_EPOCH"] = build_epoch(Path(args.records))
    print(f"== 核验全部抽取（构建日期 SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '未固定')}）")
    if main(["verify", "--records", args.records]) != 0:
        return 1
    print("== 合规报告")
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        code = main(["report", "--records", args.records])
    summary = detect().step_summary
    if summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(as_markdown_literal(report.getvalue()))
        print(f"（已写入运行摘要，{len(report.getvalue().splitlines())} 行）")
    else:
        print(report.getvalue(), end="")
    if code not in (0, 1):  # 1: the report found shortfalls, which the site shows; not a build failure
        return code
    return _build(args, summary)


def _build(args: argparse.Namespace, summary: str | None) -> int:
    """Build from the records; when they have errors, build again without the files that have
    them (withhold.py) and say so loudly. A valid tree, the usual case, is read and checked once:
    the plan's own validation runs only after the build refused the records."""
    import shutil
    import tempfile

    from generator.cli import main
    from generator.cli.ci_steps import withhold

    cache = usable_cache(args.cache, args.out)
    print(f"== 构建网站到 {args.out}")
    code = main(["build", "--records", args.records, "--out", args.out, *cache])
    if code != 1:
        return code
    records = Path(args.records)
    work = Path(tempfile.mkdtemp(prefix=f".{records.resolve().name}.withheld-", dir=records.resolve().parent))
    try:
        trimmed = work / "records"
        w = withhold.plan(records, trimmed)
        if not w.ok:
            print("== 记录有错误，网站未生成（county.yaml 或抽取登记簿的错误无法靠不收录某个文件绕过）：")
            for f in w.blocking:
                print(f"  {f.render()}")
            return 1
        if not w.files:
            return code  # the build failed for another reason (its message is above)
        loud = withhold.message(w)
        print(loud)
        if summary:
            with open(summary, "a", encoding="utf-8") as out:
                out.write(as_markdown_literal(loud + "\n"))
        print(f"== 不收录上述文件，重新构建网站到 {args.out}")
        # every page names the files left out; the registry's references to them, and nothing else,
        # do not stop the build. A file, not the variables' values: those grow with the files a pull
        # request adds, and a variable over 128 KiB makes every process the build starts fail (E2BIG)
        lists = work / "withheld.json"
        lists.write_text(
            json.dumps({"files": w.files, "consequences": withhold.consequence_keys(w)}, ensure_ascii=False),
            encoding="utf-8",
        )
        os.environ["SSJ_WITHHELD_FILE"] = str(lists)
        try:
            return main(["build", "--records", str(trimmed), "--out", args.out, *cache])
        finally:
            os.environ.pop("SSJ_WITHHELD_FILE", None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
