"""The garbage collector is frozen after loading in one-shot commands and unfrozen on the way out
(issue 18: later phases stopped re-walking the corpus; repeated builds in one process still free it)."""

from __future__ import annotations

import gc

from generator.cli import main
from generator.corpus import collector_frozen_after_loading, load


def test_loading_inside_the_block_freezes_and_leaving_it_unfreezes(full_tree):
    # CPython 3.12 starts with ~375 objects in the permanent generation (3.11: none), so a worker
    # in which nothing has unfrozen yet does not start at 0: start from a known state.
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    load(full_tree)
    assert gc.get_freeze_count() == 0  # outside the block nothing is frozen
    with collector_frozen_after_loading():
        corpus = load(full_tree)
        assert gc.get_freeze_count() > 0
        assert any(gc.is_tracked(r) for r in corpus.of("objects"))
    assert gc.get_freeze_count() == 0


def test_validate_and_verify_leave_nothing_frozen(full_tree, capsys):
    main(["validate", "--records", str(full_tree)])
    assert gc.get_freeze_count() == 0
    main(["verify", "--records", str(full_tree), "--no-beacon-check"])
    assert gc.get_freeze_count() == 0
