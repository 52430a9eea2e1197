"""sitemap.xml: every page of the site as an absolute address, or no sitemap at all.

A sitemap must list absolute URLs (sitemaps.org), so it needs county.yaml ``site.base_url``. Without
one the build writes no sitemap (MkDocs' own is empty: it knows only the hub pages, and lists none
without a site_url) rather than an empty or relative one. No <lastmod>: the file stays byte-identical
for the same records.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from generator.rules.base_url import web_url


def sitemap_xml(base_url: object, page_urls: list[str]) -> str | None:
    """The sitemap for ``page_urls`` (site-relative, ``tasks/T1/``) under ``base_url``; None without one.

    >>> print(sitemap_xml("https://x.example", ["", "tasks/T 1/"]))  # doctest: +NORMALIZE_WHITESPACE
    <?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://x.example/</loc></url>
    <url><loc>https://x.example/tasks/T%201/</loc></url>
    </urlset>
    >>> sitemap_xml("", [""]) is None
    True
    """
    base = web_url(base_url)
    if not base:
        return None
    base = base.rstrip("/") + "/"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url in sorted(set(page_urls)):
        lines.append(f"<url><loc>{escape(base + quote(url, safe='/-._~'))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write(site_dir: Path, base_url: object, page_urls: list[str]) -> list[str]:
    """Replace MkDocs' sitemap files; returns the site paths written (for the privacy scan)."""
    text = sitemap_xml(base_url, page_urls)
    xml, gz = site_dir / "sitemap.xml", site_dir / "sitemap.xml.gz"
    if text is None:
        xml.unlink(missing_ok=True)
        gz.unlink(missing_ok=True)
        return []
    xml.write_text(text, encoding="utf-8")
    gz.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return ["sitemap.xml"]
