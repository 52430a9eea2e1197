"""Final scan of the built site for private data: the second line of defence after the whitelist.

Looks at every text file (HTML, XML, JSON, CSV, SVG, JS) and the cells of every XLSX for
* resident ID numbers and mobile numbers in any spelling (``generator.private_data``: full-width
  digits, +86/0086, spaces, dashes and dots), named with the record's file:line when a record
  value holds the same number (``trace``; ``validate`` normally stops these first),
* the internal values of the records being published (phones, mobiles, ...) unless the same value is
  also a public value (a declared conflict names an object id, which is public on its own),
* internal field labels and names in the pages (``信用风险``, ``credit_risk``, ...).
Each HTML page is read twice: as written (attributes, meta tags) and as a reader sees it, its markup
removed and its entities decoded (``visible_text``): two adjacent cells ``…手机 138 0013`` and
``8000 …`` read as one number on the page and in the search excerpt, while the markup between them
hid it from a scan of the source. Compressed output is read too: any ``.gz`` file as the file it holds
(sitemap.xml.gz), and after Pagefind has run (``search_index``) the text of every page it indexed
(``pagefind/**/*.pf_fragment``: gzip, ``pagefind_dcd`` and JSON; what the search page shows as
excerpts). Pagefind's other index files hold the words of those same texts in a binary form, and its
scripts are its own.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from markupsafe import escape

from generator.private_data import find, is_id_card
from generator.private_pieces import find_in_pieces
from generator.records import KINDS
from generator.site import scan_memo
from generator.site.output_texts import (  # noqa: F401 - read by the scan's callers and tests here
    FRAGMENT,
    PAGEFIND_MAGIC,
    SEARCH_INDEX,
    TEXT_SUFFIXES,
    _fragment_texts,
    _texts,
    file_texts,
    fragment_text,
    fragments,
    memory_texts,
    search_index_texts,
)

TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]*")
_TAG = re.compile(r"<[^>]*>")
_PIECE = re.compile(r"<[^>]*>|[^<]+")
_BLOCK = re.compile(
    r"</?(?:tr|li|p|h[1-6]|dt|dd|dl|div|ul|ol|table|thead|tbody|caption|section|header|footer|main|nav|figure|br)\b",
    re.I,
)
_FIGURE = re.compile(r"[\W\d_]*\d[\W\d_]*")  # digits and punctuation, no letter or CJK character
__all__ = ["Scanner", "is_id_card", "scan", "trace_numbers"]


def long_tokens(shortest: int) -> re.Pattern:
    """The ``TOKEN`` matches of ``shortest`` characters or more, and no others: a shorter token
    cannot be a needle, and not making a string of every short word (tag and class names) halved
    the token pass over 51,055 record pages. A match is a run from its first letter or digit to the
    run's end, as ``TOKEN``'s is: a run too short fails there and at every later start in it.

    >>> long_tokens(4).findall("a -_abcd-9 xyz w12345")
    ['abcd-9', 'w12345']
    """
    return re.compile(rf"[0-9A-Za-z][0-9A-Za-z_-]{{{max(shortest, 1) - 1},}}")


def internal_labels() -> list[str]:
    """Labels and names of internal fields, which must not appear in page HTML."""
    out = set()
    for kind in KINDS:
        for f in _fields(kind.fields):
            # "phone", "mobile", "reason" are ordinary words of a page's markup (data-exclusion-reason);
            # their Chinese labels and their values are scanned
            if f.internal and f.name not in ("phone", "mobile", "reason"):
                out.add(f.name)
                out.add(f.label)
    return sorted(out)


def _fields(fields):
    from generator.schema.fields import ListOf, Obj

    for f in fields:
        yield f
        if isinstance(f.type, Obj):
            yield from _fields(f.type.fields)
        if isinstance(f.type, ListOf) and isinstance(f.type.item, Obj):
            yield from _fields(f.type.item.fields)


def visible_text(page: str) -> str:
    """A page's text as a reader (and Pagefind) sees it: every tag a space, entities decoded.

    >>> visible_text("<td>手机 138 0013</td><td>8000&amp;</td>")
    ' 手机 138 0013  8000& '
    """
    return html.unescape(_TAG.sub(" ", page))


def _figures_apart(page: str) -> str:
    """``visible_text`` in which a text that is a figure alone (digits and punctuation, no word: a
    count in a table, a date, a percentage) is a wall, not a separator: ``<td>16</td><td>4</td>
    <td>370</td>…`` is a row of counts, not the groups of one number. Text with words beside its
    digits (record text) still joins its neighbours in the same row or paragraph.

    >>> _figures_apart("<td>16</td><td>4</td><td>手机 138 0013</td><td>8000 已告知</td>")
    ' Z  Z  手机 138 0013  8000 已告知 '
    >>> _figures_apart("<tr><td>甲 138</td></tr><tr><td>0013 8000 乙</td></tr>")
    ' Z  甲 138  Z  Z  0013 8000 乙  Z '
    """
    return _PIECE.sub(_piece, page)


def _piece(m: re.Match) -> str:
    if m[0].startswith("<"):
        # cells of one row join (one entry's findings and disposition); rows, items, paragraphs and
        # headings do not (two records one above the other are not one line of text)
        return " Z " if _BLOCK.match(m[0]) else " "
    text = html.unescape(m[0])
    return " Z " if _FIGURE.fullmatch(text) else text


def _page_hits(page: str, seen: str) -> list:
    """Numbers in a page's text as read (``seen``: its ``visible_text``; read in pieces first, which
    rules out most pages at once, before the figures are told apart)."""
    if not find_in_pieces(seen):
        return []
    return find_in_pieces(_figures_apart(page))


class Scanner:
    """The checks, prepared once per build; ``text(rel, text)`` scans one file's text in memory."""

    def __init__(self, internal: dict[str, set[str]], public: set[str], trace=None):
        # () -> {normalised number: "file:line [field]"}; called on the first hit only (a clean
        # build, the usual case, never walks the records for it)
        self.trace, self._traced = trace, None
        needles = {v for values in internal.values() for v in values if v not in public}
        self.owner = {v: k for k, values in sorted(internal.items()) for v in values}
        # Values that are whole tokens (phones, ids) are found by set lookup; others by substring search.
        self.token_needles = frozenset(v for v in needles if TOKEN.fullmatch(v))
        self.tokens = long_tokens(min(map(len, self.token_needles), default=1))
        self.other_needles = sorted(needles - self.token_needles)
        self.labels = internal_labels()
        self.public, self._carriers = public, None
        # the last clean build's texts (``scan_memo``): None, or attached by ``remember``
        self.memo, self.cleared = None, []
        self.fresh_tokens, self.fresh_others = self.token_needles, self.other_needles

    def remember(self, part) -> None:
        """Read the memo in the cache part ``part`` (``scan_memo.folder()``) if it was made under
        this scan's context: a remembered text is then looked at only for the needles new since."""
        if part is None:  # no cache or no key: every text is scanned, none remembered
            return
        self.memo = scan_memo.load(part, self.context()) or scan_memo.Memo(frozenset(), frozenset())
        if self.memo.clean:
            known = self.memo.needles
            self.fresh_tokens = frozenset(
                v for v in self.token_needles if scan_memo.needle_digest(v) not in known
            )
            self.fresh_others = [v for v in self.other_needles if scan_memo.needle_digest(v) not in known]

    def context(self) -> bytes:
        return scan_memo.context(self.labels, self._carrier_table())

    def needle_digests(self) -> list[bytes]:
        return [scan_memo.needle_digest(v) for v in (*self.token_needles, *self.other_needles)]

    def gather_cleared(self, mark: int, parts: list[list[bytes]]) -> None:
        """Take back what the parts of a split found clean: each part handed back its
        ``cleared[mark:]``, whether it ran in a forked worker or (one part) in this process."""
        del self.cleared[mark:]
        for cleared in parts:
            self.cleared += cleared

    def whole(self, rel: str, content: bytes, unpack=None) -> list[str]:
        """Scan one file's texts (``unpack(rel, content)``: its (name, text) pairs, ``memory_texts``
        by default). A file the memo lists whole (name and bytes) is not unpacked unless a needle is
        new since, and then its texts are looked at for the new needles only: each was clean for the
        old ones (red team 8: they were scanned whole again). A file found clean is remembered whole."""
        unpack = unpack or memory_texts
        key = None if self.memo is None else scan_memo.digest(f"{rel}!file", content)
        fresh = (self.fresh_tokens, self.fresh_others)
        if key is None or key not in self.memo.clean:
            problems = [p for name, text in unpack(rel, content) for p in self.text(name, text)]
        elif any(fresh):
            problems = [
                p for name, text in unpack(rel, content) for p in self._needles(name, text, None, *fresh)
            ]
        else:
            problems = []
        if key is not None and not problems:
            self.cleared.append(key)
        return problems

    def text(self, rel: str, text: str) -> list[str]:
        if self.memo is None:
            return self._scan(rel, text)
        key = scan_memo.digest(rel, text)
        if key in self.memo.clean:
            problems = self._needles(rel, text, None, self.fresh_tokens, self.fresh_others)
        else:
            problems = self._scan(rel, text)
        if not problems:
            self.cleared.append(key)
        return problems

    def _scan(self, rel: str, text: str) -> list[str]:
        problems = []
        # a quick search rules out the slower scan on most pages; a 15-digit number that may be a
        # 注册号 as well is validate's warning to the clerk, not a reason to stop the site
        data = not rel.endswith((".html", ".txt"))  # ".xlsx!part.xml" too
        # a page as written (attributes) and as read (no markup between the halves of a number)
        page = rel.endswith(".html")
        views = [text, visible_text(text)] if page else [text]
        # only the pieces of a text that may hold a number are normalised (find_in_pieces); in
        # Pagefind's text of a page, cells are only spaces apart (see search_index_texts): a number
        # cut across two cells of record text is found in the page itself (``_page_hits``), where
        # the cells can be told apart
        if data:
            hits = find(text, numerals=False, data=True)
        else:
            hits = find_in_pieces(text, spaced=FRAGMENT not in rel)
        hits += _page_hits(text, views[1]) if page else []
        for hit in hits:
            if hit.kind == "id_or_reg_no":
                continue
            where = self.where(hit.number)
            source = f"（来自记录 {where}）" if where else ""
            line = f"{rel}: 疑似{hit.label}“{hit.masked}”{source}"
            if line not in problems:
                problems.append(line)
        problems += self._needles(rel, text, views, self.token_needles, self.other_needles)
        if rel.endswith(".html"):
            for label in self.labels:
                if label in text and text.count(label) > self._in_record_text(label, text):
                    problems.append(f"{rel}: 页面出现内部字段“{label}”")
        return problems

    def _needles(self, rel: str, text: str, views, tokens, others) -> list[str]:
        """Where ``tokens`` (whole tokens, by set lookup) and ``others`` (by substring) occur."""
        # tokens (letters and digits) read the same in both views; other values may hold & < " '
        found = tokens.intersection(self.tokens.findall(text)) if tokens else set()
        if others:
            if views is None:
                views = [text, visible_text(text)] if rel.endswith(".html") else [text]
            found |= {v for v in others if any(v in view for view in views)}
        problems = []
        for value in sorted(found):
            where = self.where(value)  # a phone or ID number: the record that holds it
            source = f"（来自记录 {where}）" if where else ""
            problems.append(f"{rel}: 内部字段 {self.owner[value]} 的值出现在公开内容中{source}")
        return problems

    def _in_record_text(self, label: str, text: str) -> int:
        """How many of ``label``'s occurrences in the page are inside published record text.

        The label scan catches a template that shows an internal field (``<th>信用风险分类</th>``).
        Record text may name the concept: a task 按信用风险分类开展差异化抽查, a finding that quotes
        the county plan. Such a value is public by its own right, and counting it made one unit's
        wording stop the whole site after validate had passed. Each line of a published value that
        holds a label is looked for as the page shows it (HTML-escaped)."""
        return sum(text.count(shown) * n for shown, n in self._carrier_table().get(label, ()))

    def _carrier_table(self) -> dict[str, list[tuple[str, int]]]:
        """label -> (a line of a published value holding it, as the page shows it; how many times),
        made once: what ``_in_record_text`` counts, and part of the memo's context."""
        if self._carriers is None:
            carriers: dict[str, list[tuple[str, int]]] = {name: [] for name in self.labels}
            for value in self.public:
                if not isinstance(value, str):
                    continue
                for name in self.labels:
                    if name in value:
                        for piece in value.splitlines():
                            if name in piece:
                                carriers[name].append((str(escape(piece)), piece.count(name)))
            self._carriers = carriers
        return self._carriers

    def where(self, number: str) -> str | None:
        if self._traced is None:
            self._traced = self.trace() if self.trace else {}
        return self._traced.get(number)

    def __call__(self, rel: str, text: str) -> list[str]:
        return self.text(rel, text)

    def files(self, files: dict[str, bytes]) -> list[str]:
        """Scan output files still in memory (site path -> bytes), as ``site`` would once written."""
        return [p for rel in sorted(files) for p in self.whole(rel, files[rel])]

    def search_index(self, site: Path) -> list[str]:
        """Scan the page texts of Pagefind's bundles (run once Pagefind has written them), on every
        core: tens of thousands of fragments at county size, and nothing else runs meanwhile."""
        from generator import parallel

        paths = fragments(site)

        mark = len(self.cleared)

        def share(start: int, step: int) -> tuple[list[str], list[bytes]]:
            problems: list[str] = []
            for path in paths[start::step]:
                if not path.is_file() or path.is_symlink():
                    continue
                rel, content = path.relative_to(site).as_posix(), path.read_bytes()
                problems += self.whole(rel, content, _fragment_texts)
            return problems, self.cleared[mark:]

        parts = parallel.split(share, parallel.cpus() if len(paths) > 2000 else 1)
        self.gather_cleared(mark, [cleared for _, cleared in parts])
        return sorted(p for part, _ in parts for p in part)

    def site(self, site: Path, skip: set[str] = frozenset(), only: list[str] | None = None) -> list[str]:
        """Scan every file under ``site`` (or those ``only`` names) except those in ``skip``."""
        return [p for rel, text in _texts(site, set(skip), only) for p in self.text(rel, text)]


def scan(site: Path, internal: dict[str, set[str]], public: set[str]) -> list[str]:
    """Problems found, as Chinese lines naming the file and what was found (empty = clean)."""
    return Scanner(internal, public).site(site)


def trace_numbers(corpus) -> dict[str, str]:
    """Every mobile or ID number held by any record value -> "file:line [field]" of the first one.

    Lets the final scan name the record a number in the output came from (internal fields included:
    an internal phone copied into a public place is the case to trace)."""
    out: dict[str, str] = {}

    def walk(r, value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(r, v, path + (k,))
        elif isinstance(value, list | tuple):
            for i, v in enumerate(value):
                walk(r, v, path + (i,))
        elif isinstance(value, str):
            for hit in find(value):
                if hit.number not in out:
                    from generator.errors import format_path

                    line, _ = r.loc(*path)
                    out[hit.number] = f"{r.file}:{line} [{format_path(path)}]"

    for records in corpus.records.values():
        for r in records:
            walk(r, r.data, ())
    return out
