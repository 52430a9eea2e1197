"""The compliance report: agrees with the validator, finds missing results, renders text and JSON."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.corpus import load
from generator.reports.compliance import compliance
from generator.validation import validate_corpus

FIXTURE = Path(__file__).parents[1] / "site" / "fixtures" / "records"
SAMPLE = Path(__file__).resolve().parents[2] / "records"
MARKET_RESULT = "units/market/results/T2026-market-01.yaml"


def late_keys(model) -> list[tuple[str, int]]:
    return sorted((r["file"], r["line"]) for r in model["results"]["late"])


def validator_late(corpus, year=None) -> list[tuple[str, int]]:
    hits = [f for f in validate_corpus(corpus) if f.code == "RESULT_ENTRY_LATE"]
    return sorted((f.file, f.line) for f in hits)


def test_fixture_late_entry_matches_hand_count():
    corpus = load(FIXTURE)
    model = compliance(corpus, 2026, dt.date(2026, 12, 31))
    late = model["results"]["late"]
    # Inspected Wed 2026-04-22, entered Fri 2026-05-15. Working days after the 22nd: 23, 24, 27, 28, 29,
    # 30 April (6), 1-5 May holiday, 9 May (Saturday 调休) counts, 6-8 May (3), 11-15 May (5) → 15.
    assert [(r["object"], r["working_days"], r["days_late"]) for r in late] == [("91321323MA20C4T28X", 15, 5)]
    assert late_keys(model) == validator_late(corpus)
    assert model["results"]["on_time"] == {"num": 3, "den": 4, "percent": "75.0%"}


@pytest.mark.parametrize("root", [FIXTURE, SAMPLE], ids=["fixture", "sample-records"])
def test_report_agrees_with_validator(root):
    corpus = load(root)
    years = sorted(
        {
            e["inspected_on"].year
            for r in corpus.of("results")
            for e in r.data.get("entries", [])
            if e.get("inspected_on")
        }
    ) or [2026]
    together = []
    for year in years:
        together += late_keys(compliance(corpus, year, dt.date(year, 12, 31)))
    assert sorted(together) == validator_late(corpus)


def test_missing_results_after_deadline(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(FIXTURE, root)
    path = root / "units/health/results/T2026-market-01.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - object: 91321323MA20C4T28X")], encoding="utf-8")
    corpus = load(root)
    # window ends Thu 2026-04-30; the 10th working day after it is 2026-05-18 (1-5 May off; 6-9 May incl. the 调休 Saturday, 11-15, 18)
    before = compliance(corpus, 2026, dt.date(2026, 5, 18))["results"]["missing"]
    after = compliance(corpus, 2026, dt.date(2026, 5, 19))["results"]["missing"]
    assert before == []
    assert after == [
        {
            "unit": "health",
            "task": "T2026-market-01",
            "object": "91321323MA20C4T28X",
            "due": "2026-05-18",
            "working_days_overdue": 1,
        }
    ]


def test_plans_initiators_share_and_burden():
    model = compliance(load(FIXTURE), 2026, dt.date(2026, 12, 31))
    assert [(r["unit"], r["status"]) for r in model["unit_plans"]["rows"]] == [
        ("market", "按时"),
        ("health", "按时"),
    ]
    assert model["joint_plan"]["status"] == "按时"
    assert [(r["unit"], r["status"]) for r in model["initiators"]["rows"]] == [
        ("market", "已发起"),
        ("health", "未发起"),
    ]
    assert model["initiators"]["missing"] == ["health"]
    assert model["joint_share"] == {
        "tasks": 1,
        "joint": 1,
        "share": {"num": 1, "den": 1, "percent": "100.0%"},
    }
    assert model["object_burden"]["over"] == [] and model["object_burden"]["max"] == 1


def test_burden_over_cap_and_unfiled_plan(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(FIXTURE, root)
    county = root / "county.yaml"
    county.write_text(
        county.read_text(encoding="utf-8")
        .replace("annual_cap: 4", "annual_cap: 1")
        .replace('unit_plan: "01-31"', 'unit_plan: "01-10"'),
        encoding="utf-8",
    )
    (root / "units/health/plans/2026.yaml").unlink()
    model = compliance(load(root), 2026, dt.date(2026, 12, 31))
    assert [r["status"] for r in model["unit_plans"]["rows"]] == ["逾期", "未备案"]
    model_cap = compliance(load(root), 2026, dt.date(2026, 12, 31))["object_burden"]
    assert model_cap["cap"] == 1 and model_cap["over"] == []  # one visit each is within a cap of 1


def test_rule_sections_group_validator_findings(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(FIXTURE, root)
    task = root / "units/market/tasks/T2026-market-01.yaml"
    text = task.read_text(encoding="utf-8")
    assert "team_size: 2" in text
    task.write_text(
        text.replace("team_size: 2", "team_size: 3").replace("per_unit: 1", "per_unit: 2"), encoding="utf-8"
    )
    corpus = load(root)
    findings = validate_corpus(corpus)
    model = compliance(corpus, 2026, dt.date(2026, 12, 31), findings)
    teams = model["rules"]["teams"]
    expected = sorted(
        f.code
        for f in findings
        if f.code.startswith(("TEAM_", "TASK_TEAM"))
        and f.code != "TEAM_CONFLICT"
        and f.code not in ("TEAM_CERT_INVALID", "TEAM_INSPECTOR_INACTIVE", "TEAM_NOT_QUALIFIED")
    )
    assert sorted(c for c, hits in teams["codes"].items() for _ in hits) == expected
    assert teams["count"] == len(expected) >= 1


def test_report_command_text_and_json(capsys):
    assert main(["report", "--records", str(FIXTURE), "--year", "2026", "--today", "2026-12-31"]) == 0
    out = capsys.readouterr().out
    assert "2026 年“双随机、一公开”联合监管合规报告" in out
    assert f"{MARKET_RESULT}:21" in out and "逾期 1 条" in out
    assert (
        main(
            [
                "report",
                "--records",
                str(FIXTURE),
                "--year",
                "2026",
                "--today",
                "2026-12-31",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["results"]["late"][0]["days_late"] == 5
    assert set(data) == {
        "year",
        "today",
        "unit_plans",
        "joint_plan",
        "initiators",
        "results",
        "rules",
        "joint_share",
        "object_burden",
        "plan_execution",
        "open_follow_ups",
        "unacknowledged_referrals",
    }


@pytest.mark.parametrize(
    "text",
    ["name: [unclosed\n", "- a\n- b\n", None],
    ids=["syntax", "not-a-mapping", "missing"],
)
def test_report_refuses_a_broken_county_file(tmp_path, capsys, text):
    """The report's deadlines and rules come from county.yaml: a broken one must not give a report
    silently made of defaults (it printed a full report and exited 0)."""
    root = tmp_path / "records"
    shutil.copytree(FIXTURE, root)
    county = root / "county.yaml"
    if text is None:
        county.unlink()
    else:
        county.write_text(text, encoding="utf-8")
    assert main(["report", "--records", str(root), "--today", "2026-12-31"]) == 2
    out = capsys.readouterr().out
    assert "合规报告未生成" in out and "county.yaml" in out
    assert "Traceback" not in out and "一、单位年度抽查计划备案" not in out


def test_report_refuses_a_wrong_typed_county_setting(tmp_path, capsys):
    root = tmp_path / "records"
    shutil.copytree(FIXTURE, root)
    county = root / "county.yaml"
    text = county.read_text(encoding="utf-8")
    county.write_text(text.replace("\ndeadlines:\n", "\ndeadlines: 5\nold_deadlines:\n", 1), encoding="utf-8")
    assert "deadlines: 5" in county.read_text(encoding="utf-8")
    assert main(["report", "--records", str(root), "--today", "2026-12-31"]) == 2
    out = capsys.readouterr().out
    assert "county.yaml:" in out and "FIELD_" in out and "合规报告未生成" in out
