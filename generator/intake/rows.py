"""Stage 4 of reading a sheet: which rows below the header are data.

Skipped, each with a note: blank rows inside the data (trailing ones are the template's formatted
empty rows and not news), footer rows (合计, 填表人：, 联系电话：, 审核人：…) and the template's own
example row (a row marked 示例, or the template's example values copied into the data sheet).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.intake.cells import clean_text, is_blank
from generator.intake.specs import SPECS, Spec
from generator.intake.store import cell_text

_FOOTER = re.compile(
    r"(?:合计|总计|小计|共计)(?:[:：\s\d]|$)"
    r"|(?:填表人|填报人|制表人|制表|审核人|审核|负责人|单位负责人|分管领导|联系人|联系电话|电话|"
    r"填表日期|填报日期|报送日期|备注|说明|注)\s*(?:[:：]|$)"
)
_EXAMPLE_MARKS = {"示例", "例", "样例", "示例行", "填写示例", "示例：", "例：", "(示例)", "（示例）"}


@dataclass
class RowNotes:
    blank: int = 0
    footer: list[int] = field(default_factory=list)  # Excel row numbers
    example: list[int] = field(default_factory=list)


def first_text(cells: list[object]) -> str:
    for cell in cells:
        if not is_blank(cell):
            return clean_text(str(cell))
    return ""


_FOOTER_STARTS = frozenset("合总小共填制审负分联电报备说注")


def is_footer(cells: list[object]) -> bool:
    for cell in cells:  # the first filled cell decides; a quick look at its first character first
        if not is_blank(cell):
            return (
                isinstance(cell, str)
                and cell.lstrip()[:1] in _FOOTER_STARTS
                and bool(_FOOTER.match(clean_text(cell)))
            )
    return False


def is_example(cells: list[object], columns: dict[int, str], spec: Spec) -> bool:
    """A row marked 示例, or one repeating the template's example in its key and every other filled
    column (a real row never matches the example's id, name and address all at once)."""
    key, example_key = _example_key(tuple(columns.items()), spec.kind)
    if key is not None and key < len(cells) and isinstance(cells[key], str) and cells[key] != example_key:
        if clean_text(cells[key]) != example_key:
            return first_text(cells) in _EXAMPLE_MARKS  # the common case: a real row, one comparison
    if first_text(cells) in _EXAMPLE_MARKS:
        return True
    matched = 0
    for ci, name in columns.items():
        value = cells[ci] if ci < len(cells) else None
        if is_blank(value) or name not in spec.example:
            continue
        if clean_text(str(value)) != clean_text(cell_text(spec.example[name])):
            return False
        matched += 1
    return matched >= 3 and all(
        k in columns.values() and not is_blank(cells[_col(columns, k)]) for k in spec.key[:1]
    )


@functools.lru_cache(maxsize=16)
def _example_key(columns: tuple[tuple[int, str], ...], kind: str) -> tuple[int | None, str]:
    spec = SPECS[kind]
    key = next((ci for ci, name in columns if name == spec.key[0]), None)
    return key, clean_text(cell_text(spec.example.get(spec.key[0])))


def _col(columns: dict[int, str], name: str) -> int:
    return next(ci for ci, n in columns.items() if n == name)


def _has_data(cells: list[object], columns: dict[int, str]) -> bool:
    """Whether any of the sheet's known columns holds something in this row."""
    width = len(cells)
    for ci in columns:
        if ci < width:
            value = cells[ci]
            if value is not None and not is_blank(value):
                return True
    return False


def rows_above_header(
    rows: list[list[object]], header_row: int, columns: dict[int, str], table
) -> list[tuple[int, str]]:
    """(Excel row, first value) of each row above the header that looks like a record, not a title.

    A clerk who inserts a row on row 1 pushes the header down; what is above the header is never
    imported. A title (one text, or a merged one filled across) or a 填报单位/日期 line has few
    distinct values; a record fills at least half of the header's columns (three or more) with
    distinct values. A second header row (one naming two fields or more) is a header, not a record."""
    from generator.intake.header import score

    need = max(3, (len(columns) + 1) // 2)
    found = []
    for ri in range(min(header_row, len(rows))):
        cells = rows[ri]
        values = {clean_text(str(cells[ci])) for ci in columns if ci < len(cells) and not is_blank(cells[ci])}
        if len(values) >= need and score(cells, table) < 2:
            found.append((ri + 1, first_text(cells)))
    return found


def data_rows(
    rows: list[list[object]], header_row: int, columns: dict[int, str], spec: Spec, notes: RowNotes
) -> Iterator[tuple[int, list[object]]]:
    """(Excel row number, cells) of every data row after ``header_row`` (0-based)."""
    pending = 0
    key, example_key = _example_key(tuple(columns.items()), spec.kind)
    for ri in range(header_row + 1, len(rows)):
        cells = rows[ri]
        footer = is_footer(cells)
        if footer:
            notes.footer.append(ri + 1)
            continue
        if not _has_data(cells, columns):
            pending += 1
            continue
        notes.blank, pending = notes.blank + pending, 0
        if key is not None and key < len(cells) and isinstance(cells[key], str) and cells[key] != example_key:
            if first_text(cells) not in _EXAMPLE_MARKS and clean_text(cells[key]) != example_key:
                yield ri + 1, cells  # the common case: not the example row (one comparison)
                continue
        if is_example(cells, columns, spec):
            notes.example.append(ri + 1)
            continue
        yield ri + 1, cells
