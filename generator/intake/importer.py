"""``import``: read a spreadsheet, check every row, and write records only if all rows pass.

All or nothing: the new file texts are computed in memory; if any error was found nothing is
written, otherwise each file goes to a temporary sibling and is moved into place with os.replace.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator import bounded
from generator.calendar import beijing_today
from generator.corpus import load_file
from generator.errors import Findings
from generator.intake.catalog import Problem, problem
from generator.intake.parse import Context, Parsed, Row, parse_book
from generator.intake.repo_check import Locator, as_problems, new_errors, references
from generator.intake.specs import CSV_STORE, ITEMS_STORE, PLANS_STORE, SPECS, Spec
from generator.intake.store import (
    Counts,
    canon,
    dump_yaml,
    field_changes,
    list_item_text,
    list_spans,
    merge_csv,
    overlay,
    write_atomically,
    yaml_record,
)
from generator.intake.tables import read_tables
from generator.records import BY_NAME
from generator.records import results as results_schema
from generator.records.common import UNIT_ID
from generator.records.objects import CLASSIFIED_KINDS


@dataclass
class Change:
    """One row of the diff a clerk reads: added, changed (with its fields) or removed."""

    action: str  # "added", "changed", "removed"
    key: str
    where: str  # 表名!行 for rows of the sheet, the record file for removed rows
    name: str = ""
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    files: dict[Path, str] = field(default_factory=dict)
    sheet: str = ""
    header_row: int = 0
    changes: list[Change] = field(default_factory=list)
    written: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def county_context(records: Path, unit: str) -> Context:
    path = records / "county.yaml"
    try:
        text = bounded.read_bytes(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, bounded.FileRefused):
        return Context(unit)
    found = load_file(BY_NAME["county"], text, str(path), {}, Findings())
    data = found[0].data if found else {}
    return Context(
        unit,
        tuple(data.get("townships", ())),
        tuple(data.get("result_categories", ())),
        tuple(data.get("inspection_methods", ())),
    )


def check_target(records: Path, unit: str) -> list[Problem]:
    """A records tree (county.yaml) and a unit that exists in it; no path is built from --unit before."""
    if not (records / "county.yaml").is_file():
        return [problem("IMPORT_NOT_RECORDS", str(records), str(records))]
    units = (
        sorted(p.name for p in (records / "units").iterdir() if p.is_dir())
        if (records / "units").is_dir()
        else []
    )
    if re.fullmatch(UNIT_ID, unit) and unit in units:
        return []
    near = difflib.get_close_matches(unit, units, n=1, cutoff=0.6)
    hint = f"是否指“{near[0]}”？" if near else ("现有单位：" + "、".join(units[:40]) + "。" if units else "")
    return [problem("IMPORT_UNIT_UNKNOWN", "--unit", unit, hint=hint)]


def plan_import(
    path: Path,
    kind: str,
    unit: str,
    records: Path,
    today: dt.date | None = None,
    sheet: str | None = None,
    replace: bool = False,
    check_repository: bool = True,
) -> ImportResult:
    """Everything an import would do, without writing: problems, counts, diff and new file texts."""
    spec = SPECS[kind]
    result = ImportResult(problems=check_target(records, unit))
    if result.errors:
        return result
    sheets, problems = read_tables(path)
    result.problems.extend(problems)
    if not sheets:
        return result  # unreadable file: nothing more to say
    parsed = parse_book(sheets, spec, county_context(records, unit), path.name, sheet)
    result.problems.extend(parsed.problems)
    result.sheet, result.header_row = parsed.sheet, parsed.header_row
    if parsed.errors:
        return result
    today = today or beijing_today()
    if spec.store == CSV_STORE:
        _merge_directory(spec, parsed, unit, records, replace, result)
    elif spec.store == ITEMS_STORE:
        _merge_items(spec, parsed, unit, records, today, replace, result)
    elif spec.store == PLANS_STORE:
        from generator.intake.plan_sheet import merge_plans  # a plan for a year is replaced whole

        merge_plans(spec, parsed, unit, records, today, result, Change, check_repository)
    else:
        _merge_results(spec, parsed, unit, records, result)
    if result.errors or not result.files or not check_repository:
        return result
    located = Locator(spec, parsed, records, result.files)
    result.problems.extend(as_problems(new_errors(records, result.files), located.where))
    return result


def _merge_directory(spec: Spec, parsed: Parsed, unit: str, records: Path, replace: bool, result) -> None:
    target = records / spec.relpath(unit)
    existing = _read(target)
    merge = merge_csv(
        spec.kind,
        spec.fields,
        spec.key,
        existing,
        [r.data for r in parsed.rows],
        parsed.present,
        str(target),
        replace=replace,
    )
    result.counts = merge.counts
    _new_rows_need_internal(spec, parsed, set(merge.added_keys), result)
    labels = {f.name: f.label for f in spec.fields}
    at = {spec.row_key(r.data): f"{parsed.sheet}!{r.excel_row}" for r in parsed.rows}
    name_of = {spec.row_key(r.data): str(r.data.get("name", "")) for r in parsed.rows}
    for k in merge.added_keys:
        result.changes.append(Change("added", "、".join(k), at.get(k, ""), name_of.get(k, "")))
    for k, fields in merge.changed_keys:
        shown = [(labels[n], old, new) for n, old, new in fields]
        result.changes.append(Change("changed", "、".join(k), at.get(k, ""), name_of.get(k, ""), shown))
    rel = spec.relpath(unit)
    for k in merge.removed_keys:
        result.changes.append(Change("removed", "、".join(k), rel, merge.removed_names.get(k, "")))
    if merge.removed_keys:
        refs = references(records, {k[0] for k in merge.removed_keys})
        for k in merge.removed_keys:
            if k[0] in refs:
                shown = "、".join(refs[k[0]][:5]) + (
                    f" 等 {len(refs[k[0]])} 处" if len(refs[k[0]]) > 5 else ""
                )
                result.problems.append(problem("IMPORT_REMOVE_REFERENCED", rel, k[0], refs=shown))
    if result.errors:
        return
    if merge.text != existing:
        result.files[target] = merge.text


def import_file(
    path: Path, kind: str, unit: str, records: Path, today: dt.date | None = None, **options
) -> ImportResult:
    """:func:`plan_import`, then write every file atomically if no error was found."""
    result = plan_import(path, kind, unit, records, today, **options)
    if not result.errors and result.files:
        write_atomically(result.files)
        result.written = True
    return result


# Internal fields required only for some rows: (kind, field) -> (field deciding, values needing it).
# The credit-risk class exists only for the subjects the classification covers (rules/risk.py).
CONDITIONAL_INTERNAL = {("objects", "credit_risk"): ("kind", CLASSIFIED_KINDS)}


def _new_rows_need_internal(spec: Spec, parsed: Parsed, added: set[tuple], result: ImportResult) -> None:
    missing = [
        f
        for f in spec.fields
        if f.internal
        and (f.required or (spec.kind, f.name) in CONDITIONAL_INTERNAL)
        and f.default is None
        and f.name not in parsed.present
    ]
    for row in parsed.rows if missing else []:
        if spec.row_key(row.data) in added:
            for f in missing:
                needed_for = CONDITIONAL_INTERNAL.get((spec.kind, f.name))
                if needed_for and row.data.get(needed_for[0]) not in needed_for[1]:
                    continue
                result.problems.append(
                    problem("IMPORT_HEADER_MISSING", f"{parsed.sheet}!{row.excel_row}", "", label=f.label)
                )


def _read(path: Path) -> str | None:
    """The file the import merges into; a link, FIFO, device or oversized file is refused
    (bounded.FileRefused), never read through nor silently replaced."""
    if not os.path.lexists(path):
        return None
    return bounded.read_bytes(path).decode("utf-8-sig").replace("\r\n", "\n")


def _splice(text: str, starts: list[int], end: int) -> tuple[list[str], list[str], list[str]]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    bounds = [s - 1 for s in starts] + [end - 1]
    chunks = ["".join(lines[bounds[i] : bounds[i + 1]]) for i in range(len(starts))]
    return lines[: starts[0] - 1], chunks, lines[end - 1 :]


def _merge_items(
    spec: Spec, parsed: Parsed, unit: str, records: Path, today: dt.date, replace: bool, result: ImportResult
):
    labels = {f.name: f.label for f in spec.fields}
    target = records / spec.relpath(unit)
    existing = _read(target)
    new_by_key = {spec.row_key(r.data): r for r in parsed.rows}
    counts = Counts()
    if not existing:
        counts.added = len(new_by_key)
        items = [yaml_record(spec.fields, new_by_key[k].data) for k in sorted(new_by_key)]
        result.files[target] = dump_yaml({"unit": unit, "updated_on": today, "items": items})
        result.counts = counts
        return
    recs = load_file(BY_NAME["items"], existing, str(target), {}, Findings())
    indent, starts, end = list_spans(existing, "items")
    if len(starts) != len(recs) or not starts:
        result.problems.append(
            problem(
                "IMPORT_FILE_UNREADABLE", str(target), detail="现有事项清单无法解析，请先运行 validate 修正"
            )
        )
        return
    head, chunks, tail = _splice(existing, starts, end)
    body: list[str] = []
    for rec, chunk in zip(recs, chunks, strict=True):
        key = spec.row_key(rec.data)
        row = new_by_key.pop(key, None)
        if row is None and not replace:
            counts.kept += 1
            body.append(chunk)
            continue
        if row is None:
            result.problems.append(
                problem(
                    "IMPORT_ITEM_REMOVED",
                    parsed.sheet,
                    rec.data.get("code"),
                    date=rec.data.get("effective_from"),
                )
            )
            body.append(chunk)
            continue
        merged = overlay(rec.data, row.data, parsed.present)
        if canon(spec.fields, merged) == canon(spec.fields, rec.data):
            counts.same += 1
            body.append(chunk)
        else:
            counts.changed += 1
            body.append(list_item_text(spec.fields, merged, indent))
            fields = [
                (labels[n], a, b) for n, a, b in field_changes(spec.fields, rec.data, merged, parsed.present)
            ]
            where = f"{parsed.sheet}!{row.excel_row}"
            result.changes.append(
                Change("changed", "、".join(key), where, str(merged.get("name", "")), fields)
            )
    for key in sorted(new_by_key):
        row = new_by_key[key]
        result.changes.append(
            Change("added", "、".join(key), f"{parsed.sheet}!{row.excel_row}", str(row.data.get("name", "")))
        )
        counts.added += 1
        body.append(list_item_text(spec.fields, new_by_key[key].data, indent))
    result.counts = counts
    if counts.added or counts.changed:
        stamp = f"updated_on: {today.isoformat()}"
        head = [re.sub(r"^updated_on:.*$", stamp, line) for line in head]
        tail = [re.sub(r"^updated_on:.*$", stamp, line) for line in tail]
        result.files[target] = "".join(head) + "".join(body) + "".join(tail)


ENTRY_FIELDS = results_schema.ENTRY.fields
_ENTRY_NAMES = [f.name for f in ENTRY_FIELDS]


def _merge_results(spec: Spec, parsed: Parsed, unit: str, records: Path, result: ImportResult):
    by_task: dict[str, list[Row]] = {}
    for row in parsed.rows:
        by_task.setdefault(row.data["task"], []).append(row)
    labels = {f.name: f.label for f in spec.fields}
    present = [n for n in parsed.present if n in _ENTRY_NAMES]
    for task in sorted(by_task):
        rows = by_task[task]
        target = records / spec.relpath(unit, task)
        existing = _read(target)
        draw = rows[0].data.get("draw")
        counts = Counts()
        entries_old: dict[str, dict] = {}
        if existing:
            recs = load_file(BY_NAME["results"], existing, str(target), {}, Findings())
            data = recs[0].data if recs else {}
            draw = data.get("draw", draw)
            entries_old = {e.get("object"): e for e in data.get("entries", [])}
        new_rows: list[Row] = []
        for row in rows:
            if row.data.get("draw") != draw:
                where = f"{parsed.sheet}!{row.excel_row}"
                result.problems.append(
                    problem(
                        "IMPORT_RESULT_DRAW_MISMATCH", where, row.data.get("draw"), task=task, expected=draw
                    )
                )
                continue
            entry = {k: v for k, v in row.data.items() if k in _ENTRY_NAMES}
            old = entries_old.get(entry.get("object"))
            if old is None:
                new_rows.append(row)
                continue
            merged = overlay(old, entry, present)
            diff = [
                labels[k]
                for k in _ENTRY_NAMES
                if k in labels
                and merged.get(k) != old.get(k)
                and canon(ENTRY_FIELDS, {k: merged.get(k)}) != canon(ENTRY_FIELDS, {k: old.get(k)})
            ]
            if diff:
                result.problems.append(
                    problem(
                        "IMPORT_RESULT_CHANGED",
                        f"{parsed.sheet}!{row.excel_row}",
                        entry.get("object"),
                        task=task,
                        fields="、".join(diff),
                    )
                )
            else:
                counts.same += 1
        counts.added = len(new_rows)
        new_rows.sort(key=lambda r: str(r.data.get("object")))
        for r in new_rows:
            key = f"{task}、{r.data.get('object')}"
            result.changes.append(Change("added", key, f"{parsed.sheet}!{r.excel_row}"))
        entries = [{k: v for k, v in r.data.items() if k in _ENTRY_NAMES} for r in new_rows]
        result.counts.add(counts)
        if not entries:
            continue
        if not existing:
            doc = {
                "task": task,
                "unit": unit,
                "draw": draw,
                "entries": [yaml_record(ENTRY_FIELDS, e) for e in entries],
            }
            result.files[target] = dump_yaml(doc)
            continue
        indent, starts, end = list_spans(existing, "entries")
        if not starts:
            result.problems.append(
                problem(
                    "IMPORT_FILE_UNREADABLE",
                    str(target),
                    detail="现有结果文件无法解析，请先运行 validate 修正",
                )
            )
            continue
        head, chunks, tail = _splice(existing, starts, end)
        added = "".join(list_item_text(ENTRY_FIELDS, e, indent) for e in entries)
        result.files[target] = "".join(head) + "".join(chunks) + added + "".join(tail)
