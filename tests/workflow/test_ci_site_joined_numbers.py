"""A number cut across two files stops no unit's site (red team, seventh round).

A unit's name ending ``…第138`` and a task name starting ``0013 8000`` passed ``validate`` file by
file; on the object pages (检查单位 | 抽查任务 in one row) the build's final scan read them as one
mobile number and refused the whole site, and ``ci site`` had nothing it could leave out.
PRIVACY_NUMBER_ACROSS_RECORDS now names both files, so ``ci site`` leaves them out and publishes the
rest; a value ending in a fragment beside the year every task name starts with blames the fragment only.
"""

from __future__ import annotations

import yaml

from generator.cli import main
from generator.corpus import load
from generator.validation import validate_corpus
from tests.support.tree import build_full
from tests.test_rules import apply_patches

CASE = "tests/broken/privacy_number_across_records.yaml"


def test_two_files_that_join_into_a_number_are_left_out_and_the_rest_is_published(tmp_path, capsys):
    records = build_full(tmp_path / "records")
    apply_patches(records, yaml.safe_load(open(CASE, encoding="utf-8"))["patches"])
    out_dir = tmp_path / "site"
    code = main(["ci", "site", "--records", str(records), "--out", str(out_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert (
        "未收录：units/market/unit.yaml" in out and "未收录：units/market/tasks/T2026-market-01.yaml" in out
    ), out
    assert (out_dir / "index.html").is_file()
    pages = "".join(p.read_text(encoding="utf-8") for p in out_dir.rglob("*.html"))
    assert "第138" not in pages and "0013 8000" not in pages


def test_a_fragment_beside_the_year_of_every_task_name_blames_the_fragment_only(tmp_path):
    records = build_full(tmp_path / "records")
    path = records / "units" / "market" / "objects.csv"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[1].split(",")[2]  # the first object's name
    path.write_text(text.replace(first, first + "联系 138 0013", 1), encoding="utf-8")
    found = [f for f in validate_corpus(load(records, display_prefix="")) if f.code.startswith("PRIVACY")]
    assert [(f.code, f.file) for f in found] == [
        ("PRIVACY_NUMBER_ACROSS_RECORDS", "units/market/objects.csv")
    ]
    assert "138****2026" in found[0].message


def _append_to_name(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_one_value_that_joins_many_others_is_blamed_alone(tmp_path):
    """A unit's value starting with ten digits joins every value ending in 1 (other units' names,
    tasks): blaming both sides would let one hostile row leave every other unit's files out."""
    records = build_full(tmp_path / "records")
    units = records / "units"
    _append_to_name(units / "health" / "unit.yaml", "name: 县卫健局\n", "name: 县卫健局1\n")
    _append_to_name(units / "market" / "unit.yaml", "name: 县市场监管局\n", "name: 县市场监管局1\n")
    _append_to_name(units / "market" / "objects.csv", ",测试县第一中学食堂,", ",3213230001号仓库,")
    found = [f for f in validate_corpus(load(records, display_prefix="")) if f.code.startswith("PRIVACY")]
    assert {(f.code, f.file) for f in found} == {
        ("PRIVACY_NUMBER_ACROSS_RECORDS", "units/market/objects.csv")
    }
