"""Where ``sample`` spends its time (issue 18): wall and CPU seconds per phase and per year.

    python bench/bench_sample.py --scale 5 --years 2022-2026 [--out DIR] [--profile FILE]

Runs ``samplegen.generate`` in this process with timers wrapped around its phases (nothing in the
generator changes: the wrappers replace module attributes for the run only). A phase's seconds
include what it calls, and phases do not nest except where noted, so the rows add up to about the
total. CPU is this process's (threads included) plus the children it reaped during the phase.
Prints peak RSS and the load average before and after: quote them with the figures, the machine is
shared. ``--profile`` also writes a cProfile file (slower; compare phases, not totals).

Phases:
    base        objects, people, units, items: the files that hold for every year
    year files  one year's directories, tasks, plans, meeting (made and written)
    load        reading the tree back before the year's draws (corpus.load)
    request     candidates, rosters, pool digests (registry.request.build)
    pools out   pool-internal.json rendered and written
    accept      CI's acceptance of the request and of the entropy (reads, log, accepted files)
    beacon      the demo chain's beacon for round R, appended to entropy.yaml
    read draw folder  the folder's files parsed for acceptance (small ones) and for the draw (pools)
    draw        the engine (registry.run.make_result)
    yaml out    request, entropy, result, results and referrals rendered (dump_yaml)
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import generator.samplegen as samplegen  # noqa: E402
from generator.cli.sample import parse_years  # noqa: E402
from generator.registry import store  # noqa: E402
from generator.samplegen import draws as sdraws  # noqa: E402
from generator.samplegen import generate  # noqa: E402


def _cpu() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


class Timers:
    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.active: str | None = None

    def wrap(self, module, name: str, phase: str) -> None:
        original = getattr(module, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            if self.active is not None:  # nested in another phase: counted there
                return original(*args, **kwargs)
            self.active = phase
            wall, cpu = time.perf_counter(), _cpu()
            try:
                return original(*args, **kwargs)
            finally:
                self.wall[phase] += time.perf_counter() - wall
                self.cpu[phase] += _cpu() - cpu
                self.calls[phase] += 1
                self.active = None

        setattr(module, name, timed)


def _per_year(timers: Timers, rows: list[tuple[str, float, float]]):
    """Wraps add_draws_and_results and _year_files to record each year's wall and CPU."""
    years = iter(())
    draws_original = sdraws.add_draws_and_results
    files_original = samplegen._year_files

    def year_files(tree, year, *args, **kwargs):
        nonlocal years
        wall, cpu = time.perf_counter(), _cpu()
        got = files_original(tree, year, *args, **kwargs)
        years = iter([(year, wall, cpu)])
        return got

    def add(root, rng, year=None, *args, **kwargs):
        got = draws_original(root, rng, year, *args, **kwargs)
        for y, wall, cpu in years:
            rows.append((str(y), time.perf_counter() - wall, _cpu() - cpu))
        return got

    samplegen._year_files = year_files
    sdraws.add_draws_and_results = add


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--years", default="2022-2026")
    parser.add_argument("--out", type=Path, help="output directory (default: a temporary one)")
    parser.add_argument("--profile", type=Path, help="also write a cProfile file here")
    args = parser.parse_args()
    years = parse_years(args.years)
    if years is None:
        parser.error(f"--years {args.years}")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1798675200")

    timers = Timers()
    year_rows: list[tuple[str, float, float]] = []
    _per_year(timers, year_rows)
    timers.wrap(samplegen, "_base", "base")
    timers.wrap(samplegen, "_year_files", "year files")
    timers.wrap(samplegen.Tree, "write", "year files")
    timers.wrap(sdraws, "load", "load")
    timers.wrap(sdraws, "build", "request")
    timers.wrap(store, "dump_json", "pools out")
    timers.wrap(sdraws, "accept_request", "accept")
    timers.wrap(sdraws, "accept_entropy", "accept")
    timers.wrap(sdraws, "write_drand", "beacon")
    timers.wrap(sdraws, "demo_beacon", "beacon")
    timers.wrap(sdraws, "read", "read draw folder")
    timers.wrap(sdraws, "make_result", "draw")
    timers.wrap(sdraws, "dump_yaml", "yaml out")

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="bench-sample-") as tmp:
        out = args.out or Path(tmp) / "records"
        wall, cpu = time.perf_counter(), _cpu()
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        summary = generate(out, args.scale, years)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    c = summary.counts
    print(
        f"sample --scale {args.scale} --years {args.years}: {c['objects']} objects, {c['draws']} draws, "
        f"{c['entries']} results; {wall:.1f} s wall, {cpu:.1f} CPU-s, peak {peak:.0f} MB; "
        f"load {load_before} -> {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print("| phase | calls | wall s | CPU s |\n|---|---|---|---|")
    for phase in timers.wall:
        print(f"| {phase} | {timers.calls[phase]} | {timers.wall[phase]:.1f} | {timers.cpu[phase]:.1f} |")
    rest_wall = wall - sum(timers.wall.values())
    rest_cpu = cpu - sum(timers.cpu.values())
    print(f"| the rest (outcomes, ids, writes) | | {rest_wall:.1f} | {rest_cpu:.1f} |")
    if len(year_rows) > 1:
        print("| year | wall s | CPU s |\n|---|---|---|")
        for year, w, c_ in year_rows:
            print(f"| {year} | {w:.1f} | {c_:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
