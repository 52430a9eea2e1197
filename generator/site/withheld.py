"""What ``ci site`` left out of this build (cli/ci_steps/withhold.py), as the build reads it.

``ci site`` writes the lists to a JSON file and names it in ``SSJ_WITHHELD_FILE``: the lists grow with
the files a pull request adds, and an environment variable longer than 128 KiB (Linux's limit for one)
makes every process the build starts (Pagefind) fail with E2BIG, which stopped every unit's site.
Anything unreadable counts as nothing withheld: the build then refuses the records as usual.
"""

from __future__ import annotations

import json
import os
import re

from generator.private_data import find

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


# A part of a withheld file's path shown as it is: a plain code (``T2026-market-01.yaml``, ``market``).
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
HIDDEN = "…"


def shown(rel: str) -> str:
    """``rel`` as the notice on every page names it: each part of the path that is not a plain code,
    or reads as a mobile or ID number, replaced by ``…``. A unit names its files and folders: a file
    left out for its errors (a name that is not its record's id is one) was named on every page as
    spelt, so ``联系人幺三八…`` published a mobile number, ``13800138000.yaml`` made the build's final
    scan refuse the whole site, and ``D类企业名单.csv`` published a credit class (red team, fifth
    round). The CI run's own output still names the file in full for the unit.

    >>> shown("units/market/results/T2026-market-01.yaml"), shown("units/D类企业/unit.yaml")
    ('units/market/results/T2026-market-01.yaml', 'units/…/unit.yaml')
    >>> shown("units/market/results/13800138000.yaml"), shown("units/market/results/联系人.yaml")
    ('units/market/results/…', 'units/market/results/…')
    """
    return "/".join(p if _PLAIN.fullmatch(p) and not find(p) else HIDDEN for p in rel.split("/"))


def consequences() -> set[tuple]:
    """(code, file, line, field, value) of each error the trimmed tree may still have."""
    found = _lists().get("consequences", [])
    if not isinstance(found, list):
        return set()
    try:
        return {tuple(k) for k in found if isinstance(k, list)}
    except TypeError:
        return set()
