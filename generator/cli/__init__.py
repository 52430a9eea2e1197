"""Command-line entry point: ``python -m generator COMMAND`` (or the ``shuangsuiji`` script).

Each command is one small module in this package exposing ``NAME``, ``HELP`` (Chinese, one line),
``configure(parser)`` and ``run(args) -> exit code``; the logic lives in library modules. Commands
are discovered, so adding one is adding a file (and documenting it: tests/test_docs.py checks).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from types import ModuleType


def commands() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            found[module.NAME] = module
    return dict(sorted(found.items()))


def _chinese(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Section titles and the help option in Chinese (argparse's own strings are English)."""
    parser._positionals.title = "参数"
    parser._optionals.title = "选项"
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _chinese(
        argparse.ArgumentParser(
            prog="python -m generator",
            description="“双随机、一公开”跨部门联合监管：校验记录、可核验抽取、生成公开网站。",
            add_help=False,
        )
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True)
    for name, module in commands().items():
        p = _chinese(sub.add_parser(name, help=module.HELP, description=module.HELP, add_help=False))
        module.configure(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Chinese messages on any locale
    args = build_parser().parse_args(argv)
    return int(commands()[args.command].run(args) or 0)
