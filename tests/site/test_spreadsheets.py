"""Every CSV/XLSX we write keeps text as text: read the written files back and look at every cell.

A unit controls object names, addresses and notes; the open data goes to anyone who downloads it.
Payloads that would run as formulas in Excel/WPS/LibreOffice must arrive as plain text."""

from __future__ import annotations

import csv
import io
import shutil
import unicodedata

import openpyxl
import pytest

from generator.corpus import load
from generator.intake import export_records, plan_rows, publication_rows, write_table, write_templates
from generator.intake.export import PLAN_COLUMNS, PUBLICATION_COLUMNS
from generator.site import opendata
from generator.site.site_data import build_site_data
from generator.spreadsheet_text import TRIGGERS, csv_text, is_risky
from tests.site.conftest import FIXTURE_RECORDS

FORMULAS = [
    '=HYPERLINK("http://evil.example/","点此领取")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=cmd|' /C notepad'!'A1'",
]


def _xlsx_cells(data):
    book = openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            yield from row


def _assert_xlsx_text_only(data, expect: list[str]) -> None:
    cells = list(_xlsx_cells(data))
    assert all(c.data_type != "f" for c in cells), [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells if isinstance(c.value, str)}
    for payload in expect:  # stored unchanged, as a string, flagged for Excel as quoted text
        cell = next(c for c in cells if c.value == payload)
        assert cell.data_type == "s" and cell.quotePrefix, payload
    assert set(expect) <= values


def _assert_csv_defused(data: bytes, expect: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    fields = [f for row in rows for f in row]
    assert not [f for f in fields if f.startswith(TRIGGERS)]
    for payload in expect:
        assert "'" + payload in fields


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory):
    """The fixture records with formula payloads as object names, an address and a plan note."""
    root = tmp_path_factory.mktemp("formula") / "records"
    shutil.copytree(FIXTURE_RECORDS, root)
    county = root / "county.yaml"  # every object exported, inspected or not (site.object_pages)
    county.write_text(
        county.read_text(encoding="utf-8").replace("site:\n", "site:\n  object_pages: 名录库全部对象\n", 1),
        encoding="utf-8",
    )
    for unit in ("market", "health"):  # both name the same enterprises
        objects = root / "units" / unit / "objects.csv"
        text = objects.read_text(encoding="utf-8")
        for old, new in (
            ("泗阳县众兴实验小学食堂", FORMULAS[0]),
            ("泗阳县爱园中学食堂", FORMULAS[1]),
            ("众兴镇人民路 1 号", FORMULAS[3]),
        ):
            text = text.replace(old, '"' + new.replace('"', '""') + '"')
        objects.write_text(text, encoding="utf-8")
    return root


def test_csv_text_rule():
    for payload in FORMULAS + ["\t=1", "\r=1"]:
        assert is_risky(payload) and csv_text(payload) == "'" + payload
    for fine in ("泗阳县", "91321323MA1XK2Q090", "1+1", "1 =1", "'=1", ""):
        assert csv_text(fine) == fine


def test_open_data_csv_and_xlsx(hostile_tree):
    corpus = load(hostile_tree)
    site_data = build_site_data(corpus)
    files = opendata.export_all(site_data, 1767225600)
    expect = [FORMULAS[0], FORMULAS[1], FORMULAS[3]]
    _assert_csv_defused(files["data/objects.csv"], expect)
    _assert_xlsx_text_only(files["data/objects.xlsx"], expect)
    for name, body in files.items():
        if name.endswith(".csv"):
            _assert_csv_defused(body, [])
        elif name.endswith(".xlsx"):
            _assert_xlsx_text_only(body, [])


def test_export_records_and_tables(hostile_tree, tmp_path):
    corpus = load(hostile_tree)
    out = tmp_path / "objects.xlsx"
    assert export_records("objects", corpus, "market", out) > 0
    _assert_xlsx_text_only(out, [FORMULAS[0], FORMULAS[1], FORMULAS[3]])
    out = tmp_path / "public.xlsx"
    export_records("objects", corpus, None, out, public=True)
    _assert_xlsx_text_only(out, [FORMULAS[0], FORMULAS[3]])
    # tables: a hostile title and cells go through write_table
    pub = publication_rows(corpus, 2026, None)
    out = tmp_path / "pub.xlsx"
    write_table(
        "=公示" + FORMULAS[2],
        PUBLICATION_COLUMNS,
        [*pub.rows, [99, *FORMULAS[:4], "", "", "", ""]],
        out,
        [10] * 9,
    )
    _assert_xlsx_text_only(out, FORMULAS[:4])
    title, rows = plan_rows(corpus, 2026, None)
    out = tmp_path / "plan.xlsx"
    write_table(title, PLAN_COLUMNS, [*rows, [1, *FORMULAS, *[""] * 6]], out, [10] * 12)
    _assert_xlsx_text_only(out, FORMULAS)


def test_templates_hold_no_formula(tmp_path):
    paths = write_templates(tmp_path)
    assert paths
    for path in paths:
        _assert_xlsx_text_only(path, [])


def test_control_characters_do_not_break_an_export(hostile_tree, tmp_path):
    """A control character (typed or pasted) is shown as \\xNN instead of a traceback."""
    corpus = load(hostile_tree)
    obj = corpus.of("objects")[0]
    obj.data["name"] = "甲\x01乙"
    out = tmp_path / "ctl.xlsx"
    export_records("objects", corpus, None, out)
    assert "甲\\x01乙" in {c.value for c in _xlsx_cells(out)}


# A formula can also start in the middle of a value: a reader that splits on ";" or a tab (LibreOffice's
# import dialog ticks both by default, European Excel uses ";") starts a new cell there unless the field
# is quoted. And a few spellings a spreadsheet still reads as a formula start.
MID_CELL = ["甲;=1+1", "乙\t=HYPERLINK(1)", "丙|=cmd|' /C calc'!A0", "丁;@SUM(1)", "戊;﹦1+1"]
SPELLINGS = [" =1+1", "\u3000=1+1", "\n=1+1", "＝1+1", "＋1", "－1", "＠SUM(1)", " \t+1"]
# red team: the small forms (NFKC = + - @) and an invisible character before the trigger
SPELLINGS += ["﹦1+1", "﹢1", "﹣1", "﹫SUM(1)", "\u200b=1+1", "\ufeff=HYPERLINK(1)", "\u2060 +1"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_open_data_csv_holds_no_formula_whatever_the_separator(delimiter):
    rows = [{"a": v, "b": ["x", v]} for v in MID_CELL + SPELLINGS]
    data = opendata.to_csv(rows, [("a", "A"), ("b", "B")]).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(data), delimiter=delimiter):
        for field in row:
            assert not is_risky(field), (delimiter, field)
            assert (
                not unicodedata.normalize("NFKC", field)
                .lstrip(" \t\u200b\ufeff\u2060")
                .startswith(("=", "+", "-", "@"))
            ), field


def test_formula_spellings_are_risky():
    for text in SPELLINGS:
        assert is_risky(text) and not is_risky(csv_text(text)), repr(text)


def test_formula_characters_are_every_character_nfkc_makes_a_formula_start():
    """The list is the Unicode database's, not a list someone typed (⁼ and ₊ were missing)."""
    import sys
    import unicodedata

    from generator.spreadsheet_text import FORMULA_CHARS, is_risky

    derived = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.normalize("NFKC", chr(c)) in "=+-@"}
    assert set(FORMULA_CHARS) == derived
    assert all(is_risky(c + "1+1") for c in derived)


# Cell text must reach a workbook as text (red team 7). Two ways it did not:
# * XlsxWriter writes a string that starts with "<r>" and ends with "</r>" into the sheet's XML as it is
#   (its own rich strings are kept as ready XML): a task's 备注 closing the cell and adding
#   <c t="str"><f>HYPERLINK(…)</f></c> put a live formula into the open data's tasks.xlsx;
# * OOXML writes a character as _xHHHH_ in cell text (ST_Xstring) and readers decode it: Excel, WPS and
#   calamine (which `import` uses) show _x0031_ as "1". openpyxl writes text as it is, so a finding with
#   its digits spelt so (validate and the scan read letters, not a number) opened as a mobile number;
#   XlsxWriter escapes it, but not where two escapes share an underscore (_x005F_x0031_ read "_x005F1").
XSTRINGS = [
    "负责人_x0031__x0033__x0038_0013_x0038_000",
    "该户为_x005F_x0044_类企业",
    "_x005F_x0031_ 与 _X0031_ 与 _x003d_1+1",
    '<r><t>详见附件</t></r></is></c><c t="str"><f>HYPERLINK("http://evil.example/","点此")</f><v>点此</v></c>'
    '<c t="inlineStr"><is><r><t>。</t></r>',
    "<r><t>甲</t></r>",
]


def _calamine_cells(data) -> set[str]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data if isinstance(data, bytes) else data.read_bytes()))
    return {
        v
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for v in row
        if isinstance(v, str)
    }


def test_every_workbook_reads_back_as_the_text_written(hostile_tree, tmp_path):
    from generator.private_data import find

    corpus = load(hostile_tree)
    first = corpus.of("objects")[0].data["id"]
    for obj in corpus.of("objects"):  # every unit's row of one object (the site takes one of them)
        if obj.data["id"] == first:
            obj.data["name"], obj.data["address"] = XSTRINGS[0], XSTRINGS[1]
            obj.data["tags"] = [XSTRINGS[2]]
    for task in corpus.of("tasks"):
        task.data["note"] = XSTRINGS[3]
    written = []
    for public in (False, True):
        out = tmp_path / f"objects-{public}.xlsx"
        export_records("objects", corpus, None, out, public=public)
        written.append(out)
    out = tmp_path / "table.xlsx"
    write_table("公示", PUBLICATION_COLUMNS, [[1, *XSTRINGS, "", "", ""]], out, [10] * 9)
    written.append(out)
    files = opendata.export_all(build_site_data(corpus), 1767225600)
    bodies = {"open data objects": files["data/objects.xlsx"], "open data tasks": files["data/tasks.xlsx"]}
    bodies |= {p.name: p for p in written}
    for name, body in bodies.items():
        cells = _calamine_cells(body)
        expect = {XSTRINGS[3]} if "tasks" in name else set(XSTRINGS[:3])
        expect = set(XSTRINGS) if name == "table.xlsx" else expect
        assert expect <= cells, (name, expect - cells)
        assert not [c for c in cells if find(c)], name
        assert not [c for c in cells if "D类" in c or c.startswith("=") or c == "点此"], name
        _assert_xlsx_text_only(body, [])  # no formula cell, whatever the text closed or opened
