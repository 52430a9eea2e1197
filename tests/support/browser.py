"""Find a Chromium for the browser tests on Debian, Ubuntu or a machine with Playwright's own build.

One function used by the tests, the benchmarks and ``scripts/setup.sh`` (``python -m
tests.support.browser`` prints the path, or explains in Chinese how to get one and exits 1):

* ``CHROMIUM_PATH`` if set (any Chromium or Chrome binary the user chose);
* Debian's package ``chromium`` (``/usr/bin/chromium``);
* Ubuntu: the ``chromium-browser`` wrapper or the snap (``/snap/bin/chromium``) — on Ubuntu the apt
  package ``chromium`` is only a transition to the snap;
* Google Chrome, if installed;
* Playwright's own download (``python -m playwright install chromium``), where the network allows.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
FIXED = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")

HOW_TO_GET = """\
找不到 Chromium（浏览器测试需要它）。按系统任选一种：
  Debian：       sudo apt-get install chromium
  Ubuntu：       sudo snap install chromium   （Ubuntu 的 apt 包 chromium-browser 只是转到 snap）
  能访问外网时： .venv/bin/python -m playwright install chromium
  已有浏览器：   export CHROMIUM_PATH=/path/to/chromium
"""


def candidates() -> list[str]:
    """Executable paths to try, in order (duplicates and missing files removed)."""
    found: list[str] = []
    chosen = os.environ.get("CHROMIUM_PATH", "").strip()
    if chosen:
        found.append(chosen)
    found.extend(p for p in (shutil.which(n) for n in NAMES) if p)
    found.extend(FIXED)
    found.append(_playwright_build() or "")
    usable = [p for p in found if p and os.path.isfile(p) and os.access(p, os.X_OK)]
    return list(dict.fromkeys(usable))


def find_chromium() -> str | None:
    """The first usable Chromium executable, or ``None``."""
    paths = candidates()
    return paths[0] if paths else None


def require_chromium() -> str:
    """The Chromium path for a test fixture; fails (never skips) with the how-to when there is none."""
    path = find_chromium()
    if path is None:
        raise RuntimeError(HOW_TO_GET)
    return path


def _playwright_build() -> str | None:
    """Playwright's own Chromium under ~/.cache/ms-playwright, if someone downloaded it."""
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    builds = sorted(root.glob("chromium-*/chrome-linux*/chrome"), reverse=True)
    return str(builds[0]) if builds else None


def main() -> int:
    path = find_chromium()
    if path is None:
        print(HOW_TO_GET, end="", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
