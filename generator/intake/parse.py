"""Find the header in a messy sheet, read every data row and check it with the loader's schema.

Real sheets have a title row above the header, merged header cells, a 序号 column, blank rows and
cells typed every which way. The header is the row (among the first 30) that names the most fields;
rows after it are data. Each row is checked with :func:`generator.schema.kind.check_fields`, the
function the loader uses, then with the per-row kind rules (统一社会信用代码 check digit, unit,
date order, dictionaries). Problems point at cells: ``检查对象名录!C17``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.intake.catalog import Problem, problem
from generator.intake.cells import a1, header_text, is_blank, long_number, to_schema_value
from generator.intake.specs import Spec
from generator.intake.tables import Sheet
from generator.rules.uscc import check_uscc
from generator.schema.fields import Check, Text
from generator.schema.kind import check_fields

HEADER_SEARCH_ROWS = 30
IGNORED_HEADERS = {"序号", "行号"}
EXCEL_ERRORS = {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"}
SIDE_SHEETS = {"说明", "选项", "示例", "填表说明"}


@dataclass
class Row:
    data: dict
    excel_row: int


@dataclass
class Parsed:
    sheet: str = ""
    rows: list[Row] = field(default_factory=list)
    present: tuple[str, ...] = ()  # field names that had a column
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class Context:
    unit: str
    townships: tuple[str, ...] = ()
    categories: tuple[dict, ...] = ()  # county result_categories: {code, label, ...}


def _lookup(spec: Spec) -> dict[str, str]:
    out = {}
    for f in spec.fields:
        out[header_text(f.label)] = f.name
        out[f.name] = f.name
    for alias, name in spec.aliases.items():
        out.setdefault(header_text(alias), name)
    return out


def _score(row: list[object], lookup: dict[str, str]) -> int:
    return len({lookup[h] for h in (header_text(c) for c in row) if h in lookup})


def choose_sheet(sheets: list[Sheet], spec: Spec) -> tuple[Sheet | None, int]:
    """The sheet holding the data and the 0-based index of its header row."""
    lookup = _lookup(spec)
    best: tuple[int, int, int] | None = None  # (score, -sheet_index, header_row)
    for si, sheet in enumerate(sheets):
        if sheet.name in SIDE_SHEETS:
            continue
        preferred = 100 if sheet.name in (spec.sheet, spec.label) else 0
        for ri, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            score = _score(row, lookup)
            if score >= 2:
                cand = (score + preferred, -si, -ri)
                if best is None or cand > best:
                    best = cand
    if best is None:
        return None, 0
    return sheets[-best[1]], -best[2]


class _CellCheck(Check):
    csv = True

    def __init__(self, where_of, problems: list[Problem]):
        self.where_of, self.problems = where_of, problems

    def report(self, code: str, path: tuple, value: object, **params: object) -> None:
        name = path[0] if path else params.get("field")
        self.problems.append(problem(code, self.where_of(name), value, **params))


def parse_sheets(sheets: list[Sheet], spec: Spec, ctx: Context, file_name: str) -> Parsed:
    sheet, header_index = choose_sheet(sheets, spec)
    if sheet is None:
        expected = "、".join(f.label for f in spec.fields)
        return Parsed(
            problems=[problem("IMPORT_SHEET_MISSING", file_name, kind_label=spec.label, expected=expected)]
        )
    out = Parsed(sheet=sheet.name)
    lookup = _lookup(spec)
    by_name = {f.name: f for f in spec.fields}
    columns: dict[int, str] = {}  # 0-based column -> field name
    seen: dict[str, int] = {}
    header_row = sheet.rows[header_index]
    for ci, cell in enumerate(header_row):
        text = header_text(cell)
        if not text or text in IGNORED_HEADERS:
            continue
        name = lookup.get(text)
        where = f"{sheet.name}!{a1(header_index + 1, ci + 1)}"
        if name is None:
            out.problems.append(
                problem(
                    "IMPORT_HEADER_UNKNOWN",
                    where,
                    cell,
                    kind_label=spec.label,
                    expected="、".join(f.label for f in spec.fields),
                )
            )
        elif name in seen:
            other = f"{sheet.name}!{a1(header_index + 1, seen[name] + 1)}"
            out.problems.append(problem("IMPORT_HEADER_DUPLICATE", where, cell, other=other))
        else:
            seen[name] = ci
            columns[ci] = name
    auto_unit = "unit" in by_name and "unit" not in seen  # a unit's own sheet need not repeat the unit
    for f in spec.fields:
        # A missing internal column is allowed: a public copy of the directory re-imported keeps the
        # existing values; only rows that are new need it (checked after merging).
        if (
            f.name not in seen
            and f.required
            and f.default is None
            and not f.internal
            and not (auto_unit and f.name == "unit")
        ):
            where = f"{sheet.name}!{header_index + 1}"
            out.problems.append(problem("IMPORT_HEADER_MISSING", where, "", label=f.label))
    out.present = tuple(f.name for f in spec.fields if f.name in seen) + (("unit",) if auto_unit else ())
    known = tuple(by_name[n] for n in out.present)
    blank = pending = 0  # blank rows inside the data; trailing ones (formatted template rows) are not news
    keys: dict[tuple, str] = {}
    cache: dict[str, dict] = {name: {} for name in columns.values()}
    for ri in range(header_index + 1, len(sheet.rows)):
        cells = sheet.rows[ri]
        excel_row = ri + 1
        if all(is_blank(cells[ci]) for ci in columns if ci < len(cells)):
            pending += 1
            continue
        blank, pending = blank + pending, 0

        def where_of(name, _row=excel_row):
            col = seen.get(name)
            return f"{sheet.name}!{a1(_row, col + 1)}" if col is not None else f"{sheet.name}!{_row}"

        raw = {}
        for ci, name in columns.items():
            value = cells[ci] if ci < len(cells) else None
            if type(value) is str and value.strip() in EXCEL_ERRORS:
                out.problems.append(
                    problem(
                        "IMPORT_CELL_INVALID",
                        where_of(name),
                        value,
                        detail="这是 Excel 公式的错误值",
                        hint="请检查该单元格的公式或直接填写数值。",
                    )
                )
                raw[name] = None
                continue
            if type(value) is str:
                # Directories repeat values (types, townships, statuses): convert each text once.
                memo = cache[name]
                if value not in memo:
                    memo[value] = to_schema_value(by_name[name], value) if len(memo) < 100_000 else None
                    if memo[value] is None:
                        del memo[value]
                        raw[name] = to_schema_value(by_name[name], value)
                        continue
                raw[name] = memo[value]
                continue
            if long_number(value) and isinstance(by_name[name].type, Text):
                out.problems.append(
                    problem("IMPORT_NUMBER_PRECISION", where_of(name), value, label=by_name[name].label)
                )
            raw[name] = to_schema_value(by_name[name], value)
        if auto_unit:
            raw["unit"] = ctx.unit
        data = check_fields(known, raw, (), _CellCheck(where_of, out.problems), spec.label)
        for f in spec.fields:
            if f.name not in out.present and f.default is not None:
                data.setdefault(f.name, f.default)
        _row_rules(spec, data, raw, ctx, where_of, out.problems)
        key = spec.row_key(data)
        if all(key):
            label = by_name[spec.key[-1]].label if spec.kind == "results" else by_name[spec.key[0]].label
            shown = "、".join(key)
            if key in keys:
                out.problems.append(
                    problem(
                        "IMPORT_ID_DUPLICATE", where_of(spec.key[-1]), shown, label=label, other=keys[key]
                    )
                )
            else:
                keys[key] = where_of(spec.key[-1])
        out.rows.append(Row(data, excel_row))
    if blank:
        out.problems.append(problem("IMPORT_ROWS_SKIPPED", sheet.name, blank))
    if not out.rows:
        out.problems.append(problem("IMPORT_NO_ROWS", sheet.name))
    return out


def _row_rules(spec: Spec, data: dict, raw: dict, ctx: Context, where_of, problems: list[Problem]) -> None:
    """Rules that need only this row (and county.yaml's dictionaries)."""
    if spec.kind == "objects":
        if data.get("id") and data.get("id_kind", "统一社会信用代码") == "统一社会信用代码":
            normalised, bad, expected = check_uscc(str(raw.get("id")))
            if bad == "check":
                problems.append(
                    problem(
                        "USCC_CHECK_DIGIT",
                        where_of("id"),
                        normalised,
                        expected=expected,
                        found=normalised[17],
                    )
                )
                data.pop("id", None)
            elif bad:
                problems.append(problem("USCC_FORMAT", where_of("id"), normalised, detail=bad))
                data.pop("id", None)
            elif normalised != data["id"]:
                problems.append(
                    problem("USCC_NORMALISED", where_of("id"), raw.get("id"), expected=normalised)
                )
                data["id"] = normalised
        township = data.get("township")
        if township and ctx.townships and township not in ctx.townships:
            problems.append(
                problem(
                    "IMPORT_TOWNSHIP_UNKNOWN",
                    where_of("township"),
                    township,
                    expected="、".join(ctx.townships),
                )
            )
    if spec.kind in ("inspectors", "assistants") and data.get("unit") and data["unit"] != ctx.unit:
        label = next(f.label for f in spec.fields if f.name == "unit")
        problems.append(
            problem("IMPORT_UNIT_MISMATCH", where_of("unit"), data["unit"], label=label, unit=ctx.unit)
        )
    pairs = {
        "inspectors": ("badge_valid_from", "badge_valid_to"),
        "items": ("effective_from", "effective_to"),
        "results": ("inspected_on", "entered_on"),
    }
    if spec.kind in pairs:
        first, last = pairs[spec.kind]
        if data.get(first) and data.get(last) and data[last] < data[first]:
            labels = {f.name: f.label for f in spec.fields}
            problems.append(
                problem(
                    "IMPORT_DATE_ORDER",
                    where_of(last),
                    data[last].isoformat(),
                    label=labels[last],
                    other_label=labels[first],
                    other=data[first].isoformat(),
                )
            )
    if spec.kind == "items" and data.get("category") == "一般" and not raw.get("ratio_cap"):
        problems.append(problem("ITEM_RATIO_CAP_MISSING", where_of("ratio_cap"), data.get("code", "")))
    if spec.kind == "results" and ctx.categories and data.get("categories"):
        by_code = {str(c.get("code")): str(c.get("code")) for c in ctx.categories}
        by_label = {str(c.get("label")): str(c.get("code")) for c in ctx.categories}
        mapped = []
        for value in data["categories"]:
            code = by_code.get(value) or by_label.get(value)
            if code is None:
                expected = "、".join(f"{c.get('code')} {c.get('label')}" for c in ctx.categories)
                problems.append(
                    problem("IMPORT_CATEGORY_UNKNOWN", where_of("categories"), value, expected=expected)
                )
            elif code not in mapped:
                mapped.append(code)
        data["categories"] = mapped
