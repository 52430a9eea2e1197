"""ci site / ci publish leave out the files with errors, until the rest validates (withhold.py)."""

from __future__ import annotations

from generator.cli.ci_steps import withhold
from tests.support.tree import build_full


def test_a_broken_plan_is_left_out_alone(tmp_path):
    root = build_full(tmp_path / "records")
    plan = root / "units/health/plans/2026.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("2026-01-25", "2026-13-45"), encoding="utf-8")
    w = withhold.plan(root)
    assert w.ok and w.files == ["units/health/plans/2026.yaml"]
    assert [f.code for f in w.findings] == ["FIELD_DATE"]
    assert plan.is_file() and "2026-13-45" in plan.read_text(encoding="utf-8")  # records untouched
    assert not list(tmp_path.glob(".withheld-*"))
    assert "未收录：units/health/plans/2026.yaml" in withhold.message(w)


def test_county_and_registry_errors_cannot_be_left_out(tmp_path):
    root = build_full(tmp_path / "records")
    (root / "county.yaml").write_text("name: [\n", encoding="utf-8")
    w = withhold.plan(root)
    assert not w.ok and w.files == [] and {f.file for f in w.blocking} == {"county.yaml"}


def test_a_valid_tree_leaves_nothing_out(tmp_path):
    root = build_full(tmp_path / "records")
    w = withhold.plan(root)
    assert w.ok and w.files == [] and not list(tmp_path.glob(".withheld-*"))


def _many_bad_objects(root, count: int):
    """A directory for health (whose objects no draw names) of ``count`` rows, each with a township
    not in the dictionary."""
    market = (root / "units/market/objects.csv").read_text(encoding="utf-8")
    rows = "".join(
        f"91321323{n:09d}X,统一社会信用代码,测试县第{n}号店,企业,不存在镇,示例路{n}号,,存续,A,否\n"
        for n in range(count)
    )
    path = root / "units/health/objects.csv"
    path.write_text(market.splitlines(keepends=True)[0] + rows, encoding="utf-8")
    return path


def test_the_message_lists_at_most_twenty_findings_per_file(tmp_path):
    # one bad value repeated on every row gave one line per row, and a forge drops a job summary over
    # 1 MiB: the summary lists the first 20 per file and says how many more (validate lists them all)
    root = build_full(tmp_path / "records")
    _many_bad_objects(root, 45)
    w = withhold.plan(root)
    objects = "units/health/objects.csv"
    assert w.ok and w.files == [objects], [f.render() for f in w.blocking]
    in_file = [f for f in w.findings if f.file == objects]
    assert len(in_file) >= 45
    text = withhold.message(w)
    listed = [line for line in text.splitlines() if line.startswith(f"  {objects}:")]
    assert len(listed) == withhold.MAX_LISTED == 20
    assert f"……{objects} 另有 {len(in_file) - 20} 条错误未列出" in text
    assert f"未收录：{objects}" in text


def test_a_drawn_object_deleted_from_the_records_blocks_the_site(tmp_path):
    root = build_full(tmp_path / "records")
    path = root / "units/market/objects.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if not x.startswith("913213233BJ1XG612E,")), encoding="utf-8")
    w = withhold.plan(root)
    assert not w.ok
    assert ("DRAW_OBJECT_MISSING", "draws/2026/D2026-0001/result.yaml", 53) in {f.key for f in w.blocking}


def _bad_cell_in_a_drawn_directory(root):
    """One bad cell (an object type not in the dictionary) in market's directory, whose objects the
    draw names: the whole file is left out, so the draw result then names objects with no row."""
    path = root / "units/market/objects.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(",测试县第二中学食堂,企业,", ",测试县第二中学食堂,公司,", 1), encoding="utf-8"
    )
    return path


def test_leaving_out_a_drawn_directory_does_not_block_every_units_site(tmp_path):
    # One unit's bad cell in objects.csv on main blocked the site for every unit: leaving the file out
    # made the draw result (which cannot be left out) name objects without a row. Errors that only
    # leaving out created are consequences, listed, never a reason to publish nothing.
    root = build_full(tmp_path / "records")
    _bad_cell_in_a_drawn_directory(root)
    w = withhold.plan(root)
    assert w.ok, [f.render() for f in w.blocking]
    assert "units/market/objects.csv" in w.files
    assert {f.code for f in w.consequences} == {"DRAW_OBJECT_MISSING"}
    assert {f.file for f in w.consequences} == {"draws/2026/D2026-0001/result.yaml"}
    text = withhold.message(w)
    assert "draws/2026/D2026-0001/result.yaml" in text and "DRAW_OBJECT_MISSING" in text


def test_leaving_out_a_drawn_task_does_not_block_every_units_site(tmp_path):
    # the same through a task record: a drawn task left out leaves its draw request naming no task
    root = build_full(tmp_path / "records")
    task = root / "units/market/tasks/T2026-market-01.yaml"
    task.write_text(task.read_text(encoding="utf-8") + "unknown_field: 1\n", encoding="utf-8")
    w = withhold.plan(root)
    assert w.ok, [f.render() for f in w.blocking]
    assert "units/market/tasks/T2026-market-01.yaml" in w.files
    assert w.consequences and all(f.file.startswith("draws/") for f in w.consequences)


def _others_files(w, unit: str) -> list[str]:
    return [rel for rel in w.files if not rel.startswith(f"units/{unit}/")]


def test_a_units_broken_unit_yaml_withholds_only_that_file(tmp_path):
    # health's unit.yaml saved in GBK on main: the unit vanished, so every other unit's file naming
    # it (market's joint task, items, results) was left out too. In the sample one such file took
    # 149 files of 17 units off the site. The unit stays, as a stand-in that says its details are
    # withheld, and only the broken file is left out.
    root = build_full(tmp_path / "records")
    (root / "units/health/unit.yaml").write_bytes("id: health\nname: 县卫生健康委\n".encode("gbk"))
    w = withhold.plan(root)
    assert w.ok, [f.render() for f in w.blocking]
    assert w.files == ["units/health/unit.yaml"], w.files
    assert {f.code for f in w.findings} == {"FILE_ENCODING"}
    assert (root / "units/health/unit.yaml").read_bytes().startswith(b"id: health")  # records untouched


def test_a_unit_folder_without_unit_yaml_is_named_and_withholds_nothing_else(tmp_path):
    # unit.yaml deleted, or a folder named unit.yaml (Git keeps it with a file inside): no finding
    # named the cause (only 成员单位“health”不存在 on other units' files), and those were left out
    root = build_full(tmp_path / "records")
    (root / "units/health/unit.yaml").unlink()
    (root / "units/health/unit.yaml").mkdir()
    (root / "units/health/unit.yaml/README.md").write_text("x\n", encoding="utf-8")
    w = withhold.plan(root)
    assert w.ok, [f.render() for f in w.blocking]
    assert w.files == ["units/health/unit.yaml"], w.files
    assert [(f.code, f.file) for f in w.findings] == [("UNIT_FILE_MISSING", "units/health/unit.yaml")]
    assert "units/health/unit.yaml" in w.findings[0].render() and "unit.yaml" in w.findings[0].message
    assert (root / "units/health/unit.yaml/README.md").is_file()
