"""Benchmark of the citizen's checks (no assertions; prints figures and ratios to target).

1. verify 1,000 published bundles with the stdlib ``verify_draw.py`` (BLS included when py-arkworks-bls12381 or blspy is
   importable) and with the engine's ``verify_bundle`` (target < 60 s each);
2. verify one 10,000-candidate sdr-draw/2 bundle (acceptance, registry proof, sealed strata) in
   headless Chromium with ``verify-draw.js``, BLS included through the vendored @noble/curves
   (target < 2 s): the first check (which loads the BLS module and builds its tables) and a
   second one, timed inside the page.

Run: python bench/bench_verify.py [--bundles N] [--candidates M]
"""

from __future__ import annotations

import argparse
import copy
import functools
import http.server
import json
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "generator" / "draw"))

import verify_draw  # noqa: E402

from bench.bench_draw import Clock, host_speed  # noqa: E402
from generator.draw import build_public_bundle, compute_pool_digests, draw, verify_bundle  # noqa: E402
from generator.draw.canonical import digest  # noqa: E402
from generator.draw.model import QUICKNET_CHAIN  # noqa: E402
from generator.draw.registry_log import accepted_entry, inclusion  # noqa: E402
from tests.draw.scenario import make_request, scenario  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundles", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=10_000)
    args = parser.parse_args()
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
