"""One catalog entry (a severity, a Chinese message template, a one-line summary for docs/errors.md)
and ``shown``, how a value is written into a rendered message."""

from __future__ import annotations

import json
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


MAX_SHOWN = 120  # characters of one value in a message


def shown(value) -> str:
    """A value as a clerk reads it: text as is (control characters made visible, cut at
    ``MAX_SHOWN``), lists joined by 、, 是/否, 空 — never a Python repr."""
    if value is None:
        text = "（空）"
    elif isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (int, float)):
        text = str(value)
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(map(shown, value)) if isinstance(value, (set, frozenset)) else map(shown, value)
        text = "、".join(items) or "（空列表）"
    elif isinstance(value, dict):
        text = json.dumps({str(k): shown(v) for k, v in value.items()}, ensure_ascii=False)
    else:
        text = type(value).__name__
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
