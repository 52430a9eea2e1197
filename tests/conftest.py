"""Shared fixtures: a complete valid records tree, built once per session and copied per test."""

from __future__ import annotations

import shutil

import pytest

from tests.support.tree import build_full

# Tests that build the whole site or the whole sample (20-30 s each). `.ci/run` runs them once, on
# one interpreter; the other interpreters get the fast rest (`-m "not browser and not heavy"`).
HEAVY = ("tests/site/", "tests/test_samplegen.py")


def pytest_collection_modifyitems(config, items):
    root = config.rootpath
    for item in items:
        rel = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""
        if rel.startswith(HEAVY):
            item.add_marker(pytest.mark.heavy)


@pytest.fixture(scope="session")
def full_tree_master(tmp_path_factory):
    return build_full(tmp_path_factory.mktemp("master") / "records")


@pytest.fixture
def full_tree(full_tree_master, tmp_path):
    dest = tmp_path / "records"
    shutil.copytree(full_tree_master, dest)
    return dest


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process, shared by every browser test: Playwright's sync API allows one
    running instance per thread, so a second ``sync_playwright()`` in the same worker fails."""
    from playwright.sync_api import sync_playwright

    from tests.site.conftest import CHROMIUM_ARGS
    from tests.support.browser import require_chromium

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()
