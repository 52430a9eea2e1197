"""Write the record pages (tens of thousands at county scale) straight to the site directory.

MkDocs builds a Markdown parser per page and keeps every page in memory; for record pages, whose body
is our own HTML anyway, that was most of the build time. Here each page's body is rendered with the
page templates (``render``), wrapped in the theme's ``main.html`` with the same context MkDocs gives
its pages (nav, base_url, page), scanned for private data while still in memory, and written once.
Hub pages still go through MkDocs (nav, 404, static files). On a multi-core machine the pages are
split over forked workers (``generator.parallel.split``); the output does not depend on the split.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.utils import get_relative_url

from generator import parallel
from generator.site.page import PageModel
from generator.site.render import render_page


@dataclass
class RecordPage:
    """What ``main.html`` reads from an MkDocs page: title, meta.model, content and url."""

    title: str
    url: str
    content: str = ""
    meta: dict = field(default_factory=dict)


_JOB: dict = {}  # set before forking; the workers read it (no pickling of Jinja environments)


def write_pages(
    site_dir: Path, pages: list[PageModel], page_env, theme_env, nav, scanner, workers=None
) -> list[str]:
    """Render, scan and write ``pages``; returns the privacy problems found (empty = clean)."""
    _JOB.update(
        site=Path(site_dir), pages=pages, page_env=page_env, theme_env=theme_env, nav=nav, scan=scanner
    )
    workers = workers or min(len(pages) // 2000 + 1, parallel.cpus())
    mark = _JOB["mark"] = len(scanner.cleared)
    try:
        parts = parallel.split(_write_slice, workers)
        scanner.gather_cleared(mark, [cleared for _, cleared in parts])  # texts found clean (scan_memo)
        return [p for part, _ in parts for p in part]
    finally:
        _JOB.clear()


def _write_slice(start: int, step: int) -> tuple[list[str], list[bytes]]:
    site, nav, scan = _JOB["site"], _JOB["nav"], _JOB["scan"]
    layout = _JOB["theme_env"].get_template("main.html")
    page_env = _JOB["page_env"]
    problems: list[str] = []
    made: set[Path] = set()
    for model in _JOB["pages"][start::step]:
        url = model.url
        page = RecordPage(
            model.title, url, render_page(page_env, model), {"title": model.title, "model": model}
        )
        html = layout.render(nav=nav, base_url=get_relative_url(".", url), page=page)
        rel = url + "index.html"
        problems += scan(rel, html)
        target = site / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(html, encoding="utf-8")
    return problems, scan.cleared[_JOB["mark"] :]
