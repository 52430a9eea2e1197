"""Control characters in record text.

A clerk who copies text out of Word brings its manual line break (U+000B) along; other pasted text
can carry any C0 control, and a YAML ``"\\x01"`` escape writes one on purpose. Nothing shows them on
a page, the exported spreadsheets print them as ``\\x0b`` (XLSX cannot hold them), and a strict XML
reader refuses a feed holding one (the feed now shows U+FFFD instead, site/feed.py). Tab, line feed
and carriage return are ordinary white space and stay allowed. Ids have their own rule (id_text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.records import BY_NAME

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def shown(text: str, limit: int = 40) -> str:
    """``text`` safe to print: controls as ``\\xNN``, cut to ``limit`` characters.

    >>> shown("甲\\x0b乙")
    '甲\\\\x0b乙'
    """
    text = CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
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
