"""append-check: a pull request may only append to the draw registry and to inspection results."""

from __future__ import annotations

import argparse

from generator.cli._common import add_github_option
from generator.gitrepo import GitError, GitRepo
from generator.registry import clock
from generator.registry.clock import moment
from generator.workflow.appendonly import check
from generator.workflow.findings import print_workflow_findings

NAME = "append-check"
HELP = "检查合并请求是否只追加：已公开的抽取记录和检查结果不得修改或删除，抽取申请须连续编号"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", default="origin/main", help="基准分支或版本（默认 origin/main）")
    parser.add_argument("--head", default="HEAD", help="要检查的版本（默认 HEAD）")
    parser.add_argument("--records", default="records", help="记录目录在仓库中的相对路径（默认 records）")
    parser.add_argument("--repo", default=".", help="Git 仓库目录（默认当前目录）")
    parser.add_argument("--now", type=moment, help="当前时间（ISO 8601 或 Unix 秒，测试用；默认系统时间）")
    add_github_option(parser)


def run(args: argparse.Namespace) -> int:
    try:
        today = clock.today(clock.parse_now(args.now))  # Beijing: the county's date
        findings = check(GitRepo(args.repo), args.base, args.head, args.records, today)
    except GitError as exc:
        print(str(exc))
        return 2
    return print_workflow_findings(
        findings, args.github, ok_text="只追加检查通过。", fail_text="只追加检查未通过"
    )
