"""A complaint (投诉举报) or referral (转办) task picks its objects by hand: its results are published
as non-random and never counted as 双随机 inspections, nor as a unit's joint random task; it names no
draw, and a random task's result names the draw in force."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.corpus import load
from generator.reports.compliance import compliance
from generator.reports.figures import Figures
from generator.validation import validate_corpus

SAMPLE = Path(__file__).parents[1] / "records"

COMPLAINT_TASK = """id: T2026-{unit}-90
name: 投诉举报核查
year: 2026
type: {type}
reason: 群众投诉
initiator: {unit}
participants: [{unit}, tax]
items: [{item}, SWJ-01]
objects:
  source_units: [{unit}]
sampling:
  stratify: none
  ratios:
    all: 1%
inspectors:
  mode: unit
  team_size: 4
  per_unit: 2
  max_objects: 5
window:
  from: 2026-06-01
  to: 2026-07-31
meeting:
  date: 2026-05-11
  units_present: [{unit}, tax]
created_on: 2026-05-14
"""

# a firm the clerk chose, with a problem found: published, but no random-inspection figure
HAND_PICKED_RESULT = """task: T2026-market-90
unit: market
{draw}entries:
- object: '123213230078604252'
  items: [SCJG-01]
  inspectors: [SCJG-001, SCJG-002]
  inspected_on: 2026-06-03
  entered_on: 2026-06-04
  methods: [实地检查]
  categories: [A]
  findings: 发现问题
  disposition: 违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责
"""


@pytest.fixture
def sample(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(SAMPLE, root)
    return root


def _errors(root):
    return [f.render() for f in validate_corpus(load(root, display_prefix="")) if f.severity == "error"]


def _counts(root):
    f = Figures(load(root))
    return (
        f.results(2026),
        f.problems(2026),
        f.results(2026, "market"),
        f.problems(2026, "market"),
        len(f.tasks_of(2026)),
        f.joint_tasks(2026),
        f.tasks_initiated(2026, "market"),
    )


@pytest.mark.parametrize("kind", ["投诉举报", "转办"])
def test_a_hand_picked_result_is_not_counted_as_a_random_inspection(sample, kind):
    before = _counts(sample)
    task = COMPLAINT_TASK.format(unit="market", type=kind, item="SCJG-01")
    (sample / "units/market/tasks/T2026-market-90.yaml").write_text(task, encoding="utf-8")
    (sample / "units/market/results/T2026-market-90.yaml").write_text(
        HAND_PICKED_RESULT.format(draw=""), encoding="utf-8"
    )
    assert _errors(sample) == []  # a non-random task's result names no draw
    assert _counts(sample) == before


def test_a_hand_picked_result_cannot_borrow_another_tasks_draw(sample):
    # naming a random draw would show the hand-picked firm as randomly drawn
    task = COMPLAINT_TASK.format(unit="market", type="投诉举报", item="SCJG-01")
    (sample / "units/market/tasks/T2026-market-90.yaml").write_text(task, encoding="utf-8")
    (sample / "units/market/results/T2026-market-90.yaml").write_text(
        HAND_PICKED_RESULT.format(draw="draw: D2026-0001\n"), encoding="utf-8"
    )
    assert [e.split(" ")[:3] for e in _errors(sample)] == [
        ["units/market/results/T2026-market-90.yaml:3:1:", "错误", "RESULT_DRAW_OTHER_TASK"]
    ]


def test_a_complaint_task_does_not_meet_the_yearly_joint_random_task_duty(sample):
    # industry-it must initiate a joint random inspection each year (its 2026 exemption removed):
    # a joint 转办 task it leads is not one
    unit = sample / "units/industry-it/unit.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text[: text.index("exemptions:")], encoding="utf-8")
    item = "GXJ-01"
    task = COMPLAINT_TASK.format(unit="industry-it", type="转办", item=item)
    (sample / "units/industry-it/tasks/T2026-industry-it-90.yaml").write_text(task, encoding="utf-8")
    corpus = load(sample, display_prefix="")
    findings = validate_corpus(corpus)
    assert not [f.render() for f in findings if f.severity == "error"]
    duty = [f for f in findings if f.code == "UNIT_INITIATOR_DUTY"]
    assert [(f.file, f.value) for f in duty] == [("units/industry-it/unit.yaml", "industry-it")]
    report = compliance(corpus, 2026, dt.date(2026, 12, 31), findings, Figures(corpus))
    rows = {r["unit"]: r for r in report["initiators"]["rows"]}
    assert rows["industry-it"]["status"] == "未发起" and rows["industry-it"]["tasks"] == []


SHIELD_TASK = """id: T2026-market-02
name: 投诉核查
year: 2026
type: 投诉举报
reason: 群众投诉
initiator: market
participants: [market]
items: [SCJG-01]
objects:
  tags: [学校食堂]
sampling:
  stratify: none
  counts: {all: 1}
inspectors:
  mode: unit
  team_size: 2
  per_unit: 2
window: {from: 2026-04-01, to: 2026-04-30}
meeting: {date: 2026-04-01, units_present: [market]}
created_on: 2026-04-01
"""

SHIELD_RESULT = """task: T2026-market-02
unit: market
entries:
- object: 913213233BJ1XG612E
  inspectors: [SCJG-001, SCJG-002]
  inspected_on: 2026-04-20
  entered_on: 2026-04-21
  methods: [实地检查]
  categories: ['1']
  findings: 未发现问题。
  disposition: 未发现问题或相关问题已规范、已改正，无需后续处置
"""


def test_a_hand_picked_result_does_not_shape_the_next_random_draw(tmp_path, capsys):
    # Break: the exclusion facts frozen in a draw's pool (结果互认, inspected recently by the unit,
    # the yearly cap, the previous team) were read from every result, hand-picked ones included. A
    # clerk filed a "complaint" task on the firm to protect, entered 未发现问题 for it, and the next
    # random draw of the unit excluded it (RESULT_RECOGNISED), blocking the officers named too. A
    # result whose object nobody drew decides nothing about which firms a draw may pick.
    from generator.cli import main
    from generator.registry import store
    from tests.support.tree import BASE
    from tests.test_registry_order import BEFORE, COMMIT, TASK, R

    root = tmp_path / "records"
    shutil.copytree(BASE, root)
    (root / "units/market/tasks/T2026-market-02.yaml").write_text(SHIELD_TASK, encoding="utf-8")
    (root / "units/market/results").mkdir()
    (root / "units/market/results/T2026-market-02.yaml").write_text(SHIELD_RESULT, encoding="utf-8")
    assert _errors(root) == []
    argv = ["request", TASK, "--records", str(root), "--date", "2026-04-29", "--drand-round", str(R)]
    assert main([*argv, "--now", str(BEFORE), "--commit", f"jijian={COMMIT}"]) == 0, capsys.readouterr().out
    pools = store.read_json(root / "draws/2026/D2026-0001" / store.POOLS)
    row = next(o for o in pools["objects"] if o["id"] == "913213233BJ1XG612E")
    assert row["recognised_result"] is False and row["last_inspected_by_unit"] is None
    assert row["inspections_this_year"] == 0 and row["previous_inspectors"] == []


def test_an_officer_who_moves_after_publication_leaves_the_published_result_in_place(sample):
    """A non-random task has no frozen pool: its results are judged by today's roster. A published
    entry signed by two market officers passed the department minimum (min_per_department, counted
    by the unit's own officers since the fifth red-team round); one of them moving to education
    afterwards made it TEAM_DEPARTMENT_TOO_SMALL, an error the unit can never fix (the entry is
    append-only), so ci site left market's results file off the site for good. A published entry is
    warned about what changed since; an unpublished one is still refused."""
    task = COMPLAINT_TASK.format(unit="market", type="投诉举报", item="SCJG-01")
    (sample / "units/market/tasks/T2026-market-90.yaml").write_text(task, encoding="utf-8")
    result = sample / "units/market/results/T2026-market-90.yaml"
    text = HAND_PICKED_RESULT.format(draw="").replace(
        "  entered_on: 2026-06-04\n", "  entered_on: 2026-06-04\n  published_on: 2026-06-04\n"
    )
    result.write_text(text, encoding="utf-8")
    assert _errors(sample) == []
    market, education = sample / "units/market/inspectors.csv", sample / "units/education/inspectors.csv"
    rows = market.read_text(encoding="utf-8").splitlines(keepends=True)
    (row,) = [r for r in rows if r.startswith("SCJG-002,")]
    market.write_text("".join(r for r in rows if r is not row), encoding="utf-8")
    with education.open("a", encoding="utf-8") as out:
        out.write(row.replace(",market,", ",education,"))
    assert _errors(sample) == []
    findings = validate_corpus(load(sample, display_prefix=""))
    moved = [f for f in findings if f.file == "units/market/results/T2026-market-90.yaml"]
    assert [(f.code, f.severity) for f in moved] == [("RESULT_ROSTER_CHANGED_LATER", "warning")], [
        f.render() for f in moved
    ]
    result.write_text(text.replace("  published_on: 2026-06-04\n", ""), encoding="utf-8")
    assert [e.split(" ")[2] for e in _errors(sample)] == ["TEAM_DEPARTMENT_TOO_SMALL"]
