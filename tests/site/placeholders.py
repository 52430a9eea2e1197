"""Find values that never should reach a reader: ``None``, ``null``, ``nan``, ``undefined`` and empty
placeholders (``（）``, a label followed by nothing, an empty link) in built HTML.

Used on the fixture site (tests/site/test_public_pages.py) and on the sample site (heavy test), and in
the browser on the text the page's own scripts wrote (tests/site/test_layout.py).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# A Python/JS value printed as text. Word boundaries so 'Nancy', 'annual', 'nullable' stay legal.
BAD_WORD = re.compile(r"(?<![A-Za-z0-9_])(None|null|nan|NaN|undefined|Infinity)(?![A-Za-z0-9_])")
EMPTY = [
    (re.compile(r"（\s*）|\(\s*\)"), "empty brackets", None),
    (re.compile(r"[：:]\s*$"), "label without a value", {"td", "dd", "li"}),  # a <p> may lead a list
    (re.compile(r"(?:^|[^\d\s])\s+户"), "count missing before 户", None),
]
SKIP_TAGS = {"script", "style", "code", "pre", "textarea"}  # code shows raw values on purpose


class _Texts(HTMLParser):
    """Text of every block-ish element (joined across inline children) and every attribute value."""

    BLOCKS = {
        "p",
        "li",
        "td",
        "th",
        "dd",
        "dt",
        "h1",
        "h2",
        "h3",
        "h4",
        "caption",
        "summary",
        "option",
        "title",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._stack: list[list[str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self._skip += 1
            if tag in ("code", "pre") and self._stack:
                self._stack[-1].append("‹code›")  # a raw value is shown there: the label has a value
        for name, value in attrs:
            if value is not None and BAD_WORD.search(value) and name not in ("content", "src"):
                self.found.append((f"{tag}[{name}]", value))
            if name == "href" and value is not None and not value.strip():
                self.found.append((f"{tag}[href]", "empty link"))
            if name == "content" and value and BAD_WORD.fullmatch(value.strip()):
                self.found.append((f"meta[{name}]", value))
        if tag in self.BLOCKS:
            self._stack.append([])
        if tag == "span" and ("class", "blank") in attrs and self._stack:
            self._stack[-1].append("＿")  # a line left blank on purpose (check sheet: to be filled in)

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        if tag in self.BLOCKS and self._stack:
            text = "".join(self._stack.pop()).strip()
            if self._stack:
                self._stack[-1].append(text)
            self._check(tag, text)

    def handle_data(self, data):
        if self._skip:
            return
        if BAD_WORD.search(data):
            self.found.append(("text", data.strip()[:120]))
        if self._stack:
            self._stack[-1].append(data)

    def _check(self, tag, text):
        for pattern, why, tags in EMPTY:
            if (tags is None or tag in tags) and pattern.search(text):
                self.found.append((f"{tag}: {why}", text[:120]))


def scan_html(html: str) -> list[tuple[str, str]]:
    parser = _Texts()
    parser.feed(html)
    return parser.found


def scan_site(site: Path) -> dict[str, list[tuple[str, str]]]:
    """Site path -> what was found, for every HTML file outside Pagefind's own bundle."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("pagefind/"):
            continue
        found = scan_html(path.read_text(encoding="utf-8"))
        if found:
            out[rel] = found
    return out
