"""serve: preview the public site locally; pages reload when records or templates change.

The first build is a full one; after an edit only the pages it touches are rewritten
(generator/site/incremental.py), and the browser reloads when they are in place."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from generator.cli._common import add_records_option

TEMPLATES = Path(__file__).resolve().parents[2] / "site_templates"

NAME = "serve"
HELP = "本地预览公开网站，修改记录后页面自动刷新"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument("--addr", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")


def run(args: argparse.Namespace) -> int:
    from mkdocs.livereload import LiveReloadServer

    from generator.site.builder import DEFAULT_EPOCH, BuildFailed
    from generator.site.incremental import Preview

    if not args.records.is_dir():
        print(f"找不到记录目录“{args.records}”。请用 --records 指定记录目录。")
        return 2
    host, _, port = args.addr.rpartition(":")
    if not (host and port.isdigit()):
        print(f"--addr 的值“{args.addr}”无效，应为“地址:端口”，如 127.0.0.1:8000。")
        return 2
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)
    work = Path(tempfile.mkdtemp(prefix="ssj-preview-"))
    preview = Preview(args.records.resolve(), work / "site")
    print("正在生成预览（第一次是完整生成），服务器应答后会显示地址……", flush=True)
    try:
        preview.full()
    except BuildFailed as e:
        print(f"预览生成失败：\n{e}")
        shutil.rmtree(work, ignore_errors=True)
        return 1
    templates = _templates_stamp()

    def rebuild() -> None:
        nonlocal templates
        started = time.perf_counter()
        print(_refresh(preview, templates != _templates_stamp(), started), flush=True)
        templates = _templates_stamp()

    server = LiveReloadServer(builder=rebuild, host=host, port=int(port), root=str(preview.site_dir))
    server.watch(str(args.records.resolve()))
    server.watch(str(TEMPLATES))
    threading.Thread(target=announce_when_ready, args=(f"http://{args.addr}/",), daemon=True).start()
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        preview.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _refresh(preview, templates_changed: bool, started: float) -> str:
    """One rebuild after an edit: only the pages it touches, or everything when it must."""
    from generator.site.assemble import RecordsInvalid
    from generator.site.builder import BuildFailed
    from generator.site.incremental import NeedsFullBuild

    try:
        if templates_changed:
            raise NeedsFullBuild
        written = preview.update(search_done=lambda error: print(_searched(error, started), flush=True))
        return f"已更新 {len(written)} 个页面，用时 {time.perf_counter() - started:.1f} 秒；搜索索引正在后台更新。"
    except RecordsInvalid as e:
        return "记录校验未通过，预览保持上一版：\n" + "\n".join(e.lines[:20])
    except NeedsFullBuild:
        pass
    try:
        preview.full()
    except BuildFailed as e:
        return f"预览生成失败，保持上一版：\n{e}"
    return f"已重新生成整个网站（改动涉及全部页面），用时 {time.perf_counter() - started:.1f} 秒。"


def _searched(error: BaseException | None, started: float) -> str:
    if error is not None:
        return f"搜索索引更新失败，搜索结果可能仍是上一版：{error}"
    return f"搜索索引已更新，自修改起共用时 {time.perf_counter() - started:.1f} 秒。"


def _templates_stamp() -> tuple:
    """Names and modification times of the site templates: a change there rebuilds everything."""
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in TEMPLATES.rglob("*") if p.is_file()))


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
