"""Cross-record rules. Each module exposes ``check(corpus) -> Iterable[Finding]``.

Order matters in one place only: ``uscc`` normalises object ids (with a warning) before the
reference checks compare them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from generator.errors import Finding

RULE_MODULES = (
    "uscc",
    "identity",
    "references",
    "dictionaries",
    "dates",
    "items",
    "tasks",
    "calendar",
    "holidays",
    "draws",
    "teams",
    "results",
    "joint",
    "risk",
    "outcomes",
    "governance",
    "id_text",
    "text_chars",
    "base_url",
    "privacy",
    "joined_numbers",
    "conflict_text",
    "internal_text",
)


def run_all(corpus) -> Iterator[Finding]:
    for name in RULE_MODULES:
        module = importlib.import_module(f"generator.rules.{name}")
        yield from module.check(corpus)
