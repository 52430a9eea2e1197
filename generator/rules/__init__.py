"""Cross-record rules. Each module exposes ``check(corpus) -> Iterable[Finding]``."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from generator.errors import Finding

RULE_MODULES = ()


def run_all(corpus) -> Iterator[Finding]:
    for name in RULE_MODULES:
        module = importlib.import_module(f"generator.rules.{name}")
        yield from module.check(corpus)
