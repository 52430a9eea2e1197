"""serve: preview the public site locally; pages reload when records or templates change."""

from __future__ import annotations

import argparse
import os

from generator.cli._common import add_records_option

NAME = "serve"
HELP = "本地预览公开网站，修改记录后页面自动刷新"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument("--addr", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")


def run(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    from generator.site.builder import CONFIG, DEFAULT_EPOCH

    if not args.records.is_dir():
        print(f"找不到记录目录“{args.records}”。请用 --records 指定记录目录。")
        return 2
    os.environ["SSJ_RECORDS"] = str(args.records.resolve())
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)
    print(f"预览地址：http://{args.addr}/  （按 Ctrl+C 停止）")
    serve(str(CONFIG), livereload=True, watch=[str(args.records.resolve())], dev_addr=args.addr)
    return 0
