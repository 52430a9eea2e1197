"""``ci intake`` for plans (issue 16): a unit's 年度抽查计划 uploaded to inbox/<unit>/ becomes that year's
plan record on the branch (the upload removed, a comment with the entry diff); a plan naming an item
outside the units' lists gives no commit and a comment naming the cell."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml

from generator.cli.ci_steps.inbox import kind_of
from generator.intake.specs import SPECS
from generator.intake.templates import template_name, write_templates
from tests.workflow.gitutil import git
from tests.workflow.intake_util import intake, make_intake_repo, upload, xlsx

PLAN = "records/units/market/plans/2027.yaml"
UPLOAD = "inbox/market/2027年度抽查计划.xlsx"
ROW = {
    "year": 2027,
    "filed_on": "2027-01-18",
    "id": "P2027-market-01",
    "name": "2027 年学校食堂食品安全部门联合抽查",
    "type": "部门联合",
    "initiator": "market",
    "participants": "market;health",
    "items": "SCJG-01;WJ-01",
    "object_scope": "全县学校食堂",
    "ratio": "30%",
    "from": "2027-05-01",
    "to": "2027-06-30",
}


def plan_sheet(*rows: dict) -> bytes:
    fields = SPECS["plans"].fields
    return xlsx(
        [[f.label for f in fields], *([r.get(f.name, "") for f in fields] for r in rows)], "年度抽查计划"
    )


@pytest.fixture
def work(tmp_path, full_tree_master):
    records = tmp_path / "records"
    shutil.copytree(full_tree_master, records)
    return make_intake_repo(tmp_path / "git", records)[0]


def test_a_plan_upload_becomes_the_years_plan_record(work, tmp_path):
    upload(
        work,
        {
            UPLOAD: plan_sheet(
                ROW,
                {
                    **ROW,
                    "id": "P2027-market-02",
                    "name": "营业执照抽查",
                    "type": "本部门",
                    "participants": "market",
                    "items": "SCJG-02",
                    "ratio": "",
                    "count": 5,
                },
            )
        },
    )
    comment = tmp_path / "comment.md"

    assert intake(work, "--branch", "feature", "--push", comment=comment) == 0

    changed = git(work, "-c", "core.quotepath=off", "diff", "--name-status", "HEAD~1", "HEAD").splitlines()
    assert sorted(changed) == [f"A\t{PLAN}", f"D\t{UPLOAD}"]
    written = yaml.safe_load((work / PLAN).read_text(encoding="utf-8"))
    assert (written["id"], written["year"], written["unit"], written["filed_on"]) == (
        "PLAN-2027-market",
        2027,
        "market",
        dt.date(2027, 1, 18),
    )
    assert [(e["id"], e["items"], e.get("ratio"), e.get("count")) for e in written["entries"]] == [
        ("P2027-market-01", ["SCJG-01", "WJ-01"], "30%", None),
        ("P2027-market-02", ["SCJG-02"], None, 5),
    ]
    assert written["entries"][0]["window"] == {"from": dt.date(2027, 5, 1), "to": dt.date(2027, 6, 30)}
    text = comment.read_text(encoding="utf-8")
    assert "年度抽查计划，单位 market" in text and "新增 2 条" in text and "整份替换" in text
    assert "新增 P2027-market-01（2027 年学校食堂食品安全部门联合抽查）  [年度抽查计划!2]" in text


def test_a_plan_with_an_item_outside_the_units_lists_is_not_committed(work, tmp_path):
    uploaded = upload(work, {UPLOAD: plan_sheet({**ROW, "participants": "market"})})
    comment = tmp_path / "comment.md"

    assert intake(work, "--branch", "feature", "--push", comment=comment) == 1

    assert git(work, "rev-parse", "HEAD").strip() == uploaded and not (work / PLAN).exists()
    text = comment.read_text(encoding="utf-8")
    found = re.findall(r"^(年度抽查计划!\w+): 错误 ([A-Z_]+) (.*)$", text, re.M)
    assert [(w, c) for w, c, _ in found] == [("年度抽查计划!J2", "IMPORT_PLAN_ITEM_NOT_OWN")], text
    assert "“WJ-01”" in found[0][2] and "没有提交任何改动" in text


@pytest.mark.parametrize(
    "name", ["2027年度抽查计划.xlsx", "抽查计划.xlsx", "年度计划-market.xlsx", "plans.xlsx", "plan2027.xlsx"]
)
def test_the_kind_is_read_from_the_file_name(name):
    assert kind_of(name, b"", ".xlsx") == "plans"


def test_the_downloaded_template_under_any_name_is_a_plan(tmp_path):
    (path,) = [p for p in write_templates(tmp_path) if p.name == template_name("plans")]
    assert kind_of("填报.xlsx", path.read_bytes(), ".xlsx") == "plans"
    assert kind_of("填报.xlsx", xlsx([["说明：检查结果"]]), ".xlsx") == "results", "other kinds unchanged"
