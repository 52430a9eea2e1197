"""Benchmark of the citizen's checks (no assertions; prints figures and ratios to target).

1. verify 1,000 published bundles with the stdlib ``verify_draw.py`` (BLS included when py-arkworks-bls12381 or blspy is
   importable) and with the engine's ``verify_bundle`` (target < 60 s each);
2. verify one 10,000-candidate sdr-draw/2 bundle (acceptance, registry proof, sealed strata) in
   headless Chromium with ``verify-draw.js``, BLS included through the vendored @noble/curves
   (target < 2 s): the first check (which loads the BLS module and builds its tables) and a
   second one, timed inside the page.

3. with ``--tree PATH`` or ``--scale N`` (``--years Y``): ``python -m generator verify`` on a whole
   records tree (the scale-N sample, made once by ``bench_scale.sample`` and kept in bench/out/),
   then ``verify --draw`` on its draw with the largest pools: wall and CPU seconds (user + sys,
   worker processes included), peak RSS and the load average before and after (issue 18: scale 40
   within 10 s). Run it alone and under ``nice`` on a shared machine; quote CPU and load with wall.

   With ``--against DIR`` (a checkout of older code, e.g. ``git worktree add /tmp/base <commit>``):
   ``verify`` from DIR and from this tree alternately, ``--rounds`` pairs, with the host speed
   before and after and whether every run printed the same report (an A/B on a shared host).

Run: python bench/bench_verify.py [--bundles N] [--candidates M]
     python bench/bench_verify.py --scale 40 [--years 1]   |   --tree /tmp/hv40 [--against DIR [--rounds 3]]
"""

from __future__ import annotations

import argparse
import copy
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "site_templates" / "verify"))

import verify_draw  # noqa: E402

from bench.bench_draw import Clock, host_speed  # noqa: E402
from generator.draw import build_public_bundle, compute_pool_digests, draw, verify_bundle  # noqa: E402
from generator.draw.canonical import digest  # noqa: E402
from generator.draw.model import QUICKNET_CHAIN  # noqa: E402
from tests.draw.scenario import accepted_entry, inclusion, make_request, scenario  # noqa: E402
from tests.site.conftest import CHROMIUM_ARGS  # noqa: E402


def v2_bundle(candidates: int) -> dict:
    _, pools, entropy = scenario(candidates, per_unit=12)
    base = make_request(pools)
    base["objects"]["strata"] = [{"name": s, "count": 5} for s in "ABCD"]
    drand, *others = base["sources"]
    request = {**base, "algorithm": "sdr-draw/2", "sources": [*others, {**drand, **QUICKNET_CHAIN}]}
    request["pool_digests"] = compute_pool_digests(request, pools)
    acceptance = {
        "draw_id": request["draw_id"],
        "request_digest": digest(request),
        "recorded_round": 900,
        "margin": 50,
        "accepted_at": "2023-08-23T15:54:27Z",
    }
    entry = accepted_entry(acceptance, seq=1, task={"id": "T"})
    result = draw(request, pools, entropy, acceptance=acceptance)
    return build_public_bundle(request, pools, entropy, result, acceptance, inclusion([entry], 0))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def browser_check(bundle: dict) -> list[float]:
    from playwright.sync_api import sync_playwright

    assets = ROOT / "site_templates" / "theme" / "assets"
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "assets").symlink_to(assets)
        (Path(tmp) / "bundle.json").write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
        (Path(tmp) / "index.html").write_text("<!doctype html><title>bench</title>", encoding="utf-8")
        handler = functools.partial(Quiet, directory=tmp)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            from tests.support.browser import require_chromium

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url)
                times = page.evaluate(
                    """async () => {
                        const m = await import('/assets/verify-draw.js');
                        const out = [];
                        for (let i = 0; i < 2; i++) {
                          const t0 = performance.now();
                          const b = await (await fetch('/bundle.json', {cache: 'no-store'})).json();
                          const problems = await m.check(b);
                          out.push([(performance.now() - t0) / 1000, problems.length]);
                        }
                        return out;
                    }"""
                )
                browser.close()
        finally:
            server.shutdown()
    return times


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed_verify(records: Path, *extra: str, code_root: Path = ROOT, full: bool = False):
    """(wall s, CPU s, peak MB, exit code, output's last line — or the whole output with ``full``)
    of one ``verify`` process run from the code at ``code_root``; CPU is user + sys of the process
    and the workers it waited for (wait4)."""
    env = os.environ | {"PYTHONPATH": str(code_root)}
    env.setdefault("SOURCE_DATE_EPOCH", "1798675200")
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "generator", "verify", "--records", str(records.resolve()), *extra],
        cwd=code_root,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    last = out if full else (out.strip().splitlines()[-1] if out.strip() else "")
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code, last


def compare(records: Path, before: Path, rounds: int) -> None:
    """``verify`` from the code at ``before`` (a checkout of an older commit) and from this tree,
    alternately, ``rounds`` times each: wall and CPU per run, medians, whether every run printed the
    same report, and the host speed before and after (a shared host drifts: read pairs, not runs)."""
    print(f"host speed before: 10^6 SHA-256 calls take {host_speed():.2f} s (lower is faster)")
    runs: dict[str, list] = {"before": [], "after": []}
    for n in range(rounds):
        for label, code_root in (("before", before), ("after", ROOT)):
            load = load_average()
            wall, cpu, peak, code, out = timed_verify(records, code_root=code_root, full=True)
            runs[label].append((wall, cpu, code, out))
            print(
                f"round {n + 1} {label:6s}: {wall:5.1f} s wall, {cpu:5.1f} s CPU (user+sys), peak {peak:.0f} MB, "
                f"exit {code}; load {load} -> {load_average()}",
                flush=True,
            )
    for label, done in runs.items():
        wall, cpu = statistics.median(r[0] for r in done), statistics.median(r[1] for r in done)
        print(f"{label:6s} median: {wall:.1f} s wall, {cpu:.1f} s CPU")
    reports = {(r[2], r[3]) for done in runs.values() for r in done}
    print(f"same report and exit code in every run: {'yes' if len(reports) == 1 else 'NO'}")
    print(f"host speed after: 10^6 SHA-256 calls take {host_speed():.2f} s")


def tree_figures(records: Path) -> None:
    from generator.registry import store

    ids = store.all_draw_ids(records)
    pools = {d: store.folder(records, d) / store.POOLS for d in ids}
    sizes = {d: p.stat().st_size for d, p in pools.items() if p.exists()}
    results = sum(
        (store.folder(records, d) / store.RESULT).stat().st_size
        for d in ids
        if (store.folder(records, d) / store.RESULT).exists()
    )
    print(
        f"tree {records}: {len(ids)} draws, pools {sum(sizes.values()) / 2**20:.1f} MB, "
        f"results {results / 2**20:.1f} MB; host has {os.cpu_count()} cores"
    )
    runs = [("verify", ())]
    if sizes:
        largest = max(sizes, key=lambda d: (sizes[d], d))
        runs.append(
            (f"verify --draw {largest} (largest pools, {sizes[largest] / 2**20:.1f} MB)", ("--draw", largest))
        )
    for label, extra in runs:
        before = load_average()
        wall, cpu, peak, code, last = timed_verify(records, *extra)
        print(
            f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU (user+sys), peak {peak:.0f} MB, exit {code} "
            f"(target 10 s at scale 40); load {before} -> {load_average()}; {last}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundles", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--tree", type=Path, help="verify this records tree instead of bundles")
    parser.add_argument("--scale", type=int, help="verify the scale-N sample (made once in bench/out/)")
    parser.add_argument("--years", type=int, default=1, help="with --scale: years of history (2026 back)")
    parser.add_argument(
        "--against",
        type=Path,
        help="with --tree/--scale: A/B against the code of this checkout (e.g. git worktree)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="with --against: pairs of runs")
    args = parser.parse_args()
    if args.tree or args.scale:
        if args.tree:
            records = args.tree
        else:
            from bench.bench_scale import sample

            records, seconds = sample(args.scale, args.years)
            if seconds is not None:
                print(f"sample --scale {args.scale} ({args.years} years) made in {seconds:.0f} s")
        if args.against:
            compare(records, args.against, args.rounds)
            return
        print(f"host speed: 10^6 SHA-256 calls take {host_speed():.2f} s (lower is faster)")
        tree_figures(records)
        return
    print(f"host speed: 10^6 SHA-256 calls take {host_speed():.2f} s (lower is faster)")
    base_request, base_pools, base_entropy = scenario()
    bundles = []
    for k in range(args.bundles):
        entropy = dict(base_entropy, ceremony={"dice": f"{k:020d}"})
        bundles.append(
            build_public_bundle(base_request, base_pools, entropy, draw(base_request, base_pools, entropy))
        )
    with Clock() as stdlib:
        bad = sum(bool(verify_draw.check(copy.deepcopy(b))) for b in bundles)
    bls = "with BLS" if verify_draw.BLS is not None else "WITHOUT BLS (no library)"
    print(
        f"verify_draw.py: {args.bundles:,} bundles (400 candidates each, {bls}): {stdlib.wall:.2f} s wall, "
        f"{stdlib.cpu:.2f} s CPU (target 60 s, ratio {stdlib.wall / 60:.2f}); mismatching: {bad}"
    )
    with Clock() as engine:
        bad = sum(bool(verify_bundle(b)) for b in bundles)
    print(
        f"engine verify_bundle: {args.bundles:,} bundles (BLS included): {engine.wall:.2f} s wall, "
        f"{engine.cpu:.2f} s CPU (target 60 s, ratio {engine.wall / 60:.2f}); mismatching: {bad}"
    )
    bundle = v2_bundle(args.candidates)
    size = len(json.dumps(bundle)) / 1e6
    (first, bad1), (second, bad2) = browser_check(bundle)
    print(
        f"browser (Chromium) check of a {args.candidates:,}-candidate sdr-draw/2 bundle ({size:.1f} MB, BLS, "
        f"acceptance, registry proof): first {first:.2f} s (loads the BLS module), again {second:.2f} s "
        f"(target 2 s, ratio {first / 2:.2f}); mismatches: {bad1}, {bad2}"
    )


if __name__ == "__main__":
    main()
