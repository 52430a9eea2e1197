"""Shared fixtures: one real build of the fixture records (MkDocs + Pagefind), an HTTP server, Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

FIXTURE_RECORDS = Path(__file__).parent / "fixtures" / "records"
# The golden pages are built "as of" this date whatever the caller's SOURCE_DATE_EPOCH (2026-01-01).
FIXTURE_EPOCH = "1767225600"


def build_fixture_site(out: Path, records: Path = FIXTURE_RECORDS) -> Path:
    from generator.site.builder import build_site

    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXTURE_EPOCH
    try:
        return build_site(records, out)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def draw_site(tmp_path_factory) -> Path:
    """The fixture site plus a v2, a refused and a failed draw (tests/site/draw_site.py)."""
    from tests.site.draw_site import draw_records

    tmp = tmp_path_factory.mktemp("drawsite")
    return build_fixture_site(tmp / "site", draw_records(tmp))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors
    yield pg
    context.close()
