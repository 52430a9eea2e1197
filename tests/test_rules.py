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
