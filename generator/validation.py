"""Validate a records tree: load every file (schema checks), then run every cross-record rule."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from generator.corpus import Corpus, load
from generator.errors import Finding, Findings


def checks() -> Iterator[tuple[str, Callable[[Corpus], Iterable[Finding]]]]:
    """(name, check) of every cross-record check, in the order their findings are reported."""
    from generator.rules import RULE_MODULES

    for name in RULE_MODULES:
        module = importlib.import_module(f"generator.rules.{name}")
        # a module may split its check into parts (same findings, same order) that read less each
        yield from getattr(module, "PARTS", ((name, module.check),))
    # Requests not yet accepted are rebuilt from the records (registry, a layer above the rules).
    from generator.registry.rederive import pending_request_findings
    from generator.registry.substitutions import substitution_findings

    yield "registry.rederive", pending_request_findings
    yield "registry.substitutions", substitution_findings


# Rules that change record values the later rules and the site read: ``uscc`` writes a code typed
# in full width or lower case as the code (USCC_NORMALISED). The build runs the rules in another
# process (site/assemble.py) and applies these in its own (``apply_rewrites``), so the site
# publishes what validate normalised. tests/test_rewriting_rules.py fails when a rule that changes
# the corpus is missing here.
REWRITING = ("uscc",)


def apply_rewrites(corpus: Corpus) -> None:
    """Make the changes ``REWRITING``'s rules make to the records, without their findings."""
    for name in REWRITING:
        for _ in importlib.import_module(f"generator.rules.{name}").check(corpus):
            pass


def validate_corpus(corpus: Corpus, run: Callable | None = None) -> Findings:
    """Every finding of the corpus. ``run(name, check, corpus)`` (serve's preview:
    ``site.rule_cache``) may stand in for ``check(corpus)``, e.g. to reuse an earlier run's findings."""
    findings = Findings()
    findings.extend(corpus.findings)
    for name, check in checks():
        findings.extend(check(corpus) if run is None else run(name, check, corpus))
    return findings


# The build runs the rules beside the page models on the other core; at county size they take
# longer than the models (~34 CPU-s against ~29 s), and one process left the build waiting. So
# they run as two shares in two processes (site/assemble.py), cut before this check: the text
# rules from here on (privacy, joined numbers, conflict and internal text) are about half the work.
SECOND_SHARE = "id_text"


def validate_share(corpus: Corpus, share: int) -> Findings:
    """Share 0: the corpus's own findings and the checks before ``SECOND_SHARE``; share 1: the
    checks from it on, after the rewrites the earlier checks make (``apply_rewrites``). Share 0's
    findings followed by share 1's are ``validate_corpus``'s, in order (tests/test_validation_shares.py);
    each share runs in its own process, so what one check leaves on the corpus the other never sees."""
    every = list(checks())
    cut = [name for name, _ in every].index(SECOND_SHARE)
    findings = Findings()
    if share == 0:
        findings.extend(corpus.findings)
    else:
        apply_rewrites(corpus)
    for _, check in every[:cut] if share == 0 else every[cut:]:
        findings.extend(check(corpus))
    return findings


def validate_tree(root: Path | str) -> Findings:
    return validate_corpus(load(root))
