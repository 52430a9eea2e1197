"""ci site / ci publish leave out the files with errors, until the rest validates (withhold.py)."""

from __future__ import annotations

from generator.cli.ci_steps import withhold
from tests.support.tree import build_full


def test_a_broken_plan_is_left_out_alone(tmp_path):
    root = build_full(tmp_path / "records")
    plan = root / "units/health/plans/2026.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("2026-01-25", "2026-13-45"), encoding="utf-8")
    w = withhold.plan(root)
    assert w.ok and w.files == ["units/health/plans/2026.yaml"]
    assert [f.code for f in w.findings] == ["FIELD_DATE"]
    assert plan.is_file() and "2026-13-45" in plan.read_text(encoding="utf-8")  # records untouched
    assert not list(tmp_path.glob(".withheld-*"))
    assert "未收录：units/health/plans/2026.yaml" in withhold.message(w)


def test_county_and_registry_errors_cannot_be_left_out(tmp_path):
    root = build_full(tmp_path / "records")
    (root / "county.yaml").write_text("name: [\n", encoding="utf-8")
    w = withhold.plan(root)
    assert not w.ok and w.files == [] and {f.file for f in w.blocking} == {"county.yaml"}


def test_a_valid_tree_leaves_nothing_out(tmp_path):
    root = build_full(tmp_path / "records")
    w = withhold.plan(root)
    assert w.ok and w.files == [] and not list(tmp_path.glob(".withheld-*"))
