"""One case for each intake code no other test reaches: (code, where) from the public import API."""

from __future__ import annotations

import openpyxl

from generator.corpus import load
from generator.intake import plan_import
from generator.intake.export import export_records
from generator.intake.specs import SPECS

HEADER = (
    "对象编号,编号类型,名称,对象类型,乡镇（街道）,地址,专项库标签,状态,信用风险分类,列入严重失信主体名单\n"
)
ROW = "913213233BJ1XG612E,统一社会信用代码,测试县第一中学食堂,企业,众兴街道,示例路1号,学校食堂,存续,A,否\n"


def codes(path, kind, unit, records):
    result = plan_import(path, kind, unit, records)
    return [(p.code, p.where) for p in result.problems], result


def test_a_sheet_without_a_recognisable_header(tmp_path, county_only):
    path = tmp_path / "名录.csv"
    path.write_text("甲,乙,丙\n1,2,3\n", encoding="utf-8")
    found, result = codes(path, "objects", "market", county_only)
    assert found == [("IMPORT_SHEET_MISSING", "名录.csv")] and result.files == {}
    assert "对象编号" in result.problems[0].message


def test_a_column_twice_in_the_header(tmp_path, county_only):
    path = tmp_path / "名录.csv"
    path.write_text(HEADER.replace("\n", ",名称\n") + ROW.replace("\n", ",别名\n"), encoding="utf-8")
    found, _ = codes(path, "objects", "market", county_only)
    assert ("IMPORT_HEADER_DUPLICATE", "名录!K1") in found


def test_a_header_without_rows(tmp_path, county_only):
    path = tmp_path / "名录.csv"
    path.write_text(HEADER, encoding="utf-8")
    found, result = codes(path, "objects", "market", county_only)
    assert found == [("IMPORT_NO_ROWS", "名录")] and result.files == {}


def test_a_long_id_stored_as_an_excel_number(tmp_path, county_only):
    wb = openpyxl.Workbook()
    wb.active.append(HEADER.strip().split(","))
    row = ROW.strip().split(",")
    row[0] = 913213231234567000  # Excel keeps 15 significant digits of a number
    row[1] = "项目编号"
    wb.active.append(row)
    wb.save(tmp_path / "名录.xlsx")
    found, _ = codes(tmp_path / "名录.xlsx", "objects", "market", county_only)
    # 18 digits with 15 significant ones: damaged by Excel, so an error whatever the code type
    # (IMPORT_NUMBER_PRECISION is the warning for an exact 18-digit integer a program wrote)
    assert ("IMPORT_CODE_AS_NUMBER", "Sheet!A2") in found


def _results_sheet(tmp_path, full_tree, column, value):
    out = tmp_path / "results.xlsx"
    export_records("results", load(full_tree), "market", out)
    wb = openpyxl.load_workbook(out)
    ws = wb[SPECS["results"].sheet]
    col = [c.value for c in ws[1]].index(column) + 1
    ws.cell(2, col, value)
    wb.save(out)
    return out, col


def test_a_result_category_not_in_the_dictionary(tmp_path, full_tree):
    out, col = _results_sheet(tmp_path, full_tree, "检查结果", "查无此类")
    found, result = codes(out, "results", "market", full_tree)
    letter = openpyxl.utils.get_column_letter(col)
    assert ("IMPORT_CATEGORY_UNKNOWN", f"{SPECS['results'].sheet}!{letter}2") in found
    assert result.files == {}


def test_a_result_row_naming_another_draw(tmp_path, full_tree):
    out, _ = _results_sheet(tmp_path, full_tree, "抽取编号", "D2026-9999")
    found, result = codes(out, "results", "market", full_tree)
    assert [code for code, _ in found if code == "IMPORT_RESULT_DRAW_MISMATCH"] == [
        "IMPORT_RESULT_DRAW_MISMATCH"
    ]
    assert "D2026-9999" in next(p.message for p in result.problems if p.code == "IMPORT_RESULT_DRAW_MISMATCH")
