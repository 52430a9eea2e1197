"""Benchmark serve's incremental preview: the rebuild after a clerk edits one result. Prints, never
asserts (target, issue 18: <= 10 s at county size on 2 cores).

    python bench/bench_serve.py --tree DIR [--edits 3] [--profile FILE]
    python bench/bench_serve.py --scale 1 --years 5

One full build through the preview (``Preview.full``, as ``serve`` starts), then ``--edits`` times:
change one entry's 问题描述 (``findings``) in the newest market results file, as a clerk would, and
time ``Preview.update`` as ``serve`` calls it — until the pages are written (the browser reloads)
and until the search re-index on its thread is done — wall and CPU seconds, this process and reaped
children (Pagefind), the pages' part split by phase (``generator.site.phases``). ``--inline``
re-indexes before ``update`` returns (as the tests call it). The edits alternate between two texts, so each one is a real
change. Each edit also prints the collector's state before it, every collection's time by
generation during it (``bench/collector_watch.py``) and, every ``--sample`` seconds, where the main
thread was. ``--profile`` writes the last update's cProfile stats and prints the top entries. The tree
is edited in place and restored at the end; the machine is shared, so CPU seconds and the load
average are printed with every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MARK = "（基准测试修改）"


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def edited_file(records: Path) -> Path:
    """The newest market results file (the most recent inspections: a clerk's usual edit)."""
    return sorted((records / "units" / "market" / "results").glob("*.yaml"))[-1]


def edit(path: Path, original: str, n: int) -> None:
    """The first entry's findings with a mark appended, or not: every call changes the bytes."""
    tail = MARK + str(n)
    path.write_text(re.sub(r"(findings: )(.+)", lambda m: m[1] + m[2] + tail, original, count=1), "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, help="a records tree (edited in place, restored at the end)")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--out", type=Path, help="the preview's site (default bench/out/serve-site)")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="cProfile stats of the last update")
    parser.add_argument("--inline", action="store_true", help="re-index before update returns")
    parser.add_argument("--sample", type=float, default=0.5, help="stack sample interval, s (0: none)")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1798675200")

    from bench.bench_scale import sample
    from bench.collector_watch import CollectorWatch, StackSampler, collector_state
    from generator.site import phases, search_index
    from generator.site.incremental import Preview

    records = args.tree.resolve() if args.tree else sample(args.scale, args.years)[0]
    out = (args.out or ROOT / "bench" / "out" / "serve-site").resolve()
    files = sum(1 for p in records.rglob("*") if p.is_file())
    print(f"records {records} ({files} files); load {load_average()}")
    preview = Preview(records, out)
    wall, cpu = time.perf_counter(), _cpu()
    preview.full()
    print(
        f"full build: {time.perf_counter() - wall:.1f} s wall, {_cpu() - cpu:.1f} CPU-s, "
        f"{len(preview.pages)} pages; load {load_average()}"
    )
    print(f"  after the build: {collector_state()}")
    target = edited_file(records)
    original = target.read_text(encoding="utf-8")
    profiler = None
    try:
        for n in range(args.edits):
            edit(target, original, n)
            phases.reset()
            if args.profile and n == args.edits - 1:
                profiler = cProfile.Profile()
                profiler.enable()
            print(f"  before edit {n + 1}: {collector_state()}")
            sampler = StackSampler(args.sample) if args.sample > 0 else None
            with CollectorWatch() as collections, sampler or contextlib.nullcontext():
                wall, cpu, python = time.perf_counter(), _cpu(), time.process_time()
                written = preview.update(search_done=None if args.inline else lambda error: None)
                shown, shown_cpu = time.perf_counter() - wall, _cpu() - cpu
                shown_python = time.process_time() - python
                preview.wait_for_search()
                wall, cpu = time.perf_counter() - wall, _cpu() - cpu
            if profiler:
                profiler.disable()
            print(
                f"edit {n + 1} ({target.name}): pages shown after {shown:.2f} s wall, {shown_cpu:.2f} CPU-s; "
                f"search re-indexed after {wall:.2f} s wall, {cpu:.2f} CPU-s; {len(written)} pages, "
                f"shards {preview.reindexed} (Pagefind {search_index.LAST_RUN.get('seconds', 0):.1f} s); "
                f"RSS peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
                f"load {load_average()}"
            )
            print(f"  phases wall/CPU s: {phases.summary()}")
            shards = "，".join(
                f"{name} {k} 页 {t:.1f} s" for name, (k, t) in search_index.SHARD_SECONDS.items()
            )
            print(f"  Pagefind per shard (pages, wall): {shards}")
            print(
                f"  until pages shown: {shown_python:.2f} CPU-s in Python (all threads); {collections.summary()}"
            )
            if sampler:
                print(f"  main thread, sampled every {args.sample} s:\n{sampler.top()}")
    finally:
        target.write_text(original, encoding="utf-8")
        preview.close()
    if profiler:
        profiler.dump_stats(args.profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
