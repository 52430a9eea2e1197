"""Pagefind indexing with the extended binary (the standard one does not segment Chinese).

The index is used as Pagefind writes it. Its filter list and filter chunks come out in hash-map
order, so those few files (and their hashed names in pagefind-entry.json) may differ between two
builds of the same records; pages, open data and draw bundles never do. docs/architecture.md
("Determinism") says why that is the promise.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path


def pagefind_executable() -> str:
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return override
    from pagefind_bin_extended import get_executable

    return str(get_executable())


# Figures of the last run in this process (bench/bench_site.py prints them): seconds and peak memory (MB).
LAST_RUN: dict[str, float] = {}


def run_pagefind(site_dir: Path) -> None:
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [pagefind_executable(), "--site", str(site_dir), "--quiet"], stdout=log, stderr=subprocess.STDOUT
        )
        # wait4 rather than wait: it also gives this child's own peak memory (issue 18 tracks it)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    LAST_RUN.update(seconds=time.perf_counter() - start, peak_mb=usage.ru_maxrss / 1024)
    if proc.returncode != 0:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"Pagefind 建立搜索索引失败（退出码 {proc.returncode}）：\n{output}")
