"""Command-line entry point: ``python -m generator COMMAND`` (or the ``shuangsuiji`` script).

Each command is one small module in this package exposing ``NAME``, ``HELP`` (Chinese, one line),
``configure(parser)`` and ``run(args) -> exit code``; the logic lives in library modules. Commands
are discovered, so adding one is adding a file (and documenting it: tests/test_docs.py checks).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys
from types import ModuleType

from generator.cli import _help


def command(name: str | None) -> ModuleType | None:
    """The module of command ``name`` alone (``append-check`` is ``append_check.py``, ``import``
    is ``import_.py``), or None: running one command need not import the other twenty."""
    if not name or not re.fullmatch(r"[a-z][a-z-]*", name):
        return None
    for candidate in (name.replace("-", "_"), name.replace("-", "_") + "_"):
        try:
            module = importlib.import_module(f"{__name__}.{candidate}")
        except ImportError:
            continue
        if getattr(module, "NAME", None) == name and hasattr(module, "run"):
            return module
    return None


def commands() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            found[module.NAME] = module
    return dict(sorted(found.items()))


_ARGPARSE_ERRORS = (
    (re.compile(r"the following arguments are required: (.+)"), "缺少必需的参数：{0}"),
    (
        re.compile(r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.+)\)"),
        "参数 {0} 的值“{1}”无效，可选：{2}",
    ),
    (
        re.compile(r"argument (\S+): invalid (\w+) value: '?([^']*)'?"),
        "参数 {0} 的值“{2}”格式不对（应为 {1}）",
    ),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面需要一个值"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "参数 {0} 不能与 {1} 同时使用"),
)


_TYPE_NAMES = {
    "int": "整数",
    "fromisoformat": "日期 YYYY-MM-DD",
    "float": "数字",
    "moment": "时刻，如 2026-05-06T10:00:00+08:00，或 Unix 秒",
}


def chinese_error(message: str) -> str:
    """argparse's English error messages in Chinese (the common ones; others pass through).

    >>> chinese_error("the following arguments are required: --kind")
    '缺少必需的参数：--kind'
    >>> chinese_error("argument 种类: invalid choice: 'x' (choose from 'county', 'unit')")
    '参数 种类 的值“x”无效，可选：county, unit'
    """
    for pattern, template in _ARGPARSE_ERRORS:
        m = pattern.fullmatch(message)
        if m:
            groups = [_TYPE_NAMES.get(g, g) for g in m.groups()]
            if "choose from" in pattern.pattern:  # argparse quotes each choice (a Python repr)
                groups[-1] = groups[-1].replace("'", "")
            return template.format(*groups)
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _help.ChineseHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{chinese_error(message)}\n")

    def parse_known_args(self, args=None, namespace=None):
        parsed, rest = super().parse_known_args(args, namespace)
        if getattr(parsed, "command", "") is None:  # a bare ``python -m generator``: show the help
            self.print_help()
            self.exit(2)
        return parsed, rest


def _chinese(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Section titles and the help option in Chinese (argparse's own strings are English)."""
    parser._positionals.title = "参数"
    parser._optionals.title = "选项"
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    return parser


def build_parser(found: dict[str, ModuleType] | None = None) -> argparse.ArgumentParser:
    """The parser for ``found`` commands (default: all of them, for the overall help)."""
    found = commands() if found is None else found
    parser = _chinese(
        ChineseArgumentParser(
            prog=_help.PROG,
            usage=f"{_help.PROG} [-h] 命令 [选项…]",
            description="“双随机、一公开”跨部门联合监管：校验记录、可核验抽取、生成公开网站。",
            epilog=_help.command_list({name: module.HELP for name, module in found.items()}),
            add_help=False,
        )
    )
    # the grouped list in the epilog replaces argparse's flat one (no per-command ``help=`` here)
    sub = parser.add_subparsers(dest="command", metavar="命令", help=argparse.SUPPRESS)
    for name, module in found.items():
        text = _help.marked(name, module.HELP)
        p = _chinese(
            sub.add_parser(
                name,
                prog=f"{_help.PROG} {name}",
                description=text,
                epilog=_help.example_text(name),
                add_help=False,
            )
        )
        module.configure(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # while the command's modules load, before its guard: a message, no traceback
        print("已中断，没有读写任何文件。", file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Chinese messages on any locale
    argv = sys.argv[1:] if argv is None else argv
    only = command(argv[0]) if argv else None
    found = {only.NAME: only} if only is not None else commands()
    args = build_parser(found).parse_args(argv)
    from generator.cli._edge import guarded  # the one place errors become messages (exit codes)

    return guarded(found[args.command].run, args)
