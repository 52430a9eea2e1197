"""Each broken record in tests/broken/ yields exactly its expected (code, file, line) findings.

A case is a YAML file: a description, text patches applied to a copy of the complete valid tree
(tests/fixtures/base plus its engine-made draw and results), and the expected findings. Patches are
exact: a patch whose ``find`` text is missing fails the test, so cases cannot silently rot.
"""

from __future__ import annotations

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


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_record(case, full_tree):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
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
