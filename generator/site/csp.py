"""The Content-Security-Policy of the public site (a ``<meta http-equiv>`` tag on every page).

Record text is escaped by construction (autoescape everywhere); the policy is the second line: even if
some text slipped through as markup, no inline script, inline event handler, plugin or foreign script
could run. Scripts come only from the site's own files (``assets/*.js``, Pagefind); Pagefind compiles
its WebAssembly index reader, hence ``'wasm-unsafe-eval'`` (WebAssembly only, never JavaScript eval)
on the search page only (``csp_search``), the one page that loads Pagefind. No page shows an image
(charts are inline SVG), so ``img-src`` is the site itself, no ``data:`` URLs.
``frame-ancestors`` and reporting cannot be set from a meta tag; a server can add them as headers.

The 404 page is served at any depth and cannot link its script and style by a relative path, so it
carries our own two files inline, each allowed by its exact SHA-256 and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from markupsafe import Markup

ASSETS = Path(__file__).resolve().parents[2] / "site_templates" / "theme" / "assets"

BASE = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}


def policy(**overrides: str) -> str:
    return "; ".join(f"{k} {v}" for k, v in (BASE | overrides).items())


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def theme_globals() -> dict:
    """What the layouts need: the policies and the 404 page's inline assets (our files, marked safe)."""
    css = (ASSETS / "site.css").read_text(encoding="utf-8")
    script = (ASSETS / "not-found.js").read_text(encoding="utf-8")
    if "</" in css or "</" in script:  # would end the <style>/<script> element early
        raise ValueError("site.css / not-found.js must not contain '</'")
    return {
        "csp": policy(),
        "csp_search": policy(**{"script-src": "'self' 'wasm-unsafe-eval'"}),
        "csp_404": policy(
            **{
                "script-src": sha256_source(script),
                "style-src": sha256_source(css),
                "connect-src": "'self'",
            }
        ),
        "inline": {"css": Markup(css), "script": Markup(script)},
    }
