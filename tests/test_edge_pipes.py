"""A closed output pipe (``generator … | head``) ends a command quietly with 141, like a Unix tool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--records", "{records}"],
        ["new", "tasks", "--stdout"],
        ["report", "--records", "{records}"],
    ],
)
def test_closed_pipe_is_quiet(argv, full_tree):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *(a.format(records=full_tree) for a in argv)],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=env,
        cwd=PROJECT,
        timeout=120,
    )
    os.close(write_end)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 141, err
    assert err == ""  # no "Broken pipe" blamed on paths or permissions, no traceback
