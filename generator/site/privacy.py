"""Final scan of the built site for private data: the second line of defence after the whitelist.

Looks at every text file (HTML, XML, JSON, CSV, SVG, JS) and the cells of every XLSX for
* resident ID numbers and mobile numbers in any spelling (``generator.private_data``: full-width
  digits, +86/0086, spaces, dashes and dots), named with the record's file:line when a record
  value holds the same number (``trace``; ``validate`` normally stops these first),
* the internal values of the records being published (phones, mobiles, ...) unless the same value is
  also a public value (a declared conflict names an object id, which is public on its own),
* internal field labels and names in the pages (``信用风险``, ``credit_risk``, ...).
Pagefind's own files are compressed and made only from the HTML, which is scanned.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath

from markupsafe import escape

from generator.private_data import find, is_id_card
from generator.records import KINDS

TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]*")
TEXT_SUFFIXES = {".html", ".xml", ".json", ".jsonl", ".csv", ".svg", ".js", ".txt", ".css"}
__all__ = ["Scanner", "is_id_card", "scan", "trace_numbers"]


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


def _texts(site: Path, skip: set[str] = frozenset(), only: list[str] | None = None):
    """(relative path, text) of the files under ``site``, or of the files ``only`` names."""
    paths = sorted(site.rglob("*")) if only is None else [site / rel for rel in sorted(set(only))]
    for path in paths:
        if not path.is_file() or "pagefind" in path.relative_to(site).parts[:1]:
            continue
        rel = path.relative_to(site).as_posix()
        if rel in skip:
            continue
        if path.suffix in TEXT_SUFFIXES:
            yield rel, path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".xlsx":
            yield from _xlsx_texts(rel, path)


def _xlsx_texts(rel: str, file):
    with zipfile.ZipFile(file) as z:
        for name in sorted(z.namelist()):
            if name.endswith(".xml"):
                yield f"{rel}!{name}", z.read(name).decode("utf-8", errors="replace")


def memory_texts(rel: str, content: bytes):
    """(name, text) of one file still in memory, exactly as ``_texts`` reads it once written
    (text files decoded with universal newlines, the XML parts of a workbook)."""
    suffix = PurePosixPath(rel).suffix
    if suffix in TEXT_SUFFIXES:
        text = content.decode("utf-8", errors="replace")
        yield rel, text.replace("\r\n", "\n").replace("\r", "\n")
    elif suffix == ".xlsx":
        yield from _xlsx_texts(rel, io.BytesIO(content))


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
        self.other_needles = sorted(needles - self.token_needles)
        self.labels = internal_labels()
        self.public, self._carriers = public, None

    def text(self, rel: str, text: str) -> list[str]:
        problems = []
        # a quick search rules out the slower scan on most pages; a 15-digit number that may be a
        # 注册号 as well is validate's warning to the clerk, not a reason to stop the site
        data = not rel.endswith((".html", ".txt"))  # ".xlsx!part.xml" too
        for hit in find(text, numerals=False, data=data):
            if hit.kind == "id_or_reg_no":
                continue
            where = self.where(hit.number)
            source = f"（来自记录 {where}）" if where else ""
            problems.append(f"{rel}: 疑似{hit.label}“{hit.masked}”{source}")
        found = self.token_needles.intersection(TOKEN.findall(text))
        found |= {v for v in self.other_needles if v in text}
        for value in sorted(found):
            where = self.where(value)  # a phone or ID number: the record that holds it
            source = f"（来自记录 {where}）" if where else ""
            problems.append(f"{rel}: 内部字段 {self.owner[value]} 的值出现在公开内容中{source}")
        if rel.endswith(".html"):
            for label in self.labels:
                if label in text and text.count(label) > self._in_record_text(label, text):
                    problems.append(f"{rel}: 页面出现内部字段“{label}”")
        return problems

    def _in_record_text(self, label: str, text: str) -> int:
        """How many of ``label``'s occurrences in the page are inside published record text.

        The label scan catches a template that shows an internal field (``<th>信用风险分类</th>``).
        Record text may name the concept: a task 按信用风险分类开展差异化抽查, a finding that quotes
        the county plan. Such a value is public by its own right, and counting it made one unit's
        wording stop the whole site after validate had passed. Each line of a published value that
        holds a label is looked for as the page shows it (HTML-escaped)."""
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
        return sum(text.count(shown) * n for shown, n in self._carriers.get(label, ()))

    def where(self, number: str) -> str | None:
        if self._traced is None:
            self._traced = self.trace() if self.trace else {}
        return self._traced.get(number)

    def __call__(self, rel: str, text: str) -> list[str]:
        return self.text(rel, text)

    def files(self, files: dict[str, bytes]) -> list[str]:
        """Scan output files still in memory (site path -> bytes), as ``site`` would once written."""
        return [
            p
            for rel in sorted(files)
            for name, text in memory_texts(rel, files[rel])
            for p in self.text(name, text)
        ]

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
