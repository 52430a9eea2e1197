"""The build reads the draw folders on the other core while it loads the records
(``draws.read_all_or_none`` in ``assemble``): the same data as reading them in place, and a refused
file still stops the build with its own message (the read is repeated in the build process)."""

from __future__ import annotations

import shutil

import pytest

from generator import parallel
from generator.bounded import FileRefused
from generator.corpus import load
from generator.site import draws
from tests.site.conftest import FIXTURE_RECORDS


def test_read_ahead_in_a_child_gives_the_same_draw_pages_and_bundles():
    # forked on a machine with two cores and no other thread (as in the build), inline otherwise
    corpus = load(FIXTURE_RECORDS)
    ahead = parallel.in_background(draws.read_all_or_none, FIXTURE_RECORDS).result()
    assert ahead is not None and set(ahead) == {"D2026-0001"}
    assert draws.load_draws(corpus, ahead) == draws.load_draws(corpus)


def test_a_refused_draw_file_is_reported_by_the_build_process(tmp_path):
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    result = records / "draws" / "2026" / "D2026-0001" / "result.yaml"
    result.unlink()
    result.symlink_to("request.yaml")  # a link: refused like every record file
    assert draws.read_all_or_none(records) is None
    with pytest.raises(FileRefused) as raised:
        draws.load_draws(load(records), None)
    assert "result.yaml" in str(raised.value)
