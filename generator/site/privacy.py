"""Final scan of the built site for private data: the second line of defence after the whitelist.

Looks at every text file (HTML, XML, JSON, CSV, SVG, JS) and the cells of every XLSX for
* 18-digit resident ID numbers whose GB 11643 check digit is right,
* mobile numbers (1[3-9] + 9 digits) not embedded in a longer digit run,
* the internal values of the records being published (phones, mobiles, ...) unless the same value is
  also a public value (a declared conflict names an object id, which is public on its own),
* internal field labels and names in the pages (``信用风险``, ``credit_risk``, ...).
Pagefind's own files are compressed and made only from the HTML, which is scanned.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from generator.records import KINDS

ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z.])(1[3-9]\d{9})(?![0-9A-Za-z])")
TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]*")
LONG_DIGITS = re.compile(r"\d{11}")
TEXT_SUFFIXES = {".html", ".xml", ".json", ".csv", ".svg", ".js", ".txt", ".css"}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def is_id_card(text: str) -> bool:
    """GB 11643: plausible birth date and a correct check character.

    >>> is_id_card("11010519491231002X"), is_id_card("110105194912310021")
    (True, False)
    """
    if not re.fullmatch(r"\d{17}[\dXx]", text):
        return False
    year, month, day = int(text[6:10]), int(text[10:12]), int(text[12:14])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(c) * w for c, w in zip(text[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == text[17].upper()


def internal_labels() -> list[str]:
    """Labels and names of internal fields, which must not appear in page HTML."""
    out = set()
    for kind in KINDS:
        for f in _fields(kind.fields):
            if f.internal and f.name not in ("phone", "mobile"):  # "手机号码" is generic, values are scanned
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
            with zipfile.ZipFile(path) as z:
                for name in sorted(z.namelist()):
                    if name.endswith(".xml"):
                        yield f"{rel}!{name}", z.read(name).decode("utf-8", errors="replace")


class Scanner:
    """The checks, prepared once per build; ``text(rel, text)`` scans one file's text in memory."""

    def __init__(self, internal: dict[str, set[str]], public: set[str]):
        needles = {v for values in internal.values() for v in values if v not in public}
        self.owner = {v: k for k, values in sorted(internal.items()) for v in values}
        # Values that are whole tokens (phones, ids) are found by set lookup; others by substring search.
        self.token_needles = frozenset(v for v in needles if TOKEN.fullmatch(v))
        self.other_needles = sorted(needles - self.token_needles)
        self.labels = internal_labels()

    def text(self, rel: str, text: str) -> list[str]:
        problems = []
        # Both an ID number and a mobile number hold 11 digits in a row: one quick search rules out
        # the two slower scans on most pages.
        if LONG_DIGITS.search(text):
            for m in ID_CARD.finditer(text):
                if is_id_card(m[1]):
                    problems.append(f"{rel}: 疑似身份证号码“{m[1][:6]}…”")
            for m in MOBILE.finditer(text):
                problems.append(f"{rel}: 疑似手机号码“{m[1][:3]}…”")
        found = self.token_needles.intersection(TOKEN.findall(text))
        found |= {v for v in self.other_needles if v in text}
        for value in sorted(found):
            problems.append(f"{rel}: 内部字段 {self.owner[value]} 的值出现在公开内容中")
        if rel.endswith(".html"):
            for label in self.labels:
                if label in text:
                    problems.append(f"{rel}: 页面出现内部字段“{label}”")
        return problems

    def __call__(self, rel: str, text: str) -> list[str]:
        return self.text(rel, text)

    def site(self, site: Path, skip: set[str] = frozenset(), only: list[str] | None = None) -> list[str]:
        """Scan every file under ``site`` (or those ``only`` names) except those in ``skip``."""
        return [p for rel, text in _texts(site, set(skip), only) for p in self.text(rel, text)]


def scan(site: Path, internal: dict[str, set[str]], public: set[str]) -> list[str]:
    """Problems found, as Chinese lines naming the file and what was found (empty = clean)."""
    return Scanner(internal, public).site(site)
