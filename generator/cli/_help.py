"""How the commands are presented: groups, which ones only CI runs, and one example per command.

Kept apart from the command modules so the help reads as one page; tests/test_cli.py checks that
every command is in exactly one group and has an example that the parser accepts.
"""

from __future__ import annotations

import argparse

PROG = "python -m generator"

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("记录", ("validate", "new", "templates", "schemas", "sample")),
    ("抽取", ("request", "entropy", "verify", "accept", "beacon", "draw")),
    ("网站与报告", ("build", "serve", "report", "summary")),
    ("导入导出", ("import", "export")),
    ("CI", ("ci", "append-check", "codeowners")),
)

# Run by the repository's CI workflows (on merge or on a schedule); a person runs them only to
# look into a problem (``draw --dry-run``, ``beacon latest``). ``codeowners`` is in the CI group (CI
# checks it) but a maintainer runs it to regenerate the file.
CI_ONLY = frozenset({"accept", "beacon", "draw", "append-check", "ci"})
CI_MARK = "〔CI〕"

EXAMPLES: dict[str, tuple[str, ...]] = {
    "validate": ("validate --records records", "validate --strict"),
    "new": ("new tasks --unit market --id T2026-market-03", "new objects --unit health --stdout"),
    "templates": ("templates --out build/templates",),
    "schemas": ("schemas", "schemas --check"),
    "sample": ("sample --out records --scale 1",),
    "request": ("request T2026-market-01 --drand-at 2026-05-06T10:00:00+08:00",),
    "entropy": ('entropy D2026-0001 --ceremony meeting=370215 --witness "县纪委监委 王某"',),
    "verify": ("verify", "verify --draw D2026-0001"),
    "accept": ("accept --round 5000000 --commit 1a2b3c4",),
    "beacon": ("beacon latest", "beacon fetch --due"),
    "draw": ("draw --due", "draw D2026-0001 --dry-run"),
    "build": ("build --out site", "build --out site --cache .build-cache"),
    "serve": ("serve --addr 127.0.0.1:8000",),
    "report": ("report --year 2026 --today 2026-12-31", "report --format json"),
    "summary": ("summary --year 2026 --out summary",),
    "import": ("import 检查对象名录.xlsx --kind objects --unit market --dry-run",),
    "export": ("export results --year 2026 --unit market --out 检查结果.xlsx",),
    "append-check": ("append-check --base origin/main --head HEAD",),
    "codeowners": ("codeowners --check",),
    "ci": ("ci checks --tree pr --base origin/main", "ci site --out site"),
}

BARE = "不带命令运行时显示本帮助，退出码为 2（与用法错误相同：什么也没有做）。"


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's "usage: " prefix in Chinese; descriptions and epilogs keep their line breaks."""

    def _format_usage(self, usage, actions, groups, prefix):
        return super()._format_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _fill_text(self, text, width, indent):
        return "".join(indent + line for line in text.splitlines(keepends=True))


def marked(name: str, help_text: str) -> str:
    return f"{CI_MARK}{help_text}" if name in CI_ONLY else help_text


def command_list(helps: dict[str, str]) -> str:
    """The grouped command list shown by ``python -m generator -h``."""
    width = max(len(n) for n in helps) + 2
    lines = []
    for title, names in GROUPS:
        lines.append(f"{title}：")
        lines += [f"  {name.ljust(width)}{marked(name, helps[name])}" for name in names if name in helps]
        lines.append("")
    lines += [
        f"{CI_MARK} 由 CI 在合并后或按计划运行，个人只在排查问题时使用（如 draw --dry-run）。",
        f"每个命令的说明和示例：{PROG} 命令 -h。{BARE}",
    ]
    return "\n".join(lines)


def example_text(name: str) -> str:
    return "示例：\n" + "\n".join(f"  {PROG} {line}" for line in EXAMPLES[name])
