"""Nothing in a sheet is lost without a word (red team): a column with data but no header, and a
code whose leading zeros only a cell format showed.

A clerk who adds a column of notes (or phone numbers) without a header saw it vanish; a clerk who
typed 00123 into a number cell formatted ``00000`` saw 00123 in Excel and got 123 in the records.
"""

from __future__ import annotations

import csv
import io

import openpyxl

from generator.intake import import_file, plan_import
from tests.intake.make_fixtures import OBJECT_HEADER
from tests.intake.sheets import INSPECTOR_COLUMNS

INSPECTORS = INSPECTOR_COLUMNS
ROW = [
    "SCJG-009",
    "新人一",
    "market",
    "32130009",
    "2024-01-01",
    "2028-12-31",
    "食品安全",
    "",
    "众兴街道",
    "有效",
]


def _problems(result):
    return [(p.code, p.where, p.severity) for p in result.problems]


def test_a_column_without_a_header_is_reported_not_dropped_silently(tmp_path, county_only):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append([*INSPECTORS, None, "备注"])
    ws.append([*ROW, "联系人 张三 13812345678", "新调入"])
    ws.append([*ROW[:1], *ROW[1:]])
    ws["A3"] = "SCJG-010"
    ws["D3"] = "32130010"  # a certificate of its own (INSPECTOR_BADGE_DUPLICATE otherwise)
    ws["L3"] = "第二行"
    ws["N3"] = "表头以外"  # past the header's last cell
    wb.save(tmp_path / "人员.xlsx")
    result = plan_import(tmp_path / "人员.xlsx", "inspectors", "market", county_only)
    assert result.errors == []
    found = _problems(result)
    assert ("IMPORT_COLUMN_NO_HEADER", "人员!K1", "warning") in found
    assert ("IMPORT_COLUMN_NO_HEADER", "人员!N1", "warning") in found
    assert ("IMPORT_HEADER_IGNORED", "人员!L1", "warning") in found
    k = next(p for p in result.problems if p.where == "人员!K1")
    # where, how many, and the first cell; a phone in it is not printed (CI logs)
    assert "第 K 列没有表头" in k.message and "1 个单元格" in k.message and "人员!K2" in k.message
    assert "13812345678" not in k.message and "疑似含手机号码" in k.message
    for text in result.files.values():
        assert "13812345678" not in text and "表头以外" not in text


def test_a_csv_column_without_a_header_is_reported(tmp_path, county_only):
    path = tmp_path / "人员.csv"
    path.write_text(",".join(INSPECTORS) + ",\n" + ",".join(ROW) + ",秘密备注\n", encoding="utf-8")
    result = plan_import(path, "inspectors", "market", county_only)
    assert ("IMPORT_COLUMN_NO_HEADER", "人员!K1", "warning") in _problems(result)


def test_leading_zeros_shown_by_a_cell_format_are_kept(tmp_path, county_only):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append(INSPECTORS)
    ws.append([*ROW[:3], 123, *ROW[4:]])
    ws["D2"].number_format = "00000"  # Excel shows 00123
    ws.append(["SCJG-010", *ROW[1:3], 4567, *ROW[4:]])  # General format: 4567 as typed
    wb.save(tmp_path / "人员.xlsx")
    result = plan_import(tmp_path / "人员.xlsx", "inspectors", "market", county_only)
    assert result.errors == []
    assert ("IMPORT_NUMBER_PADDED", "人员!D2", "warning") in _problems(result)
    assert "“00123”" in next(p.message for p in result.problems if p.code == "IMPORT_NUMBER_PADDED")
    (text,) = result.files.values()
    badges = {r["人员编号"]: r["执法证号"] for r in csv.DictReader(io.StringIO(text))}
    assert badges == {"SCJG-009": "00123", "SCJG-010": "4567"}


def test_rows_inserted_above_the_header_are_refused_not_dropped(tmp_path, county_only):
    """A clerk who inserts new people at the top (Insert Row on row 1) pushes the header down: the
    rows above it were read as a title and dropped while the import passed. A one-cell title, a
    merged title filled across, and a 填报单位/日期 line above the header stay accepted."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append(["泗阳县市场监督管理局执法检查人员名录"])
    ws.merge_cells("A1:J1")
    ws.append(["填报单位：市场监管局", None, None, None, "填报日期：2026-03-05"])
    ws.append([*ROW[:1], *ROW[1:]])
    ws["A3"], ws["D3"] = "SCJG-011", "32130011"
    ws.append(INSPECTORS)
    ws.append(ROW)
    wb.save(tmp_path / "人员.xlsx")

    result = plan_import(tmp_path / "人员.xlsx", "inspectors", "market", county_only)

    assert result.header_row == 4
    assert [(p.code, p.where) for p in result.errors] == [("IMPORT_ROW_ABOVE_HEADER", "人员!3")]
    message = result.errors[0].render()
    assert "SCJG-011" in message and "第 4 行" in message and "移到表头下方" in message

    ws.delete_rows(3)
    wb.save(tmp_path / "人员.xlsx")
    result = plan_import(tmp_path / "人员.xlsx", "inspectors", "market", county_only)
    assert (result.errors, result.header_row, result.counts.added) == ([], 3, 1)


def test_rows_typed_into_the_templates_example_sheet_are_refused_not_dropped(tmp_path, county_only):
    """The template's 示例 sheet looks like a form: a clerk who types new people under its example
    row saw them vanish (side sheets are never read). Its own example row alone is still fine."""
    from generator.intake.specs import SPECS
    from generator.intake.templates import build_template

    wb = build_template(SPECS["inspectors"])
    data = next(ws for ws in wb.worksheets if ws.title not in ("说明", "选项", "示例"))
    header = [c.value for c in data[1]]

    def row(values: list[str]) -> list[str]:  # ROW's values in the template's column order
        by_label = dict(zip(INSPECTORS, values, strict=True))
        return [by_label.get(label, "") for label in header]

    data.append(row(ROW))
    path = tmp_path / "人员.xlsx"
    wb.save(path)
    assert plan_import(path, "inspectors", "market", county_only).errors == []

    typed = [*ROW]
    typed[0], typed[3] = "SCJG-012", "32130012"
    wb["示例"].append(row(typed))
    wb.save(path)

    result = plan_import(path, "inspectors", "market", county_only)

    assert [(p.code, p.where) for p in result.errors] == [("IMPORT_SIDE_SHEET_ROWS", "示例!3")]
    message = result.errors[0].render()
    assert "SCJG-012" in message and f"“{data.title}”" in message


def test_a_value_for_a_column_the_file_lacks_keeps_every_other_row_in_its_columns(tmp_path):
    """A directory file written without an optional middle column (专项库标签) and a sheet that fills
    it: the file is rewritten with the full header, and its kept rows were re-read as if their cells
    were in the full header's order — every value after the gap shifted one column (状态 into
    专项库标签, the credit class into 状态) and the import failed on rows the clerk never touched."""
    import shutil

    from generator.corpus import load
    from tests.support.tree import BASE

    records = tmp_path / "records"
    shutil.copytree(BASE, records)
    path = records / "units/market/objects.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    gap = rows[0].index("专项库标签")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:gap] + r[gap + 1 :] for r in rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    before = {r.data["id"]: r.data for r in load(records).of("objects") if "units/market/" in r.file}

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "对象名录"
    ws.append(OBJECT_HEADER[:-1])  # the sheet leaves out the last optional column
    ws.append(
        [
            "91321323MAL3T13R4L",
            "统一社会信用代码",
            "泗阳县新开一号超市",
            "企业",
            "众兴街道",
            "示例路9号",
            "食品销售",
            "存续",
            "B",
        ]
    )
    wb.save(tmp_path / "new.xlsx")

    result = import_file(tmp_path / "new.xlsx", "objects", "market", records)

    assert result.errors == [] and result.counts.added == 1
    after = {r.data["id"]: r.data for r in load(records).of("objects") if "units/market/" in r.file}
    assert after.pop("91321323MAL3T13R4L")["tags"] == ["食品销售"]
    assert after == before, "every kept row keeps its values"


def test_cells_written_as_excel_text_formulas_read_as_their_text(tmp_path, county_only):
    """Business systems export codes as ="0012345" so Excel keeps the zeros: such a CSV was refused
    as having no header at all (every cell, the header's too, began with =). The text inside is the
    value; a formula inside it is still refused."""
    header = ",".join(f'="{c}"' for c in INSPECTORS)
    row = ",".join(f'="{c}"' for c in [ROW[0], ROW[1], ROW[2], "0032130009", *ROW[4:]])
    (tmp_path / "人员.csv").write_text(header + "\n" + row + "\n", encoding="utf-8")

    result = plan_import(tmp_path / "人员.csv", "inspectors", "market", county_only)

    assert result.errors == [] and result.header_row == 1
    assert [(c.action, c.key) for c in result.changes] == [("added", "SCJG-009")]
    (text,) = result.files.values()
    assert "SCJG-009,新人一,market,0032130009," in text

    hidden = row.replace('="新人一"', '"=""=cmd|\' /C calc\'!A0"""')  # a DDE payload inside the text
    (tmp_path / "人员.csv").write_text(header + "\n" + hidden + "\n", encoding="utf-8")
    result = plan_import(tmp_path / "人员.csv", "inspectors", "market", county_only)
    assert [(p.code, p.where) for p in result.errors] == [("IMPORT_CELL_FORMULA_TEXT", "人员!B2")]
