"""Import: messy files, cell-located errors, all-or-nothing writes and minimal re-imports."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from generator.cli import main
from generator.corpus import load
from generator.intake import import_file, plan_import
from tests.intake.make_fixtures import HERE, INSPECTORS_EXPECTED, OBJECTS_EXPECTED, make_all


@pytest.mark.parametrize("name", ["objects_title_merged.xlsx", "objects_gbk.csv", "objects_bom.csv"])
def test_messy_object_files_import_to_the_same_records(corpus_files, county_only, name):
    result = import_file(corpus_files[name], "objects", "market", county_only)
    assert result.errors == []
    assert result.counts.summary() == "新增 3 条，修改 0 条，删除 0 条，未变 0 条"
    assert (county_only / "units/market/objects.csv").read_text(encoding="utf-8") == OBJECTS_EXPECTED
    codes = sorted(p.code for p in result.problems)
    assert codes == ["IMPORT_ROWS_SKIPPED", "USCC_NORMALISED"]  # the blank row and the lower-case w
    assert not load(county_only).findings.errors


@pytest.mark.parametrize("name", ["inspectors_dates.xlsx", "inspectors_old.xls"])
def test_dates_in_every_shape_become_iso_dates(corpus_files, county_only, name):
    result = import_file(corpus_files[name], "inspectors", "market", county_only)
    assert result.errors == []
    rows = list(csv.DictReader(io.StringIO((county_only / "units/market/inspectors.csv").read_text("utf-8"))))
    got = [(r["人员编号"], r["执法证生效日期"], r["执法证失效日期"]) for r in rows]
    assert got == INSPECTORS_EXPECTED
    assert rows[2]["执法证号"] == "32130103"  # a number cell, without ".0"


def test_percentage_cell_becomes_ratio(corpus_files, county_only):
    result = import_file(corpus_files["items_percent.xlsx"], "items", "market", county_only)
    assert result.errors == []
    items = load(county_only).of("items")
    assert [(i.data["code"], str(i.data["ratio_cap"]), i.data["methods"]) for i in items] == [
        ("SCJG-09", "1/20", ["实地检查", "网络监测"])
    ]


def test_errors_name_the_cell_and_nothing_is_written(corpus_files, county_only):
    result = import_file(corpus_files["objects_errors.xlsx"], "objects", "market", county_only)
    got = sorted((p.where, p.code) for p in result.errors)
    assert got == sorted(
        [
            ("对象名录!A4", "USCC_CHECK_DIGIT"),
            ("对象名录!D5", "FIELD_ENUM"),
            ("对象名录!E5", "IMPORT_TOWNSHIP_UNKNOWN"),
            ("对象名录!I5", "FIELD_ENUM"),
            ("对象名录!J5", "FIELD_TYPE"),
            ("对象名录!A6", "IMPORT_ID_DUPLICATE"),
            ("对象名录!H6", "FIELD_REQUIRED"),
        ]
    )
    assert ("对象名录!K2", "IMPORT_HEADER_IGNORED") in [(p.where, p.code) for p in result.problems]
    check = next(p for p in result.errors if p.code == "USCC_CHECK_DIGIT")
    assert "913213233BJ1XG612X" in check.message and "“E”" in check.message
    assert not (county_only / "units/market/objects.csv").exists()


def test_reimport_changes_only_what_changed(tmp_path, full_tree):
    target = full_tree / "units/market/objects.csv"
    before = target.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = list(csv.reader(io.StringIO("".join(before))))
    header, body = rows[0], rows[1:]
    body[1][2] = body[1][2] + "（新址）"  # change the second row's name
    removed = body.pop(0)  # the first row disappears from the sheet
    new_row = [
        "91320214745555318W",
        "统一社会信用代码",
        "新增公司",
        "企业",
        "来安街道",
        "",
        "",
        "存续",
        "B",
        "否",
    ]
    body.append(new_row)
    wb = openpyxl.Workbook()
    for row in [header, *body]:
        wb.active.append(row)
    wb.save(tmp_path / "edit.xlsx")
    result = import_file(tmp_path / "edit.xlsx", "objects", "market", full_tree)
    assert result.errors == []
    n = len(rows) - 1
    # Merge by default: the row missing from the sheet is kept, untouched.
    assert (
        result.counts.summary()
        == f"新增 1 条，修改 1 条，删除 0 条，未变 {n - 2} 条；表中没有的 1 条保留不变"
    )
    after = target.read_text(encoding="utf-8").splitlines(keepends=True)
    assert after[0] == before[0] and after[1] == before[1]
    assert after[2].startswith(body[0][0]) and "（新址）" in after[2]
    assert after[3 : n + 1] == before[3:]  # unchanged rows: same bytes, same order
    assert after[-1].startswith("91320214745555318W,")
    assert after[1].startswith(removed[0])
    changed = [(c.key, c.where, c.fields) for c in result.changes if c.action == "changed"]
    assert changed == [(body[0][0], "Sheet!2", [("名称", body[0][2].removesuffix("（新址）"), body[0][2])])]


def test_missing_columns_keep_existing_values(tmp_path, full_tree):
    """A sheet without the internal credit-risk column must not wipe it."""
    target = full_tree / "units/market/objects.csv"
    before = target.read_bytes()
    rows = list(csv.reader(io.StringIO(before.decode("utf-8"))))
    drop = rows[0].index("信用风险分类")
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append([c for i, c in enumerate(row) if i != drop])
    wb.save(tmp_path / "public.xlsx")
    result = import_file(tmp_path / "public.xlsx", "objects", "market", full_tree)
    assert result.errors == [] and result.counts.changed == 0 and result.files == {}
    assert target.read_bytes() == before


def test_cli_import_prints_summary_and_codes(tmp_path, corpus_files, county_only, capsys):
    code = main(
        [
            "import",
            str(corpus_files["objects_gbk.csv"]),
            "--kind",
            "objects",
            "--unit",
            "market",
            "--records",
            str(county_only),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "导入完成：新增 3 条，修改 0 条，删除 0 条，未变 0 条。" in out
    code = main(
        [
            "import",
            str(corpus_files["objects_gbk.csv"]),
            "--kind",
            "objects",
            "--unit",
            "market",
            "--records",
            str(county_only),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "未变 3 条" in out and "记录没有变化" in out
    code = main(
        [
            "import",
            str(corpus_files["objects_errors.xlsx"]),
            "--kind",
            "objects",
            "--unit",
            "market",
            "--records",
            str(county_only),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1 and "对象名录!A4: 错误 USCC_CHECK_DIGIT" in out and "没有写入任何记录" in out


def test_inspector_of_another_unit_and_reversed_dates(tmp_path, county_only):
    path = tmp_path / "i.csv"
    path.write_text(
        "人员编号,姓名,所属单位,执法证号,执法证生效日期,执法证失效日期,人员状态\n"
        "SCJG-201,李一,health,1,2026-01-01,2025-01-01,有效\n",
        encoding="utf-8",
    )
    result = plan_import(path, "inspectors", "market", county_only)
    assert sorted((p.where, p.code) for p in result.errors) == [
        ("i!C2", "IMPORT_UNIT_MISMATCH"),
        ("i!F2", "IMPORT_DATE_ORDER"),
    ]


def test_unknown_encoding_is_reported(tmp_path, county_only):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xff\x81\x30garbage")
    result = plan_import(path, "objects", "market", county_only)
    assert [p.code for p in result.errors] == ["IMPORT_ENCODING"]


def test_committed_fixtures_match_the_script(tmp_path):
    """The binaries under fixtures/ are what make_fixtures.py writes (content, not zip timestamps)."""
    fresh = make_all(tmp_path)
    for name, path in fresh.items():
        committed = HERE / name
        assert committed.exists(), f"run python -m tests.intake.make_fixtures ({name} missing)"
        if name.endswith("encrypted.xlsx"):  # the encryption salt is random: both are encrypted packages
            assert all(b"E\x00n\x00c\x00r\x00y\x00p\x00t" in p.read_bytes()[:8192] for p in (committed, path))
        elif name.endswith(".xlsx"):
            assert _workbook(committed) == _workbook(path), name
        elif name != "inspectors_old.xls":  # xlwt stamps nothing, but keep the old check as it was
            assert committed.read_bytes() == path.read_bytes(), name


def _workbook(path):
    """Every sheet's name, state and values, and the raw sheet XML (exact numbers, error cells)."""
    import zipfile

    wb = openpyxl.load_workbook(path)
    sheets = [(ws.title, ws.sheet_state, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb]
    with zipfile.ZipFile(path) as zf:
        xml = sorted((n, zf.read(n)) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    return sheets, wb.active.title, xml


def test_committed_fixture_dir_is_only_generated_files():
    assert sorted(p.name for p in HERE.iterdir()) == sorted(make_all.__globals__["MAKERS"])


def test_formula_errors_and_formulas_without_values_are_named(tmp_path, county_only):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "对象名录"
    ws.append(["对象编号", "编号类型", "名称", "对象类型", "乡镇（街道）", "状态", "信用风险分类"])
    ws.append(
        ["913213233BJ1XG612E", "统一社会信用代码", '=CONCAT("测试","公司")', "企业", "众兴街道", "存续", "A"]
    )
    ws.append(["91321323J3Y7LLJY18", "统一社会信用代码", "#N/A", "企业", "众兴街道", "存续", "B"])
    wb.save(tmp_path / "f.xlsx")  # openpyxl stores formulas without cached values, as a script would
    result = plan_import(tmp_path / "f.xlsx", "objects", "market", county_only)
    got = [(p.where, p.code) for p in result.errors]
    assert ("对象名录!C2", "IMPORT_FORMULA") in got and ("对象名录!C3", "IMPORT_CELL_INVALID") in got
