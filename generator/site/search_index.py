"""Pagefind indexing with the extended binary (the standard one does not segment Chinese).

The index is used as Pagefind writes it. Its filter list and filter chunks come out in hash-map
order, so those few files (and their hashed names in pagefind-entry.json) may differ between two
builds of the same records; pages, open data and draw bundles never do. docs/architecture.md
("Determinism") says why that is the promise.
"""

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
