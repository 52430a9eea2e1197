"""Read a spreadsheet into checked rows, in five small stages.

1. read sheet  — :mod:`generator.intake.tables` (bytes -> grids; hidden/active flags; exact numbers)
2. choose      — :mod:`generator.intake.choose` (which sheet, where its header is)
3. header      — :mod:`generator.intake.header` (header cells -> fields, synonyms, 是否指…)
4. rows        — :mod:`generator.intake.rows` (data rows; blank, footer and example rows skipped)
5. cells       — :mod:`generator.intake.cells` (cell -> schema value; codes, injections, synonyms)

Each row is then checked with :func:`generator.schema.kind.check_fields`, the function the loader
uses, and with the row rules of :mod:`generator.intake.checks`. Problems point at cells:
``检查对象名录!C17``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.intake.catalog import Problem, problem
from generator.intake.cells import READ_AS_TEXT, a1, is_blank, read_cell
from generator.intake.checks import row_rules
from generator.intake.choose import choose_sheet
from generator.intake.header import Header, HeaderTable, locate_header, resolve_header
from generator.intake.rows import RowNotes, data_rows, first_text, rows_above_header
from generator.intake.specs import Spec
from generator.intake.tables import Sheet
from generator.private_data import find
from generator.schema.fields import Check, FieldMemo
from generator.schema.kind import check_fields

EXAMPLE_SHEET = "示例"  # the template's example sheet (choose.SIDE_SHEETS, never read)
MEMO_LIMIT = 100_000  # distinct texts remembered per column (directories repeat types, townships)


@dataclass
class Row:
    data: dict
    excel_row: int


@dataclass
class Parsed:
    sheet: str = ""
    header_row: int = 0  # 1-based Excel row of the header
    rows: list[Row] = field(default_factory=list)
    present: tuple[str, ...] = ()  # field names that had a column
    columns: dict[str, int] = field(default_factory=dict)  # field name -> 0-based column
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class Context:
    unit: str
    townships: tuple[str, ...] = ()
    categories: tuple[dict, ...] = ()  # county result_categories: {code, label, ...}
    methods: tuple[str, ...] = ()  # county inspection_methods


class _CellCheck(Check):
    csv = True

    def __init__(self, where_of, problems: list[Problem]):
        self.where_of, self.problems = where_of, problems

    def report(self, code: str, path: tuple, value: object, **params: object) -> None:
        name = path[0] if path else params.get("field")
        self.problems.append(problem(code, self.where_of(name), value, **params))


def header_problems(sheet: Sheet, header: Header, spec: Spec) -> tuple[list[Problem], bool]:
    """Problems of the header row, and whether the unit column is implied (a unit's own sheet)."""
    out, row = [], header.row + 1
    for ci, text, near in header.unknown:
        hint = f"是否指“{near}”？如是，请把表头改为“{near}”。" if near else ""
        out.append(problem("IMPORT_HEADER_IGNORED", f"{sheet.name}!{a1(row, ci + 1)}", text, hint=hint))
    for ci, text, first in header.duplicates:
        other = f"{sheet.name}!{a1(row, first + 1)}"
        out.append(problem("IMPORT_HEADER_DUPLICATE", f"{sheet.name}!{a1(row, ci + 1)}", text, other=other))
    seen = header.seen
    auto_unit = any(f.name == "unit" for f in spec.fields) and "unit" not in seen
    near_of = {near: text for _, text, near in header.unknown if near}
    for f in spec.fields:
        # A missing internal column is allowed: a public copy of the directory re-imported keeps the
        # existing values; only rows that are new need it (checked after merging).
        if f.name in seen or not f.required or f.default is not None or f.internal:
            continue
        if auto_unit and f.name == "unit":
            continue
        hint = f"表头“{near_of[f.label]}”可能就是这一列，请改为“{f.label}”。" if f.label in near_of else ""
        out.append(problem("IMPORT_HEADER_MISSING", f"{sheet.name}!{row}", "", label=f.label, hint=hint))
    return out, auto_unit


def parse_book(
    sheets: list[Sheet], spec: Spec, ctx: Context, file_name: str, wanted: str | None = None
) -> Parsed:
    table = HeaderTable.of(spec.fields)
    sheet, header_index, problems = choose_sheet(sheets, table, spec.label, file_name, wanted)
    if sheet is None:
        return Parsed(problems=problems)
    problems = problems + _side_sheet_rows(sheets, sheet, table, spec)
    header = resolve_header(sheet.rows[header_index] if sheet.rows else [], table, header_index)
    out = Parsed(sheet=sheet.name, header_row=header_index + 1, problems=problems)
    found, auto_unit = header_problems(sheet, header, spec)
    out.problems.extend(found)
    by_name = {f.name: f for f in spec.fields}
    seen = out.columns = header.seen
    out.present = tuple(f.name for f in spec.fields if f.name in seen) + (("unit",) if auto_unit else ())
    known = tuple(by_name[n] for n in out.present)
    keys: dict[tuple, str] = {}
    # Per column: (index, field name, field, memo of converted texts); directories repeat values.
    columns = [(ci, name, by_name[name], {}) for ci, name in header.columns.items()]
    defaults = [
        (f.name, f.default) for f in spec.fields if f.name not in out.present and f.default is not None
    ]
    notes = RowNotes()
    checked_values = FieldMemo()
    header_cells = sheet.rows[header_index] if sheet.rows else []
    unnamed = [ci for ci, text in enumerate(header_cells) if is_blank(text)]
    stray: dict[int, list] = {}  # column without a header -> [cells with content, first row, first value]
    unseen_rows: list[int] = []
    wide: list[tuple[int, int]] = []  # (row, fields) of delimited rows longer than the header
    unseen_cols = {ci: 0 for ci in header.columns if ci in sheet.hidden_cols}  # hidden column -> filled cells
    for excel_row, cells in data_rows(sheet.rows, header_index, header.columns, spec, notes):
        if excel_row in sheet.hidden_rows:
            unseen_rows.append(excel_row)
        for ci in unseen_cols:
            if ci < len(cells) and not is_blank(cells[ci]):
                unseen_cols[ci] += 1
        if sheet.delimited and len(cells) > len(header_cells):
            if any(not is_blank(c) for c in cells[len(header_cells) :]):
                wide.append((excel_row, max(i for i, c in enumerate(cells) if not is_blank(c)) + 1))
            cells = cells[: len(header_cells)]  # the row is refused; its overflow is not a column
        if len(cells) > len(header_cells) or unnamed:
            _note_stray(cells, unnamed, len(header_cells), excel_row, stray)

        def where_of(name, _row=excel_row):
            col = seen.get(name)
            return f"{sheet.name}!{a1(_row, col + 1)}" if col is not None else f"{sheet.name}!{_row}"

        raw, bad = {}, []
        width = len(cells)
        for ci, name, f, memo in columns:
            value = cells[ci] if ci < width else None
            hit = memo.get(value) if type(value) is str else None
            if hit is None:
                hit = read_cell(f, value)
                if type(value) is str and len(memo) < MEMO_LIMIT:
                    memo[value] = hit
            converted, issue = hit
            if issue is not None:
                code, params = issue
                out.problems.append(problem(code, where_of(name), value, **params))
                if code not in READ_AS_TEXT:
                    bad.append(name)
                    continue
            raw[name] = converted
        if auto_unit:
            raw["unit"] = ctx.unit
        row_problems: list[Problem] = []
        data = check_fields(known, raw, (), _CellCheck(where_of, row_problems), spec.label, checked_values)
        if bad:  # one message per cell: a cell already reported is not "missing" as well
            bad_cells = {where_of(n) for n in bad}
            row_problems = [p for p in row_problems if p.where not in bad_cells]
        out.problems.extend(row_problems)
        for name, default in defaults:
            data.setdefault(name, default)
        row_rules(spec, data, raw, ctx, where_of, out.problems)
        _unique(spec, data, by_name, where_of, keys, out.problems)
        out.rows.append(Row(data, excel_row))
    _row_notes(sheet.name, notes, out)
    above = rows_above_header(sheet.rows, header_index, header.columns, table)
    if above:
        shown = "、".join(str(r) for r, _ in above[:10]) + ("……" if len(above) > 10 else "")
        where = f"{sheet.name}!{above[0][0]}"
        out.problems.append(
            problem("IMPORT_ROW_ABOVE_HEADER", where, above[0][1], rows=shown, header=out.header_row)
        )
    _unseen(sheet.name, out, unseen_rows, unseen_cols, header.columns, by_name)
    if wide:
        shown = "、".join(str(r) for r, _ in wide[:10]) + ("……" if len(wide) > 10 else "")
        where = f"{sheet.name}!{wide[0][0]}"
        out.problems.append(
            problem("IMPORT_ROW_TOO_WIDE", where, shown, count=wide[0][1], width=len(header_cells))
        )
    for ci, (count, row, value) in sorted(stray.items()):
        letter = a1(1, ci + 1)[:-1]
        if isinstance(value, str) and find(value):  # the message is printed, CI logs included
            value = "（疑似含手机号码或身份证号码，不显示）"
        out.problems.append(
            problem(
                "IMPORT_COLUMN_NO_HEADER",
                f"{sheet.name}!{a1(out.header_row, ci + 1)}",
                value,
                column=letter,
                count=count,
                first=f"{sheet.name}!{a1(row, ci + 1)}",
            )
        )
    return out


def _side_sheet_rows(sheets: list[Sheet], chosen: Sheet, table: HeaderTable, spec: Spec) -> list[Problem]:
    """Records typed into a visible 示例 sheet (never read): the template's 示例 sheet looks like a form,
    and rows typed under its example would vanish. Its own example row is not a record. (The 说明
    sheet lists the columns one per row: never a form.)"""
    found = []
    for other in sheets:
        if other is chosen or other.hidden or other.name.strip() != EXAMPLE_SHEET:
            continue
        row, score = locate_header(other.rows, table)
        if score < 2:
            continue
        columns = resolve_header(other.rows[row], table, row).columns
        typed = list(data_rows(other.rows, row, columns, spec, RowNotes()))
        if typed:
            rows = "、".join(str(r) for r, _ in typed[:10]) + ("……" if len(typed) > 10 else "")
            value = first_text(typed[0][1])
            where = f"{other.name}!{typed[0][0]}"
            found.append(
                problem("IMPORT_SIDE_SHEET_ROWS", where, value, rows=rows, data=chosen.name, sheet=other.name)
            )
    return found


def _unseen(sheet: str, out: Parsed, rows: list[int], cols: dict[int, int], columns, by_name) -> None:
    """Data the clerk could not see: rows hidden by hand or by a filter, hidden columns with values.
    Importing them would write what nobody looked at; which of them were meant is not ours to guess."""
    if rows:
        shown = "、".join(str(r) for r in rows[:10]) + ("……" if len(rows) > 10 else "")
        out.problems.append(problem("IMPORT_ROWS_HIDDEN", f"{sheet}!{rows[0]}", shown, count=len(rows)))
    for ci, count in sorted(cols.items()):
        if count:
            letter = a1(1, ci + 1)[:-1]
            where = f"{sheet}!{a1(out.header_row, ci + 1)}"
            label = by_name[columns[ci]].label
            out.problems.append(problem("IMPORT_COLUMNS_HIDDEN", where, letter, label=label, count=count))


def _note_stray(cells: list, unnamed: list[int], width: int, excel_row: int, stray: dict) -> None:
    """Count the cells with content in columns whose header cell is blank (or past the header's end):
    such a column is not imported, which must never go unsaid (a phone column with no header)."""
    for ci in [*unnamed, *range(width, len(cells))]:
        if ci < len(cells) and not is_blank(cells[ci]):
            entry = stray.setdefault(ci, [0, excel_row, cells[ci]])
            entry[0] += 1


def _unique(spec: Spec, data: dict, by_name, where_of, keys: dict, problems: list[Problem]) -> None:
    key = spec.row_key(data)
    if not all(key):
        return
    label = by_name[spec.key[-1]].label if spec.kind == "results" else by_name[spec.key[0]].label
    if key in keys:
        shown = "、".join(key)
        problems.append(
            problem("IMPORT_ID_DUPLICATE", where_of(spec.key[-1]), shown, label=label, other=keys[key])
        )
    else:
        keys[key] = where_of(spec.key[-1])


def _row_notes(sheet: str, notes: RowNotes, out: Parsed) -> None:
    if notes.blank:
        out.problems.append(problem("IMPORT_ROWS_SKIPPED", sheet, notes.blank))
    if notes.example:
        rows = "、".join(str(r) for r in notes.example[:10])
        out.problems.append(problem("IMPORT_ROW_EXAMPLE", f"{sheet}!{notes.example[0]}", rows))
    if notes.footer:
        rows = "、".join(str(r) for r in notes.footer[:10])
        out.problems.append(problem("IMPORT_ROW_FOOTER", f"{sheet}!{notes.footer[0]}", rows))
    if not out.rows:
        out.problems.append(problem("IMPORT_NO_ROWS", sheet))
