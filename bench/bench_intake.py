"""``ci intake`` end to end on the bundled sample: seconds and peak memory for a clerk's upload of the
whole market object directory with one address changed (and one hostile zip bomb). Not a test:
figures are printed, never asserted.

    python bench/bench_intake.py

A temporary repository holds records/ (the sample) on main; a feature branch adds
inbox/market/对象名录.xlsx. Each run is a child process (``python -m generator ci intake``) whose own peak
RSS (ru_maxrss from wait4, its git calls included) is printed. The conversion includes the import's repository-level validation.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def sheet(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/worksheets/sheet1.xml", "w") as member:  # streamed: the bench stays small
            for _ in range(200):
                member.write(b"0" * (1024 * 1024))
    return buf.getvalue()


def run(tmp: Path, name: str, make) -> None:
    repo = tmp / name
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bench@example.invalid")
    git(repo, "config", "user.name", "bench")
    shutil.copytree(ROOT / "records", repo / "records")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "inbox" / "market").mkdir(parents=True)
    data = make()
    (repo / "inbox" / "market" / "对象名录.xlsx").write_bytes(data)
    size = len(data)
    del data  # a forked child starts with the parent's pages: measure the converter, not the bench
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "upload")
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "generator", "ci", "intake", "--tree", str(repo), "--base", "main"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak (its git calls included)
    seconds = time.perf_counter() - start
    code, peak = os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024
    print(f"{name}: {size / 1024:.0f} KB upload, exit {code}, {seconds:.1f} s, peak {peak:.0f} MB")


def main() -> int:
    text = (ROOT / "records" / "units" / "market" / "objects.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][5] += "（新址）"
    with tempfile.TemporaryDirectory() as tmp:
        print(f"sample market directory: {len(rows) - 1} rows")
        run(Path(tmp), "directory", lambda: sheet(rows))
        run(Path(tmp), "zip-bomb", bomb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
