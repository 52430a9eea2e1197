"""ci: the forge-neutral steps of the CI workflows (GitHub, Gitea/Forgejo, GitLab).

Each subcommand is one module in ``generator/cli/ci_steps/``; the workflow files only call them, so the
same logic runs, and is tested, whatever forge the county uses.
"""

from __future__ import annotations

import argparse

NAME = "ci"
HELP = "CI 工作流的各个步骤（可信检查、受理与抽取、推送登记簿、构建与发布网站、网页上传表格的转换），适用于 GitHub、Gitea、GitLab"


def configure(parser: argparse.ArgumentParser) -> None:
    from generator.cli.ci_steps import subcommands

    sub = parser.add_subparsers(dest="ci_command", metavar="步骤", required=True)
    for name, module in subcommands().items():
        p = sub.add_parser(name, help=module.HELP, description=module.HELP, add_help=False)
        p._positionals.title = "参数"
        p._optionals.title = "选项"
        p.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
        module.configure(p)


def run(args: argparse.Namespace) -> int:
    from generator.cli.ci_steps import subcommands

    return int(subcommands()[args.ci_command].run(args) or 0)
