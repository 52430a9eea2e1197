"""``corpus.load`` parses a county's files on two cores (``corpus._parse_all``): the corpus must be
the same, record for record and finding for finding, in the same order, wherever each file was
parsed, and a parse process that dies costs only its share being parsed again here."""

from __future__ import annotations

import os

import pytest

from generator import corpus as corpus_module
from generator import parallel
from generator.corpus import load


def _shape(c):
    records = {
        kind: [(r.kind, r.data, r.file, r.prefix, r.owner, r.header, r.line) for r in rs]
        for kind, rs in c.records.items()
    }
    return records, list(c.findings)


@pytest.fixture
def messy(full_tree):
    """The full tree plus files that are refused or unknown between the parsed ones, and a file
    that does not parse, so the order of findings from both kinds of step is held."""
    (full_tree / "units" / "market" / "notes.txt").write_text("备忘", encoding="utf-8")
    (full_tree / "units" / "market" / "results" / "T2026-x.yml").write_text("task: x\n", encoding="utf-8")
    broken = next((full_tree / "units").rglob("results/*.yaml"))
    broken.write_text(broken.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")
    os.symlink(broken, full_tree / "units" / "market" / "linked.yaml")
    return full_tree


def test_split_parse_gives_the_same_corpus(messy, monkeypatch):
    calls = []
    real = corpus_module._parse_file
    monkeypatch.setattr(corpus_module, "_parse_file", lambda *job: calls.append(os.getpid()) or real(*job))
    whole = _shape(load(messy))
    assert whole[1], "the messy tree has findings"
    files = len(calls)
    calls.clear()
    monkeypatch.setattr(corpus_module, "SPLIT_BYTES", 0)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)  # also in a test worker holding threads
    split = _shape(load(messy))
    assert split == whole
    # the child's calls are counted in the child: here only this process's share
    assert set(calls) == {os.getpid()} and 0 < len(calls) < files


def test_a_parse_process_that_dies_costs_its_share_only(messy, monkeypatch):
    whole = _shape(load(messy))
    monkeypatch.setattr(corpus_module, "SPLIT_BYTES", 0)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)  # also in a test worker holding threads
    parent, real = os.getpid(), corpus_module._parse_file

    def dies_elsewhere(*job):
        if os.getpid() != parent:
            os._exit(3)  # killed, out of memory: nothing comes back
        return real(*job)

    monkeypatch.setattr(corpus_module, "_parse_file", dies_elsewhere)
    assert _shape(load(messy)) == whole


def test_the_load_holds_one_files_bytes_at_a_time_not_the_trees(full_tree, monkeypatch):
    """Red team 8: the split load read every file's bytes before parsing any, so the memory a load
    needs grew with the bytes of the whole tree: files that parse to nothing (a clerk's 60 MB of
    YAML comments, a few KB in Git) cost nothing before and then cost their size each; 30 of them
    took a load from 197 MB to 1.9 GB. Each file is read where and when it is parsed: 14 more such
    files leave the load's peak where it was."""
    import tracemalloc

    monkeypatch.setattr(corpus_module, "SPLIT_BYTES", 0)  # the split load, whatever the sizes
    results = full_tree / "units" / "market" / "results"
    line = b"# " + b"x" * 97 + b"\n"
    blob = line * (3 * 2**20 // len(line))

    def peak(files: int) -> int:
        for k in range(files):
            (results / f"T2026-market-9{k:02d}.yaml").write_bytes(blob)
        tracemalloc.start()
        try:
            loaded = load(full_tree)
            held = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert sum("T2026-market-9" in f.file for f in loaded.findings) == files
        return held

    few, many = peak(2), peak(16)
    assert many - few < 4 * len(blob), f"{(many - few) / 2**20:.0f} MB more for 14 files of 3 MB"
