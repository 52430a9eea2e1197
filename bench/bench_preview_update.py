"""Benchmark the Python part of serve's rebuild after an edit: page models only, no page written,
no search re-index, no MkDocs (issue 18's "edit → pages" target minus writing a few pages). Prints,
never asserts.

    python bench/bench_preview_update.py --tree DIR [--edits 3] [--profile FILE]

One assembly with a ``RecordCache`` (as ``Preview.full`` leaves it), then ``--edits`` times: change
the first entry's 问题描述 in the newest market results file and assemble again through the cache,
the collector paused and one collection and freeze afterwards (as ``Preview.update``). Per edit: wall
and CPU seconds, the record pages made again, the load average, the phases
(``generator.site.phases``). The tree is edited in place and restored at the end: copy it first.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, required=True, help="a records tree (edited, then restored)")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="cProfile stats of the last edit")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1798675200")

    from generator.draw.engine import collector_paused
    from generator.site import phases
    from generator.site.assemble import assemble
    from generator.site.record_cache import RecordCache

    tree = args.tree.resolve()
    epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    edited = sorted((tree / "units" / "market" / "results").glob("*.yaml"))[-1]
    original = edited.read_text("utf-8")
    cache = RecordCache()
    wall, cpu = time.perf_counter(), _cpu()
    assemble(tree, epoch, cache, extras=False)
    gc.collect()
    gc.freeze()
    print(f"first assembly {time.perf_counter() - wall:.1f} s wall, {_cpu() - cpu:.1f} CPU-s", flush=True)
    try:
        for n in range(args.edits):
            mark = f"（基准测试修改）{n}"
            text = re.sub(r"(findings: )(.+)", lambda m, mark=mark: m[1] + m[2] + mark, original, count=1)
            edited.write_text(text, "utf-8")
            phases.reset()
            profile = cProfile.Profile() if args.profile and n == args.edits - 1 else None
            wall, cpu = time.perf_counter(), _cpu()
            with collector_paused():
                if profile:
                    profile.enable()
                assemble(tree, epoch, cache, extras=False)
                if profile:
                    profile.disable()
            gc.collect()
            gc.freeze()
            print(
                f"edit {n + 1}: {time.perf_counter() - wall:.2f} s wall, {_cpu() - cpu:.2f} CPU-s; "
                f"record pages made again {len(cache.remade) if cache.remade is not None else 'all'}; "
                f"load {os.getloadavg()[0]:.1f}; {phases.summary()}",
                flush=True,
            )
            if profile:
                profile.dump_stats(args.profile)
    finally:
        edited.write_text(original, "utf-8")
        gc.unfreeze()
    return 0


if __name__ == "__main__":
    sys.exit(main())
