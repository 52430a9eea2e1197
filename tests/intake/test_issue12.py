"""Issue 12: one test per numbered problem, each on its committed fixture (tests/intake/messy12.py)."""

from __future__ import annotations

import csv
import io

import pytest

from generator.cli import main
from generator.corpus import load
from generator.intake import import_file, plan_import
from generator.validation import validate_tree
from tests.intake.make_fixtures import HERE
from tests.intake.messy12 import EXACT_DIGITS, NEW_FIRMS


def _codes(result, severity="error"):
    return [(p.code, p.where) for p in result.problems if p.severity == severity]


def _ids(tree, unit="market", kind="objects"):
    text = (tree / f"units/{unit}/{kind}.csv").read_text("utf-8")
    return [row[0] for row in csv.reader(io.StringIO(text))][1:]


def _run(capsys, *args):
    code = main(["import", *map(str, args)])
    return code, capsys.readouterr().out


# 1. Deletion by omission -------------------------------------------------------------------------


def test_p01_rows_missing_from_the_sheet_are_kept(full_tree):
    before = _ids(full_tree)
    result = import_file(HERE / "p01_new_firms.xlsx", "objects", "market", full_tree)
    assert result.errors == []
    assert result.counts.summary() == (
        f"新增 3 条，修改 0 条，删除 0 条，未变 0 条；表中没有的 {len(before)} 条保留不变"
    )
    assert _ids(full_tree) == before + sorted(f[0] for f in NEW_FIRMS)
    assert validate_tree(full_tree).errors == []


def test_p01_two_branches_importing_their_halves_keep_each_others_rows(full_tree):
    import_file(HERE / "p01_new_firms.xlsx", "objects", "market", full_tree)
    result = import_file(HERE / "p01_branch_b.xlsx", "objects", "market", full_tree)
    assert result.errors == [] and result.counts.removed == 0 and result.counts.changed == 1
    assert set(f[0] for f in NEW_FIRMS) <= set(_ids(full_tree))
    change = [(c.key, c.where, c.fields) for c in result.changes]
    assert change == [("913213233BJ1XG612E", "对象名录!2", [("地址", "示例路1号", "示例路1号（新址）")])]


def test_p01_replace_lists_every_deletion_and_refuses_referenced_rows(full_tree, capsys):
    before = (full_tree / "units/market/objects.csv").read_bytes()
    code, out = _run(
        capsys,
        HERE / "p01_new_firms.xlsx",
        "--kind",
        "objects",
        "--unit",
        "market",
        "--records",
        full_tree,
        "--replace",
        "--dry-run",
    )
    assert code == 1
    # Every row that would go is named; the four drawn objects (results and the draw point at them)
    # cannot go; the two undrawn ones could.
    referenced = ["913213233BJ1XG612E", "91321323HN2J1K6FM3", "913213239D4H3J9HTA", "9132132397R5NQ72JU"]
    lines = [line for line in out.splitlines() if "IMPORT_REMOVE_REFERENCED" in line]
    assert sorted(line.split("“")[1].split("”")[0] for line in lines) == sorted(referenced)
    assert "draws/2026/D2026-0001/result.yaml" in lines[0] and "units/market/results/" in lines[0]
    assert (full_tree / "units/market/objects.csv").read_bytes() == before


def test_p01_replace_dry_run_prints_the_removed_rows(full_tree, capsys):
    # Remove the references first: then only the two undrawn firms would go, and the dry run says which.
    keep = [r for r in _ids(full_tree)]
    rows = list(csv.reader(io.StringIO((full_tree / "units/market/objects.csv").read_text("utf-8"))))
    sheet = full_tree.parent / "keep.csv"
    drawn = {"913213233BJ1XG612E", "91321323HN2J1K6FM3", "913213239D4H3J9HTA", "9132132397R5NQ72JU"}
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([rows[0], *(r for r in rows[1:] if r[0] in drawn)])
    code, out = _run(
        capsys,
        sheet,
        "--kind",
        "objects",
        "--unit",
        "market",
        "--records",
        full_tree,
        "--replace",
        "--dry-run",
    )
    assert code == 0, out
    assert "删除 2 条" in out
    removed = [line.strip() for line in out.splitlines() if line.strip().startswith("删除 9")]
    assert removed == [
        f"删除 {i}（{n}）  [units/market/objects.csv]"
        for i, n in (("91321323J3Y7LLJY18", "测试县第二中学食堂"), ("9132132323GD5QA4XJ", rows[6][2]))
    ]
    assert _ids(full_tree) == keep  # a dry run writes nothing


# 2. Codes damaged by Excel -----------------------------------------------------------------------


def test_p02_codes_stored_as_numbers_are_errors_without_check_digit_advice(county_only):
    result = plan_import(HERE / "p02_code_damaged.xlsx", "objects", "market", county_only)
    assert _codes(result) == [
        ("IMPORT_CODE_AS_NUMBER", "对象名录!A2"),
        ("IMPORT_CODE_AS_NUMBER", "对象名录!A3"),
    ]
    # The second one passes the check digit by chance: still refused, and nobody is told a check digit.
    assert "913213290640765000" in result.errors[1].message
    assert all("文本" in p.message and "校验码应为" not in p.message for p in result.problems)
    assert result.files == {}


def test_p02_an_exact_18_digit_integer_is_read_exactly(county_only):
    result = import_file(HERE / "p02_code_exact.xlsx", "objects", "market", county_only)
    assert result.errors == []
    assert _codes(result, "warning") == [("IMPORT_NUMBER_PRECISION", "对象名录!A2")]
    assert _ids(county_only) == [EXACT_DIGITS]


def test_p02_scientific_notation_in_csv_gets_the_same_message(county_only):
    result = plan_import(HERE / "p02_code_scientific.csv", "objects", "market", county_only)
    assert _codes(result) == [("IMPORT_CODE_AS_NUMBER", "p02_code_scientific!A2")]
    assert "9.13213E+17" in result.errors[0].message


def test_p02_an_all_digit_code_ending_in_zeros_gets_no_check_digit_advice(tmp_path, county_only):
    path = tmp_path / "c.csv"
    path.write_text(
        "对象编号,名称,对象类型,乡镇（街道）,状态,信用风险分类\n"
        "913213237601894000,甲,企业,众兴街道,存续,B\n"  # check digit fails: damaged, no advice
        "913213237601895000,乙,企业,众兴街道,存续,B\n",  # the code: passes by chance
        "utf-8",
    )
    result = plan_import(path, "objects", "market", county_only)
    assert _codes(result) == [("IMPORT_CODE_AS_NUMBER", "c!A2")]
    assert _codes(result, "warning") == [("IMPORT_CODE_ZEROS", "c!A3")]
    assert all("校验码应为" not in p.message for p in result.problems)


# 3. The wrong sheet ------------------------------------------------------------------------------


def test_p03_hidden_sheets_are_skipped_and_the_active_one_is_read(county_only, capsys):
    code, out = _run(
        capsys, HERE / "p03_sheets.xlsx", "--kind", "objects", "--unit", "market", "--records", county_only
    )
    assert code == 0
    assert out.splitlines()[0] == "读取工作表“2026”，第 2 行为表头。"
    assert "IMPORT_SHEET_OTHERS" in out and "工作表 2025 也有" in out and "旧表" not in out
    assert _ids(county_only) == [NEW_FIRMS[1][0]]


def test_p03_two_candidates_and_no_active_one_need_sheet(county_only):
    path = HERE / "p03_sheets_no_active.xlsx"
    result = plan_import(path, "objects", "market", county_only)
    assert _codes(result) == [("IMPORT_SHEET_AMBIGUOUS", "p03_sheets_no_active.xlsx")]
    assert "“2025”、“2026”" in result.errors[0].message
    chosen = plan_import(path, "objects", "market", county_only, sheet="2025")
    assert chosen.errors == [] and chosen.sheet == "2025" and chosen.header_row == 2
    assert [c.key for c in chosen.changes] == [NEW_FIRMS[0][0]]
    missing = plan_import(path, "objects", "market", county_only, sheet="2027")
    assert _codes(missing) == [("IMPORT_SHEET_NOT_FOUND", "p03_sheets_no_active.xlsx")]


# 4. Repository-level checks ----------------------------------------------------------------------


def test_p04_unknown_unit_is_refused_with_a_suggestion(full_tree):
    result = plan_import(HERE / "p01_new_firms.xlsx", "objects", "markte", full_tree)
    assert _codes(result) == [("IMPORT_UNIT_UNKNOWN", "--unit")]
    assert "是否指“market”" in result.errors[0].message
    escape = import_file(HERE / "p01_new_firms.xlsx", "objects", "../../x", full_tree)
    assert _codes(escape) == [("IMPORT_UNIT_UNKNOWN", "--unit")]
    assert not (full_tree.parent.parent / "x").exists() and not (full_tree / "units/../../x").exists()


def test_p04_a_folder_without_county_yaml_is_refused(tmp_path):
    result = import_file(HERE / "p01_new_firms.xlsx", "objects", "market", tmp_path / "records")
    assert _codes(result) == [("IMPORT_NOT_RECORDS", str(tmp_path / "records"))]
    assert not (tmp_path / "records").exists()


def test_p04_a_duplicate_id_across_units_is_found_before_writing(full_tree):
    before = (full_tree / "units/health/inspectors.csv").read_bytes()
    result = import_file(HERE / "p04_inspectors.xlsx", "inspectors", "health", full_tree)
    codes = _codes(result)
    assert ("ID_DUPLICATE", "执法人员!A2") in codes
    assert not result.written and (full_tree / "units/health/inspectors.csv").read_bytes() == before
    assert list(full_tree.parent.glob(".ssj-import-*")) == []  # the would-be tree is gone


def test_p04_results_for_undrawn_objects_and_unknown_inspectors_are_found_before_writing(full_tree):
    target = full_tree / "units/market/results/T2026-market-01.yaml"
    before = target.read_bytes()
    result = import_file(HERE / "p04_results.xlsx", "results", "market", full_tree)
    assert sorted(_codes(result)) == [("REF_UNKNOWN", "检查结果!D2"), ("RESULT_NOT_DRAWN", "检查结果!C2")]
    assert target.read_bytes() == before


def test_p04_inspector_townships_and_item_methods_are_checked_at_import(full_tree):
    result = plan_import(HERE / "p04_inspector_township.xlsx", "inspectors", "health", full_tree)
    assert _codes(result) == [("IMPORT_TOWNSHIP_UNKNOWN", "执法人员!G2")]
    assert "众兴镇" in result.errors[0].message
    result = plan_import(HERE / "p04_items.xlsx", "items", "market", full_tree)
    assert _codes(result) == [("IMPORT_METHOD_UNKNOWN", "事项!G2")]
    assert "电话核查" in result.errors[0].message


# 5. Formula errors from the right sheet ----------------------------------------------------------


def test_p05_error_values_are_read_from_the_sheet_they_are_on(county_only):
    result = plan_import(HERE / "p05_formula_errors.xlsx", "objects", "market", county_only)
    assert [(p.code, p.where, p.value) for p in result.errors] == [
        ("IMPORT_CELL_INVALID", "对象名录!C3", "#N/A")
    ]


# 6. Headers ----------------------------------------------------------------------------------------


def test_p06_synonyms_and_punctuation_match_and_extra_columns_are_ignored(county_only):
    result = import_file(HERE / "p06_headers.xlsx", "objects", "market", county_only)
    assert result.errors == []
    assert _codes(result, "warning") == [
        ("IMPORT_HEADER_IGNORED", "对象名录!H1"),
        ("IMPORT_HEADER_IGNORED", "对象名录!I1"),
        ("IMPORT_HEADER_IGNORED", "对象名录!J1"),
    ]
    text = (county_only / "units/market/objects.csv").read_text("utf-8")
    assert "王某" not in text and "13900000000" not in text  # personal data never imported
    rows = list(csv.DictReader(io.StringIO(text)))
    got = sorted((r["名称"], r["乡镇（街道）"], r["地址"], r["状态"], r["信用风险分类"]) for r in rows)
    assert got == sorted((f[2], f[4], f[5], f[7], f[8]) for f in NEW_FIRMS)


def test_p06_a_near_miss_gets_a_suggestion(county_only):
    result = plan_import(HERE / "p06_header_near_miss.xlsx", "objects", "market", county_only)
    assert _codes(result) == [("IMPORT_HEADER_MISSING", "对象名录!1")]
    assert "表头“对象类形”可能就是这一列" in result.errors[0].message
    ignored = [p for p in result.problems if p.code == "IMPORT_HEADER_IGNORED"]
    assert [p.where for p in ignored] == ["对象名录!C1"] and "是否指“对象类型”" in ignored[0].message


# 7. Footers and the example row --------------------------------------------------------------------


def test_p07_footer_and_example_rows_are_skipped_with_a_note(county_only):
    result = import_file(HERE / "p07_footer_example.xlsx", "objects", "market", county_only)
    assert result.errors == []
    assert _codes(result, "warning") == [
        ("IMPORT_ROW_EXAMPLE", "对象名录!2"),
        ("IMPORT_ROW_FOOTER", "对象名录!7"),
    ]
    assert "第 7、8、9 行" in result.problems[-1].message or any(
        "7、8、9" in p.message for p in result.problems
    )
    assert sorted(_ids(county_only)) == sorted(f[0] for f in NEW_FIRMS)


# 8. Grouped errors ---------------------------------------------------------------------------------


def test_p08_identical_errors_are_grouped_and_all_shows_everything(county_only, capsys):
    args = [HERE / "p08_many_errors.csv", "--kind", "objects", "--unit", "market", "--records", county_only]
    code, out = _run(capsys, *args)
    assert code == 1
    assert out.count("FIELD_ENUM") == 6  # five shown, one summary line
    assert "…… FIELD_ENUM 同类问题共 3000 处（以上为前 5 处，加 --all 查看全部）" in out
    assert len(out.encode()) < 4000
    code, out = _run(capsys, *args, "--all")
    assert code == 1 and out.count("错误 FIELD_ENUM") == 3000


# 9. Date-time text, passwords, old formats -----------------------------------------------------------


def test_p09_date_time_text_is_a_date(county_only):
    result = import_file(HERE / "p09_datetime.csv", "inspectors", "market", county_only)
    assert result.errors == []
    rows = list(csv.DictReader(io.StringIO((county_only / "units/market/inspectors.csv").read_text("utf-8"))))
    assert [(r["执法证生效日期"], r["执法证失效日期"]) for r in rows] == [("2026-03-05", "2029-03-04")]


def test_p09_an_encrypted_workbook_says_how_to_remove_the_password(county_only):
    result = plan_import(HERE / "p09_encrypted.xlsx", "objects", "market", county_only)
    assert _codes(result) == [("IMPORT_FILE_ENCRYPTED", "p09_encrypted.xlsx")]
    message = result.errors[0].message
    assert "Excel 中打开文件，点“文件 → 信息 → 保护工作簿 → 用密码进行加密”" in message
    assert "WPS 表格：点左上角“文件 → 文档加密 → 密码加密”，清空“打开权限”" in message
    assert "另存为不会去掉密码" in message  # the old advice (save as .xlsx) kept the password


def test_p09_a_reader_error_about_a_password_gets_the_same_advice(tmp_path, monkeypatch):
    """An encrypted .xls (RC4, no EncryptionInfo stream) is refused by the reader itself; its error
    must still become the Chinese advice, never the reader's English text."""
    from generator.intake import tables

    def refuse(data, name):
        raise RuntimeError("Xls error: Workbook is password protected")

    monkeypatch.setattr(tables, "_read_workbook", refuse)
    sheets, problems = tables.read_bytes(tables.OLE_MAGIC + b"\0" * 512, ".xls", "wps.xls")
    assert sheets == [] and [(p.code, p.where) for p in problems] == [("IMPORT_FILE_ENCRYPTED", "wps.xls")]
    assert "文档加密 → 密码加密" in problems[0].message and "Xls error" not in problems[0].message


@pytest.mark.parametrize(
    "name,sheet",
    [("p09_html.xls", "表格1"), ("p09_xml2003.xls", "对象名录"), ("p09_tab.xls", "p09_tab.xls")],
)
def test_p09_html_spreadsheetml_and_tab_text_named_xls_are_read(county_only, name, sheet):
    result = import_file(HERE / name, "objects", "market", county_only)
    assert result.errors == [] and result.sheet == sheet
    assert sorted(_ids(county_only)) == sorted(f[0] for f in NEW_FIRMS)
    assert not load(county_only).findings.errors


# 10. Lists, enumeration synonyms, formula injection, which rows changed ---------------------------


def test_p10_list_separators_and_enumeration_synonyms(county_only):
    result = import_file(HERE / "p10_lists_synonyms.xlsx", "objects", "market", county_only)
    assert result.errors == []
    got = {r.data["id"]: r.data for r in load(county_only).of("objects")}
    first, second = got[NEW_FIRMS[0][0]], got[NEW_FIRMS[1][0]]
    assert (first["tags"], first["kind"], first["status"], first["credit_risk"]) == (
        ["学校食堂", "食品销售"],
        "个体工商户",
        "存续",
        "A",
    )
    assert (second["tags"], second["status"], second["credit_risk"]) == (["加油站", "危化品"], "存续", "C")


def test_p10_formula_like_cells_are_refused(county_only):
    result = plan_import(HERE / "p10_formula_text.csv", "objects", "market", county_only)
    assert _codes(result) == [
        ("IMPORT_CELL_FORMULA_TEXT", "p10_formula_text!C2"),
        ("IMPORT_CELL_FORMULA_TEXT", "p10_formula_text!F3"),
        ("IMPORT_CELL_FORMULA_TEXT", "p10_formula_text!F4"),
        ("IMPORT_CELL_FORMULA_TEXT", "p10_formula_text!G4"),
    ]
    assert result.files == {}


def test_p10_the_summary_says_which_rows_and_fields_changed(full_tree, capsys):
    import_file(HERE / "p01_new_firms.xlsx", "objects", "market", full_tree)
    code, out = _run(
        capsys, HERE / "p01_branch_b.xlsx", "--kind", "objects", "--unit", "market", "--records", full_tree
    )
    assert code == 0
    assert "修改 913213233BJ1XG612E（测试县第一中学食堂）  [对象名录!2]" in out
    assert "地址：示例路1号 → 示例路1号（新址）" in out
