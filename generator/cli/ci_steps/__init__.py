"""Forge-neutral CI logic: each ``python -m generator ci SUBCOMMAND`` is one module here.

The workflow files for GitHub Actions, Gitea/Forgejo Actions and GitLab CI stay thin: every step is
one of these subcommands (or an existing command), so what CI does is tested by pytest, not by a
forge. ``forge`` reads each forge's environment variables; ``annotate`` writes findings in each
forge's annotation format. A subcommand module exposes ``NAME``, ``HELP``, ``configure(parser)``
and ``run(args) -> exit code``, like the top-level commands, and is discovered the same way.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

HELPERS = {"forge", "annotate", "gitops", "inbox", "forge_api", "intake_comment"}


def subcommands() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in HELPERS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            found[module.NAME] = module
    return dict(sorted(found.items()))
