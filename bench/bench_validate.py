"""Time ``validate`` on the sample records (target: under 5 s on a 2-core machine).

    python bench/bench_validate.py [--records records] [--scale N]

With ``--scale N`` a fresh sample of that scale is generated into a temporary directory first.
Prints seconds, peak memory and the ratio to the target; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.validation import validate_tree  # noqa: E402

TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=Path, default=Path("records"))
    parser.add_argument("--scale", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = args.records
    if args.scale:
        from generator.samplegen import generate

        root = Path(tempfile.mkdtemp()) / "records"
        generate(root, args.scale)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        findings = validate_tree(root)
        times.append(time.perf_counter() - started)
    best = min(times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    files = sum(1 for p in root.rglob("*") if p.is_file())
    print(f"validate {root}: {files} files, {len(findings.errors)} errors, {len(findings.warnings)} warnings")
    print(f"best of {args.runs}: {best:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})")
    print(
        f"target {TARGET_SECONDS:.0f} s: ratio {best / TARGET_SECONDS:.2f} ({'met' if best < TARGET_SECONDS else 'MISSED'})"
    )
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
