"""Documentation that cannot drift: every command, field, code and package is documented."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import yaml

import generator
from generator.catalog import CATALOG
from generator.cli import commands
from generator.records import KINDS
from generator.reference import catalogs, generated

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Codes no broken record can reach through the loader, with the reason.
NOT_IN_CORPUS = {
    "CSV_SYNTAX": "Python's csv reader in non-strict mode accepts every text; kept for strict readers",
    "IMPORT_HEADER_UNKNOWN": "retired: unknown columns are ignored with IMPORT_HEADER_IGNORED; never reused",
    "IMPORT_NEW_ERROR": "a message wrapper: the import reports the validator's own code (ID_DUPLICATE, "
    "RESULT_NOT_DRAWN, …) with this text; tests/intake/test_issue12.py asserts those codes",
    # Frozen pools are read by draw/verify/build (generator/bounded.py), never by validate; proof in
    # tests/hostile/cases/draw_pools_*.yaml and tests/test_bounded_reads.py.
    "JSON_SYNTAX": "pool-internal.json is not a record file; covered by the draw_pools_* hostile cases",
    "DRAW_OFFICER_DRAW_MISMATCH": "needs a pending request made by the request command (a patch cannot make "
    "one); tests/test_substitutions.py::test_a_pending_request_must_draw_officers_as_the_task_chose",
    "DRAW_ENTROPY_VALUE_INVALID": "needs an accepted request whose entropy CI has not accepted yet, made by "
    "the request and accept commands; tests/test_entropy_values.py::"
    "test_a_hand_written_entropy_file_is_refused_before_the_round_not_failed_after_it",
    "DRAW_POOL_OBJECT_MISSING": "needs an accepted request with its frozen pool, made by the request and "
    "accept commands; tests/test_registry_grinding.py::"
    "test_an_object_in_a_pending_draws_pool_cannot_be_deleted_before_the_draw",
    "RESULT_ROSTER_CHANGED_LATER": "needs a non-random task (no frozen pool), which the base tree has not; "
    "tests/test_non_random_tasks.py::test_an_officer_who_moves_after_publication_leaves_the_published_result_in_place",
}


def test_generated_reference_files_are_current():
    stale = [str(p.relative_to(ROOT)) for p, text in generated(ROOT).items() if p.read_text("utf-8") != text]
    assert stale == [], "run `python -m generator schemas` and commit"


def test_every_command_is_in_the_readme_table():
    for name in commands():
        assert f"| `{name}` |" in README, f"command {name} is not documented in README.md"


def test_every_field_of_every_kind_is_in_the_field_reference():
    text = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"（`{kind.name}`）" in text
        for f in kind.fields:
            assert f"| `{f.name}` | {f.label} |" in text or f"`{f.name}`" in text, (kind.name, f.name)


def test_every_finding_code_has_a_broken_record_or_a_reason():
    covered = set()
    for case in (ROOT / "tests" / "broken").glob("*.yaml"):
        covered |= {code for code, _, _ in yaml.safe_load(case.read_text("utf-8"))["expected"]}
    for case in (ROOT / "tests" / "hostile" / "cases").glob("*.yaml"):  # the hostile-input corpus
        covered |= {code for code, _, _ in yaml.safe_load(case.read_text("utf-8")).get("expected", [])}
    missing = sorted(set(CATALOG) - covered - set(NOT_IN_CORPUS))
    assert missing == [], f"add a case to tests/broken/ for: {missing}"


def test_every_code_of_every_catalog_is_documented_and_reached_by_a_test():
    """Codes outside the loader (import, workflow, …) have no broken-record corpus: a test must name
    the code in an assertion (quoted, outside this file), or NOT_IN_CORPUS must say why none can."""
    tests = [
        p.read_text("utf-8")
        for p in (ROOT / "tests").rglob("*.py")
        if p.name != "test_docs.py" and "broken" not in p.parts
    ]
    errors_md = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    unreached = []
    for _, catalog in catalogs():
        for code, entry in catalog.items():
            assert f"| `{code}` |" in errors_md, code
            assert entry.template and entry.summary, code
            if code in CATALOG or code in NOT_IN_CORPUS or code in REGISTRY_WITHOUT_OWN_TEST:
                continue
            if not any(f'"{code}"' in text or f"'{code}'" in text for text in tests):
                unreached.append(code)
    assert unreached == [], f"add a test that produces: {sorted(unreached)}"


# Registry codes (issue 11) that no test produces by name yet: each needs a test that triggers it.
# Listed, not hidden: issue 11 stays open until this set is empty. It is: tests/test_registry_codes.py.
REGISTRY_WITHOUT_OWN_TEST: set[str] = set()

# Codes whose message reports a fact with nothing for the reader to change.
NO_FIX_NEEDED = {
    "IMPORT_ROWS_SKIPPED": "a notice that blank rows were left out; nothing is wrong",
    "IMPORT_ROW_FOOTER": "a notice that a footer row (合计, 填表人) was left out; nothing is wrong",
    "IMPORT_ROW_EXAMPLE": "a notice that the template's example row was left out; nothing is wrong",
}
FIX_WORDS = ("请", "应", "可", "须", "需", "改", "补", "核对", "{hint}")


def test_every_template_says_how_to_fix_it():
    lacking = [
        code
        for _, catalog in catalogs()
        for code, entry in catalog.items()
        if code not in NO_FIX_NEEDED
        and entry.template != "{file}：{detail}"  # registry decisions: the words are in {detail}
        and not any(w in entry.template for w in FIX_WORDS)
    ]
    assert lacking == [], f"say how to fix: {lacking}"


def test_no_message_template_shows_a_python_repr():
    """Templates fill values into 「“{value}”」, never through !r or a bare list/dict placeholder."""
    for _, catalog in catalogs():
        for code, entry in catalog.items():
            assert "!r}" not in entry.template, code
            assert "repr(" not in entry.template, code


def test_architecture_names_every_package_and_top_level_module():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    found = list(pkgutil.iter_modules(generator.__path__))
    packages = [info.name for info in found if info.ispkg]
    assert "schema" in packages and "reports" in packages  # a package without __init__.py is invisible
    for info in found:
        named = f"generator/{info.name}/" if info.ispkg else f"generator/{info.name}.py"
        assert named in text, named
    # and no package the text names is gone
    for name in re.findall(r"generator/([a-z_]+)/", text):
        assert name in packages, f"docs/architecture.md names generator/{name}/, which does not exist"


def test_every_draw_code_is_documented_with_a_case_or_a_reason():
    from generator.catalog.draw import DRAW_CATALOG
    from tests.draw.test_codes import CASES, REASONS

    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert [code for code in DRAW_CATALOG if f"| `{code}` |" not in text] == []
    assert sorted(set(DRAW_CATALOG) - set(CASES) - set(REASONS)) == []


def test_the_readme_counts_the_sample_warnings_right():
    """The README tells a new user how many warnings the sample's validate shows (on purpose)."""
    from generator.errors import WARNING
    from generator.validation import validate_tree

    said = int(
        re.search(r"示例数据的 `validate` 会报 (\d+) 个警告", (ROOT / "README.md").read_text("utf-8"))[1]
    )
    found = list(validate_tree(ROOT / "records"))
    assert [f for f in found if f.severity != WARNING] == []
    assert said == len(found)
