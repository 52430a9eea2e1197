"""county.yaml ``site.base_url``: an absolute http(s) address or nothing.

The value goes into every page's links (404 page), the Atom feed and its entry links. Whoever edits
county.yaml (the joint office, or a pull request the office merges) must not be able to make it a
``javascript:`` or ``data:`` URL, nor break out of an attribute. The site builder applies the same
test (``web_url``) and leaves a refused value out, so a bad address never reaches the output even if
validation is bypassed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from generator.errors import Finding, finding

# Printable ASCII without quotes, angle brackets, backslash or space: nothing that can end an
# attribute or be read differently by a browser's URL parser than by ours.
_SAFE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+")


def web_url(value: object) -> str:
    """``value`` if it is an absolute http(s) URL with a host, else "" (never a partial value).

    >>> web_url("https://ssj.siyang.example/"), web_url("javascript:alert(1)//"), web_url("//x.cn")
    ('https://ssj.siyang.example/', '', '')
    """
    if not isinstance(value, str) or not _SAFE.fullmatch(value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return value


def check(corpus) -> Iterator[Finding]:
    county = corpus.county
    if county is None:
        return
    site = county.data.get("site")
    value = site.get("base_url") if isinstance(site, dict) else None
    if value in (None, "") or web_url(value):
        return
    line, col = county.loc("site", "base_url")
    yield finding("SITE_BASE_URL", county.file, line, col, ("site", "base_url"), value)
