"""A build validates the records on the other core while it makes the draws and page models
(``assemble``): the records are still refused, with their own findings, before anything is made
from them, whatever happens to that process or to what the invalid records break."""

from __future__ import annotations

import os
import shutil

import pytest

from generator.site import assemble as assembly
from generator.site.assemble import RecordsInvalid, assemble
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS

RESULT = "units/market/results/T2026-market-01.yaml"


def _records(tmp_path, broken: bool):
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    if broken:
        path = records / RESULT
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("inspected_on: 2026-04-20", "inspected_on: 2026-13-45", 1), encoding="utf-8"
        )
    return records


def _refusal(records) -> list[str]:
    with pytest.raises(RecordsInvalid) as refused:
        assemble(records, int(FIXTURE_EPOCH))
    return refused.value.lines


def test_invalid_records_are_refused_with_the_lines_validate_gives(tmp_path):
    from generator.corpus import load
    from generator.validation import validate_corpus

    records = _records(tmp_path, broken=True)
    lines = _refusal(records)
    expected = [f.render() for f in validate_corpus(load(records)).sorted() if f.severity == "error"]
    assert lines == expected and any("2026-13-45" in line for line in lines)


def test_what_invalid_records_break_is_reported_as_their_findings(tmp_path, monkeypatch):
    """Page models made from invalid records may fail before the findings are in: the refusal
    names the records' problem, never the crash it caused."""

    def broken(*args, **kwargs):
        raise KeyError("a value the invalid record lacks")

    monkeypatch.setattr(assembly, "build_site_data", broken)
    assert any("2026-13-45" in line for line in _refusal(_records(tmp_path, broken=True)))
    # valid records: the failure is a failure of ours, raised as it is
    with pytest.raises(KeyError):
        assemble(_records(tmp_path / "valid", broken=False), int(FIXTURE_EPOCH))


def test_a_validation_process_that_dies_is_run_again_here(tmp_path, monkeypatch):
    import generator.validation as validation
    from generator import parallel

    parent, real, share_of = os.getpid(), validation.validate_corpus, validation.validate_share
    ran_here = []

    def dies_elsewhere(corpus, share):
        if os.getpid() != parent and share == 1:
            os._exit(3)  # killed, out of memory: no result comes back
        return share_of(corpus, share)

    def here(corpus, run=None):
        ran_here.append(os.getpid() == parent)
        return real(corpus, run)

    monkeypatch.setattr(validation, "validate_share", dies_elsewhere)
    monkeypatch.setattr(validation, "validate_corpus", here)
    # a test worker may hold threads (a browser test's server), where forking is refused: here the
    # shares must run in processes of their own, so that one can die
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    records = _records(tmp_path, broken=True)
    assert any("2026-13-45" in line for line in _refusal(records))
    assert ran_here == [True]  # the findings were made again in the build's own process


@pytest.mark.parametrize("share", [0, 1])
def test_a_rule_that_raises_in_either_share_is_reported_as_itself(tmp_path, monkeypatch, share):
    """A rule that fails (a bug of ours) in either share's process: the build reports that failure,
    as ``validate`` does, and never a ``TypeError`` of the second read of the failed share's result
    (the ``except`` path asks for the findings again). Red team 8."""
    import importlib

    module = importlib.import_module("generator.rules." + ("dates" if share == 0 else "base_url"))

    def fails(corpus):
        raise ValueError("the rule's own failure")

    monkeypatch.setattr(module, "check", fails)
    for broken in (False, True):
        with pytest.raises(ValueError, match="the rule's own failure"):
            assemble(_records(tmp_path / str(broken), broken=broken), int(FIXTURE_EPOCH))
