"""The message catalogs: every stable code with its Chinese template; docs/errors.md is generated from them.

* ``records`` — the record finding codes that ``validate`` reports (``CATALOG``, re-exported here),
  with the planning codes of ``planning``;
* ``draw`` — the draw engine's ``DRAW_*`` codes (template, fix, summary) and ``render``;
* ``registry`` — the registry's decisions (accept, draw, verify, the public log) and ``render``.

``entry`` holds ``Entry`` and ``shown`` (a value as a clerk reads it in a message). The intake
and workflow catalogs stay beside their packages and build on ``Entry`` from here. This
package imports nothing else from generator/, so every layer may use it.
"""

from .entry import ERROR, WARNING, Entry, error, shown, warning
from .records import CATALOG

__all__ = ["CATALOG", "ERROR", "WARNING", "Entry", "error", "shown", "warning"]
