"""Import a 100,000-row object directory and print seconds and peak memory (targets on 2 cores:
< 30 s, < 1 GB). Not a test: figures are printed, never asserted.

    python bench/bench_import.py [--rows 100000] [--format xlsx|csv|both]

Each import runs in a child process so its peak RSS (ru_maxrss) is measured alone. Three runs per
format: first import into the test records tree (tests/fixtures/base: county.yaml, two units), re-import
of the same file (nothing changes), and re-import with 1% of rows edited. Every run includes the
repository-level check: all validate rules on the current and on the would-be tree.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.records import objects  # noqa: E402
from generator.rules.uscc import check_digit  # noqa: E402

HEADER = [f.label for f in objects.KIND.fields]  # the Chinese headers an official types
TOWNSHIPS = ["众兴街道", "来安街道"]


def uscc(i: int) -> str:
    body = f"913213{i:011d}"[:17]
    return body + check_digit(body)


def rows(n: int, edited: int = 0):
    for i in range(n):
        name = f"测试县第{i}号企业有限公司" + ("（已更名）" if i < edited else "")
        yield [
            uscc(i),
            "统一社会信用代码",
            name,
            "企业",
            TOWNSHIPS[i % 2],
            f"示例路{i}号",
            "食品销售;学校周边",
            "存续",
            "ABCD"[i % 4],
            "否",
        ]


def write_xlsx(path: Path, n: int, edited: int = 0) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("检查对象名录")
    ws.append(HEADER)
    for row in rows(n, edited):
        ws.append(row)
    wb.save(path)


def write_csv(path: Path, n: int, edited: int = 0) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(HEADER)
        w.writerows(rows(n, edited))


CHILD = """
import sys, time, resource
from pathlib import Path
sys.path.insert(0, {root!r})
from generator.intake import import_file
t = time.perf_counter()
r = import_file(Path({file!r}), "objects", "market", Path({records!r}))
s = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_SELF)
print(s, u.ru_utime + u.ru_stime, u.ru_maxrss, len(r.errors), r.counts.summary(), [p.render() for p in r.errors[:3]])
"""


def run_import(file: Path, records: Path) -> tuple[float, float, float, int, str]:
    code = CHILD.format(root=str(ROOT), file=str(file), records=str(records))
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split(maxsplit=4)
    return float(out[0]), float(out[1]), int(out[2]) / 1024, int(out[3]), out[4].strip()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("xlsx", "csv", "both"), default="both")
    args = parser.parse_args()
    formats = ("xlsx", "csv") if args.format == "both" else (args.format,)
    print(f"CPU 核数 {os.cpu_count()}，{args.rows} 行检查对象（目标：< 30 秒，峰值内存 < 1 GB）")
    print(f"开始时负载（1/5/15 分钟平均）：{_load()}。负载远超核数时墙钟时间主要是排队，请同时看 CPU 秒数。")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for fmt in formats:
            writer = write_xlsx if fmt == "xlsx" else write_csv
            data, edited = tmp_path / f"objects.{fmt}", tmp_path / f"edited.{fmt}"
            t = time.perf_counter()
            writer(data, args.rows)
            writer(edited, args.rows, edited=args.rows // 100)
            print(
                f"[{fmt}] 生成测试文件 {time.perf_counter() - t:.1f} 秒，{data.stat().st_size / 1e6:.1f} MB"
            )
            records = tmp_path / f"records-{fmt}"
            shutil.rmtree(records, ignore_errors=True)
            shutil.copytree(ROOT / "tests" / "fixtures" / "base", records)
            for label, file in (("首次导入", data), ("原样重新导入", data), ("修改 1% 后导入", edited)):
                seconds, cpu, peak_mb, errors, summary = run_import(file, records)
                print(
                    f"[{fmt}] {label}：{seconds:.1f} 秒（CPU {cpu:.1f} 秒），峰值内存 {peak_mb:.0f} MB，错误 {errors} 个；{summary}"
                    f"；负载 {_load()}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
