"""Fixtures for intake tests: the messy-file corpus (regenerated per session) and small records trees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.intake.make_fixtures import make_all
from tests.support.tree import BASE


@pytest.fixture(scope="session")
def corpus_files(tmp_path_factory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("messy"))


@pytest.fixture
def county_only(tmp_path) -> Path:
    """A records tree with county.yaml (townships 众兴街道, 来安街道; result categories 1, E, 6) and
    the units' unit.yaml files, without any directory rows."""
    root = tmp_path / "records"
    root.mkdir()
    shutil.copy(BASE / "county.yaml", root / "county.yaml")
    for unit in sorted((BASE / "units").iterdir()):
        (root / "units" / unit.name).mkdir(parents=True)
        shutil.copy(unit / "unit.yaml", root / "units" / unit.name / "unit.yaml")
    return root
