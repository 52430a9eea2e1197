"""A newcomer's first five minutes: the lock file, the install script, Chromium, ./ssj, the preview.

The full install is exercised by .ci/run on a fresh clone; these tests check the parts that can
fail quietly: a dependency missing from the lock, a hard-coded browser path, a wrapper that needs
an activated venv, an address printed before the server answers.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

from tests.support import browser

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"


def locked() -> dict[str, list[tuple[Version, str]]]:
    """name -> [(version, environment marker)] from the lock file; every pin must carry hashes."""
    out: dict[str, list[tuple[Version, str]]] = {}
    for block in re.split(r"\n(?=\S)", LOCK.read_text(encoding="utf-8")):
        first = block.splitlines()[0]
        if first.startswith("#") or not first.strip():
            continue
        m = re.match(r"([A-Za-z0-9_.-]+)==([^ ;\\]+)\s*(?:;\s*([^\\]+))?", first)
        assert m, first
        assert "--hash=sha256:" in block, f"{m.group(1)} has no hash"
        name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
        out.setdefault(name, []).append((Version(m.group(2)), (m.group(3) or "").strip()))
    return out


def test_lock_pins_every_declared_dependency_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"] + ["setuptools>=77"]
    pins = locked()
    for text in declared:
        req = Requirement(text)
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        assert name in pins, f"{name} is declared but not locked: run bash scripts/lock.sh"
        for version, _marker in pins[name]:
            assert req.specifier.contains(version, prereleases=True), (
                f"{name}=={version} outside {req.specifier}"
            )
    assert "blspy" not in pins, "no wheel for Python 3.13"
    assert "py-arkworks-bls12381" in pins


def test_lock_is_universal_for_python_311_to_313():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    header = LOCK.read_text(encoding="utf-8").splitlines()[1]
    assert "bash scripts/lock.sh" in header
    script = (ROOT / "scripts" / "lock.sh").read_text(encoding="utf-8")
    assert "--universal --python-version 3.11 --generate-hashes" in script


def test_setup_installs_only_from_the_lock_with_hashes():
    text = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8").replace("\\\n", " ")
    installs = re.findall(r"pip install[^\n]*", text)
    assert len(installs) == 2
    assert "--require-hashes" in installs[0] and '-r "$LOCK"' in installs[0]
    assert "--no-index" in installs[1] and "--no-deps" in installs[1]


def test_setup_refuses_an_unsupported_python_with_a_clear_message(tmp_path):
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    (tmp_path / "requirements").mkdir()
    shutil.copy(LOCK, tmp_path / "requirements" / "lock.txt")
    proc = subprocess.run(
        ["bash", "scripts/setup.sh"],
        cwd=tmp_path,
        env={**os.environ, "PYTHON": "/bin/false"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "不是 Python 3.11–3.13" in proc.stderr
    assert not (tmp_path / ".venv").exists()


def test_chromium_path_variable_wins_and_must_be_executable(tmp_path, monkeypatch):
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setenv("CHROMIUM_PATH", str(fake))
    assert browser.find_chromium() != str(fake), "not executable: ignored"
    fake.chmod(0o755)
    assert browser.find_chromium() == str(fake)


def test_no_chromium_gives_the_how_to_for_debian_and_ubuntu(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setattr(browser, "FIXED", (str(tmp_path / "none"),))
    assert browser.find_chromium() is None
    try:
        browser.require_chromium()
    except RuntimeError as exc:
        assert "apt-get install chromium" in str(exc) and "snap install chromium" in str(exc)
    else:
        raise AssertionError("require_chromium must fail, never skip")


def test_playwrights_own_build_is_found(tmp_path, monkeypatch):
    chrome = tmp_path / "chromium-1140" / "chrome-linux" / "chrome"
    chrome.parent.mkdir(parents=True)
    chrome.write_text("#!/bin/sh\n", encoding="utf-8")
    chrome.chmod(0o755)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    assert str(chrome) in browser.candidates()


def test_no_test_or_bench_hard_codes_a_browser_path():
    offenders, hard_coded = [], "/usr/bin/" + "chromium"
    for path in [*ROOT.glob("tests/**/*.py"), *ROOT.glob("bench/*.py")]:
        if path.name != "browser.py" and hard_coded in path.read_text(encoding="utf-8"):
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


def test_ssj_wrapper_runs_commands_without_activating(tmp_path):
    shutil.copy(ROOT / "ssj", tmp_path / "ssj")
    proc = subprocess.run([str(tmp_path / "ssj"), "validate"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "bash scripts/setup.sh" in proc.stderr
    venv_python = tmp_path / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    venv_python.chmod(0o755)
    proc = subprocess.run(
        [str(tmp_path / "ssj"), "validate", "--records", str(ROOT / "records")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "校验通过" in proc.stdout


def test_demo_warnings_are_labelled_as_deliberate(tmp_path):
    from generator.cli.validate import demo_note

    note = demo_note(ROOT / "records", 28)
    assert "demo: true" in note and "28 个警告" in note and "故意" in note
    real = tmp_path / "records"
    real.mkdir()
    (real / "county.yaml").write_text("name: 泗阳县\ndemo: false\n", encoding="utf-8")
    assert demo_note(real, 28) == ""
    assert demo_note(ROOT / "records", 0) == ""


def test_preview_address_is_printed_only_once_the_server_answers(capsys):
    from generator.cli.serve import announce_when_ready

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    assert announce_when_ready(url, timeout=0.5, interval=0.1) is False
    assert capsys.readouterr().out == ""  # nothing listens: no address

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), http.server.SimpleHTTPRequestHandler)
    started = time.monotonic()
    threading.Timer(0.6, lambda: threading.Thread(target=server.serve_forever, daemon=True).start()).start()
    try:
        assert announce_when_ready(url, timeout=30, interval=0.1) is True
        assert time.monotonic() - started >= 0.6
        assert capsys.readouterr().out == f"预览地址：{url}  （按 Ctrl+C 停止）\n"
    finally:
        server.shutdown()
        server.server_close()


def test_ci_run_calls_the_readme_test_command_then_every_interpreter():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert run.index("bash scripts/test.sh") < run.index("bash scripts/test-pythons.sh")
    assert "bash scripts/test.sh" in (ROOT / "README.md").read_text(encoding="utf-8")
    pythons = (ROOT / "scripts" / "test-pythons.sh").read_text(encoding="utf-8")
    assert "for v in 3.11 3.12 3.13" in pythons and '-m "not browser and not heavy"' in pythons
