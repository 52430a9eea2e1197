"""ci deploy: publish a built site into a directory a plain web server serves (intranet, no Pages).

Each deployment is copied to ``<to>.releases/<time>/`` and then ``<to>`` — a symbolic link — is
switched to it in one rename, so visitors never see a half-copied site; the last ``--keep``
releases stay for a quick rollback (point the link back). Used by Gitea/Forgejo (no Pages) and by
GitLab or any forge whose runner lives on the web server or mounts its document root.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
from pathlib import Path

NAME = "deploy"
HELP = "把构建好的网站发布到 Web 服务器目录（先完整复制，再原子切换符号链接；保留最近几版便于回退）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("site"), help="构建好的网站目录（默认 site）")
    parser.add_argument(
        "--to",
        type=Path,
        default=Path(os.environ.get("SSJ_SITE_DIR", "")) if os.environ.get("SSJ_SITE_DIR") else None,
        help="Web 服务器的网站目录（符号链接；默认环境变量 SSJ_SITE_DIR）",
    )
    parser.add_argument("--keep", type=int, default=3, help="保留的历史版本数（默认 3）")


def deploy(site: Path, to: Path, keep: int = 3, now: dt.datetime | None = None) -> Path:
    """Copy ``site`` into a new release and point ``to`` at it; returns the release directory."""
    if to.exists() and not to.is_symlink():
        raise ValueError(
            f"“{to}”是普通目录，不是符号链接。首次发布前请把它改名备份（如 mv {to} {to}.old），"
            "本命令会创建符号链接。"
        )
    if not (site / "index.html").is_file():
        raise ValueError(
            f"“{site}”里没有 index.html，不像构建好的网站。请先运行 python -m generator ci site。"
        )
    releases = to.parent / f"{to.name}.releases"
    releases.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    release = releases / stamp
    partial = releases / f".{stamp}.partial"
    shutil.copytree(site, partial)
    partial.rename(release)
    link = to.parent / f".{to.name}.new"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(release.relative_to(to.parent))
    os.replace(link, to)  # atomic on POSIX: the old link is replaced in one step
    for old in sorted(p for p in releases.iterdir() if not p.name.startswith("."))[:-keep]:
        shutil.rmtree(old)
    return release


def run(args: argparse.Namespace) -> int:
    if args.to is None:
        print("请用 --to 或环境变量 SSJ_SITE_DIR 指定 Web 服务器的网站目录。")
        return 2
    if args.keep < 1:
        print("--keep 至少为 1。")
        return 2
    try:
        release = deploy(args.site, args.to.absolute(), args.keep)
    except (ValueError, OSError) as exc:
        print(f"发布失败，原网站不变：{exc}")
        return 1
    print(f"已发布：{args.to} → {release}")
    return 0
