"""Each intake stage on its own: read → choose sheet → header → rows → cells (issue 17 point 4)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from generator.intake.cells import read_cell
from generator.intake.choose import choose_sheet
from generator.intake.header import HeaderTable, header_key, locate_header, resolve_header
from generator.intake.legacy import read_html, read_spreadsheet_ml
from generator.intake.rows import RowNotes, data_rows, is_footer
from generator.intake.specs import SPECS
from generator.intake.tables import Sheet, StoredNumber, read_bytes, sheet_parts, sniff
from generator.records import BY_NAME

OBJECTS = SPECS["objects"]
TABLE = HeaderTable.of(OBJECTS.fields)
FIELD = {f.name: f for f in BY_NAME["objects"].fields}


# Stage 1: read --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data,kind",
    [
        (b"PK\x03\x04rest", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "ole"),
        (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', "xml2003"),
        ("\ufeff<html><body><table><tr><td>a</td></tr></table>".encode(), "html"),
        ("对象编号\t名称\n1\t2\n".encode("gbk"), "text"),
        ("对象编号,名称\n1,见<table>说明\n".encode(), "text"),  # a cell mentioning a tag is still CSV
    ],
)
def test_sniff_decides_by_content_not_name(data, kind):
    assert sniff(data, ".xls") == kind


def test_sheet_parts_follow_the_relationships_not_the_file_numbers():
    wb = openpyxl.Workbook()
    wb.active.title = "甲"
    wb.create_sheet("乙")
    wb.active = 1
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"sheet1.xml", b"sheetX.xml").replace(b"sheet2.xml", b"sheet1.xml")
                data = data.replace(b"sheetX.xml", b"sheet2.xml")
            dst.writestr(info.filename, data)
    parts, active = sheet_parts(zipfile.ZipFile(out))
    assert parts == {"甲": "xl/worksheets/sheet2.xml", "乙": "xl/worksheets/sheet1.xml"} and active == "乙"


def test_long_numbers_keep_their_stored_text():
    wb = openpyxl.Workbook()
    wb.active.append(["对象编号"])
    wb.active.append([913213236810454513])
    wb.active.append([12345])
    buf = io.BytesIO()
    wb.save(buf)
    sheets, problems = read_bytes(buf.getvalue(), ".xlsx", "f.xlsx")
    assert problems == []
    cell = sheets[0].rows[1][0]
    assert isinstance(cell, StoredNumber) and cell == repr(913213236810454513.0)
    assert sheets[0].rows[2][0] == 12345 and sheets[0].active and not sheets[0].hidden


def test_html_spans_fill_like_merged_cells():
    html = "<table><tr><td colspan=2>题</td></tr><tr><td rowspan=2>甲</td><td>1</td></tr><tr><td>2</td></tr></table>"
    sheets, _ = read_html(html, "x")
    assert sheets[0].rows == [["题", "题"], ["甲", "1"], ["甲", "2"]]


def test_spreadsheet_ml_reads_indexes_types_and_refuses_doctype():
    ns = 'xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'
    xml = (
        f'<?xml version="1.0"?><Workbook {ns}><Worksheet ss:Name="表"><Table>'
        '<Row><Cell><Data ss:Type="String">a</Data></Cell><Cell ss:Index="3"><Data ss:Type="Number">913213236810454513</Data></Cell></Row>'
        '<Row ss:Index="3"><Cell><Data ss:Type="DateTime">2026-03-05T00:00:00.000</Data></Cell></Row>'
        "</Table></Worksheet></Workbook>"
    )
    sheets, _ = read_spreadsheet_ml(xml, "x")
    assert sheets[0].rows == [["a", None, "913213236810454513"], [], [dt.datetime(2026, 3, 5)]]
    assert isinstance(sheets[0].rows[0][2], StoredNumber)
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Workbook/>'
    assert [p.code for p in read_spreadsheet_ml(bomb, "x")[1]] == ["IMPORT_FILE_UNREADABLE"]


# Stage 2: choose the sheet --------------------------------------------------------------------------

HEADER = ["对象编号", "名称", "对象类型", "乡镇（街道）", "状态"]


def test_choose_skips_hidden_and_side_sheets_and_prefers_active():
    sheets = [
        Sheet("旧", [HEADER], hidden=True),
        Sheet("说明", [HEADER]),
        Sheet("甲", [["标题"], HEADER]),
        Sheet("乙", [HEADER], active=True),
    ]
    sheet, row, problems = choose_sheet(sheets, TABLE, "检查对象", "f")
    assert (sheet.name, row, [p.code for p in problems]) == ("乙", 0, ["IMPORT_SHEET_OTHERS"])
    sheets[3].active = False
    sheet, row, problems = choose_sheet(sheets, TABLE, "检查对象", "f")
    assert sheet is None and [p.code for p in problems] == ["IMPORT_SHEET_AMBIGUOUS"]
    sheet, row, problems = choose_sheet(sheets, TABLE, "检查对象", "f", wanted="甲")
    assert (sheet.name, row, problems) == ("甲", 1, [])


# Stage 3: header ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell,name",
    [
        ("企业名称", "name"),
        ("名称\n（必填）", "name"),
        ("乡镇(街道)：", "township"),
        ("所属乡镇", "township"),
        ("*登记状态", "status"),
        ("风险等级（内部字段，不公开）", "credit_risk"),
        ("【市场主体名称】", "name"),
        ("id", "id"),
        ("法定代表人", None),
    ],
)
def test_header_cells_resolve_through_synonyms_and_punctuation(cell, name):
    assert TABLE.lookup(cell) == name


def test_header_key_and_suggestions():
    assert header_key(" 名称\n（必填）：") == "名称(必填)"
    assert TABLE.suggest("对象类形") == "对象类型" and TABLE.suggest("法定代表人") is None


def test_locate_and_resolve_header():
    rows = [["名录"], ["序号", *HEADER, "企业名称", "备注"], ["1", "x"]]
    index, score = locate_header(rows, TABLE)
    assert (index, score) == (1, 5)
    header = resolve_header(rows[1], TABLE, 1)
    assert header.columns == {1: "id", 2: "name", 3: "kind", 4: "township", 5: "status"}
    assert header.duplicates == [(6, "企业名称", 2)] and header.unknown == [(7, "备注", None)]


# Stage 4: rows --------------------------------------------------------------------------------------


def test_rows_skip_blanks_footers_and_the_example():
    columns = {0: "id", 1: "name", 2: "address"}
    rows = [
        ["对象编号", "名称", "地址"],
        ["a", "甲", ""],
        [None, None, None],
        ["91320214745555318W", "泗阳县示例食品有限公司", "众兴街道示例路 1 号"],
        ["b", "合计商贸有限公司", ""],  # a name that starts like a footer is data
        ["合计：2"],
        [None, "填表人：张三"],
        [],
    ]
    notes = RowNotes()
    got = [r for r, _ in data_rows(rows, 0, columns, OBJECTS, notes)]
    assert got == [2, 5] and (notes.blank, notes.footer, notes.example) == (1, [6, 7], [4])
    assert is_footer(["联系电话：139"]) and not is_footer(["电话机厂"])


# Stage 5: cells -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,value,expected",
    [
        ("status", "存续（在营、开业、在册）", ("存续", None)),
        ("status", "存续(在营、开业、在册)", ("存续", None)),
        ("kind", "个体户", ("个体工商户", None)),
        ("credit_risk", "a", ("A", None)),
        ("credit_risk", "C类", ("C", None)),
        ("tags", "学校食堂，食品销售;加油站、危化品", (["学校食堂", "食品销售", "加油站", "危化品"], None)),
        ("name", "-", ("-", None)),
        ("address", "-3", ("-3", None)),
    ],
)
def test_cells_map_synonyms_and_split_lists(name, value, expected):
    assert read_cell(FIELD[name], value) == expected


@pytest.mark.parametrize(
    "value,code",
    [
        ("=1+1", "IMPORT_CELL_FORMULA_TEXT"),
        (" @SUM(A1)", "IMPORT_CELL_FORMULA_TEXT"),
        ("-1+2", "IMPORT_CELL_FORMULA_TEXT"),
        ("#N/A", "IMPORT_CELL_INVALID"),
        (9.13213237601895e17, "IMPORT_CODE_AS_NUMBER"),
        (StoredNumber("913213237601895000"), "IMPORT_CODE_AS_NUMBER"),
        (StoredNumber("9.132132376018951E+17"), "IMPORT_CODE_AS_NUMBER"),
        ("9.13213E+17", "IMPORT_CODE_AS_NUMBER"),
        (StoredNumber("913213236810454513"), "IMPORT_NUMBER_PRECISION"),
    ],
)
def test_cells_that_are_findings(value, code):
    converted, issue = read_cell(FIELD["id"], value)
    assert issue[0] == code
    assert converted == ("913213236810454513" if code == "IMPORT_NUMBER_PRECISION" else None)


def test_date_time_text_is_a_date():
    f = BY_NAME["inspectors"].field_named("badge_valid_from")
    assert read_cell(f, "2026-03-05 00:00:00") == ("2026-03-05", None)
    assert read_cell(f, "2026/3/5 8:30") == ("2026/3/5", None)
