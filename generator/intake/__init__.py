"""Data entry for people who live in Excel: templates, import and export (issue 6).

Public API:
- :func:`write_templates` (``out_dir`` -> list of written .xlsx paths), for the site's download page;
- :func:`import_file` / :func:`plan_import` (file, kind, unit, records dir) -> :class:`ImportResult`;
- :func:`export_records`, :func:`publication_rows`, :func:`plan_rows` and the table writers.
"""

from __future__ import annotations

from generator.intake.export import export_records, plan_rows, publication_rows, write_plan_html, write_table
from generator.intake.importer import ImportResult, import_file, plan_import
from generator.intake.specs import KINDS, SPECS
from generator.intake.templates import template_name, write_templates

__all__ = [
    "KINDS",
    "SPECS",
    "ImportResult",
    "export_records",
    "import_file",
    "plan_import",
    "plan_rows",
    "publication_rows",
    "template_name",
    "write_plan_html",
    "write_table",
    "write_templates",
]
