"""The garbage collector is frozen after loading in one-shot commands and unfrozen on the way out
(issue 18: later phases stopped re-walking the corpus; repeated builds in one process still free it)."""

from __future__ import annotations

import gc

from generator.cli import main
from generator.corpus import collector_frozen_after_loading, load

THRESHOLDS = gc.get_threshold()


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


def test_no_collection_runs_while_loading_and_the_collector_state_is_restored(full_tree):
    """A load makes millions of acyclic objects at county size; each collection would walk them all
    again (half the reading time at scale 10), so the collector is paused while it loads."""
    load(full_tree)  # warm the imports: their own collections are not the load's
    runs: list[int] = []

    def count(phase, info):
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(count)
    try:
        gc.set_threshold(1)  # a collection at every allocation, were the collector running
        assert gc.isenabled()
        load(full_tree)
        assert runs == [] and gc.isenabled()
        gc.disable()
        load(full_tree)
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.set_threshold(*THRESHOLDS)
        gc.callbacks.remove(count)
