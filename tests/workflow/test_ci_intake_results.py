"""``ci intake`` for results (issue 16): a 检查结果 sheet for one task lands in that task's results file
of the uploading unit; the draw binding is checked (errors, no commit); a late entry is flagged in the
comment, at its sheet row, and still recorded (the 10-working-day rule is a warning, not a refusal)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from generator.corpus import load
from generator.intake.export import export_records
from tests.workflow.gitutil import git
from tests.workflow.intake_util import intake, make_intake_repo, upload

RESULTS = "records/units/health/results/T2026-market-01.yaml"
UPLOAD = "inbox/health/检查结果.xlsx"


@pytest.fixture
def setup(tmp_path, full_tree_master):
    """A repository whose health unit has not yet entered its results, and those results as a sheet."""
    records = tmp_path / "records"
    shutil.copytree(full_tree_master, records)
    sheet = tmp_path / "检查结果.xlsx"
    export_records("results", load(records), "health", sheet)
    entered = yaml.safe_load((records / "units/health/results/T2026-market-01.yaml").read_text("utf-8"))
    (records / "units/health/results/T2026-market-01.yaml").unlink()
    work, remote = make_intake_repo(tmp_path / "git", records)
    return work, remote, sheet, entered


def edited(sheet: Path, column: str, values: dict[int, object]) -> bytes:
    wb = load_workbook(sheet)
    ws = wb["检查结果"]
    col = [c.value for c in ws[1]].index(column) + 1
    for row, value in values.items():
        ws.cell(row, col, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_results_land_in_the_task_file_and_a_late_entry_is_flagged_not_refused(setup, tmp_path):
    work, _, sheet, entered = setup
    upload(work, {UPLOAD: edited(sheet, "录入日期", {3: "2026-06-30"})})
    comment = tmp_path / "comment.md"

    assert intake(work, "--branch", "feature", "--push", comment=comment) == 0

    changed = git(work, "-c", "core.quotepath=off", "diff", "--name-status", "HEAD~1", "HEAD").splitlines()
    assert sorted(changed) == [f"A\t{RESULTS}", f"D\t{UPLOAD}"]
    written = yaml.safe_load((work / RESULTS).read_text(encoding="utf-8"))
    assert (written["task"], written["unit"], written["draw"]) == ("T2026-market-01", "health", "D2026-0001")
    late = {e["object"]: e for e in written["entries"]}["91321323HN2J1K6FM3"]
    assert str(late["entered_on"]) == "2026-06-30", "recorded as entered, not refused"
    expected = {e["object"]: e for e in entered["entries"]}
    expected["91321323HN2J1K6FM3"]["entered_on"] = late["entered_on"]
    by_object = {e["object"]: e for e in written["entries"]}
    assert sorted(by_object) == sorted(expected)
    for obj, entry in expected.items():  # the sheet's explicit 否 columns may be written out too
        assert {k: by_object[obj][k] for k in entry} == entry, obj
    text = comment.read_text(encoding="utf-8")
    assert "新增 4 条" in text
    flagged = re.findall(r"^(检查结果!\d+): 警告 (RESULT_[A-Z_]+) ", text, re.M)
    assert flagged == [("检查结果!3", "RESULT_ENTRY_LATE"), ("检查结果!3", "RESULT_PUBLICATION_LATE")], text
    assert "提示（不影响转换）" in text


def test_results_bound_to_another_draw_or_an_undrawn_object_are_refused(setup, tmp_path):
    work, remote, sheet, _ = setup
    data = edited(sheet, "抽取编号", {2: "D2026-0009", 3: "D2026-0009", 4: "D2026-0009", 5: "D2026-0009"})
    uploaded = upload(work, {UPLOAD: data})
    comment = tmp_path / "comment.md"

    assert intake(work, "--branch", "feature", "--push", comment=comment) == 1

    assert git(work, "rev-parse", "HEAD").strip() == uploaded and not (work / RESULTS).exists()
    text = comment.read_text(encoding="utf-8")
    found = set(re.findall(r"^(检查结果!\w+): 错误 ([A-Z_]+) ", text, re.M))
    assert found == {("检查结果!B2", "REF_UNKNOWN"), ("检查结果!B2", "RESULT_DRAW_OTHER_TASK")}, text
    assert "“D2026-0009”" in text

    (work / UPLOAD).unlink()
    git(work, "checkout", "-q", "--", ".")
    uploaded = upload(work, {UPLOAD: edited(sheet, "检查对象", {2: "91321323J3Y7LLJY18"})})
    assert intake(work, "--branch", "feature", comment=comment) == 1
    assert git(work, "rev-parse", "HEAD").strip() == uploaded
    assert re.search(r"^检查结果!C2: 错误 RESULT_NOT_DRAWN ", comment.read_text("utf-8"), re.M)
