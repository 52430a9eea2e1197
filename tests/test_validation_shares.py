"""The build runs the rules as two shares in two processes (``validation.validate_share``): share 0's
findings followed by share 1's must be ``validate_corpus``'s, finding for finding and in order, on
the sample and on broken cases (whose rewrites, errors and cascades the shares must not move)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.corpus import load
from generator.errors import Findings
from generator.validation import SECOND_SHARE, checks, validate_corpus, validate_share
from tests.test_rules import CASES, apply_patches, epoch_of

ROOT = Path(__file__).resolve().parents[1]
# the cases that rewrite a value (USCC_NORMALISED: share 1 must see it rewritten) or that find in
# both shares, and every eighth case besides: all 169 would double test_rules' time
PICKED = [
    c
    for k, c in enumerate(CASES)
    if k % 8 == 0 or any(w in c.stem for w in ("uscc", "fullwidth", "privacy", "joined", "identity"))
]


def _shares(root: Path) -> Findings:
    merged = Findings()
    for share in (0, 1):
        merged.extend(validate_share(load(root), share))  # each share on its own corpus, as in its process
    return merged


def test_the_cut_is_a_check_and_both_shares_run_checks():
    names = [name for name, _ in checks()]
    assert 0 < names.index(SECOND_SHARE) < len(names) - 1


def test_the_shares_make_the_sample_findings_in_order():
    whole = validate_corpus(load(ROOT / "records"))
    assert len(whole) > 0
    assert _shares(ROOT / "records").items == whole.items


@pytest.mark.parametrize("case", PICKED, ids=[c.stem for c in PICKED])
def test_the_shares_make_a_broken_cases_findings_in_order(case, full_tree, monkeypatch):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    if "today" in spec:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch_of(spec["today"])))
    apply_patches(full_tree, spec.get("patches", []), spec.get("create"), spec.get("encodings"))
    whole = validate_corpus(load(full_tree))
    assert _shares(full_tree).items == whole.items
