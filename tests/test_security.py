"""Command-side safety that the hostile corpus cannot express as data: every command under hostile
arguments in a real subprocess, a full disk during a draw, a killed build, a link added by a pull
request, and the escaping of everything echoed into CI logs."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cilog import CommandGuard
from generator.cli import commands, main
from generator.cli.build import build_lock, remove_stale_builds
from generator.errors import Finding, github_annotation
from generator.registry import store
from tests.workflow.gitutil import commit, git, make_repo

PROJECT = Path(__file__).resolve().parents[1]

# Hostile argument lists per command; {r} is a valid records tree, {t} a scratch folder. Nothing here
# may reach the network (beacon is only given arguments that fail before fetching).
HOSTILE = {
    "accept": [["--records", "/nonexistent"], ["--records", "{t}"]],
    "append-check": [["--repo", "/nonexistent"], ["--base", "../../x", "--repo", "{t}"]],
    "beacon": [["fetch", "../../x", "--records", "{r}"], ["fetch", "--due", "--records", "/nonexistent"]],
    "build": [["--records", "{r}", "--out", "{r}/county.yaml"], ["--records", "/nonexistent"]],
    "ci": [
        ["checks", "--tree", "/nonexistent", "--base", "../../x"],
        ["site", "--records", "/nonexistent", "--out", "{r}/county.yaml"],
        ["deploy", "--site", "/nonexistent", "--to", "{r}/county.yaml"],
        ["registry", "--repo", "/nonexistent"],
        ["intake", "--tree", "/nonexistent", "--base", "../../x"],
        ["intake", "--tree", "{t}", "--post", "--push", "--branch", "--x"],
    ],
    "codeowners": [["--records", "/nonexistent"], ["--records", "{r}", "--out", "{r}/county.yaml/x"]],
    "draw": [
        ["D9999-0001", "--records", "{r}"],
        ["../../x", "--records", "{r}"],
        ["--due", "--records", "/x"],
    ],
    "entropy": [["BAD", "--records", "{r}"], ["D2026-0001/../..", "--records", "{r}"]],
    "export": [
        ["plan", "--out", "{t}", "--records", "{r}"],
        ["results", "--out", "/proc/x.xlsx", "--records", "{r}"],
    ],
    "import": [["{r}/county.yaml", "--kind", "objects", "--unit", "../../x", "--records", "{r}"]],
    "new": [
        ["tasks", "--unit", "../../x", "--records", "{r}"],
        ["tasks", "--id", "../x", "--records", "{r}"],
    ],
    "report": [["--records", "/nonexistent"], ["--records", "{r}", "--year", "-5"]],
    "request": [["../../x", "--records", "{r}"], ["T2026-market-99", "--records", "/nonexistent"]],
    "sample": [["--out", "{r}/county.yaml"], ["--scale", "1000", "--out", "{t}/s"]],
    "schemas": [["--check", "--out", "/nonexistent"]],
    "serve": [["--records", "/nonexistent"]],
    "summary": [["--records", "/nonexistent"], ["--records", "{r}", "--out", "{r}/county.yaml"]],
    "templates": [["--out", "{r}/county.yaml"], ["--out", "/proc/x"]],
    "validate": [["--records", "/nonexistent"], ["--records", "{r}/county.yaml"]],
    "verify": [["--records", "/nonexistent"], ["--draw", "../x", "--records", "{r}"]],
}


def test_every_command_has_hostile_arguments():
    assert sorted(HOSTILE) == sorted(commands())


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_no_traceback_from_any_command_with_hostile_arguments(name, full_tree, tmp_path):
    for args in HOSTILE[name]:
        argv = [a.format(r=full_tree, t=tmp_path) for a in args]
        proc = subprocess.run(
            [sys.executable, "-m", "generator", name, *argv],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(PROJECT), "SSJ_DEBUG": ""},
        )
        output = proc.stdout + proc.stderr
        assert "Traceback" not in output and "程序内部错误" not in output, (argv, output)
        assert proc.returncode in (1, 2), (argv, proc.returncode, output)
        assert output.strip(), "a refusal must say why"


def test_exit_codes_are_documented():
    readme = (PROJECT / "README.md").read_text("utf-8")
    security = (PROJECT / "docs" / "security.md").read_text("utf-8")
    for text in (readme, security):
        assert "退出码" in text or "Exit codes" in text
    for code in ("0", "1", "2"):
        assert f"| {code} |" in readme


def _remove_result(records: Path) -> Path:
    folder = store.folder(records, "D2026-0001")
    (folder / store.RESULT).unlink()
    return folder


def test_a_full_disk_during_draw_is_a_message_and_leaves_no_temp_file(full_tree, monkeypatch, capsys):
    folder = _remove_result(full_tree)
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd, mode="r", *a, **k):
        # Only writes hit the full disk; the draw files are still read (bounded.read_bytes uses fdopen too).
        handle = real_fdopen(fd, mode, *a, **k)
        return FullDisk(handle) if "w" in mode else handle

    monkeypatch.setattr(store.os, "fdopen", fdopen)
    code = main(["draw", "D2026-0001", "--records", str(full_tree), "--no-beacon-check"])
    out = capsys.readouterr()
    assert code == 2
    assert "磁盘空间已满" in out.err and "Traceback" not in out.out + out.err
    assert sorted(p.name for p in folder.iterdir()) == [
        "accepted.yaml",
        "entropy-accepted.yaml",
        "entropy.yaml",
        "pool-internal.json",
        "request.yaml",
    ]


def test_the_draw_succeeds_once_there_is_space(full_tree, capsys):
    folder = _remove_result(full_tree)
    assert main(["draw", "D2026-0001", "--records", str(full_tree), "--no-beacon-check"]) == 0
    assert (folder / store.RESULT).is_file()
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp-")]


def test_atomic_write_removes_its_temp_file_on_any_failure(tmp_path, monkeypatch):
    def boom(src, dst):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(store.os, "replace", boom)
    with pytest.raises(OSError):
        store.write_text(tmp_path / "x.yaml", "a: 1\n")
    assert list(tmp_path.iterdir()) == []


def test_a_killed_build_leaves_nothing_behind_after_the_next_lock(tmp_path):
    site = tmp_path / "site"
    stale = tmp_path / ".site.building-abc123"
    (stale / "objects").mkdir(parents=True)
    other = tmp_path / ".other.building-xyz"  # another site's pattern: not ours to remove
    other.mkdir()
    target = tmp_path / "keep"
    target.mkdir()
    link = tmp_path / ".site.building-link"
    link.symlink_to(target)
    with build_lock(site) as locked:
        assert locked
        removed = remove_stale_builds(site)
    assert removed == [stale] and not stale.exists()
    assert other.is_dir() and target.is_dir() and link.is_symlink()


def test_a_second_build_of_the_same_site_waits_its_turn(tmp_path):
    site = tmp_path / "site"
    with build_lock(site) as first:
        assert first
        code = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from generator.cli.build import build_lock\n"
                "with build_lock(Path(sys.argv[1])) as ok: sys.exit(0 if not ok else 3)",
                str(site),
            ],
            env={**os.environ, "PYTHONPATH": str(PROJECT)},
        ).returncode
        assert code == 0  # the other process saw the lock


def test_append_check_refuses_an_added_symlink(tmp_path, capsys):
    repo = make_repo(tmp_path, {"records/county.yaml": "name: 县\n"})
    (repo / "records" / "units" / "market").mkdir(parents=True)
    (repo / "records" / "units" / "market" / "unit.yaml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link")
    code = main(["append-check", "--base", "main", "--repo", str(repo)])
    out = capsys.readouterr().out
    assert code == 1 and "APPEND_SYMLINK" in out and "records/units/market/unit.yaml" in out
    assert "root:" not in out  # the link's target was never read


def test_append_check_passes_an_ordinary_file(tmp_path, capsys):
    repo = make_repo(tmp_path, {"records/county.yaml": "name: 县\n"})
    commit(repo, {"records/units/market/unit.yaml": "id: market\n"})
    assert main(["append-check", "--base", "main", "--repo", str(repo)]) == 0


@pytest.mark.parametrize(
    ("message", "escaped"),
    [
        ("x\n::stop-commands::tok", "x%0A::stop-commands::tok"),
        ("a\r\n::error::b", "a%0D%0A::error::b"),
        ("100%0A", "100%250A"),
    ],
)
def test_annotation_messages_are_escaped(message, escaped):
    line = github_annotation(Finding("X", "f.yaml", 3, 1, message=message), "error")
    assert line == f"::error file=f.yaml,line=3,col=1,title=X::{escaped}"
    assert "\n" not in line and "\r" not in line


def test_annotation_properties_escape_comma_and_colon():
    line = github_annotation(Finding("X", "a,b:c.yaml", 1), "warning")
    assert line.startswith("::warning file=a%2Cb%3Ac.yaml,line=1,")


def test_on_github_no_printed_line_can_start_a_workflow_command(tmp_path):
    import io

    buffer = io.StringIO()
    guard = CommandGuard(buffer)
    guard.write("名称：抽查\n::stop-commands::tok\n  ::add-mask::x\n:")
    guard.write(":error::y\nok::fine\n")
    guard.flush()
    lines = buffer.getvalue().splitlines()
    assert [line for line in lines if line.lstrip().startswith("::")] == []
    assert "ok::fine" in lines and "名称：抽查" in lines
