"""One catalog entry: a severity, a Chinese message template and a one-line summary for docs/errors.md."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Entry:
    severity: str
    template: str
    summary: str  # one line for docs/errors.md


def error(template: str, summary: str) -> Entry:
    """An error: the record is invalid and ``validate`` exits 1."""
    return Entry(ERROR, template, summary)


def warning(template: str, summary: str) -> Entry:
    """A warning: a fact to act on; the record stays valid (``validate --strict`` fails on it)."""
    return Entry(WARNING, template, summary)
