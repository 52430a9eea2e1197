"""Each broken record in tests/broken/ yields exactly its expected (code, file, line) findings.

A case is a YAML file: a description, text patches applied to a copy of the complete valid tree
(tests/fixtures/base plus its engine-made draw and results), and the expected findings. Patches are
exact: a patch whose ``find`` text is missing fails the test, so cases cannot silently rot.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.corpus import load
from generator.validation import validate_corpus

CASES = sorted((Path(__file__).parent / "broken").glob("*.yaml"))


def apply_patches(
    root: Path, patches: list[dict], create: dict | None = None, encodings: dict | None = None
) -> None:
    for name, text in (create or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode((encodings or {}).get(name, "utf-8")))
    for patch in patches:
        path = root / patch["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(patch["find"]) == 1, f"patch text not found exactly once in {patch['file']}"
        path.write_text(text.replace(patch["find"], patch["replace"]), encoding="utf-8")


def findings_of(root: Path) -> list[tuple[str, str, int]]:
    return sorted(f.key for f in validate_corpus(load(root, display_prefix="")))


def test_the_valid_tree_has_no_findings(full_tree):
    assert findings_of(full_tree) == []


def epoch_of(day) -> int:
    """SOURCE_DATE_EPOCH for noon of ``day`` in Beijing: the build's "today" is at least that day
    (results_context.reference_date), whatever the wall clock says."""
    china = dt.timezone(dt.timedelta(hours=8))
    return int(dt.datetime.combine(day, dt.time(12), china).timestamp())


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_record(case, full_tree, monkeypatch):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    if "today" in spec:  # a case dated after today (Beijing): the build's "today" at least this day
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch_of(spec["today"])))
    apply_patches(full_tree, spec.get("patches", []), spec.get("create"), spec.get("encodings"))
    expected = sorted(tuple(x) for x in spec["expected"])
    assert findings_of(full_tree) == expected, spec["description"]


# -- 结果互认 recognises only results that close the matter (issue 13, problem 3) ----------------

TABLE = {
    "1": {"closes": True},
    "E": {"closes": True},
    "A": {"follow_up": True},
    "6": {},
    "8": {},
}


@pytest.mark.parametrize(
    ("categories", "amended", "closes"),
    [
        (["1"], None, True),
        (["E"], None, True),
        (["8"], None, False),  # 不配合检查情节严重
        (["6"], None, False),  # 无法联系
        (["A"], None, False),  # follow-up still open
        (["A"], ["E"], True),  # closed by an appended amendment
        (["E", "A"], None, False),
    ],
)
def test_only_closing_results_are_recognised(categories, amended, closes):
    import datetime as dt

    from generator.registry.facts import Inspection, facts_for
    from generator.rules.outcomes import closes_matter

    entry = {"categories": categories}
    if amended:
        entry["amendments"] = [{"date": dt.date(2026, 6, 1), "changes": {"categories": amended}}]
    assert closes_matter(entry, TABLE) is closes
    past = [
        Inspection("T1", "health", dt.date(2026, 5, 1), frozenset({"X-1"}), [], closes_matter(entry, TABLE))
    ]
    facts = facts_for(past, "market", {"X-1"}, dt.date(2026, 7, 1), 12)
    assert facts["recognised_result"] is closes
    assert facts["inspections_this_year"] == 1  # every inspection still counts toward the annual cap


def test_recognition_follows_the_county_table(full_tree):
    """A 不配合 result in the tree never shields its object from the next draw."""
    from generator.registry.facts import history

    path = full_tree / "units" / "health" / "results" / "T2026-market-01.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - '1'\n", "  - '8'\n", 1), encoding="utf-8")
    for inspections in history(load(full_tree)).values():
        closes = {(i.unit, i.closes) for i in inspections}
        assert ("market", True) in closes
    first = history(load(full_tree))
    assert any(not i.closes for ins in first.values() for i in ins if i.unit == "health")


# -- compliance tracking: follow-ups, referrals, plan execution, empty plans (issue 13, 4 and 8) --


def _patch(root: Path, rel: str, find: str, replace: str) -> None:
    apply_patches(root, [{"file": rel, "find": find, "replace": replace}])


HEALTH_RESULTS = "units/health/results/T2026-market-01.yaml"
FIRST = "- object: 913213233BJ1XG612E\n"


def test_open_follow_up_is_listed_until_an_amendment_closes_it(full_tree):
    import datetime as dt

    from generator.rules.tracking import open_follow_ups

    text = (full_tree / HEALTH_RESULTS).read_text(encoding="utf-8")
    first = text.index(FIRST)
    cats = text.index("  - '1'\n", first)
    (full_tree / HEALTH_RESULTS).write_text(text[:cats] + "  - A\n" + text[cats + 8 :], encoding="utf-8")
    late = dt.date(2026, 12, 31)
    assert [r["object"] for r in open_follow_ups(load(full_tree), late)] == ["913213233BJ1XG612E"]
    assert open_follow_ups(load(full_tree), dt.date(2026, 6, 1)) == []  # not yet past the deadline
    _patch(
        full_tree,
        HEALTH_RESULTS,
        "  - A\n",
        "  - A\n  amendments:\n  - date: 2026-06-20\n    reason: 已办结\n    changes: {categories: [E]}\n",
    )
    assert open_follow_ups(load(full_tree), late) == []
    assert findings_of(full_tree) == []


def test_referral_unacknowledged_until_the_receiver_records_it(full_tree):
    import datetime as dt

    from generator.rules.tracking import unacknowledged_referrals

    text = (full_tree / HEALTH_RESULTS).read_text(encoding="utf-8")
    first = text.index(FIRST)
    cats = text.index("  - '1'\n", first)
    referral = "  - E\n  referrals:\n  - {unit: market, matter: 示例线索, date: 2026-05-12}\n"
    (full_tree / HEALTH_RESULTS).write_text(text[:cats] + referral + text[cats + 8 :], encoding="utf-8")
    corpus = load(full_tree)
    [open_one] = unacknowledged_referrals(corpus, dt.date(2026, 7, 1))
    assert (open_one["from_unit"], open_one["to_unit"]) == ("health", "market")
    assert unacknowledged_referrals(corpus, dt.date(2026, 5, 20)) == []  # within 10 working days
    receipt = full_tree / "units/market/referrals/T2026-market-01.yaml"
    receipt.parent.mkdir(parents=True)
    receipt.write_text(
        "task: T2026-market-01\nunit: market\nreceipts:\n"
        "  - {object: 913213233BJ1XG612E, from_unit: health, received_on: 2026-05-14}\n",
        encoding="utf-8",
    )
    assert unacknowledged_referrals(load(full_tree), dt.date(2026, 7, 1)) == []
    assert findings_of(full_tree) == []


def test_plan_execution_and_empty_plans_in_the_report(full_tree):
    import datetime as dt

    from generator.reports.compliance import compliance

    report = compliance(load(full_tree), 2026, dt.date(2026, 12, 31))
    rows = {r["entry"]: r["status"] for r in report["plan_execution"]["rows"]}
    assert rows["P2026-market-01"] == "已实施"
    _patch(full_tree, "units/market/tasks/T2026-market-01.yaml", "plan_entry: P2026-market-01\n", "")
    _patch(
        full_tree, "units/market/tasks/T2026-market-01.yaml", "type: 计划内\n", "type: 临时\nreason: 示例\n"
    )
    report = compliance(load(full_tree), 2026, dt.date(2026, 12, 31))
    assert report["plan_execution"]["not_done"] == ["P2026-market-01"]


def test_plan_frequency_is_tracked(full_tree):
    import datetime as dt

    from generator.reports.compliance import compliance

    _patch(full_tree, "units/market/plans/2026.yaml", "    window:", "    frequency: 2\n    window:")
    report = compliance(load(full_tree), 2026, dt.date(2026, 12, 31))
    row = next(r for r in report["plan_execution"]["rows"] if r["entry"] == "P2026-market-01")
    assert (row["frequency"], row["tasks"], row["status"]) == (2, ["T2026-market-01"], "未达频次")


def test_an_empty_plan_does_not_count_as_on_time(full_tree):
    import datetime as dt

    from generator.reports.compliance import compliance

    assert "entries" not in (full_tree / "units/health/plans/2026.yaml").read_text(encoding="utf-8")
    report = compliance(load(full_tree), 2026, dt.date(2026, 12, 31))
    market = next(r for r in report["unit_plans"]["rows"] if r["unit"] == "market")
    assert market["status"] == "按时"  # filed in time with entries
    health = next(r for r in report["unit_plans"]["rows"] if r["unit"] == "health")
    assert health["status"] == "空计划" and "health" in report["unit_plans"]["late"]
    assert report["plan_execution"]["empty_plans"] == ["health"]


def test_domain_doc_names_only_real_codes_and_every_clause():
    """docs/domain.md is the county's line-by-line check: its codes must exist, its clauses be complete."""
    import re

    from generator.catalog import CATALOG
    from generator.workflow.catalog import WORKFLOW_CATALOG

    text = (Path(__file__).resolve().parents[1] / "docs" / "domain.md").read_text(encoding="utf-8")
    codes = set(re.findall(r"`([A-Z][A-Z0-9_]{4,})`", text))
    assert codes and not {c for c in codes if c not in CATALOG and c not in WORKFLOW_CATALOG}
    clauses = ["二（一）", "二（二）", "二（三）", "二（四）", "二（五）"]
    clauses += [f"三（{n}）" for n in "一二三四五"] + [f"四（{n}）" for n in "一二三"]
    clauses += [f"五（{n}）" for n in "一二三四"] + ["附件"]
    rows = [line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")]
    assert set(clauses) <= set(rows), set(clauses) - set(rows)


# -- 公示 export (issue 13, problem 5) on the small tree ---------------------------------------


def test_publication_rows_per_department_own_items_and_scope(full_tree):
    from generator.intake.export import publication_rows

    _patch(
        full_tree,
        "units/market/unit.yaml",
        "short_name: 市场监管\n",
        "legal_name: 测试县市场监督管理局\nshort_name: 市场监管\n",
    )
    pub = publication_rows(load(full_tree), 2026, None)
    by_authority: dict[str, set[str]] = {}
    for row in pub.rows:
        by_authority.setdefault(row[3], set()).add(row[8])
    # one row per department and object, each with its own item only; legal name when recorded
    assert by_authority == {
        "测试县市场监督管理局": {"学校食堂食品安全情况的检查"},
        "县卫健局": {"学校传染病防控和饮用水卫生的检查"},
    }
    assert {row[7] for row in pub.rows} == {"定向"}  # the task filters by 专项库 tag
    objects_before = {row[1] for row in pub.rows}
    _patch(
        full_tree,
        "units/market/objects.csv",
        "测试县第一中学食堂,企业,众兴街道,示例路1号,学校食堂,存续,A,否",
        "测试县第一中学食堂,事业单位,众兴街道,示例路1号,学校食堂,存续,,否",
    )
    pub = publication_rows(load(full_tree), 2026, None)
    assert "913213233BJ1XG612E" not in {row[1] for row in pub.rows}
    assert {row[1] for row in pub.others} == {"913213233BJ1XG612E"} and len(pub.others) == 2
    assert {row[1] for row in pub.rows} == objects_before - {"913213233BJ1XG612E"}


# -- one 执法证, however it is typed (INSPECTOR_BADGE_DUPLICATE) ---------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["ＳＣＪＧ2021010003", "scjg2021010003", "SCJG 2021010003", "SCJG-2021010003", "SCJG－2021·010003"],
)
def test_a_badge_typed_another_way_is_the_same_badge(spelling, full_tree):
    apply_patches(
        full_tree,
        [
            {
                "file": "units/market/inspectors.csv",
                "find": "SCJG-003,示例检查员三,market,32130003",
                "replace": "SCJG-003,示例检查员三,market,SCJG2021010003",
            },
            {
                "file": "units/health/inspectors.csv",
                "find": "WJ-003,示例卫生监督员三,health,32130103",
                "replace": f"WJ-003,示例检查员三,health,{spelling}",
            },
        ],
    )
    found = [
        f
        for f in validate_corpus(load(full_tree, display_prefix=""))
        if f.code == "INSPECTOR_BADGE_DUPLICATE"
    ]
    assert [f.key for f in found] == [("INSPECTOR_BADGE_DUPLICATE", "units/market/inspectors.csv", 4)]
    # both spellings, the first row's place and the field, so the clerk sees which two rows clash
    assert "“SCJG2021010003”" in found[0].message and f"“{spelling}”" in found[0].message
    assert "units/health/inspectors.csv:4" in found[0].message and found[0].path == "badge_no"


def test_a_header_cell_over_the_csv_field_limit_is_a_finding_not_a_crash(full_tree):
    """The loader re-read the header row with the csv module, which raised on a cell over its field
    limit: validate ended in an internal error instead of naming the file."""
    path = full_tree / "units" / "market" / "objects.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",", "," + "x" * 200_000 + ",", 1), encoding="utf-8")
    found = findings_of(full_tree)
    assert ("CSV_SYNTAX", "units/market/objects.csv", 1) in found, found


def test_a_misspelt_suffix_names_the_file_name_to_use():
    """``.yml``, ``.YAML`` and ``.CSV`` would be read by nothing: the message gives the exact name."""
    from generator.errors import finding
    from generator.records import misspelt_suffix

    assert misspelt_suffix("units/market/objects.CSV") == "units/market/objects.csv"
    assert misspelt_suffix("units/market/results/T1.yml") == "units/market/results/T1.yaml"
    assert misspelt_suffix("units/market/results/T1.yaml") is None  # already read
    assert misspelt_suffix("units/market/notes.txt") is None  # no kind under any spelling: FILE_UNKNOWN
    message = finding("FILE_SUFFIX", "f", value="a.yml", expected="a.yaml").message
    assert message.startswith("记录文件的扩展名写法不对，本文件不会被读取") and "“a.yaml”" in message


def test_an_empty_record_file_is_called_empty_not_a_value(tmp_path):
    """A clerk who saved an empty unit.yaml is told the file is empty, not shown Python's None."""
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[1] / "records", tmp_path / "records")
    (tmp_path / "records/units/health/unit.yaml").write_text("", encoding="utf-8")
    found = [f for f in load(tmp_path / "records").findings if f.code == "YAML_NOT_MAPPING"]
    assert len(found) == 1 and "空文件（没有任何字段）" in found[0].message and "None" not in found[0].message
