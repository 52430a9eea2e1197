"""The one header resolver (generator/schema/headers.py) on its own, and the two readers that share
it: the record loader (exact table) and spreadsheet import (lenient table) — issue 17 point 4."""

from __future__ import annotations

from generator import record_file
from generator.errors import Findings
from generator.intake import header as intake_header
from generator.record_file import load_file
from generator.records import BY_NAME
from generator.schema.headers import HeaderTable, header_key, resolve_header

FIELDS = BY_NAME["objects"].fields
LABEL = {f.name: f.label for f in FIELDS}


def test_exact_table_takes_labels_and_names_only_and_reports_everything_else():
    cells = [f" {LABEL['id']} ", "name", "企业名称", "", "序号", "名称（必填）", LABEL["id"]]
    h = resolve_header(cells, HeaderTable.exact(FIELDS))
    assert h.columns == {0: "id", 1: "name"}
    assert [(ci, text) for ci, text, _ in h.unknown] == [
        (2, "企业名称"),
        (3, ""),
        (4, "序号"),
        (5, "名称（必填）"),
    ]
    assert h.duplicates == [(6, LABEL["id"], 0)]


def test_lenient_table_forgives_synonyms_notes_punctuation_and_skips_row_numbers():
    cells = ["序号", "企业名称", f"{LABEL['township']}\n(必填)：", None, "", "法定代表人", "name"]
    h = resolve_header(cells, HeaderTable.of(FIELDS), row=3)
    assert h.row == 3 and h.columns == {1: "name", 2: "township"}
    assert [(ci, text) for ci, text, _ in h.unknown] == [(5, "法定代表人")]
    assert h.duplicates == [(6, "name", 1)]
    assert header_key(" 名称\n（必填）：") == "名称(必填)"


def test_a_near_miss_gets_a_suggestion_only_from_the_lenient_table():
    near = LABEL["address"] + "地"
    assert HeaderTable.of(FIELDS).suggest(near) == LABEL["address"]
    assert resolve_header([near], HeaderTable.of(FIELDS)).unknown == [(0, near, LABEL["address"])]


def test_both_readers_use_this_resolver():
    assert intake_header.resolve_header is resolve_header
    assert record_file.resolve_header is resolve_header


def test_the_loader_refuses_a_synonym_that_import_accepts():
    text = f"{LABEL['id']},企业名称\n91320214745555318W,甲公司\n"
    found = Findings()
    load_file(BY_NAME["objects"], text, "units/x/objects.csv", {}, found)
    unknown = [(f.code, f.line, f.column, f.value) for f in found if f.code == "CSV_HEADER_UNKNOWN"]
    assert unknown == [("CSV_HEADER_UNKNOWN", 1, 2, "企业名称")]
    assert resolve_header(["企业名称"], HeaderTable.of(FIELDS)).columns == {0: "name"}
