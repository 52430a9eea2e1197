"""serve: preview the public site locally; pages reload when records or templates change."""

from __future__ import annotations

import argparse
import os
import threading
import time
import urllib.request

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
    print("正在生成预览（约 20 秒），服务器应答后会显示地址……", flush=True)
    threading.Thread(target=announce_when_ready, args=(f"http://{args.addr}/",), daemon=True).start()
    serve(str(CONFIG), livereload=True, watch=[str(args.records.resolve())], dev_addr=args.addr)
    return 0


def announce_when_ready(url: str, timeout: float = 600, interval: float = 0.3) -> bool:
    """Print the preview address only once the server answers it (mkdocs builds before listening)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with opener.open(url, timeout=2) as response:
                if response.status == 200:
                    print(f"预览地址：{url}  （按 Ctrl+C 停止）", flush=True)
                    return True
        except OSError:
            pass
        time.sleep(interval)
    return False
