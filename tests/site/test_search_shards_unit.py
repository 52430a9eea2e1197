"""search_index's listing of the site's pages (no build needed)."""

from __future__ import annotations

from pathlib import Path

from generator.site.search_index import FOLDER, _html_pages


def test_the_page_list_skips_only_the_index_folder(tmp_path):
    for rel in [
        "index.html",
        "404.html",
        "objects/a/index.html",
        "objects/pagefind/index.html",  # a page folder that happens to bear the name: kept
        f"{FOLDER}/site/x.html",
        f"{FOLDER}/y2026-0/fragment/z.html",
        "assets/site.css",
        "tasks/T1/index.htm",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    plain = sorted(
        p.relative_to(tmp_path).as_posix()
        for p in Path(tmp_path).rglob("*.html")
        if p.relative_to(tmp_path).parts[0] != FOLDER
    )
    assert (
        _html_pages(tmp_path)
        == plain
        == [
            "404.html",
            "index.html",
            "objects/a/index.html",
            "objects/pagefind/index.html",
        ]
    )
