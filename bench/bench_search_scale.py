"""First search and Pagefind memory for a county-size year, without generating a county (issue 18).

A built site's newest-year pages are copied ``--copies`` times under new paths (same words, so
Pagefind's index chunks and per-page metadata grow as a bigger year's would), the whole site is
indexed into shards with ``--bucket`` pages at most per bucket, and the first search is measured
through the real search page in Chromium (bench_site.first_search: cold cache, every response
after the page's HTML). Prints, never asserts.

    python bench/bench_search_scale.py --records bench/out/records-10 --site bench/out/site --copies 5

``--site`` must have been built from ``--records`` (bench/bench_site.py leaves one in bench/out/).
A county of 100,000 objects over five years has ~27,000 pages in its newest year (docs/scale.md):
the scale-10 sample's ~5,000 year pages times 5 or 6.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_site import DEFAULT_QUERIES, print_first_searches  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, required=True)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--copies", type=int, default=5, help="newest-year pages × this many")
    parser.add_argument("--bucket", type=int, default=None, help="MAX_SHARD_PAGES（默认：当前设置）")
    parser.add_argument("--query", action="append")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1798675200")
    from generator.site import search_index
    from generator.site.assemble import assemble

    if args.bucket:
        search_index.MAX_SHARD_PAGES = args.bucket
    bundle = assemble(args.records.resolve(), int(os.environ["SOURCE_DATE_EPOCH"]))
    bundle.cancel()
    models = list(bundle.pages.values())
    years = [search_index._year_of(m) for m in models if m.searchable]
    newest = max(y for y in years if y)
    in_year = [m for m in models if m.searchable and search_index._year_of(m) == newest]
    with tempfile.TemporaryDirectory(dir=args.site.parent) as work:
        site = Path(work) / "site"
        shutil.copytree(args.site, site, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
        copies = []
        for k in range(1, args.copies):
            for m in in_year:
                source = site / m.url / "index.html"
                if not source.exists():
                    continue
                copy = replace(m, path=f"copy{k}/{m.path}")
                (site / copy.url).mkdir(parents=True, exist_ok=True)
                os.link(source, site / copy.url / "index.html")
                copies.append(copy)
        start = time.perf_counter()
        search_index.run_pagefind(site, models + copies)
        seconds = time.perf_counter() - start
        shards = search_index.manifest(search_index.assign(models + copies).values())
        print(
            f"{newest} 年页面：{len(in_year)} × {args.copies} = {len(in_year) * args.copies}；"
            f"每桶至多 {search_index.MAX_SHARD_PAGES} 页；首次查询载入 {shards['first']}，"
            f"其余 {len(shards.get('newest_rest', []))} 桶按需"
        )
        print(
            f"Pagefind：{seconds:.1f} 秒，单个分片内存峰值 {search_index.LAST_RUN['peak_mb']:.0f} MB（目标 < 2048 MB），"
            f"负载 {os.getloadavg()[0]:.2f}"
        )
        print_first_searches(site, args.query or DEFAULT_QUERIES)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
