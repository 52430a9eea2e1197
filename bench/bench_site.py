"""Benchmark the public site build at ten times the sample (targets on 2 cores: < 60 s, < 2 GB, first
search < 300 KB). Prints, never asserts.

    python bench/bench_site.py [--records DIR] [--scale 10] [--query 学校食堂]

Without --records it generates ``python -m generator sample --scale N`` into bench/out/records-N.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def first_search_bytes(site: Path, query: str) -> tuple[int, int, int]:
    """Bytes fetched from pagefind/ by the search page for one query: (total, files, results)."""
    from playwright.sync_api import sync_playwright

    from tests.site.conftest import CHROMIUM_ARGS
    from tests.support.browser import require_chromium

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on(
                "requestfinished",
                lambda r: (
                    sizes.__setitem__(r.url, r.sizes()["responseBodySize"]) if "/pagefind/" in r.url else None
                ),
            )
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={query}")
            page.wait_for_selector("#search-results li", timeout=60000)
            page.wait_for_load_state("networkidle")
            results = page.locator("#search-results li").count()
            browser.close()
    finally:
        server.shutdown()
    return sum(sizes.values()), len(sizes), results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--query", default="学校食堂")
    args = parser.parse_args()
    records = args.records
    if records is None:
        records = ROOT / "bench" / "out" / f"records-{args.scale}"
        if not records.exists():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "generator",
                    "sample",
                    "--out",
                    str(records),
                    "--scale",
                    str(args.scale),
                ],
                check=True,
                cwd=ROOT,
            )
    from generator.site.builder import build_site

    out = ROOT / "bench" / "out" / "site"
    start = time.perf_counter()
    build_site(records, out)
    seconds = time.perf_counter() - start
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Pagefind
    pages = sum(1 for _ in out.rglob("index.html"))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    total, files, results = first_search_bytes(out, args.query)
    print(f"页面数：{pages}（网站 {size / 1e6:.1f} MB）")
    print(f"生成用时：{seconds:.1f} 秒（目标 < 60 秒）")
    print(f"内存峰值：Python {peak_self:.0f} MB，Pagefind {peak_child:.0f} MB（目标 < 2048 MB）")
    print(
        f"首次搜索“{args.query}”传输：{total / 1024:.0f} KB，{files} 个文件，{results} 个结果（目标 < 300 KB）"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
