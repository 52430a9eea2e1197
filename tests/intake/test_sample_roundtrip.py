"""Export then import on the bundled sample, not only the small fixture (red team, 2026-11-30).

The fixture's items carry no 检查内容和方法 (check_points, a list of mappings). The sample's do:
``export items`` wrote each point as Python text (``{'content': …, 'method': …}``) and importing the
file it had just written failed on every item, with messages quoting that text. Fields that do not
fit in one cell (lists of mappings) are now left out of every sheet, like a result's referrals and
amendments: an export does not show them and an import keeps them as they are.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.corpus import load
from generator.intake import SPECS, export_records, import_file
from generator.schema.fields import ListOf, Obj

SAMPLE = Path(__file__).resolve().parents[2] / "records"


@pytest.mark.parametrize("kind", ["objects", "inspectors", "assistants", "items"])
def test_sample_export_then_import_changes_nothing(tmp_path, kind):
    records = tmp_path / "records"
    shutil.copytree(SAMPLE, records)
    before = {p: p.read_bytes() for p in sorted(records.rglob("*")) if p.is_file()}
    out = tmp_path / f"{kind}.xlsx"
    export_records(kind, load(records), "market", out)
    result = import_file(out, kind, "market", records)
    assert result.errors == [], [p.render() for p in result.errors[:3]]
    assert result.counts.changed == result.counts.added == result.counts.removed == 0
    after = {p: p.read_bytes() for p in sorted(records.rglob("*")) if p.is_file()}
    assert after == before


def test_no_sheet_has_a_column_that_does_not_fit_one_cell():
    for spec in SPECS.values():
        for f in spec.fields:
            nested = isinstance(f.type, Obj) or (isinstance(f.type, ListOf) and isinstance(f.type.item, Obj))
            assert not nested, (spec.kind, f.name)
