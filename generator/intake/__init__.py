"""Data entry for people who live in Excel: templates, import and export (issue 6).

Public API:
- :func:`write_templates` (``out_dir`` -> list of written .xlsx paths), for the site's download page;
- :func:`import_file` / :func:`plan_import` (file, kind, unit, records dir) -> :class:`ImportResult`;
- :func:`export_records`, :func:`publication_rows`, :func:`plan_rows` and the table writers.

Names are imported on first use (PEP 562), so commands that never touch Excel do not pay for openpyxl.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "export_records": "export",
    "plan_rows": "export",
    "publication_rows": "export",
    "write_plan_html": "export",
    "write_table": "export",
    "ImportResult": "importer",
    "import_file": "importer",
    "plan_import": "importer",
    "KINDS": "specs",
    "SPECS": "specs",
    "template_name": "templates",
    "write_templates": "templates",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
