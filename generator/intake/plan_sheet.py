"""The plan kind of ``import``: a unit's annual random-inspection plan (年度抽查计划) as one sheet.

One row per plan entry. The entry's nested values are flat columns (检查开始日期/检查结束日期 for the
window, A类比例…D类比例 for the risk ratios); the plan-level 年度 and 备案日期 are columns too, so a
sheet needs no second table. Batches (批次安排) do not fit a row: they are edited in YAML and an
entry re-imported under the same 计划条目编号 keeps them.

A plan for a year is one record: the import creates or replaces units/<unit>/plans/<year>.yaml as a
whole, and the diff names every entry added, changed or removed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from pathlib import Path

from generator import bounded
from generator.corpus import load_file
from generator.errors import Findings
from generator.intake.catalog import problem
from generator.intake.cells import a1
from generator.intake.store import Counts, canon, cell_text, dump_yaml, yaml_record
from generator.records import BY_NAME
from generator.records import plans as plans_schema
from generator.records.common import UNIT_ID
from generator.schema.fields import Field, Ratio

ENTRY_FIELDS = plans_schema.ENTRY.fields
_WINDOW = next(f for f in ENTRY_FIELDS if f.name == "window").type.fields
RISK_CLASSES = ("A", "B", "C", "D")
WHOLE_PLAN_NOTE = "年度抽查计划按年度整份替换：表中没有的计划条目将从该年度计划中删除（见下面的“删除”行）。"
_NESTED = ("window", "risk_ratios", "batches")


def sheet_fields() -> tuple[Field, ...]:
    """The sheet's columns, derived from the plan record's field declarations."""
    kind = plans_schema.KIND
    year = kind.field_named("year")
    filed = dataclasses.replace(
        kind.field_named("filed_on"),
        label="备案日期",
        description="报县联席办备案的日期，可不填（默认为导入当天）。",
        required=False,
    )
    flat = [f for f in ENTRY_FIELDS if f.name not in _NESTED and f.name != "note"]
    window = [
        dataclasses.replace(f, label="检查" + f.label, description="计划检查期限的" + f.description)
        for f in _WINDOW
    ]
    risk = [
        Field(
            k,
            f"{k}类比例",
            f"信用风险 {k} 类对象的抽查比例（内部测算依据），可不填。",
            Ratio(),
            required=False,
        )
        for k in RISK_CLASSES
    ]
    note = next(f for f in ENTRY_FIELDS if f.name == "note")
    return (year, filed, *flat, *window, *risk, note)


def relpath(unit: str, year: str) -> str:
    return f"units/{unit}/plans/{year}.yaml"


def entry_of(data: dict, old: dict | None, present: tuple[str, ...] | None = None) -> dict:
    """A sheet row as a plan entry; an old entry's batches are kept (they have no columns), and so
    is every value whose column the sheet lacks (``present``: the field names that had a column).
    A sheet without 平台计划编号 or A–D类比例 says nothing about them; only a blank cell clears."""
    old = old or {}
    has = (lambda name: True) if present is None else (lambda name: name in present)
    entry = {
        f.name: data.get(f.name) if has(f.name) or f.name not in old else old[f.name]
        for f in ENTRY_FIELDS
        if f.name not in _NESTED
    }
    old_window = old.get("window") if isinstance(old.get("window"), dict) else {}
    entry["window"] = {k: data.get(k) if has(k) else old_window.get(k) for k in ("from", "to")}
    old_risk = old.get("risk_ratios") if isinstance(old.get("risk_ratios"), dict) else {}
    risk = {k: data.get(k) if has(k) else old_risk.get(k) for k in RISK_CLASSES}
    entry["risk_ratios"] = {k: v for k, v in risk.items() if v is not None}
    entry["batches"] = old.get("batches", [])
    ordered = {f.name: entry.get(f.name) for f in ENTRY_FIELDS}
    return yaml_record(ENTRY_FIELDS, ordered)


def merge_plans(
    spec, parsed, unit: str, records: Path, today: dt.date, result, change, own_items=True
) -> None:
    """Group rows by 年度; each year's plan is created or replaced whole. ``change`` builds a diff row;
    ``own_items`` (part of the repository-level check) looks up the units' item lists."""
    by_year: dict[int, list] = {}
    for row in parsed.rows:
        by_year.setdefault(row.data["year"], []).append(row)
    labels = {f.name: f.label for f in ENTRY_FIELDS}
    for year in sorted(by_year):
        rows = by_year[year]
        target = records / relpath(unit, str(year))
        old_doc = _existing(target)
        # a re-import without a 备案日期 keeps the plan's filing date; a new plan is filed today
        filed = _one_filed_on(rows, parsed.sheet, result) or old_doc.get("filed_on") or today
        _check_owner(rows, unit, year, parsed, result)
        if own_items:
            _check_own_items(rows, unit, records, parsed, result)
        old_entries = {e.get("id"): e for e in old_doc.get("entries", []) if isinstance(e, dict)}
        counts, entries = Counts(), []
        for row in rows:
            eid = row.data.get("id")
            old = old_entries.pop(eid, None)
            entry = entry_of(row.data, old, parsed.present)
            entries.append(entry)
            where = f"{parsed.sheet}!{row.excel_row}"
            name = str(entry.get("name", ""))
            if old is None:
                counts.added += 1
                result.changes.append(change("added", eid, where, name))
            elif canon(ENTRY_FIELDS, entry) == canon(ENTRY_FIELDS, old):
                counts.same += 1
            else:
                counts.changed += 1
                result.changes.append(change("changed", eid, where, name, _changes(old, entry, labels)))
        rel = relpath(unit, str(year))
        if old_doc.get("filed_on") and filed != old_doc["filed_on"]:  # decides 逾期备案: never unsaid
            shown = [("备案日期", cell_text(old_doc["filed_on"]), cell_text(filed))]
            result.changes.append(change("changed", f"PLAN-{year}-{unit}", rel, "", shown))
        for eid, old in old_entries.items():
            counts.removed += 1
            result.changes.append(change("removed", str(eid), rel, str(old.get("name", ""))))
        result.counts.add(counts)
        doc = {"id": f"PLAN-{year}-{unit}", "year": year, "unit": unit, "filed_on": filed, "entries": entries}
        if old_doc.get("note"):
            doc["note"] = old_doc["note"]
        text = "# 单位年度抽查计划（由导入生成，整份替换）。\n" + dump_yaml(doc)
        if result.errors:
            continue  # nothing to write for a plan that fails (a dry run shows no file either)
        if counts.added or counts.changed or counts.removed or filed != old_doc.get("filed_on"):
            result.files[target] = text


def _changes(old: dict, new: dict, labels: dict[str, str]) -> list[tuple[str, str, str]]:
    """(label, old text, new text) of each entry field that differs, nested values written out."""
    out = []
    for f in ENTRY_FIELDS:
        a, b = canon(ENTRY_FIELDS, {f.name: old.get(f.name)}), canon(ENTRY_FIELDS, {f.name: new.get(f.name)})
        if a != b:
            out.append((labels[f.name], _text(old.get(f.name)), _text(new.get(f.name))))
    return out


def _text(value: object) -> str:
    if isinstance(value, dict) and set(value) == {"from", "to"}:
        return f"{cell_text(value['from'])} 至 {cell_text(value['to'])}"
    if isinstance(value, dict):
        return "；".join(f"{k} {cell_text(v)}" for k, v in value.items())
    return cell_text(value)


def _one_filed_on(rows, sheet: str, result) -> dt.date | None:
    """The 备案日期 of a year: one date for the whole plan."""
    dates = [(r, r.data.get("filed_on")) for r in rows if r.data.get("filed_on")]
    first = dates[0][1] if dates else None
    for row, day in dates:
        if day != first:
            where = f"{sheet}!{row.excel_row}"
            result.problems.append(problem("IMPORT_PLAN_FILED_ON_MISMATCH", where, day, expected=first))
    return first


def _check_owner(rows, unit: str, year: int, parsed, result) -> None:
    """A unit files its own entries: ids in its own namespace of that year, and it initiates them
    (alone or as a co-initiator), so one unit's upload cannot write another unit's plan entries."""
    prefix = f"P{year}-{unit}-"
    for row in rows:
        at = row.excel_row
        eid = str(row.data.get("id", ""))
        if not re.fullmatch(re.escape(prefix) + r"\d{2,3}", eid):
            where = f"{parsed.sheet}!{_a1(at, parsed.columns.get('id'))}"
            result.problems.append(problem("IMPORT_PLAN_ENTRY_ID", where, eid, expected=prefix + "01"))
        if row.data.get("ratio") is None and row.data.get("count") is None:
            where = f"{parsed.sheet}!{_a1(at, parsed.columns.get('ratio'))}"
            result.problems.append(problem("IMPORT_PLAN_NO_SIZE", where, ""))
        starters = [row.data.get("initiator"), *row.data.get("co_initiators", [])]
        if unit not in starters:
            where = f"{parsed.sheet}!{_a1(at, parsed.columns.get('initiator'))}"
            result.problems.append(
                problem("IMPORT_PLAN_NOT_INITIATOR", where, row.data.get("initiator"), unit=unit)
            )


def _check_own_items(rows, unit: str, records: Path, parsed, result) -> None:
    """Each item must be on the list of the unit or of one of the entry's participant units."""
    cache: dict[str, set[str]] = {}
    col = parsed.columns.get("items")
    for row in rows:
        owners = [unit, *row.data.get("participants", []), *row.data.get("co_initiators", [])]
        own = set().union(*(_unit_items(records, u, cache) for u in owners))
        for code in row.data.get("items", []):
            if code not in own:
                where = f"{parsed.sheet}!{_a1(row.excel_row, col)}"
                shown = "、".join(dict.fromkeys(u for u in owners if re.fullmatch(UNIT_ID, u)))
                result.problems.append(problem("IMPORT_PLAN_ITEM_NOT_OWN", where, code, units=shown))


def _a1(row: int, col: int | None) -> str:
    return a1(row, col + 1) if col is not None else str(row)


def _unit_items(records: Path, unit: str, cache: dict[str, set[str]]) -> set[str]:
    if unit not in cache:
        codes: set[str] = set()
        if re.fullmatch(UNIT_ID, unit):  # no path from an unchecked value
            path = records / "units" / unit / "items.yaml"
            text = _read(path)
            if text:
                # one record per item of the list
                codes.update(
                    str(r.data.get("code"))
                    for r in load_file(BY_NAME["items"], text, str(path), {}, Findings())
                )
        cache[unit] = codes
    return cache[unit]


def _existing(path: Path) -> dict:
    text = _read(path)
    if not text:
        return {}
    found = load_file(BY_NAME["plans"], text, str(path), {}, Findings())
    return found[0].data if found else {}


def _read(path: Path) -> str | None:
    if not os.path.lexists(path):
        return None
    return bounded.read_bytes(path).decode("utf-8-sig").replace("\r\n", "\n")
