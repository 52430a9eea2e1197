"""A rule that changes the records must be listed in ``validation.REWRITING``: the build runs the
rules in another process (site/assemble.py) and applies only the listed ones in its own, so an
unlisted rewrite would be checked by validate and missing from the published site."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from generator.corpus import load
from generator.site.assemble import assemble
from generator.validation import REWRITING, apply_rewrites, checks
from tests.test_rules import apply_patches

BROKEN = Path(__file__).parent / "broken"
# cases whose records a rule may rewrite (a full-width, lower-case code), plus the valid tree
CASES = ["uscc_normalised.yaml"]


def _records(full_tree: Path) -> Path:
    for case in CASES:
        spec = yaml.safe_load((BROKEN / case).read_text(encoding="utf-8"))
        apply_patches(full_tree, spec.get("patches", []), spec.get("create"), spec.get("encodings"))
    return full_tree


def _snapshot(corpus) -> dict:
    return {kind: [copy.deepcopy(r.data) for r in records] for kind, records in corpus.records.items()}


def test_every_rule_that_changes_the_records_is_listed(full_tree):
    records = _records(full_tree)
    changed = set()
    for name, check in checks():
        corpus = load(records)
        before = _snapshot(corpus)
        list(check(corpus))
        if _snapshot(corpus) != before:
            changed.add(name.split(".")[0])
    assert "uscc" in changed  # the cases did give a rule something to rewrite
    assert changed <= set(REWRITING)


def test_apply_rewrites_makes_the_changes_validate_makes(full_tree):
    from generator.validation import validate_corpus

    records = _records(full_tree)
    validated, rewritten = load(records), load(records)
    validate_corpus(validated)
    apply_rewrites(rewritten)
    assert _snapshot(rewritten) == _snapshot(validated) != _snapshot(load(records))


def test_the_site_publishes_the_normalised_code(full_tree):
    """The build validates in another process: the code it publishes is still the normalised one."""
    bundle = assemble(_records(full_tree), 1767225600, extras=False)
    assert "9132132323GD5QA4XJ" in bundle.site_data.objects
    assert not any("ｇｄ" in oid for oid in bundle.site_data.objects)
