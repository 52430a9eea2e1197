"""An imported cell that a spreadsheet would run as a formula is refused however the trigger is
spelled (red team: ``＝HYPERLINK(…)`` and ``﹦1+1`` were imported into the records' CSV files)."""

from __future__ import annotations

import pytest

from generator.intake import plan_import

HEADER = (
    "对象编号,编号类型,名称,对象类型,乡镇（街道）,地址,专项库标签,状态,信用风险分类,列入严重失信主体名单\n"
)


@pytest.mark.parametrize(
    "cell",
    ['"＝HYPERLINK(""http://x"",""点此"")"', "﹦1+1", "﹢cmd", "﹫SUM(1)", "＠SUM(1)", "\t=1+1", "－1+2"],
)
def test_a_formula_start_in_any_spelling_is_refused(tmp_path, county_only, cell):
    path = tmp_path / "名录.csv"
    row = f"913213233BJ1XG612E,统一社会信用代码,{cell},企业,众兴街道,示例路1号,学校食堂,存续,A,否\n"
    path.write_text(HEADER + row, encoding="utf-8")
    result = plan_import(path, "objects", "market", county_only)
    assert [(p.code, p.where) for p in result.errors] == [("IMPORT_CELL_FORMULA_TEXT", "名录!C2")]
    assert result.files == {}


@pytest.mark.parametrize("cell", ["-5", "+3%", "--", "－５", "测试县=食堂"])
def test_plain_numbers_and_dashes_are_text(tmp_path, county_only, cell):
    path = tmp_path / "名录.csv"
    row = f"913213233BJ1XG612E,统一社会信用代码,测试县食堂,企业,众兴街道,{cell},学校食堂,存续,A,否\n"
    path.write_text(HEADER + row, encoding="utf-8")
    result = plan_import(path, "objects", "market", county_only)
    assert not [p for p in result.problems if p.code == "IMPORT_CELL_FORMULA_TEXT"]
