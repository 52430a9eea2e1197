"""CODEOWNERS is generated from the units and the committed file is never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.cli import main
from generator.corpus import load
from generator.workflow.codeowners import render

PROJECT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "records"


def test_committed_codeowners_is_current():
    expected = render(load(PROJECT / "records"), "records")
    committed = (PROJECT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert committed == expected, "请运行 python -m generator codeowners 重新生成 .github/CODEOWNERS"


def test_units_owned_by_reviewers_county_paths_by_joint_office(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(FIXTURE, root)
    unit = root / "units" / "market" / "unit.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8") + "reviewers: ['@siyang/market', '@wangming']\n", encoding="utf-8"
    )
    lines = render(load(root)).splitlines()
    assert "/records/units/market/ @siyang/market @wangming" in lines
    assert "/records/units/health/ @joint-office" in lines  # no reviewers: the joint office
    for path in ("/records/county.yaml", "/records/holidays/", "/records/joint/", "/records/draws/"):
        assert f"{path} @joint-office" in lines
    # unit rules come after the county-wide ones, so they win (last match wins in CODEOWNERS)
    assert lines.index("/records/units/market/ @siyang/market @wangming") > lines.index("* @joint-office")


def test_command_writes_then_check_detects_staleness(tmp_path, capsys):
    out = tmp_path / "CODEOWNERS"
    args = ["codeowners", "--records", str(FIXTURE), "--out", str(out)]
    assert main(args + ["--check"]) == 1
    assert main(args) == 0 and out.exists()
    assert main(args + ["--check"]) == 0
    out.write_text(out.read_text(encoding="utf-8") + "/x @y\n", encoding="utf-8")
    assert main(args + ["--check"]) == 1
    assert "已过期" in capsys.readouterr().out
