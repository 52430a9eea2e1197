"""A CSV row with more fields than its header is a row whose values slid one column (red team).

Officials separate list items with commas (LIST_SPLIT accepts them). In a CSV a list value typed
``P001,P002`` without quotes is two fields: every value after it moves one column right and the last
one falls past the header, where it was "a column without a header" — a warning, the import passed
and wrote. A declared conflict of interest was lost that way (the officer could then be drawn for
that firm). In a spreadsheet a cell cannot spill into the next one, so only delimited text is
concerned. Such a row is now an error naming the row, the field counts and the fix.
"""

from __future__ import annotations

from generator.intake import import_file
from tests.intake.sheets import INSPECTOR_COLUMNS

HEADER = [*INSPECTOR_COLUMNS, "申报的利害关系"]
ROW = "SCJG-009,新人一,market,32130009,2024-01-01,2028-12-31,食品安全,,众兴街道,有效"


def test_an_unquoted_comma_in_a_csv_list_value_is_refused_not_cut(tmp_path, county_only):
    path = tmp_path / "人员.csv"
    path.write_text(
        ",".join(HEADER) + "\n" + ROW + ",P001\n" + ROW.replace("009", "010") + ",P001,P002\n",
        encoding="utf-8",
    )
    result = import_file(path, "inspectors", "market", county_only)
    found = [(p.code, p.where, p.severity) for p in result.problems]
    assert ("IMPORT_ROW_TOO_WIDE", "人员!3", "error") in found, found
    p = next(p for p in result.problems if p.code == "IMPORT_ROW_TOO_WIDE")
    assert "12" in p.message and "11" in p.message and "引号" in p.message
    assert not result.written
    assert not (county_only / "units" / "market" / "inspectors.csv").exists()


def test_a_quoted_list_value_and_a_tsv_line_of_the_header_width_still_import(tmp_path, county_only):
    path = tmp_path / "人员.csv"
    path.write_text(",".join(HEADER) + "\n" + ROW + ',"P001,P002"\n', encoding="utf-8")
    result = import_file(path, "inspectors", "market", county_only)
    assert result.errors == [], [p.render() for p in result.problems]
    assert result.written
    text = (county_only / "units" / "market" / "inspectors.csv").read_text(encoding="utf-8")
    assert "P001;P002" in text or "P001" in text and "P002" in text
