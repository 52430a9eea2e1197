"""Shared fixtures: a complete valid records tree, built once per session and copied per test."""

from __future__ import annotations

import shutil

import pytest

from tests.support.tree import build_full


@pytest.fixture(scope="session")
def full_tree_master(tmp_path_factory):
    return build_full(tmp_path_factory.mktemp("master") / "records")


@pytest.fixture
def full_tree(full_tree_master, tmp_path):
    dest = tmp_path / "records"
    shutil.copytree(full_tree_master, dest)
    return dest
