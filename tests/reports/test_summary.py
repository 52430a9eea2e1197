"""The annual summary: per-unit figures from the fixture, deterministic HTML with static SVG charts."""

from __future__ import annotations

import json
from pathlib import Path

from generator.cli import main
from generator.corpus import load
from generator.reports.summary import annual_summary, render_html

FIXTURE = Path(__file__).parents[1] / "site" / "fixtures" / "records"


def test_per_unit_figures():
    model = annual_summary(load(FIXTURE), 2026)
    rows = {r["unit"]: r for r in model["units"]}
    assert (rows["market"]["tasks_initiated"], rows["market"]["tasks_joined"]) == (1, 0)
    assert (rows["health"]["tasks_initiated"], rows["health"]["tasks_joined"]) == (0, 1)
    assert rows["market"]["on_time"] == {"num": 1, "den": 2, "percent": "50.0%"}  # the one late entry
    assert rows["health"]["on_time"]["percent"] == "100.0%"
    totals = model["totals"]
    # two schools, each visited once by the joint team and entered by both units
    assert (totals["objects_inspected"], totals["inspections"], totals["results"]) == (2, 2, 4)
    assert (totals["problems_found"], totals["joint_tasks"]) == (2, 1)
    assert (rows["market"]["objects_inspected"], rows["market"]["results"]) == (2, 2)
    assert annual_summary(load(FIXTURE), 2025)["totals"]["objects_inspected"] == 0


def test_command_writes_printable_html_and_model(tmp_path, capsys):
    assert main(["summary", "--records", str(FIXTURE), "--year", "2026", "--out", str(tmp_path)]) == 0
    html = (tmp_path / "summary-2026.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "@page" in html
    assert html.count("<svg") == 4 and "泗阳县2026 年“双随机、一公开”部门联合抽查工作总结" in html
    for private in ("13912345678", "credit_risk", "mobile"):
        assert private not in html
    model = json.loads((tmp_path / "summary-2026.json").read_text(encoding="utf-8"))
    assert set(model["charts"]) == {"tasks_initiated", "objects_inspected", "problems_found", "on_time"}
    first = (tmp_path / "summary-2026.html").read_bytes()
    assert main(["summary", "--records", str(FIXTURE), "--year", "2026", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "summary-2026.html").read_bytes() == first  # same records, same bytes
    assert render_html(annual_summary(load(FIXTURE), 2026)).encode() == first
