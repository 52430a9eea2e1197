"""Record kinds, one module each. ``KINDS`` is the registry the loader, docs and schemas use."""

from __future__ import annotations

from generator.records import (
    assistants,
    county,
    draws,
    holidays,
    inspectors,
    items,
    meetings,
    objects,
    plans,
    referrals,
    results,
    tasks,
    unit,
)
from generator.schema.kind import Kind

KINDS: tuple[Kind, ...] = (
    county.KIND,
    holidays.KIND,
    unit.KIND,
    items.KIND,
    objects.KIND,
    inspectors.KIND,
    assistants.KIND,
    plans.KIND,
    tasks.KIND,
    *draws.KINDS,
    results.KIND,
    referrals.KIND,
    meetings.KIND,
)

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}


def kind_for(relpath: str) -> tuple[Kind, dict[str, str]] | None:
    """The kind that claims a path relative to records/, with the path's named groups."""
    for kind in KINDS:
        m = kind.matches(relpath)
        if m:
            return kind, {k: v for k, v in m.groupdict().items() if v is not None}
    return None


def misspelt_suffix(relpath: str) -> str | None:
    """The path a record kind would claim if only the suffix were spelt ``.yaml`` / ``.csv`` in lower
    case (``results/T1.yml``, ``objects.CSV``), or None: a clerk's file that would otherwise be read
    by nothing and counted nowhere."""
    stem, dot, suffix = relpath.rpartition(".")
    if not dot or kind_for(relpath) is not None:
        return None
    fixed = f"{stem}.{'yaml' if suffix.lower() in ('yml', 'yaml') else suffix.lower()}"
    return fixed if fixed != relpath and kind_for(fixed) is not None else None
