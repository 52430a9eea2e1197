"""Output that does not fit (a full disk, a file-size limit): every command that writes a file the
user named or a records file says so in Chinese with the path, prints no traceback (not even the
interpreter's "Exception ignored" report of a library's cleanup), and leaves the previous file as it
was, with no half-written file or temporary file beside it.

The limit is real: the child process runs under ``RLIMIT_FSIZE`` (the kernel refuses every write past
it with EFBIG, as it refuses a write to a full disk with ENOSPC), nothing is mocked."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


def run_limited(limit: int, *args: str) -> subprocess.CompletedProcess:
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {k: v for k, v in os.environ.items() if k != "SSJ_DEBUG"}
    env["PYTHONPATH"] = str(PROJECT)
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=limited,
        timeout=300,
    )


OLD = b"an earlier export the clerk still needs\n"


@pytest.mark.parametrize(
    "limit, argv, out",
    [
        # openpyxl's temporary sheet file (in TMPDIR) does not fit
        (6000, ["export", "objects", "--unit", "market", "--out", "{t}/对象.xlsx"], "{t}/对象.xlsx"),
        # every sheet's temporary file fits (≤ 9.4 KB), the finished workbook (12–15 KB) does not
        (12000, ["templates", "--out", "{t}/模板"], "{t}/模板/检查对象导入模板.xlsx"),
    ],
)
def test_output_that_does_not_fit_is_a_message_and_the_old_file_stays(full_tree, tmp_path, limit, argv, out):
    argv = [a.format(t=tmp_path) for a in argv] + (
        ["--records", str(full_tree)] if argv[0] == "export" else []
    )
    target = Path(out.format(t=tmp_path))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(OLD)
    before = sorted(p.name for p in tmp_path.rglob("*"))

    proc = run_limited(limit, *argv)

    text = proc.stdout + proc.stderr
    assert proc.returncode == 2, text
    assert "Traceback" not in text and "Exception ignored" not in text, text
    assert "File too large" not in text, "no English system message"
    assert "文件超过" in text or "磁盘" in text, text
    assert str(target) in text, "the message names the file"
    assert target.read_bytes() == OLD, "the previous file is left as it was"
    assert sorted(p.name for p in tmp_path.rglob("*")) == before, "no half-written or temporary file"


def test_an_import_writing_several_files_changes_none_when_one_does_not_fit(tmp_path):
    """A results sheet for several tasks, or a plan sheet for several years, writes several record
    files. When the second does not fit, the first must not already be in place: all or nothing."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "2026.yaml").write_text("old: 2026\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.intake.store import write_atomically\n"
        f"p = Path({str(plans)!r})\n"
        "try:\n"
        "    write_atomically({p / '2026.yaml': 'new: 2026\\n', p / '2027.yaml': 'x' * 20000})\n"
        "except OSError as exc:\n"
        "    print('refused', exc.errno, exc.filename)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "SSJ_DEBUG"}
    env["PYTHONPATH"] = str(PROJECT)

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (8000, 8000))

    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, preexec_fn=limited
    )

    assert proc.stdout.startswith("refused 27 ") and "2027.yaml" in proc.stdout, proc.stdout + proc.stderr
    assert (plans / "2026.yaml").read_text(encoding="utf-8") == "old: 2026\n", (
        "the first file is not replaced"
    )
    assert sorted(p.name for p in plans.iterdir()) == ["2026.yaml"], "no temporary file, no second file"


def test_ctrl_c_while_a_command_loads_is_a_message_not_a_traceback(tmp_path):
    """Ctrl-C in the first second (Python importing openpyxl, the rules…) came before the command's
    guard: a KeyboardInterrupt traceback. Interrupted at any moment, the answer is a sentence."""
    env = {k: v for k, v in os.environ.items() if k != "SSJ_DEBUG"}
    env["PYTHONPATH"] = str(PROJECT)
    for delay in (0.15, 0.3, 0.45, 0.6):
        child = subprocess.Popen(
            [sys.executable, "-m", "generator", "validate", "--records", str(tmp_path / "none")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=60)
        assert "Traceback" not in out and "KeyboardInterrupt" not in out, (delay, out)
        assert child.returncode in (130, 2, -signal.SIGINT), (delay, child.returncode, out)


def test_ctrl_c_is_held_back_until_the_renames_are_done():
    from generator.paths import held_interrupts

    done = []
    with pytest.raises(KeyboardInterrupt):
        with held_interrupts():
            signal.raise_signal(signal.SIGINT)
            done.append("after the signal")  # still runs: the interrupt waits for the block's end
    assert done == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
