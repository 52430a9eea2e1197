"""Errors raised by the draw engine.

Every error carries a stable machine code (``DRAW_...``), a message in Simplified Chinese that a
clerk at the joint office can act on (it names the unit, the rule and the shortfall), and a
``details`` dict with the raw numbers, so that the CLI and the site can render or translate it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class DrawError(Exception):
    """A draw could not be made or checked; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str, details: dict | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = dict(details or {})


@dataclass(frozen=True)
class Issue:
    """One rule violation found by a checker (``check_policy``, ``check_team``): code + Chinese text."""

    code: str
    message: str
    details: dict = field(default_factory=dict, compare=False)
