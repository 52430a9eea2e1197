"""The 公示 export on the bundled sample, per department (issue 13 point 5 and the per-department
results of point 1): a joint task gives one row per participating department and object, each with
that department's own items from its own list, under its own legal name."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from generator.corpus import load
from generator.intake.export import PUBLICATION_COLUMNS, publication_rows

RECORDS = Path(__file__).resolve().parents[1] / "records"
COL = {name: i for i, name in enumerate(PUBLICATION_COLUMNS)}


@pytest.fixture(scope="module")
def corpus():
    return load(RECORDS)


def test_joint_tasks_give_one_row_per_department_with_its_own_items(corpus):
    pub = publication_rows(corpus, 2026, None)
    units = {u.data["id"]: u.data for u in corpus.of("unit")}
    legal = {d["legal_name"]: uid for uid, d in units.items()}
    owner_of = {code: vs[-1].owner["unit"] for code, vs in corpus.items_by_code.items()}
    platform = {t.data.get("platform_no") or t.data["id"]: t.data for t in corpus.of("tasks")}
    entries = {
        (r.data["task"], r.owner.get("unit") or r.data["unit"], e["object"]): e
        for r in corpus.of("results")
        for e in r.data["entries"]
    }
    by_visit: dict[tuple, list] = defaultdict(list)
    for row in pub.rows + pub.others:
        by_visit[(row[COL["任务编号"]], row[COL["统一社会信用代码/注册号"]])].append(row)
    joint_visits = 0
    for (task_no, _obj), rows in by_visit.items():
        task = platform[task_no]
        authorities = [r[COL["检查实施机关"]] for r in rows]
        assert len(authorities) == len(set(authorities)), rows  # one row per department
        for row in rows:
            unit = legal[row[COL["检查实施机关"]]]
            assert unit in task["participants"], (task_no, unit)
            own = [c for c in task["items"] if owner_of.get(c) == unit]  # its own list, in this task
            entry = entries[(task["id"], unit, row[COL["统一社会信用代码/注册号"]])]
            codes = entry.get("items") or own
            assert codes and set(codes) <= set(own), row
            names = "、".join(corpus.items_by_code[c][-1].data["name"] for c in codes)
            assert row[COL["抽查事项"]] == names, row
            catalog = [corpus.items_by_code[c][-1].data.get("catalog_code") for c in codes]
            assert row[COL["事项编码"]] == "、".join(c for c in catalog if c), row
        if len(task["participants"]) > 1 and len(rows) > 1:
            joint_visits += 1
            item_sets = [r[COL["抽查事项"]] for r in rows]
            assert len(set(item_sets)) == len(item_sets), rows  # departments never share an item row
            assert all(r[COL["检查类型"]] == "部门联合抽查" for r in rows)
    assert joint_visits >= 5  # the sample really has joint visits with several departments


def test_every_result_entry_names_only_its_departments_items_of_that_task(corpus):
    owner_of = {code: vs[-1].owner["unit"] for code, vs in corpus.items_by_code.items()}
    checked = 0
    for rec in corpus.of("results"):
        unit = rec.owner.get("unit") or rec.data["unit"]
        task = corpus.tasks[rec.data["task"]].data
        own = {c for c in task["items"] if owner_of.get(c) == unit}
        assert own, (rec.file, "a participant with no item of its own in the task")
        for entry in rec.data["entries"]:
            assert set(entry.get("items") or own) <= own, (rec.file, entry["object"])
            checked += 1
    assert checked > 100


def test_exports_of_the_sample_say_its_codes_and_dates_are_illustrative(corpus, tmp_path, capsys):
    import openpyxl

    from generator.cli import main
    from generator.records import BY_NAME

    out = tmp_path / "公示.xlsx"
    assert main(["export", "results", "--year", "2026", "--out", str(out), "--records", str(RECORDS)]) == 0
    title = openpyxl.load_workbook(out).active["A1"].value
    assert (
        title
        == "2026年“双随机、一公开”抽查检查结果（示例数据：事项编码、平台编号和单位变更日期为示意值，不可报送）"
    )
    plan = tmp_path / "计划.xlsx"
    assert main(["export", "plan", "--year", "2026", "--out", str(plan), "--records", str(RECORDS)]) == 0
    assert "（示例数据：" in openpyxl.load_workbook(plan).active["A1"].value
    codes = [c for vs in corpus.items_by_code.values() if (c := vs[-1].data.get("catalog_code"))]
    assert codes and all(c.startswith("DEMO-") for c in codes)  # visibly not a real catalogue code
    pboc = corpus.units["pboc"].data
    assert all("示例日期" in change["basis"] for change in pboc["changes"])
    described = BY_NAME["county"].field_named("demo").description
    assert "DEMO-" in described and "单位变更日期" in described


def test_a_real_county_export_has_no_sample_note(tmp_path):
    from generator.intake.export import demo_note

    county = (RECORDS / "county.yaml").read_text(encoding="utf-8").replace("demo: true", "demo: false")
    (tmp_path / "county.yaml").write_text(county, encoding="utf-8")
    assert demo_note(load(tmp_path)) == ""


# -- red team, seventh round ---------------------------------------------------------------------

SCJG_12_OLD_END = "    effective_from: 2022-07-01\n    status: 有效\n  - code: SCJG-13"
SCJG_12_NEW_VERSION = """    effective_from: 2022-07-01
    effective_to: 2026-08-31
    status: 有效
  - code: SCJG-12
    catalog_code: DEMO-SCJG-12-2026
    domain: 价格监督
    name: 明码标价和价格欺诈行为的检查
    objects: 经营者
    category: 一般
    basis: 《价格法》第十三条；《明码标价和禁止价格欺诈规定》
    methods: [实地检查, 网络监测]
    authority: 县市场监管局
    joint_units: [development-reform]
    ratio_cap: 5%
    qualifications: [价格监督]
    check_points:
      - content: 商品和服务是否明码标价
        method: 现场查看价签和价目表
        basis: 《明码标价和禁止价格欺诈规定》第五条
    effective_from: 2026-09-01
    status: 有效
    change_note: 增加价格欺诈行为的检查。
  - code: SCJG-13"""


@pytest.fixture
def sample(tmp_path):
    import shutil

    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    return root


def test_an_item_is_published_as_the_version_in_force_on_the_inspection_day(sample):
    """A new version of an item from September (new name and 事项编码) made every April and May
    inspection of it appear in the 公示 export under the September name and code."""
    path = sample / "units/market/items.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(SCJG_12_OLD_END) == 1
    path.write_text(text.replace(SCJG_12_OLD_END, SCJG_12_NEW_VERSION), encoding="utf-8")
    corpus = load(sample)
    from generator.validation import validate_corpus

    assert [f.code for f in validate_corpus(corpus) if f.severity == "error"] == []
    pub = publication_rows(corpus, 2026, "market")
    seen = set()
    for row in pub.rows + pub.others:
        if "SCJG-12" not in row[COL["事项编码"]]:
            continue
        before = row[COL["检查日期"]].month < 9
        expected = (
            ("明码标价的检查", "DEMO-SCJG-12")
            if before
            else ("明码标价和价格欺诈行为的检查", "DEMO-SCJG-12-2026")
        )
        assert (row[COL["抽查事项"]], row[COL["事项编码"]]) == expected, row
        seen.add(before)
    assert seen == {True, False}  # inspections on both sides of the change


def test_hand_picked_results_are_not_published_as_random_inspections(sample):
    """A 投诉举报 task's firm (picked by hand, no draw) was exported to the 公示 table of
    “双随机、一公开”抽查检查结果 as 部门联合抽查, 抽查类型 不定向: a chosen firm shown as randomly drawn."""
    from tests.test_non_random_tasks import COMPLAINT_TASK, HAND_PICKED_RESULT

    task = COMPLAINT_TASK.format(unit="market", type="投诉举报", item="SCJG-01")
    (sample / "units/market/tasks/T2026-market-90.yaml").write_text(task, encoding="utf-8")
    (sample / "units/market/results/T2026-market-90.yaml").write_text(
        HAND_PICKED_RESULT.format(draw=""), encoding="utf-8"
    )
    before = publication_rows(load(RECORDS), 2026, "market")
    pub = publication_rows(load(sample), 2026, "market")
    assert [
        r[COL["任务编号"]] for r in pub.rows + pub.others if r[COL["任务编号"]] == "T2026-market-90"
    ] == []
    assert len(pub.rows) == len(before.rows) and len(pub.others) == len(before.others)
    assert pub.non_random == 1


def test_a_tasks_page_and_check_sheet_show_the_items_as_the_task_was_run(sample):
    """The task page and the printable check sheet listed each item's latest version: a version
    from September put its new name, check points and basis on an April task's sheet."""
    from generator.site.models_records import task_pages
    from generator.site.site_data import build_site_data

    path = sample / "units/market/items.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(SCJG_12_OLD_END, SCJG_12_NEW_VERSION), encoding="utf-8")
    site_data = build_site_data(load(sample))
    pages = {p.path: p for p in task_pages(site_data, {"T2026-agriculture-01"})}
    for name in ("tasks/T2026-agriculture-01.md", "tasks/T2026-agriculture-01-sheet.md"):
        items = {i["code"]: i for i in pages[name].data["items"]}
        assert items["SCJG-12"]["name"] == "明码标价的检查", name
        assert items["SCJG-12"]["catalog_code"] == "DEMO-SCJG-12", name
