"""Errors raised by the draw engine.

Every error carries a stable machine code (``DRAW_...``), a message in Simplified Chinese that a
clerk at the joint office can act on — rendered from ``generator.catalog.draw`` (what was found, then
how to fix it) — and a ``details`` dict with the raw values, so that the CLI and the site can
render or translate it. The engine raises nothing else (tests/draw/test_fuzz.py).
"""

from __future__ import annotations

from generator.catalog.draw import render


class DrawError(Exception):
    """A draw could not be made or checked: ``DrawError(code, **details)``; ``code`` is stable,
    ``message`` (rendered from the catalog) is for people."""

    def __init__(self, code: str, **details):
        self.code, self.details = code, details
        self.message = render(code, details)
        super().__init__(f"{code}: {self.message}")
