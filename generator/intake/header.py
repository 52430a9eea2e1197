"""Stages 2 and 3 of reading a sheet: locate the header row, then resolve each header cell to a field.

Resolving is shared with the record loader: :mod:`generator.schema.headers` (one resolver, a
lenient table for sheets, an exact one for record files). This module adds what only a sheet
needs: finding the header row among title rows.
"""

from __future__ import annotations

from generator.schema.headers import (
    IGNORED_HEADERS,
    Header,
    HeaderTable,
    header_key,
    resolve_header,
)

__all__ = [
    "HEADER_SEARCH_ROWS",
    "IGNORED_HEADERS",
    "Header",
    "HeaderTable",
    "header_key",
    "locate_header",
    "resolve_header",
    "score",
]

HEADER_SEARCH_ROWS = 30


def score(row: list[object], table: HeaderTable) -> int:
    """How many distinct fields a row names (a header names many, a data row few or none)."""
    found = set()
    for cell in row:
        if isinstance(cell, str):
            name = table.lookup(cell)
            if name:
                found.add(name)
    return len(found)


def locate_header(rows: list[list[object]], table: HeaderTable) -> tuple[int, int]:
    """(0-based index, score) of the first row among the first 30 that names the most fields."""
    best, best_score = 0, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        s = score(row, table)
        if s > best_score:
            best, best_score = i, s
    return best, best_score
