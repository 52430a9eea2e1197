"""Export then import gives identical records; publication and plan exports; templates."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
import yaml

from generator.cli import main
from generator.corpus import load
from generator.intake import SPECS, export_records, import_file, plan_import, write_templates
from generator.schema.fields import Choice

DIRECTORY_KINDS = [
    ("objects", "units/market/objects.csv"),
    ("inspectors", "units/market/inspectors.csv"),
    ("items", "units/market/items.yaml"),
]


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("kind,relpath", DIRECTORY_KINDS)
def test_export_then_import_changes_nothing(tmp_path, full_tree, kind, relpath):
    before = _tree_bytes(full_tree)
    out = tmp_path / f"{kind}.xlsx"
    count = export_records(kind, load(full_tree), "market", out)
    assert count > 0
    result = import_file(out, kind, "market", full_tree)
    assert result.errors == [], [p.render() for p in result.errors]
    assert result.counts.summary() == f"新增 0 条，修改 0 条，删除 0 条，未变 {count} 条"
    assert _tree_bytes(full_tree) == before


@pytest.mark.parametrize("kind,relpath", DIRECTORY_KINDS)
def test_export_import_into_empty_tree_gives_identical_records(tmp_path, full_tree, kind, relpath):
    out = tmp_path / f"{kind}.xlsx"
    export_records(kind, load(full_tree), "market", out)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "county.yaml").write_bytes((full_tree / "county.yaml").read_bytes())
    for unit_file in full_tree.glob("units/*/unit.yaml"):  # an import needs the unit to exist
        (fresh / unit_file.relative_to(full_tree)).parent.mkdir(parents=True)
        (fresh / unit_file.relative_to(full_tree)).write_bytes(unit_file.read_bytes())
    result = import_file(out, kind, "market", fresh, today=dt.date(2026, 1, 5))
    assert result.errors == []
    original = [r.data for r in load(full_tree).of(kind) if r.owner.get("unit") == "market"]
    again = [r.data for r in load(fresh).of(kind)]
    assert sorted(again, key=repr) == sorted(original, key=repr)


def test_result_entries_round_trip_and_are_append_only(tmp_path, full_tree):
    corpus = load(full_tree)
    out = tmp_path / "results.xlsx"
    count = export_records("results", corpus, "market", out)
    before = _tree_bytes(full_tree)
    result = import_file(out, "results", "market", full_tree)
    assert result.errors == [] and result.counts.same == count and result.files == {}
    assert _tree_bytes(full_tree) == before
    # Editing an entered result is refused: corrections are amendments.
    wb = openpyxl.load_workbook(out)
    ws = wb[SPECS["results"].sheet]
    col = [c.value for c in ws[1]].index("检查发现") + 1
    ws.cell(2, col, "发现问题")
    wb.save(out)
    result = plan_import(out, "results", "market", full_tree)
    assert [(p.code, p.where) for p in result.errors] == [
        ("IMPORT_RESULT_CHANGED", f"{SPECS['results'].sheet}!2")
    ]
    assert "检查发现" in result.errors[0].message


def test_new_results_for_a_task_are_appended(tmp_path, full_tree):
    target = full_tree / "units/market/results/T2026-market-01.yaml"
    results_before = load(full_tree).of("results")
    expected = [r.data for r in results_before if r.owner["unit"] == "market"]
    out = tmp_path / "r.xlsx"
    export_records("results", load(full_tree), "market", out)
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    data["entries"].pop()
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shortened = target.read_text(encoding="utf-8")
    result = import_file(out, "results", "market", full_tree)
    assert result.errors == [] and result.counts.added == 1
    assert target.read_text(encoding="utf-8").startswith(shortened)  # existing entries untouched
    again = [r.data for r in load(full_tree).of("results") if r.owner["unit"] == "market"]
    assert again == expected
    assert not [f for f in load(full_tree).findings.errors if "results" in f.file]


def test_new_row_needs_internal_column(tmp_path, full_tree):
    wb = openpyxl.Workbook()
    wb.active.append(["对象编号", "名称", "对象类型", "乡镇（街道）", "状态"])
    wb.active.append(["91320214745555318W", "新公司", "企业", "众兴街道", "存续"])
    wb.save(tmp_path / "n.xlsx")
    result = plan_import(tmp_path / "n.xlsx", "objects", "market", full_tree)
    assert [(p.code, p.where) for p in result.errors] == [("IMPORT_HEADER_MISSING", "Sheet!2")]


def test_item_rows_are_never_deleted(tmp_path, full_tree):
    out = tmp_path / "items.xlsx"
    export_records("items", load(full_tree), "market", out)
    wb = openpyxl.load_workbook(out)
    wb[SPECS["items"].sheet].delete_rows(2)
    wb.save(out)
    merged = plan_import(out, "items", "market", full_tree)  # merge: the missing item is kept
    assert merged.errors == [] and merged.counts.kept == 1 and merged.files == {}
    result = plan_import(out, "items", "market", full_tree, replace=True)
    assert [p.code for p in result.errors] == ["IMPORT_ITEM_REMOVED"]


def test_changed_item_rewrites_only_its_block_and_the_date(tmp_path, full_tree):
    target = full_tree / "units/market/items.yaml"
    before = target.read_text(encoding="utf-8").splitlines()
    out = tmp_path / "items.xlsx"
    export_records("items", load(full_tree), "market", out)
    wb = openpyxl.load_workbook(out)
    ws = wb[SPECS["items"].sheet]
    col = [c.value for c in ws[1]].index("抽查依据") + 1
    ws.cell(3, col, "《市场主体登记管理条例》第三十六条、第三十七条")
    wb.save(out)
    result = import_file(out, "items", "market", full_tree, today=dt.date(2026, 2, 1))
    assert result.errors == [] and result.counts.changed == 1
    after = target.read_text(encoding="utf-8").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
    assert after[1] == "updated_on: 2026-02-01"
    assert any("第三十七条" in line for line in after)
    first_item_end = next(i for i, line in enumerate(before) if line.strip().startswith("- code: SCJG-02"))
    assert before[:first_item_end][2:] == after[:first_item_end][2:]  # the first item is untouched
    assert changed and not load(full_tree).findings.errors


def test_publication_export_columns_and_privacy(tmp_path, full_tree):
    out = tmp_path / "pub.xlsx"
    assert main(["export", "results", "--year", "2026", "--out", str(out), "--records", str(full_tree)]) == 0
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:7] == (
        "序号",
        "统一社会信用代码/注册号",
        "企业名称",
        "检查实施机关",
        "检查类型",
        "检查日期",
        "检查结果",
    )
    corpus = load(full_tree)
    entries = sum(len(r.data["entries"]) for r in corpus.of("results"))
    assert len(rows) - 2 == entries
    assert {r[6] for r in rows[2:]} == {"未发现问题"}
    assert {r[4] for r in rows[2:]} == {"部门联合抽查"}
    names = {o.data["id"]: o.data["name"] for o in corpus.of("objects")}
    assert all(names[r[1]] == r[2] for r in rows[2:])
    flat = " ".join(str(v) for r in rows for v in r)
    for obj in corpus.of("objects"):
        assert f"信用风险{obj.data['credit_risk']}" not in flat
    assert "信用风险分类" not in flat and "手机号码" not in flat


def test_plan_export_xlsx_and_html(tmp_path, full_tree):
    corpus = load(full_tree)
    names = [e.get("name") for p in corpus.of("plans") for e in p.data.get("entries", [])]
    html = tmp_path / "plan.html"
    assert main(["export", "plan", "--year", "2026", "--out", str(html), "--records", str(full_tree)]) == 0
    page = html.read_text(encoding="utf-8")
    assert "2026年度“双随机、一公开”部门联合抽查工作计划" in page
    assert any(n in page for n in names) and "@page" in page
    xlsx = tmp_path / "plan.xlsx"
    assert (
        main(
            [
                "export",
                "plan",
                "--year",
                "2026",
                "--unit",
                "market",
                "--out",
                str(xlsx),
                "--records",
                str(full_tree),
            ]
        )
        == 0
    )
    rows = list(openpyxl.load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[1][0] == "序号" and len(rows) > 2
    market = [e["name"] for p in corpus.of("plans") if p.data["unit"] == "market" for e in p.data["entries"]]
    assert [r[2] for r in rows[2:]] == market
    assert main(["export", "plan", "--year", "1999", "--out", str(xlsx), "--records", str(full_tree)]) == 1


OTHER_KEYS = {
    "objects": "913213233BJ1XG612E",
    "inspectors": "SCJG-999",
    "assistants": "AS-SCJG-999",
    "items": "2026-02-01",
    "results": "913213233BJ1XG612E",
    "plans": "P2026-market-02",
}


def test_templates_are_generated_from_schemas_and_deterministic(tmp_path, county_only):
    first = write_templates(tmp_path / "a")
    second = write_templates(tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in first] == [
        hashlib.sha256(p.read_bytes()).hexdigest() for p in second
    ]
    for (kind, spec), path in zip(SPECS.items(), first, strict=True):
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == ["说明", spec.sheet, "选项", "示例"]
        data = wb[spec.sheet]
        assert [c.value for c in data[1]] == [f.label for f in spec.fields]
        validated = {str(dv.sqref).split(":")[0][:-1] for dv in data.data_validations.dataValidation}
        choice_cols = {
            openpyxl.utils.get_column_letter(i)
            for i, f in enumerate(spec.fields, 1)
            if isinstance(f.type, Choice)
        }
        assert choice_cols <= validated
        listed = [r[2] for r in wb["说明"].iter_rows(min_row=5, values_only=True)]
        assert listed == [f.name for f in spec.fields]
        internal = {r[2] for r in wb["说明"].iter_rows(min_row=5, values_only=True) if r[4] == "是"}
        assert internal == {f.name for f in spec.fields if f.internal}
        # The example row copied into the data sheet is recognised and skipped (issue 12 point 7) …
        example = tmp_path / f"example-{kind}.xlsx"
        ex = openpyxl.Workbook()
        rows = [list(row) for row in wb["示例"].iter_rows(values_only=True)]
        for row in rows:
            ex.active.append(row)
        ex.save(example)
        result = plan_import(example, kind, "market", county_only)
        assert [(p.code, p.where) for p in result.problems] == [
            ("IMPORT_ROW_EXAMPLE", "Sheet!2"),
            ("IMPORT_NO_ROWS", "Sheet"),
        ]
        # … and with another key it is a valid row: the hand-written example rows cannot drift.
        key = rows[0].index(spec.fields[[f.name for f in spec.fields].index(spec.key[-1])].label)
        rows[1][key] = OTHER_KEYS[kind]
        ex = openpyxl.Workbook()
        for row in rows:
            ex.active.append(row)
        ex.save(example)
        result = plan_import(example, kind, "market", county_only, check_repository=False)
        assert result.errors == [], [p.render() for p in result.errors]
        assert result.counts.added == 1


def test_cli_templates(tmp_path, capsys):
    assert main(["templates", "--out", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.xlsx"))) == len(SPECS)
    assert "已生成" in capsys.readouterr().out
