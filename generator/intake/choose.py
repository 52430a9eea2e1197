"""Stage 2 of reading a workbook: which sheet holds the data, and where its header is.

Hidden sheets are never read (the template's 选项 list, an old year someone hid); neither are the
template's 说明 and 示例 sheets. Among the visible sheets whose header names at least two fields,
``--sheet`` decides, else the active sheet (the one open when the file was saved), else the only
one; two candidates and no active one among them is an error naming them, never a guess.
"""

from __future__ import annotations

from generator.intake.catalog import Problem, problem
from generator.intake.header import HeaderTable, locate_header
from generator.intake.tables import Sheet

SIDE_SHEETS = {"说明", "选项", "示例", "填表说明", "填写说明"}
MIN_SCORE = 2


def choose_sheet(
    sheets: list[Sheet], table: HeaderTable, kind_label: str, file_name: str, wanted: str | None = None
) -> tuple[Sheet | None, int, list[Problem]]:
    """(sheet, 0-based header row, problems)."""
    if wanted is not None:
        named = [s for s in sheets if s.name.strip() == wanted.strip()]
        if not named:
            names = "、".join(s.name for s in sheets)
            return None, 0, [problem("IMPORT_SHEET_NOT_FOUND", file_name, wanted, names=names)]
        row, _ = locate_header(named[0].rows, table)
        return named[0], row, []
    candidates = []
    for sheet in sheets:
        if sheet.hidden or sheet.name in SIDE_SHEETS:
            continue
        row, score = locate_header(sheet.rows, table)
        if score >= MIN_SCORE:
            candidates.append((sheet, row))
    if not candidates:
        expected = "、".join(table.labels.values())
        return None, 0, [problem("IMPORT_SHEET_MISSING", file_name, kind_label=kind_label, expected=expected)]
    active = [c for c in candidates if c[0].active]
    if len(candidates) == 1 or active:
        sheet, row = active[0] if active else candidates[0]
        others = [s.name for s, _ in candidates if s is not sheet]
        notes = []
        if others:
            notes.append(problem("IMPORT_SHEET_OTHERS", file_name, sheet.name, others="、".join(others)))
        return sheet, row, notes
    names = "、".join(f"“{s.name}”" for s, _ in candidates)
    return None, 0, [problem("IMPORT_SHEET_AMBIGUOUS", file_name, names=names)]
