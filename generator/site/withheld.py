"""What ``ci site`` left out of this build (cli/ci_steps/withhold.py), as the build reads it.

``ci site`` writes the lists to a JSON file and names it in ``SSJ_WITHHELD_FILE``: the lists grow with
the files a pull request adds, and an environment variable longer than 128 KiB (Linux's limit for one)
makes every process the build starts (Pagefind) fail with E2BIG, which stopped every unit's site.
Anything unreadable counts as nothing withheld: the build then refuses the records as usual.
"""

from __future__ import annotations

import json
import os

FILE_VARIABLE = "SSJ_WITHHELD_FILE"


def _lists() -> dict:
    path = os.environ.get(FILE_VARIABLE)
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def files() -> list[str]:
    """The record files left out (relative to the records folder), sorted."""
    found = _lists().get("files", [])
    return sorted(f for f in found if isinstance(f, str)) if isinstance(found, list) else []


def consequences() -> set[tuple]:
    """(code, file, line, field, value) of each error the trimmed tree may still have."""
    found = _lists().get("consequences", [])
    if not isinstance(found, list):
        return set()
    try:
        return {tuple(k) for k in found if isinstance(k, list)}
    except TypeError:
        return set()
