"""Pagefind indexing with the extended binary (the standard one does not segment Chinese)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def pagefind_executable() -> str:
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return override
    from pagefind_bin_extended import get_executable

    return str(get_executable())


def run_pagefind(site_dir: Path) -> None:
    result = subprocess.run(
        [pagefind_executable(), "--site", str(site_dir), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        from mkdocs.exceptions import PluginError

        raise PluginError(
            f"Pagefind 建立搜索索引失败（退出码 {result.returncode}）：\n{result.stdout}\n{result.stderr}"
        )
    from generator.site.pagefind_stable import stabilise

    stabilise(site_dir / "pagefind")
