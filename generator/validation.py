"""Validate a records tree: load every file (schema checks), then run every cross-record rule."""

from __future__ import annotations

from pathlib import Path

from generator.corpus import Corpus, load
from generator.errors import Findings


def validate_corpus(corpus: Corpus) -> Findings:
    from generator.rules import run_all

    findings = Findings()
    findings.extend(corpus.findings)
    findings.extend(run_all(corpus))
    # Requests not yet accepted are rebuilt from the records (registry, a layer above the rules).
    from generator.registry.rederive import pending_request_findings

    findings.extend(pending_request_findings(corpus))
    from generator.registry.substitutions import substitution_findings

    findings.extend(substitution_findings(corpus))
    return findings


def validate_tree(root: Path | str) -> Findings:
    return validate_corpus(load(root))
