"""Import of the plan kind (年度抽查计划, issue 16): one row per plan entry; a year's plan is created or
replaced whole, the diff names entries added, changed and removed; the repository-level check refuses
an item outside the listed units' lists, a ratio over the item's cap, a removed entry a task still uses."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from generator.cli import main
from generator.intake import import_file, plan_import
from generator.intake.specs import SPECS
from tests.support.tree import BASE

PLAN = "units/market/plans/2026.yaml"
TODAY = dt.date(2026, 1, 25)
ENTRY_01 = {
    "year": 2026,
    "filed_on": "2026-01-20",
    "id": "P2026-market-01",
    "name": "学校食堂食品安全部门联合抽查",
    "type": "部门联合",
    "initiator": "market",
    "participants": "market;health",
    "items": "SCJG-01;WJ-01",
    "object_scope": "全县学校食堂",
    "ratio": "30%",
    "from": "2026-05-01",
    "to": "2026-06-30",
}
ENTRY_02 = {
    "year": 2026,
    "id": "P2026-market-02",
    "name": "营业执照规范使用抽查",
    "type": "本部门",
    "initiator": "market",
    "participants": "market",
    "items": "SCJG-02",
    "object_scope": "全县企业",
    "ratio": "3%",
    "count": 6,
    "frequency": 2,
    "from": "2026-09-01",
    "to": "2026-10-31",
    "A": "1%",
    "D": "5%",
}


@pytest.fixture
def records(tmp_path) -> Path:
    root = tmp_path / "records"
    shutil.copytree(BASE, root)
    return root


def sheet(tmp_path: Path, rows: list[dict], name: str = "plan.xlsx") -> Path:
    fields = SPECS["plans"].fields
    wb = Workbook()
    ws = wb.active
    ws.title = "年度抽查计划"
    ws.append([f.label for f in fields])
    for row in rows:
        ws.append([row.get(f.name, "") for f in fields])
    path = tmp_path / name
    wb.save(path)
    return path


def codes(result) -> list[tuple[str, str]]:
    return [(p.code, p.where) for p in result.errors]


def test_a_plan_sheet_replaces_the_years_plan_whole(records, tmp_path):
    result = import_file(sheet(tmp_path, [ENTRY_01, ENTRY_02]), "plans", "market", records, TODAY)

    assert codes(result) == []
    assert (result.counts.added, result.counts.changed, result.counts.removed) == (1, 1, 0)
    diff = [(c.action, c.key, c.where) for c in result.changes]
    assert diff == [
        ("changed", "P2026-market-01", "年度抽查计划!2"),
        ("added", "P2026-market-02", "年度抽查计划!3"),
    ]
    assert result.changes[0].fields == [("抽查比例", "40%", "30%")]
    written = yaml.safe_load((records / PLAN).read_text(encoding="utf-8"))
    assert (written["id"], written["year"], written["unit"]) == ("PLAN-2026-market", 2026, "market")
    assert written["filed_on"] == dt.date(2026, 1, 20)
    assert written["entries"][1] == {
        "id": "P2026-market-02",
        "name": "营业执照规范使用抽查",
        "type": "本部门",
        "initiator": "market",
        "participants": ["market"],
        "items": ["SCJG-02"],
        "object_scope": "全县企业",
        "ratio": "3%",
        "count": 6,
        "risk_ratios": {"A": "1%", "D": "5%"},
        "frequency": 2,
        "window": {"from": dt.date(2026, 9, 1), "to": dt.date(2026, 10, 31)},
    }
    # Importing the same sheet again changes nothing; without 备案日期 the plan keeps its filing date.
    again = plan_import(sheet(tmp_path, [{**ENTRY_01, "filed_on": ""}, ENTRY_02]), "plans", "market", records)
    assert (again.counts.same, again.files) == (2, {})
    moved = {**ENTRY_02, "to": "2026-11-15", "D": "", "B": "2%"}
    again = plan_import(sheet(tmp_path, [ENTRY_01, moved]), "plans", "market", records, TODAY)
    assert again.changes[0].fields == [
        ("按信用风险分类的比例", "A 1%；D 5%", "A 1%；B 2%"),
        ("检查期限", "2026-09-01 至 2026-10-31", "2026-09-01 至 2026-11-15"),
    ]


def test_columns_the_sheet_lacks_keep_the_entrys_values(records, tmp_path):
    """A sheet without the optional columns (平台计划编号, A–D类比例, 频次, 备注: an older template, or
    columns a clerk deleted as 可不填) says nothing about them: the entry keeps them, like every other
    kind's merge. Only a cell left blank in a column the sheet has clears a value."""
    full = {**ENTRY_02, "platform_no": "JH-2026-002", "note": "按投诉热点调整"}
    assert codes(import_file(sheet(tmp_path, [ENTRY_01, full]), "plans", "market", records, TODAY)) == []
    before = yaml.safe_load((records / PLAN).read_text(encoding="utf-8"))["entries"][1]
    lacking = ("platform_no", "A", "B", "C", "D", "frequency", "note", "count")
    fields = [f for f in SPECS["plans"].fields if f.name not in lacking]
    wb = Workbook()
    ws = wb.active
    ws.title = "年度抽查计划"
    ws.append([f.label for f in fields])
    for row in (ENTRY_01, {**full, "ratio": "4%"}):
        ws.append([row.get(f.name, "") for f in fields])
    path = tmp_path / "narrow.xlsx"
    wb.save(path)

    result = import_file(path, "plans", "market", records, TODAY)

    assert codes(result) == []
    assert [(c.key, c.fields) for c in result.changes] == [("P2026-market-02", [("抽查比例", "3%", "4%")])]
    after = yaml.safe_load((records / PLAN).read_text(encoding="utf-8"))["entries"][1]
    assert after == {**before, "ratio": "4%"}
    assert (after["platform_no"], after["risk_ratios"], after["frequency"], after["count"]) == (
        "JH-2026-002",
        {"A": "1%", "D": "5%"},
        2,
        6,
    )


def test_a_changed_filing_date_is_shown_in_the_diff(records, tmp_path):
    """备案日期 decides whether a plan was filed late (report, validate): a sheet that moved it back
    rewrote the plan while the summary said 修改 0 条, 未变 1 条 and listed no change."""
    result = import_file(
        sheet(tmp_path, [{**ENTRY_01, "ratio": "40%", "filed_on": "2026-01-05"}]),
        "plans",
        "market",
        records,
        TODAY,
    )

    assert codes(result) == []
    assert [(c.action, c.key, c.where, c.fields) for c in result.changes] == [
        ("changed", "PLAN-2026-market", PLAN, [("备案日期", "2026-01-20", "2026-01-05")])
    ]
    assert yaml.safe_load((records / PLAN).read_text(encoding="utf-8"))["filed_on"] == dt.date(2026, 1, 5)


def test_a_new_year_is_created_and_filed_on_defaults_to_the_import_day(records, tmp_path):
    rows = [{**ENTRY_02, "year": 2027, "id": "P2027-market-01", "from": "2027-03-01", "to": "2027-03-31"}]
    result = import_file(sheet(tmp_path, rows), "plans", "market", records, dt.date(2027, 1, 10))
    assert codes(result) == []
    written = yaml.safe_load((records / "units/market/plans/2027.yaml").read_text(encoding="utf-8"))
    assert written["filed_on"] == dt.date(2027, 1, 10)
    assert [e["id"] for e in written["entries"]] == ["P2027-market-01"]


def test_an_entry_left_out_is_removed_and_refused_while_a_task_uses_it(records, tmp_path):
    before = (records / PLAN).read_bytes()
    result = import_file(sheet(tmp_path, [ENTRY_02]), "plans", "market", records, TODAY)
    assert ("removed", "P2026-market-01", PLAN) in [(c.action, c.key, c.where) for c in result.changes]
    # the county joint plan and the task both still name the entry: refused, each at file:line
    assert [(p.code, p.where) for p in result.errors] == [
        ("REF_UNKNOWN", "joint/plans/2026.yaml:5"),
        ("REF_UNKNOWN", "units/market/tasks/T2026-market-01.yaml:5"),
    ]
    assert (records / PLAN).read_bytes() == before, "nothing written"


def test_an_item_outside_the_units_lists_is_refused_at_its_cell(records, tmp_path):
    row = {**ENTRY_01, "participants": "market"}  # WJ-01 is health's item, health no longer takes part
    result = plan_import(sheet(tmp_path, [row]), "plans", "market", records, TODAY)
    assert codes(result) == [("IMPORT_PLAN_ITEM_NOT_OWN", "年度抽查计划!J2")]
    assert result.errors[0].value == "WJ-01"
    assert "market" in result.errors[0].message and "事项清单" in result.errors[0].message


def test_a_ratio_over_the_items_cap_is_refused_at_its_cell(records, tmp_path):
    result = plan_import(
        sheet(tmp_path, [ENTRY_01, {**ENTRY_02, "ratio": "8%"}]), "plans", "market", records, TODAY
    )
    assert codes(result) == [("ITEM_RATIO_CAP_EXCEEDED", "年度抽查计划!L3")]


def test_an_entry_without_ratio_or_count_is_refused_at_the_ratio_cell(records, tmp_path):
    rows = [ENTRY_01, {**ENTRY_02, "ratio": "", "count": ""}]
    result = plan_import(sheet(tmp_path, rows), "plans", "market", records, TODAY)
    assert codes(result) == [("IMPORT_PLAN_NO_SIZE", "年度抽查计划!L3")]
    assert "至少填写一项" in result.errors[0].message


def test_two_filing_dates_in_one_years_plan_are_refused(records, tmp_path):
    rows = [ENTRY_01, {**ENTRY_02, "filed_on": "2026-01-21"}]
    result = plan_import(sheet(tmp_path, rows), "plans", "market", records, TODAY)
    assert codes(result) == [("IMPORT_PLAN_FILED_ON_MISMATCH", "年度抽查计划!3")]


def test_cli_dry_run_says_the_plan_is_replaced_whole(records, tmp_path, capsys):
    before = (records / PLAN).read_bytes()
    path = sheet(tmp_path, [ENTRY_01, ENTRY_02])
    argv = [
        "import",
        str(path),
        "--kind",
        "plans",
        "--unit",
        "market",
        "--records",
        str(records),
        "--dry-run",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "新增 1 条，修改 1 条，删除 0 条" in out and "整份替换" in out
    assert "新增 P2026-market-02（营业执照规范使用抽查）  [年度抽查计划!3]" in out
    assert "抽查比例：40% → 30%" in out
    assert (records / PLAN).read_bytes() == before, "a dry run writes nothing"


def test_a_unit_cannot_file_another_units_entries(records, tmp_path):
    """Who controls the sheet: the uploading unit. It must not write health's entries or a wrong year."""
    rows = [
        {**ENTRY_01, "id": "P2026-health-01"},
        {**ENTRY_02, "initiator": "health", "participants": "health;market"},
        {**ENTRY_02, "id": "P2025-market-03"},
    ]
    result = plan_import(sheet(tmp_path, rows), "plans", "market", records, TODAY)
    assert codes(result) == [
        ("IMPORT_PLAN_ENTRY_ID", "年度抽查计划!C2"),
        ("IMPORT_PLAN_NOT_INITIATOR", "年度抽查计划!G3"),
        ("IMPORT_PLAN_ENTRY_ID", "年度抽查计划!C4"),
    ]
    assert "P2026-market-01" in result.errors[0].message and result.files == {}
