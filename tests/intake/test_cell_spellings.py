"""Yes/no columns as officials mark them (red team, 2026-11-30): a tick or a cross, Y/N in
either case. 列入严重失信主体名单 marked √ was refused with “√”不是是 或 否 — a clerk could not
tell what to type. Ticks and crosses now read as 是/否; anything else is still refused."""

from __future__ import annotations

import pytest

from generator.intake.cells import read_cell
from generator.records import BY_NAME

DISHONEST = next(f for f in BY_NAME["objects"].fields if f.name == "dishonest")


@pytest.mark.parametrize("mark", ["√", "✓", "✔", "☑", "Y", "YES", "Yes", "是", "１"])
def test_a_tick_reads_as_yes(mark):
    value, issue = read_cell(DISHONEST, mark)
    assert issue is None and value in (True, "是", "1", "yes", "y")


@pytest.mark.parametrize("mark", ["×", "✗", "✘", "☐", "N", "NO", "No", "否", "０"])
def test_a_cross_reads_as_no(mark):
    value, issue = read_cell(DISHONEST, mark)
    assert issue is None and value in (False, "否", "0", "no", "n")


def test_a_tick_imports_as_yes_and_a_stray_mark_is_still_refused(tmp_path):
    from generator.schema.fields import Boolean

    class Ctx:
        reported = []

        def report(self, code, path, value, **params):
            self.reported.append(code)

    t = Boolean()
    assert t.check(read_cell(DISHONEST, "√")[0], (), DISHONEST, Ctx()) is True
    assert t.check(read_cell(DISHONEST, "×")[0], (), DISHONEST, Ctx()) is False
    t.check(read_cell(DISHONEST, "?")[0], (), DISHONEST, Ctx())
    assert Ctx.reported == ["FIELD_TYPE"]
