"""CODEOWNERS for every forge: the joint office owns code, CI, schemas and scripts; units their folders.

GitHub/GitLab: last matching pattern wins. Gitea/Forgejo: Go regular expressions, every matching
rule applies, so the joint office's catch-all must exclude the unit folders.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.corpus import load
from generator.workflow.codeowners import PATHS, PROTECTED, protected_area, render

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "records"


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(FIXTURE, root)
    unit = root / "units" / "market" / "unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8") + "reviewers: ['@siyang/market']\n", encoding="utf-8")
    return load(root)


def github_owner(text: str, path: str) -> str:
    """Owners of ``path`` under GitHub's rules (last match wins; the patterns used here only)."""
    owners = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *who = line.split()
        if pattern == "*":
            hit = True
        elif pattern.endswith("/"):
            hit = ("/" + path).startswith(pattern)
        else:
            hit = fnmatch.fnmatch("/" + path, pattern)
        if hit:
            owners = " ".join(who)
    return owners


def gitea_owners(text: str, path: str) -> set[str]:
    owners: set[str] = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rule, *who = line.split()
        negative = rule.startswith("!")
        matched = re.fullmatch(rule.lstrip("!").replace("\\\\", "\\"), path) is not None
        if matched != negative:
            owners.update(who)
    return owners


@pytest.mark.parametrize("forge", ["github", "gitlab"])
@pytest.mark.parametrize(
    "path, owner",
    [
        ("generator/workflow/appendonly.py", "@joint-office"),
        (".github/workflows/publish.yml", "@joint-office"),
        (".gitlab-ci.yml", "@joint-office"),
        ("schemas/unit.schema.json", "@joint-office"),
        ("scripts/setup.sh", "@joint-office"),
        ("requirements/lock.txt", "@joint-office"),
        ("records/draws/2026/D2026-0001/request.yaml", "@joint-office"),
        ("records/units/market/results/T2026-market-01.yaml", "@siyang/market"),
        ("records/units/health/unit.yaml", "@joint-office"),  # no reviewers: the joint office
    ],
)
def test_owner_of_each_path(corpus, forge, path, owner):
    assert github_owner(render(corpus, "records", forge), path) == owner


@pytest.mark.parametrize(
    "path, owners",
    [
        ("generator/workflow/appendonly.py", {"@joint-office"}),
        (".gitea/workflows/publish.yml", {"@joint-office"}),
        ("records/units/market/results/T2026-market-01.yaml", {"@siyang/market"}),
        ("records/county.yaml", {"@joint-office"}),
    ],
)
def test_gitea_rules(corpus, path, owners):
    assert gitea_owners(render(corpus, "records", "gitea"), path) == owners


def test_every_protected_path_is_classified():
    for prefix, area in PROTECTED:
        sample = prefix + "x" if prefix.endswith("/") else prefix
        assert protected_area(sample) == area
    assert protected_area("generatorx/evil.py") is None
    assert protected_area("records/units/market/unit.yaml") is None


def test_a_reviewer_value_cannot_inject_a_rule(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(FIXTURE, root)
    unit = root / "units" / "market" / "unit.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8") + 'reviewers: ["@ok", "@evil\\n/generator/ @evil", "x @y"]\n',
        encoding="utf-8",
    )
    for forge in PATHS:
        text = render(load(root), "records", forge)
        assert "@evil" not in text and "@y" not in text
        assert "@ok" in text


@pytest.mark.parametrize("forge", sorted(PATHS))
def test_committed_files_are_current(forge):
    assert (ROOT / PATHS[forge]).read_text(encoding="utf-8") == render(
        load(ROOT / "records"), "records", forge
    )


def test_command_writes_each_forge_file(tmp_path, capsys):
    for forge in PATHS:
        out = tmp_path / forge
        args = ["codeowners", "--records", str(FIXTURE), "--forge", forge, "--out", str(out)]
        assert main(args) == 0
        assert main(args + ["--check"]) == 0
        text = out.read_text(encoding="utf-8")
        assert ("!" in text.split("\n# 成员单位")[0]) == (forge == "gitea")
        assert ("\n* @joint-office\n" in text) == (forge != "gitea")
