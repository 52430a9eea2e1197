"""build: render the public site from the records (MkDocs + Pagefind), atomically."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from generator.cli._common import add_records_option

NAME = "build"
HELP = "生成公开网站（含全文搜索索引），失败时保留原网站不变"


def configure(parser: argparse.ArgumentParser) -> None:
    add_records_option(parser)
    parser.add_argument("--out", type=Path, default=Path("site"), help="网站输出目录（默认 site）")
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="构建缓存目录（可选）：输入未变的部分（如页面未变的搜索分片、输入未变的记录页面）直接沿用上次构建的结果",
    )


def run(args: argparse.Namespace) -> int:
    from generator import paths
    from generator.site.builder import BuildFailed, build_site

    if not args.records.is_dir():
        print(f"找不到记录目录“{args.records}”。请用 --records 指定记录目录。")
        return 2
    paths.output_dir(args.out, args.records, "网站输出目录")
    paths.replaceable_site(args.out, "网站输出目录")
    if args.cache is not None:
        from generator.site import build_cache

        paths.output_dir(args.cache, args.records, "构建缓存目录")
        build_cache.check_folder(args.cache, args.out)
    args.out.resolve().parent.mkdir(parents=True, exist_ok=True)
    with build_lock(args.out) as locked:
        if not locked:
            print(f"另一个 build 正在生成“{args.out}”。请等它结束后再运行。")
            return 2
        for stale in remove_stale_builds(args.out):
            print(f"已清理上次中断的生成目录：{stale}")
        try:
            out = build_site(args.records, args.out, cache=args.cache)
        except BuildFailed as e:
            print(f"网站生成失败，原网站保持不变。\n{e}")
            return 1
    print(f"网站已生成：{out}")
    return 0


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[bool]:
    """An exclusive lock on the site's parent folder for the whole build (released when the process
    dies, so a killed build never blocks the next one). Yields False when another build holds it."""
    fd = os.open(out.resolve().parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock


def remove_stale_builds(out: Path) -> list[Path]:
    """Remove ``.<site>.building-*`` folders left by a killed build.

    Only called while holding :func:`build_lock`, so no live build owns any of them; only our own
    naming pattern next to this site is touched, and only real directories (never a link's target).
    """
    parent = out.resolve().parent
    removed = []
    for path in sorted(parent.glob(f".{out.resolve().name}.building-*")):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
