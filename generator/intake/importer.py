"""``import``: read a spreadsheet, check every row, and write records only if all rows pass.

All or nothing: the new file texts are computed in memory; if any error was found nothing is
written, otherwise each file goes to a temporary sibling and is moved into place with os.replace.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator import bounded
from generator.corpus import load_file
from generator.errors import Findings
from generator.intake.catalog import Problem, problem
from generator.intake.parse import Context, Parsed, Row, parse_sheets
from generator.intake.specs import CSV_STORE, ITEMS_STORE, SPECS, Spec
from generator.intake.store import (
    Counts,
    canon,
    dump_yaml,
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


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    files: dict[Path, str] = field(default_factory=dict)
    sheet: str = ""
    written: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def county_context(records: Path, unit: str) -> Context:
    path = records / "county.yaml"
    if not path.is_file():
        return Context(unit)
    try:
        text = bounded.read_bytes(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, bounded.FileRefused):
        return Context(unit)
    found = load_file(BY_NAME["county"], text, str(path), {}, Findings())
    data = found[0].data if found else {}
    return Context(unit, tuple(data.get("townships", ())), tuple(data.get("result_categories", ())))


def plan_import(
    path: Path, kind: str, unit: str, records: Path, today: dt.date | None = None
) -> ImportResult:
    """Everything an import would do, without writing: problems, counts and new file texts."""
    spec = SPECS[kind]
    sheets, problems = read_tables(path)
    result = ImportResult(problems=list(problems))
    if not sheets:
        return result  # unreadable file: nothing more to say
    parsed = parse_sheets(sheets, spec, county_context(records, unit), path.name)
    result.problems.extend(parsed.problems)
    result.sheet = parsed.sheet
    if parsed.errors:
        return result
    today = today or dt.date.today()
    if spec.store == CSV_STORE:
        target = records / spec.relpath(unit)
        existing = _read(target)
        merge = merge_csv(
            kind, spec.fields, spec.key, existing, [r.data for r in parsed.rows], parsed.present, str(target)
        )
        result.counts = merge.counts
        _new_rows_need_internal(spec, parsed, set(merge.added_keys), result)
        if result.errors:
            return result
        if merge.text != existing:
            result.files[target] = merge.text
    elif spec.store == ITEMS_STORE:
        _merge_items(spec, parsed, unit, records, today, result)
    else:
        _merge_results(spec, parsed, unit, records, result)
    return result


def _new_rows_need_internal(spec: Spec, parsed: Parsed, added: set[tuple], result: ImportResult) -> None:
    missing = [
        f
        for f in spec.fields
        if f.internal and f.required and f.default is None and f.name not in parsed.present
    ]
    for row in parsed.rows if missing else []:
        if spec.row_key(row.data) in added:
            for f in missing:
                result.problems.append(
                    problem("IMPORT_HEADER_MISSING", f"{parsed.sheet}!{row.excel_row}", "", label=f.label)
                )


def import_file(
    path: Path, kind: str, unit: str, records: Path, today: dt.date | None = None
) -> ImportResult:
    result = plan_import(path, kind, unit, records, today)
    if not result.errors and result.files:
        write_atomically(result.files)
        result.written = True
    return result


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


def _merge_items(spec: Spec, parsed: Parsed, unit: str, records: Path, today: dt.date, result: ImportResult):
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
    for key in sorted(new_by_key):
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
