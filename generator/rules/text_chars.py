"""Control characters in record text.

A clerk who copies text out of Word brings its manual line break (U+000B) along; other pasted text
can carry any C0 control, and a YAML ``"\\x01"`` escape writes one on purpose. Nothing shows them on
a page, the exported spreadsheets print them as ``\\x0b`` (XLSX cannot hold them), and a strict XML
reader refuses a feed holding one (the feed now shows U+FFFD instead, site/feed.py). Tab, line feed
and carriage return are ordinary white space and stay allowed. Ids have their own rule (id_text).

The bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) too: invisible
like the others, they reorder what a reader sees ("Trojan Source"): an object name or a finding
written with U+202E shows its text reversed on the pages and in a spreadsheet of the open data, and
an unclosed override spills onto the text that follows it (a result's category, the next cell).
Chinese administrative text never needs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.private_data import TEXT_CONTROL_CLASS
from generator.records import BY_NAME

CONTROL = re.compile(f"[{TEXT_CONTROL_CLASS}]")  # C1 and invisible format characters too


def escaped(m: re.Match) -> str:
    code = ord(m[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str, limit: int = 40) -> str:
    """``text`` safe to print: controls as ``\\xNN`` (bidi controls as ``\\uNNNN``), cut to ``limit``
    characters.

    >>> shown("甲\\x0b乙"), shown("甲\\u202e乙")
    ('甲\\\\x0b乙', '甲\\\\u202e乙')
    """
    text = CONTROL.sub(escaped, text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _walk(value, path):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, path + (k,))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _walk(v, path + (i,))
    elif isinstance(value, str) and CONTROL.search(value):
        yield path, value


# Each record's findings come from that record alone (serve's preview keeps them per file:
# site/rule_cache.py).
PER_RECORD = True


def check(corpus) -> Iterator[Finding]:
    for kind_name, records in corpus.records.items():
        kind = BY_NAME.get(kind_name)
        id_path = (kind.id_field,) if kind is not None and kind.id_field else None
        for r in records:
            if r.file.endswith(".csv"):
                continue  # the CSV reader reports them line by line (sources.py), even in a header
            for path, value in _walk(r.data, ()):
                if path == id_path:
                    continue  # ID_INVISIBLE_CHAR
                line, col = r.loc(*path)
                char = f"U+{ord(CONTROL.search(value)[0]):04X}"
                yield finding("TEXT_CONTROL_CHAR", r.file, line, col, path, shown(value), char=char)
