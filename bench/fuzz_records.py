"""Fuzz ``validate`` with mutated record files: 0 tracebacks, every file < 2 s, peak memory < 500 MB.

    python bench/fuzz_records.py [--count 10000] [--seed 1] [--subprocess 40]

Seeds are the files of the complete test tree (every record kind, YAML and CSV). Each mutation
chains one to three operators from :mod:`tests.support.mutate` (byte flips, truncation, YAML and CSV
structure, Unicode, type swaps), then runs in-process exactly what ``validate`` does for that file:
decode, parse, schema checks and every cross-record rule against the rest of the tree (the other
files are loaded once). A sample is also run through ``python -m generator validate`` in a real
subprocess on a copy of the tree. Prints the figures recorded in docs/security.md; exits 1 when a
target is missed, so the figures cannot be quietly ignored.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.corpus import load, read_record_bytes  # noqa: E402
from tests.support.mutate import mutate, validate_one  # noqa: E402
from tests.support.tree import build_full  # noqa: E402

MAX_SECONDS = 2.0
MAX_MEMORY_MB = 500
HANG_SECONDS = 20


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def run_subprocess(master: Path, rel: str, data: bytes, work: Path) -> tuple[float, str, int]:
    tree = work / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(master, tree)
    (tree / rel).write_bytes(data)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--records", str(tree), "--github"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "GITHUB_ACTIONS": "true"},
    )
    return time.perf_counter() - started, proc.stdout + proc.stderr, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--subprocess", type=int, default=40, help="how many mutations also run in a subprocess"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    signal.signal(signal.SIGALRM, _alarm)
    with tempfile.TemporaryDirectory() as tmp:
        master = build_full(Path(tmp) / "master")
        base = load(master, display_prefix="")
        seeds = {rel: read_record_bytes(master / rel, rel)[0] for rel in base.files}
        names = sorted(seeds)
        failures: list[str] = []
        hangs = 0
        slowest = (0.0, "")
        sizes = 0
        started = time.perf_counter()
        for n in range(args.count):
            rel = names[n % len(names)]
            data, ops = mutate(seeds[rel], rel, rng)
            sizes += len(data)
            t0 = time.perf_counter()
            signal.alarm(HANG_SECONDS)
            try:
                validate_one(base, rel, data)
            except Hang:
                hangs += 1
                failures.append(f"#{n} {rel} {ops}: hang > {HANG_SECONDS}s")
            except Exception:  # noqa: BLE001 - every exception is a failure to report
                failures.append(f"#{n} {rel} {ops}:\n{traceback.format_exc(limit=-5)}")
            finally:
                signal.alarm(0)
            elapsed = time.perf_counter() - t0
            if elapsed > slowest[0]:
                slowest = (elapsed, f"#{n} {rel} {ops}")
        in_process = time.perf_counter() - started

        sub_tracebacks, sub_slowest = 0, 0.0
        sample_rng = random.Random(args.seed + 1)
        for n in range(args.subprocess):
            rel = names[n % len(names)]
            data, ops = mutate(seeds[rel], rel, sample_rng)
            elapsed, output, code = run_subprocess(master, rel, data, Path(tmp))
            sub_slowest = max(sub_slowest, elapsed)
            bad_line = any(
                line.lstrip().startswith("::") and not line.startswith(("::error file=", "::warning file="))
                for line in output.splitlines()
            )
            if "Traceback" in output or "程序内部错误" in output or code not in (0, 1) or bad_line:
                sub_tracebacks += 1
                failures.append(f"subprocess #{n} {rel} {ops}: exit {code}\n{output[-2000:]}")

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"mutated files validated in-process: {args.count} ({sizes / 2**20:.1f} MB in total, {in_process:.1f} s)"
    )
    print(f"tracebacks (in-process): {len([f for f in failures if not f.startswith('subprocess')]) - hangs}")
    print(f"hangs (> {HANG_SECONDS} s): {hangs}")
    print(f"max time per file: {slowest[0]:.3f} s  ({slowest[1]})")
    print(f"peak memory (RSS): {peak_mb:.0f} MB")
    print(
        f"subprocess sample: {args.subprocess} runs of `validate --github`, {sub_tracebacks} failures, slowest {sub_slowest:.2f} s"
    )
    for failure in failures[:10]:
        print("----\n" + failure)
    ok = not failures and slowest[0] < MAX_SECONDS and peak_mb < MAX_MEMORY_MB
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
