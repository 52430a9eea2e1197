"""build: render the public site from the records (MkDocs + Pagefind), atomically."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.cli._common import add_records_option

NAME = "build"
HELP = "生成公开网站（含全文搜索索引），失败时保留原网站不变"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument("--out", type=Path, default=Path("site"), help="网站输出目录（默认 site）")


def run(args: argparse.Namespace) -> int:
    from generator.site.builder import BuildFailed, build_site

    if not args.records.is_dir():
        print(f"找不到记录目录“{args.records}”。请用 --records 指定记录目录。")
        return 2
    try:
        out = build_site(args.records, args.out)
    except BuildFailed as e:
        print(f"网站生成失败，原网站保持不变。\n{e}")
        return 1
    print(f"网站已生成：{out}")
    return 0
