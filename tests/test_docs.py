"""Documentation that cannot drift: every command, field, code and package is documented."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import yaml

import generator
from generator.catalog import CATALOG
from generator.cli import commands
from generator.records import KINDS
from generator.reference import generated

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Codes no broken record can reach through the loader, with the reason.
NOT_IN_CORPUS = {
    "CSV_SYNTAX": "Python's csv reader in non-strict mode accepts every text; kept for strict readers",
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
    missing = sorted(set(CATALOG) - covered - set(NOT_IN_CORPUS))
    assert missing == [], f"add a case to tests/broken/ for: {missing}"


def test_architecture_names_every_package():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for info in pkgutil.iter_modules(generator.__path__):
        if info.ispkg:
            assert f"generator/{info.name}/" in text, info.name


def test_every_draw_code_is_documented_with_a_case_or_a_reason():
    from generator.draw.catalog import DRAW_CATALOG
    from tests.draw.test_codes import CASES, REASONS

    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert [code for code in DRAW_CATALOG if f"| `{code}` |" not in text] == []
    assert sorted(set(DRAW_CATALOG) - set(CASES) - set(REASONS)) == []
