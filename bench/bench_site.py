"""Benchmark the public site build at ten times the sample (targets on 2 cores: < 60 s, < 2 GB, first
search < 300 KB). Prints, never asserts.

    python bench/bench_site.py [--records DIR] [--scale 10] [--query 学校食堂 ...]

Without --records it generates ``python -m generator sample --scale N`` into bench/out/records-N
(``--records records`` measures the bundled sample). The first search is measured through the real
search page (tests/site/search_ui.py) with a cold cache; Pagefind's peak memory is its own (wait4).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def first_search(site: Path, query: str) -> dict:
    """What the search page fetches for one query, opened fresh (cold cache), from Chromium's network
    log: every response after the page's own HTML (search.js, the lookup shard, Pagefind's script,
    WASM, metadata, index chunks, fragments). Bytes are the response bodies as the test server sends
    them (Pagefind's index files are gzipped by Pagefind; its JS and WASM are not, a server that
    compresses would send less)."""
    from playwright.sync_api import sync_playwright

    from tests.site.conftest import CHROMIUM_ARGS
    from tests.site.search_ui import run_query
    from tests.support.browser import require_chromium

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}

    def record(request) -> None:
        sizes[request.url] = request.sizes()["responseBodySize"]

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on("requestfinished", record)
            got = run_query(page, f"http://127.0.0.1:{server.server_address[1]}/", query)
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    search_files = {
        u: n
        for u, n in sizes.items()
        if any(f in u for f in ("/pagefind/", "/search/lookup/", "/search/names/"))
    }
    metadata = sum(n for u, n in sizes.items() if u.endswith(".pf_meta"))
    return {
        "total": sum(n for u, n in sizes.items() if not u.rstrip("/").endswith("/search") and "?q=" not in u),
        "index": sum(search_files.values()),
        "metadata": metadata,
        "files": len(sizes),
        "results": len(got["results"]),
        "names": len(got["names"]),
        "names_bytes": sum(n for u, n in sizes.items() if "/search/names/" in u),
        "opened": got["path"] if got["opened"] else "",
    }


# A common item term, a township and a result wording (the most common word in the index).
DEFAULT_QUERIES = ("学校食堂", "穿城镇", "发现问题")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--query", action="append", help="可重复；默认：" + "、".join(DEFAULT_QUERIES))
    parser.add_argument("--no-search", action="store_true", help="只测生成，不测首次搜索")
    parser.add_argument("--site", type=Path, help="不生成，只在这个已生成的网站上测首次搜索")
    parser.add_argument(
        "--cache",
        type=Path,
        help="构建缓存目录（build --cache）：连续运行两次即测“热”构建",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "site", help="网站输出目录")
    args = parser.parse_args()
    if args.site:
        print_first_searches(args.site, args.query or DEFAULT_QUERIES)
        return 0
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
    from generator.site import phases, search_index
    from generator.site.builder import build_site

    out = args.out
    if args.cache:
        from generator.site import build_cache

        build_cache.check_folder(args.cache, out)
        from generator.site import scan_memo

        if scan_memo.signing_key() is None:  # the publish job's secret; the bench signs with its own
            os.environ[scan_memo.KEY_ENV] = "bench-only-scan-memo-key"
    _clear(out)
    load_before = os.getloadavg()
    start = time.perf_counter()
    build_site(records, out, cache=args.cache)
    seconds = time.perf_counter() - start
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pages = sum(1 for _ in out.rglob("index.html"))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"页面数：{pages}（网站 {size / 1e6:.1f} MB）")
    print(
        f"生成用时：{seconds:.1f} 秒（目标 < 60 秒），其中 Pagefind {search_index.LAST_RUN['seconds']:.1f} 秒"
        f"（运行 {search_index.LAST_RUN['shards']} 个分片，沿用缓存 {search_index.LAST_RUN.get('reused', 0)} 个）"
    )
    if args.cache:
        from generator.site import draw_cache

        runs = {k: len(v) for k, v in draw_cache.LAST_RUN.items()}
        print(
            f"抽取包：沿用缓存 {runs.get('reused', 0)} 个（凭签名 {runs.get('signed', 0)} 个），"
            f"新生成 {runs.get('made', 0)} 个，"
            f"缓存条目未通过核对 {runs.get('refused', 0)} 个"
        )
        from generator.site import scan_memo

        print(f"隐私扫描备忘：读到上次构建扫描无误的文本 {scan_memo.LAST_RUN.get('remembered', 0)} 份")
        from generator.site import parse_cache

        print(
            f"记录解析缓存：沿用 {len(parse_cache.LAST['reused'])} 个文件，解析 {len(parse_cache.LAST['parsed'])} 个"
        )
    total_wall, total_cpu = phases.LAST.pop("合计")
    rest = [
        total_wall - sum(w for w, _ in phases.LAST.values()),
        total_cpu - sum(c for _, c in phases.LAST.values()),
    ]
    phases.LAST["MkDocs 及其余"] = rest
    print(f"CPU 合计 {total_cpu:.1f} 秒（本进程及其子进程），各阶段 墙钟/CPU 秒：{phases.summary()}")
    from generator.site import record_writer

    w = record_writer.LAST
    if w:
        print(
            f"记录页面 {w['pages']} 页：沿用缓存 {w['reused']} 页，存入缓存 {w['stored']} 页；各步 CPU 秒（写页进程）："
            f"缓存查找和存入 {w['cache']:.1f}，渲染 {w['render']:.1f}，隐私扫描 {w['scan']:.1f}，写文件 {w['write']:.1f}"
        )
    print(
        "负载（1/5/15 分钟）：开始 "
        + "/".join(f"{x:.2f}" for x in load_before)
        + "，结束 "
        + "/".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print(
        f"内存峰值：Python {peak_self:.0f} MB，Pagefind {search_index.LAST_RUN['peak_mb']:.0f} MB（目标 < 2048 MB）"
    )
    print_first_searches(out, () if args.no_search else args.query or DEFAULT_QUERIES)
    return 0


def _clear(out: Path) -> None:
    """Remove the last run's site, and what a build left beside it (``.site.old-*``: the tree a build
    replaced, which it deletes in a detached process), before the clock starts: CI builds into a
    fresh folder, and a deletion of the previous 51,000 pages still running took CPU and disk from
    the build being measured."""
    import shutil

    out = out.resolve()
    if out.exists() and not (out / "index.html").is_file() and any(out.iterdir()):
        raise SystemExit(f"--out {out} 不是空文件夹，也不像生成的网站（没有 index.html），不删除")
    for leftover in sorted(out.parent.glob(f".{out.name}.old-*")) + [out]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def print_first_searches(site: Path, queries) -> None:
    """One line per query: what its first search fetched (``first_search``)."""
    for query in queries:
        f = first_search(site, query)
        what = f"打开 {f['opened']}" if f["opened"] else f"{f['results']} 个结果，名称列出 {f['names']} 个"
        print(
            f"首次搜索“{query}”：传输 {f['total'] / 1024:.0f} KB（目标 ≤ 300 KB），其中索引和查找表 "
            f"{f['index'] / 1024:.0f} KB（名称索引 {f['names_bytes'] / 1024:.1f} KB）、元数据 "
            f"{f['metadata'] / 1024:.0f} KB，{f['files']} 个文件，{what}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
