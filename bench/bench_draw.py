"""Benchmark of the draw engine (no assertions; prints figures and ratios to target).

1. draw 20 objects from 100,000 and from 1,000,000 candidates in 4 strata and staff them from
   5,000 inspectors (targets 0.6 s and 5 s on 2 cores). What is timed, as in CI: ``draw()`` on a
   request whose pool digests were computed when it was filed (the headline figure); and, for
   reference, filing plus drawing (``compute_pool_digests`` + ``draw``). Building the pool itself is not timed. No helper
   process: from 200,000 rows the two per-row hash passes fork into both cores through
   generator/parallel.py (wall < CPU on an idle machine), below that everything runs in this process;
2. verify 1,000 published draws from their public bundles (target < 60 s).

Run: python bench/bench_draw.py [--candidates N ...] [--draws M] [--repeat R]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from itertools import repeat
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


def host_speed() -> float:
    """Seconds for a fixed CPU-bound loop (10^6 SHA-256 of 80 bytes, best of 3): this machine's
    speed right now, to read the figures against (0.24–0.40 s on the development machine, whose
    speed drifts from hour to hour)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in map(hashlib.sha256, repeat(b"x" * 80, 1_000_000)):
            pass
        best = min(best, time.perf_counter() - start)
    return best


class Clock:
    """Wall and CPU time (this process + finished children) of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, self._cpu() - self.cpu

    @staticmethod
    def _cpu() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system


TARGETS = {100_000: 0.6, 1_000_000: 5.0}  # seconds on 2 cores (issue 17); other sizes: 5 s


def bench_large_draw(candidates: int, repeat_runs: int) -> None:
    pools = big_pools(candidates, 5000)
    request = make_request({"objects": [], "inspectors": [], "assistants": []})
    request["objects"]["strata"] = [{"name": s, "count": 5} for s in "ABCD"]
    entropy = make_entropy()
    alone, both = [], []
    for _ in range(repeat_runs):
        with Clock() as filing:
            request["pool_digests"] = compute_pool_digests(request, pools)
        with Clock() as drawing:
            result = draw(request, pools, entropy)
        alone.append(drawing)
        both.append((filing.wall + drawing.wall, filing.cpu + drawing.cpu))
    best = min(alone, key=lambda c: c.wall)
    target = TARGETS.get(candidates, 5.0)
    print(
        f"draw {len(result['objects'])} of {candidates:,} candidates, 5,000 inspectors "
        f"(draw() alone, digests filed beforehand): best {best.wall:.2f} s wall, {best.cpu:.2f} s CPU "
        f"(target {target:g} s, ratio {best.wall / target:.2f}); runs: "
        + ", ".join(f"{c.wall:.2f}/{c.cpu:.2f}" for c in alone)
        + " s wall/CPU"
    )
    wall, cpu = min(both)
    walls = sorted(c.wall for c in alone)
    print(
        f"  median {walls[len(walls) // 2]:.2f} s, worst {walls[-1]:.2f} s; for reference, "
        f"compute_pool_digests + draw: best {wall:.2f} s wall, {cpu:.2f} s CPU; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, nargs="+", default=sorted(TARGETS))
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each large draw (best is reported)")
    args = parser.parse_args()

    print(f"host speed: 10^6 SHA-256 calls take {host_speed():.2f} s (lower is faster)")
    for candidates in args.candidates:
        bench_large_draw(candidates, args.repeat)

    base_request, base_pools, base_entropy = scenario()
    bundles = []
    for k in range(args.draws):
        ent = dict(base_entropy, ceremony={"dice": f"{k:020d}"})
        bundles.append(
            build_public_bundle(base_request, base_pools, ent, draw(base_request, base_pools, ent))
        )
    with Clock() as verifying:
        bad = sum(bool(verify_bundle(b)) for b in bundles)
    elapsed, cpu = verifying.wall, verifying.cpu
    print(
        f"verify {args.draws:,} published draws (400 candidates each, BLS included): {elapsed:.2f} s wall, "
        f"{cpu:.2f} s CPU "
        f"(target 60 s, ratio {elapsed / 60:.2f}); mismatching: {bad}"
    )


if __name__ == "__main__":
    main()
