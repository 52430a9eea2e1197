"""Property tests: whatever an official (or a broken editor) writes, the validator never crashes.

Mutated and random YAML and CSV only ever yield findings. Each example rewrites one file of a copy
of the base fixture and runs the whole validation.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.corpus import load
from generator.validation import validate_corpus
from tests.support.tree import BASE

FILES = [
    "county.yaml",
    "units/market/unit.yaml",
    "units/market/items.yaml",
    "units/market/objects.csv",
    "units/market/inspectors.csv",
    "units/market/plans/2026.yaml",
    "units/market/tasks/T2026-market-01.yaml",
]
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(BASE, root)
    return root


def _validate(root):
    findings = validate_corpus(load(root, display_prefix=""))
    for f in findings:  # every finding renders (templates and params agree)
        assert f.code and f.render()
    return findings


@SETTINGS
@given(name=st.sampled_from(FILES), data=st.binary(max_size=400))
def test_random_bytes_never_crash(tree, name, data):
    (tree / name).write_bytes(data)
    _validate(tree)


@SETTINGS
@given(name=st.sampled_from(FILES), text=st.text(max_size=400))
def test_random_text_never_crashes(tree, name, text):
    (tree / name).write_text(text, encoding="utf-8")
    _validate(tree)


@SETTINGS
@given(
    name=st.sampled_from(FILES),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "replace", "indent"]),
            st.integers(min_value=0, max_value=200),
            st.text(alphabet=st.sampled_from(list(":-[]{}#,'\"\t 中文0A9|&*!%@")), max_size=8),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_records_never_crash(tree, name, edits):
    path = tree / name
    lines = path.read_text(encoding="utf-8").split("\n")
    for op, index, text in edits:
        i = index % max(len(lines), 1)
        if op == "delete" and lines:
            lines.pop(i)
        elif op == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif op == "replace" and lines:
            lines[i] = lines[i][: len(lines[i]) // 2] + text
        elif op == "indent" and lines:
            lines[i] = "  " + lines[i]
    path.write_text("\n".join(lines), encoding="utf-8")
    _validate(tree)


def test_a_mutation_is_reported_not_ignored(tree):
    """Guard for the properties above: a real mistake does yield a finding."""
    path = tree / "units/market/unit.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("order: 1", "order: -1"), encoding="utf-8")
    assert [f.code for f in _validate(tree)] == ["FIELD_RANGE"]


@pytest.mark.parametrize("categories", ["\n  - label: 未发现问题\n", " abc\n", "\n  - '1'\n", " null\n"])
def test_malformed_result_categories_are_reported_not_crashed_on(tree, categories):
    # found by test_mutated_records_never_crash: an entry without `code` raised KeyError in a rule
    path = tree / "county.yaml"
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("result_categories:")
    lines = rest.split("\n")
    tail = "\n".join(line for line in lines[1:] if not line.startswith((" ", "-")) or not line.strip())
    path.write_text(head + "result_categories:" + categories + tail, encoding="utf-8")
    findings = list(_validate(tree))
    assert any(f.file.endswith("county.yaml") and f.severity == "error" for f in findings)
