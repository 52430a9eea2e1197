"""What the clerk cannot see is never imported without a word (red team, 2026-11-30).

A clerk filters a county-wide sheet (自动筛选) to the rows of one township, or hides the rows of
firms that closed, and imports what the screen shows. The file still holds every hidden row and
the import read them all: rows the clerk never saw were added to the directory (or, in a merge,
overwrote the records) without a word. A hidden column the same: its values replaced what the
records held (a stale 信用风险分类 column hidden before printing). Such a sheet is now refused,
naming the rows or columns and how to fix it; nothing is written.
"""

from __future__ import annotations

import openpyxl

from generator.intake import import_file, plan_import
from tests.intake.sheets import INSPECTOR_COLUMNS

INSPECTORS = INSPECTOR_COLUMNS


def _row(n: int) -> list[str]:
    return [
        f"SCJG-{n:03d}",
        f"新人{n}",
        "market",
        f"3213{n:04d}",
        "2024-01-01",
        "2028-12-31",
        "食品安全",
        "",
        "众兴街道",
        "有效",
    ]


def _sheet(path, hide_rows=(), hide_cols=(), autofilter=False):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append(INSPECTORS)
    for n in range(1, 7):
        ws.append(_row(n))
    for r in hide_rows:
        ws.row_dimensions[r].hidden = True
    for c in hide_cols:
        ws.column_dimensions[c].hidden = True
    if autofilter:
        ws.auto_filter.ref = "A1:J7"
    wb.save(path)
    return path


def _codes(result):
    return [(p.code, p.where, p.severity) for p in result.problems]


def test_rows_hidden_by_a_filter_are_refused_not_imported_unseen(tmp_path, county_only):
    path = _sheet(tmp_path / "人员.xlsx", hide_rows=(3, 4, 6), autofilter=True)
    result = import_file(path, "inspectors", "market", county_only)
    assert ("IMPORT_ROWS_HIDDEN", "人员!3", "error") in _codes(result)
    p = next(p for p in result.problems if p.code == "IMPORT_ROWS_HIDDEN")
    assert "3、4、6" in p.message and "筛选" in p.message and "取消隐藏" in p.message
    assert not result.written
    assert not (county_only / "units" / "market" / "inspectors.csv").exists()


def test_a_hidden_column_holding_data_is_refused(tmp_path, county_only):
    path = _sheet(tmp_path / "人员.xlsx", hide_cols=("I",))
    result = plan_import(path, "inspectors", "market", county_only)
    assert ("IMPORT_COLUMNS_HIDDEN", "人员!I1", "error") in _codes(result)
    p = next(p for p in result.problems if p.code == "IMPORT_COLUMNS_HIDDEN")
    assert "I" in p.message and "负责乡镇（街道）" in p.message and "取消隐藏" in p.message
    assert result.files == {} or result.errors


def test_hidden_rows_and_columns_without_data_change_nothing(tmp_path, county_only):
    """Rows hidden below the data (a template's empty rows) and an empty hidden column are fine."""
    path = tmp_path / "人员.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append(INSPECTORS)
    ws.append(_row(1))
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["M"].hidden = True
    wb.save(path)
    result = plan_import(path, "inspectors", "market", county_only)
    assert result.errors == [], _codes(result)
    assert result.counts.added == 1


def test_a_semicolon_separated_csv_is_read_like_a_comma_separated_one(tmp_path, county_only):
    """A European-locale Excel saves "CSV" with ``;``: the header was one unknown cell and the
    refusal (找不到表头) sent the clerk to rename columns that were right."""
    rows = [INSPECTORS, _row(1), _row(2)]
    semi, comma = tmp_path / "人员;.csv", tmp_path / "人员.csv"
    semi.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8-sig")
    comma.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    got = plan_import(semi, "inspectors", "market", county_only)
    want = plan_import(comma, "inspectors", "market", county_only)
    assert got.errors == [], _codes(got)
    assert list(got.files.values()) == list(want.files.values())


def test_hidden_rows_and_columns_of_an_excel_2003_xml_sheet_are_refused(tmp_path, county_only):
    """The same in SpreadsheetML (older systems' “.xls”): ``ss:Hidden="1"`` on a Row or Column."""
    ns = 'xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'

    def row(cells, hidden=False):
        attr = ' ss:Hidden="1"' if hidden else ""
        data = "".join(f'<Cell><Data ss:Type="String">{c}</Data></Cell>' for c in cells)
        return f"<Row{attr}>{data}</Row>"

    body = row(INSPECTORS) + row(_row(1)) + row(_row(2), hidden=True)
    cols = '<Column ss:Index="9" ss:Hidden="1"/>'
    text = f'<?xml version="1.0"?><Workbook {ns}><Worksheet ss:Name="人员"><Table>{cols}{body}</Table></Worksheet></Workbook>'
    path = tmp_path / "人员.xls"
    path.write_text(text, encoding="utf-8")
    found = _codes(plan_import(path, "inspectors", "market", county_only))
    assert ("IMPORT_ROWS_HIDDEN", "人员!3", "error") in found
    assert ("IMPORT_COLUMNS_HIDDEN", "人员!I1", "error") in found
