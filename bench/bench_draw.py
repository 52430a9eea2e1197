"""Benchmark of the draw engine (no assertions; prints figures and ratios to target).

1. draw 20 objects from 1,000,000 candidates in 4 strata and staff them from 5,000 inspectors
   (target < 5 s on 2 cores; the engine is single-threaded);
2. verify 1,000 published draws from their public bundles (target < 60 s).

Run: python bench/bench_draw.py [--candidates N] [--draws M]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.draw import build_public_bundle, compute_pool_digests, draw, verify_bundle  # noqa: E402
from tests.draw.scenario import make_entropy, make_request, scenario  # noqa: E402


def big_pools(candidates: int, inspectors: int) -> dict:
    objects = [
        {
            "id": f"91320{i % 1000:03d}MA{i:08d}X",
            "stratum": "ABCD"[i % 4],
            "salt": f"{i:064x}",
            "township": "城关镇",
        }
        for i in range(candidates)
    ]
    units = ["scjg", "xfjy"]
    people = [
        {"id": f"P{k:05d}", "name": f"检查员{k}", "unit": units[k % 2], "qualifications": ["A01", "B02"]}
        for k in range(inspectors)
    ]
    return {"objects": objects, "inspectors": people, "assistants": []}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()

    pools = big_pools(args.candidates, 5000)
    request = make_request({"objects": [], "inspectors": [], "assistants": []})
    request["objects"]["strata"] = [{"name": s, "count": 5} for s in "ABCD"]
    request["pool_digests"] = compute_pool_digests(request, pools)
    entropy = make_entropy()
    start, cpu = time.perf_counter(), time.process_time()
    result = draw(request, pools, entropy)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"draw {len(result['objects'])} of {args.candidates:,} candidates, 5,000 inspectors: "
        f"{elapsed:.2f} s wall, {cpu:.2f} s CPU (target 5 s, ratio {elapsed / 5:.2f}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )

    base_request, base_pools, base_entropy = scenario()
    bundles = []
    for k in range(args.draws):
        ent = dict(base_entropy, ceremony={"dice": f"{k:020d}"})
        bundles.append(
            build_public_bundle(base_request, base_pools, ent, draw(base_request, base_pools, ent))
        )
    start, cpu = time.perf_counter(), time.process_time()
    bad = sum(bool(verify_bundle(b)) for b in bundles)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"verify {args.draws:,} published draws (400 candidates each, BLS included): {elapsed:.2f} s wall, "
        f"{cpu:.2f} s CPU "
        f"(target 60 s, ratio {elapsed / 60:.2f}); mismatching: {bad}"
    )


if __name__ == "__main__":
    main()
