"""Write the record pages (tens of thousands at county scale) straight to the site directory.

MkDocs builds a Markdown parser per page and keeps every page in memory; for record pages, whose body
is our own HTML anyway, that was most of the build time. Here each page's body is rendered with the
page templates (``render``), wrapped in the theme's ``main.html`` with the same context MkDocs gives
its pages (nav, base_url, page), scanned for private data while still in memory, and written once.
Hub pages still go through MkDocs (nav, 404, static files). On a multi-core machine the pages are
split over forked workers (``generator.parallel.split``); the output does not depend on the split.

With a page cache (``page_cache``: ``build --cache`` and the signing key) a page whose model, code,
site-wide context and ``site_data`` reads are unchanged since it was stored is taken from there
instead of rendered; it goes through the privacy scan exactly as a rendered page does, and only a
page the scan passes is stored.
"""

from __future__ import annotations

import time
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
# the last ``write_pages``: pages, reused (from the page cache), stored, and CPU seconds of the
# workers by step — cache (keys, lookups and stores), render (body and layout), scan, write
LAST: dict[str, float] = {}
_STEPS = ("cache", "render", "scan", "write")


def write_pages(
    site_dir: Path, pages: list[PageModel], page_env, theme_env, nav, scanner, workers=None, cache=None
) -> list[str]:
    """Render, scan and write ``pages``; returns the privacy problems found (empty = clean).
    ``cache``: a ``page_cache.PageCache`` (its ``used`` gets the keys of the entries now current)."""
    _JOB.update(
        site=Path(site_dir),
        pages=pages,
        page_env=page_env,
        theme_env=theme_env,
        nav=nav,
        scan=scanner,
        cache=cache,
    )
    workers = workers or min(len(pages) // 2000 + 1, parallel.cpus())
    mark = _JOB["mark"] = len(scanner.cleared)
    try:
        parts = parallel.split(_write_slice, workers)
        scanner.gather_cleared(mark, [cleared for _, cleared, _, _ in parts])  # found clean (scan_memo)
    finally:
        _JOB.clear()
    LAST.clear()
    for _, _, keys, counts in parts:
        for name, value in counts.items():
            LAST[name] = LAST.get(name, 0) + value
        if cache is not None:
            cache.used.update(keys)
    return [p for part, _, _, _ in parts for p in part]


def page_body(page_env, view_env, view, model: PageModel):
    """The page's body and the reads it made through ``view`` (None: the page is not stored).
    The view is not a dict: a template that reaches ``site_data`` in a way it does not serve
    (``|last``, ``|tojson``…) raises there though it renders without a cache; such a page is
    rendered from ``site_data`` itself (``page_env``) and not stored, and what fails there fails
    as it would without a cache (red team, tenth round)."""
    view.begin()
    try:
        body = render_page(view_env, model)
    except Exception:  # noqa: BLE001 - any failure through the view: render as without a cache
        view.end()
        return render_page(page_env, model), None
    return body, view.end()


def _write_slice(start: int, step: int) -> tuple[list[str], list[bytes], list[str], dict[str, float]]:
    site, nav, scan, cache = _JOB["site"], _JOB["nav"], _JOB["scan"], _JOB["cache"]
    layout = _JOB["theme_env"].get_template("main.html")
    page_env = _JOB["page_env"]
    problems: list[str] = []
    kept: list[str] = []
    counts = dict.fromkeys(("pages", "reused", "stored", *_STEPS), 0)
    made: set[Path] = set()
    clock = time.process_time
    for model in _JOB["pages"][start::step]:
        url = model.url
        rel = url + "index.html"
        target = site / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        t0 = clock()
        key = cache.key(model) if cache is not None else None
        html = cache.restore(key, target) if key is not None else None  # placed at target if so
        t1 = clock()
        reads, reused = None, html is not None
        if not reused:
            if cache is None:
                body = render_page(page_env, model)
            else:
                body, reads = page_body(page_env, cache.env, cache.view, model)
            page = RecordPage(model.title, url, body, {"title": model.title, "model": model})
            html = layout.render(nav=nav, base_url=get_relative_url(".", url), page=page)
        t2 = clock()
        found = scan(rel, html)  # reused or not, the same scan (its memo makes a known page cheap)
        problems += found
        t3 = clock()
        if reused:
            counts["reused"] += 1
            kept.append(key)
        else:
            data = html.encode("utf-8")
            target.write_bytes(data)
        t4 = clock()
        if reads is not None and key is not None and not found and cache.store(key, reads, data, target):
            counts["stored"] += 1
            kept.append(key)
        counts["pages"] += 1
        spent = (t1 - t0 + clock() - t4, t2 - t1, t3 - t2, t4 - t3)
        for name, seconds in zip(_STEPS, spent, strict=True):
            counts[name] += seconds
    return problems, scan.cleared[_JOB["mark"] :], kept, counts
