"""County-size benchmarks (issue 18). Prints figures, never asserts; report ``uptime`` with them.

    python bench/bench_scale.py county --years 5 --objects 100000
        a multi-year sample of about that many objects (``sample --years``), then one build through
        serve's preview (wall and CPU seconds, Pagefind peak MB per shard), first-search KB per query
        (headless Chromium), serve-rebuild seconds after editing one result; ``--verify`` adds verify.
    python bench/bench_scale.py growth --scales 1,2,5,10 [--write-docs]
        per scale: sample seconds, pages, build seconds, peak MB, verify seconds; with --write-docs the
        table replaces the one between the markers in docs/scale.md.

Samples are kept in bench/out/ and reused. Run one at a time under ``nice`` on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OBJECTS_PER_SCALE = 2370  # objects in the scale-1 sample (all populations)
FIRST, LAST = 2022, 2026
BEGIN, END = "<!-- growth-table:begin -->", "<!-- growth-table:end -->"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_timed(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MB of the child) for one generator command run in its own process."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    env.setdefault("SOURCE_DATE_EPOCH", "1798675200")
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "generator", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the largest so far
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"generator {args[0]} failed with exit code {child.returncode}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def sample(scale: int, years: int) -> tuple[Path, float | None]:
    """The sample's records (made once and kept) and the seconds it took, or None if reused."""
    first = LAST - years + 1
    records = ROOT / "bench" / "out" / f"records-s{scale}-y{years}"
    if (records / "county.yaml").exists():
        return records, None
    args = ["sample", "--out", str(records), "--scale", str(scale)]
    if years > 1:
        args += ["--years", f"{first}-{LAST}"]
    seconds, _ = run_timed(args)
    return records, seconds


def build(records: Path, out: Path) -> tuple[float, float, int]:
    """(seconds, Pagefind's peak MB — its largest shard's, read from /proc — and pages) of one full
    build in a fresh process."""
    code = (
        "import sys,time,resource;from generator.site.builder import build_site;"
        "from generator.site.search_index import LAST_RUN;t=time.perf_counter();"
        f"build_site({str(records)!r},{str(out)!r});"
        "print(time.perf_counter()-t, LAST_RUN['peak_mb'],"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)"
    )
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    env.setdefault("SOURCE_DATE_EPOCH", "1798675200")
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=ROOT, env=env, capture_output=True, text=True
    )
    seconds, pagefind, python = (float(x) for x in done.stdout.split()[-3:])
    pages = sum(1 for _ in out.rglob("index.html"))
    print(
        f"  build: {seconds:.1f} s, Python peak {python:.0f} MB, Pagefind peak {pagefind:.0f} MB, {pages} pages"
    )
    return seconds, pagefind, pages


def preview_build_and_rebuild(records: Path, out: Path, queries: list[str]) -> None:
    """One full build through ``serve``'s preview (``incremental.Preview.full`` is ``build_site``
    plus what the preview keeps), the first search on that site, then the preview's rebuild after one
    edited result. Wall and CPU seconds; Pagefind's peak is its largest shard's (shards run one
    after another)."""
    import resource

    from bench.bench_site import first_search
    from generator.site import search_index
    from generator.site.incremental import Preview

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1798675200")
    preview = Preview(records, out)
    wall, cpu = time.perf_counter(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    preview.full()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    child_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    pages = sum(1 for _ in out.rglob("index.html"))
    shards = json.loads((out / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    print(
        f"  build: {wall:.1f} s wall, {cpu:.0f} CPU-s in Python + {child_cpu:.0f} CPU-s in children "
        f"(Pagefind {search_index.LAST_RUN['seconds']:.1f} s wall over {search_index.LAST_RUN['shards']:.0f} "
        f"shards), Python peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
        f"Pagefind peak {search_index.LAST_RUN['peak_mb']:.0f} MB, {pages} pages; load {load_average()}"
    )
    print(f"  shards: first query {shards['first']}, older {shards['years']}")
    for query in queries:
        f = first_search(out, query)
        what = f"opened {f['opened']}" if f["opened"] else f"{f['results']} results"
        print(
            f"  first search “{query}”: {f['total'] / 1024:.0f} KB in {f['files']} files (index and lookup "
            f"{f['index'] / 1024:.0f} KB, metadata {f['metadata'] / 1024:.0f} KB), {what}"
        )
    result = sorted((records / "units" / "market" / "results").glob("*.yaml"))[-1]
    text = result.read_text(encoding="utf-8")
    edited = re.sub(r"(findings: )(.+)", r"\1\2（基准测试修改）", text, count=1)
    result.write_text(edited, encoding="utf-8")
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        written = preview.update()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        result.write_text(text, encoding="utf-8")
    print(
        f"  serve rebuild after one edited result ({result.name}): {wall:.1f} s wall, {cpu:.1f} CPU-s in Python, "
        f"{len(written)} pages rewritten, shards re-indexed {preview.reindexed} "
        f"(Pagefind {search_index.LAST_RUN['seconds']:.1f} s, peak {search_index.LAST_RUN['peak_mb']:.0f} MB); "
        f"load {load_average()}"
    )


def county(args: argparse.Namespace) -> int:
    scale = max(1, math.ceil(args.objects / OBJECTS_PER_SCALE))
    print(f"load {load_average()} — sample --scale {scale} --years {LAST - args.years + 1}-{LAST}")
    records, made = sample(scale, args.years)
    if made is not None:
        print(f"  sample: {made:.1f} s")
    site = ROOT / "bench" / "out" / f"site-s{scale}-y{args.years}"
    preview_build_and_rebuild(records, site, args.query or ["学校食堂", "穿城镇", "发现问题"])
    if args.verify:
        seconds, peak = run_timed(["verify", "--records", str(records), "--no-beacon-check"])
        print(f"  verify: {seconds:.1f} s, peak {peak:.0f} MB")
    print(f"load {load_average()}")
    return 0


def growth(args: argparse.Namespace) -> int:
    rows = []
    for scale in (int(s) for s in args.scales.split(",")):
        print(f"scale {scale}, load {load_average()}")
        records, made = sample(scale, args.years)
        site = ROOT / "bench" / "out" / f"site-s{scale}-y{args.years}"
        seconds, pagefind, pages = build(records, site)
        verify, _ = run_timed(["verify", "--records", str(records), "--no-beacon-check"])
        made_text = f"{made:.0f}" if made is not None else "(kept)"
        rows.append(
            f"| {scale} | {scale * OBJECTS_PER_SCALE} | {made_text} | {pages} | {seconds:.0f} | {pagefind:.0f} "
            f"| {verify:.1f} | {load_average()} |"
        )
        print(rows[-1])
    table = "\n".join(
        [
            "| scale | objects | sample s | pages | build s | Pagefind MB | verify s | load (1/5/15 min) |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    print(table)
    if args.write_docs:
        doc = ROOT / "docs" / "scale.md"
        text = doc.read_text(encoding="utf-8")
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        doc.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")
        print(f"wrote {doc}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("county")
    c.add_argument("--years", type=int, default=5, choices=range(1, LAST - FIRST + 2))
    c.add_argument("--objects", type=int, default=100_000)
    c.add_argument("--query", action="append", help="repeatable; default 学校食堂, 穿城镇, 发现问题")
    c.add_argument("--verify", action="store_true", help="also time verify (slow at county size)")
    g = sub.add_parser("growth")
    g.add_argument("--scales", default="1,2,5,10")
    g.add_argument("--years", type=int, default=1, choices=range(1, LAST - FIRST + 2))
    g.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    return county(args) if args.command == "county" else growth(args)


if __name__ == "__main__":
    raise SystemExit(main())
