"""schemas: regenerate schemas/*.json, docs/records.md and docs/errors.md from the record kinds."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.reference import generated

NAME = "schemas"
HELP = (
    "根据记录定义重新生成 JSON Schema（schemas/）、字段参考（docs/records.md）和问题代码表（docs/errors.md）"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="仓库根目录（默认当前目录）")
    parser.add_argument("--check", action="store_true", help="只检查是否过期，不写文件；过期时退出码为 1")


def run(args: argparse.Namespace) -> int:
    stale = []
    for path, text in generated(args.root).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
    if args.check:
        for path in stale:
            print(f"{path} 已过期：请运行 python -m generator schemas 并提交。")
        return 1 if stale else 0
    print(f"已更新 {len(stale)} 个文件。" if stale else "全部已是最新。")
    return 0
