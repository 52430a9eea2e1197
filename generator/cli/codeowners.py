"""codeowners: write or check .github/CODEOWNERS generated from the units' reviewers."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from generator.cli._common import add_records_option
from generator.paths import write_file

NAME = "codeowners"
HELP = "根据各单位 unit.yaml 的 reviewers 生成 CODEOWNERS（GitHub、GitLab、Gitea；--check 只检查是否过期）"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument(
        "--forge",
        choices=["github", "gitlab", "gitea"],
        default="github",
        help="代码托管平台（默认 github；gitlab 写 .gitlab/CODEOWNERS，gitea 写 .gitea/CODEOWNERS）",
    )
    parser.add_argument("--out", type=Path, default=None, help="输出文件（默认按 --forge 选择）")
    parser.add_argument("--check", action="store_true", help="只检查文件是否与记录一致，不一致时退出码 1")


def run(args: argparse.Namespace) -> int:
    from generator.corpus import load
    from generator.workflow.codeowners import PATHS, render

    if not args.records.is_dir():
        print(f"找不到记录目录“{args.records}”。请用 --records 指定记录目录。")
        return 2
    prefix = (
        Path(os.path.relpath(args.records)).as_posix()
        if args.records.is_absolute()
        else args.records.as_posix()
    )
    args.out = args.out or Path(PATHS[args.forge])
    text = render(load(args.records), prefix, args.forge)
    current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
    if args.check:
        if current == text:
            print(f"{args.out} 与各单位的 reviewers 一致。")
            return 0
        print(
            f"{args.out} 已过期（与各单位 unit.yaml 的 reviewers 不一致）。请运行 python -m generator codeowners --forge {args.forge} 重新生成并提交。"
        )
        return 1
    if current != text:
        write_file(args.out, text)
    print(f"已生成 {args.out}。")
    return 0
