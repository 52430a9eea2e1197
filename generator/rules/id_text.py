"""Ids free of invisible characters.

An id becomes a page path and a cross-reference key. A zero-width space, a bidi control, a line or
paragraph separator or any white space inside it makes two ids that look identical differ (a
forged twin of a real enterprise, a result that silently fails to match its object). Ids with a
pattern (units, tasks, draws, inspectors) cannot hold such characters; free-form ids (objects:
product and project numbers) are checked here. Categories: Cc control, Cf format (zero-width,
bidi), Zl/Zp separators, and anything ``str.isspace`` calls white space.

The same holds for ids that merely *look* like another: ``Ｐ００１`` typed with the input method in
full-width mode next to ``P001``, a circled or superscript digit, an accent stored decomposed
(``e`` + U+0301 beside ``é``). These are ``ID_NOT_NORMALISED``: a letter or digit whose NFKC form is
a different ASCII letter or digit, or an id that NFC changes. Full-width punctuation (``（一期）``)
is ordinary Chinese typing and stays allowed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.private_data import BLANK_LETTERS  # letters that show as nothing (Hangul fillers)
from generator.records import KINDS

BAD_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cs"}


def bad_character(text: str) -> str | None:
    """The first invisible or white-space character of ``text`` as ``U+XXXX``, or None.

    >>> bad_character("P-001"), bad_character("P\\u200b001"), bad_character("产品 甲"), bad_character("P-001\\u3164")
    (None, 'U+200B', 'U+0020', 'U+3164')
    """
    for c in text:
        if c.isspace() or unicodedata.category(c) in BAD_CATEGORIES or c in BLANK_LETTERS:
            return f"U+{ord(c):04X}"
    return None


def unnormal_character(text: str) -> str | None:
    """The first character of ``text`` that makes it look like another id, or None.

    >>> unnormal_character("Ｐ００１"), unnormal_character("项目（一期）"), unnormal_character("Cafe\u0301")
    ('Ｐ', None, '\u0301')
    """
    for c in text:
        folded = unicodedata.normalize("NFKC", c)
        if folded != c and folded.isascii() and folded.isalnum():
            return c
    if unicodedata.normalize("NFC", text) != text:
        return next((c for c in text if unicodedata.combining(c)), text[-1])
    return None


# Each record's findings come from that record alone (serve's preview keeps them per file:
# site/rule_cache.py).
PER_RECORD = True


def check(corpus) -> Iterator[Finding]:
    for kind in KINDS:
        if kind.field_named(kind.id_field) is None:
            continue
        for r in corpus.of(kind.name):
            value = r.data.get(kind.id_field)
            if not isinstance(value, str):
                continue
            bad = bad_character(value)
            if bad:
                line, col = r.loc(kind.id_field)
                yield finding("ID_INVISIBLE_CHAR", r.file, line, col, kind.id_field, value, char=bad)
                continue
            odd = unnormal_character(value)
            if odd:
                line, col = r.loc(kind.id_field)
                expected = unicodedata.normalize("NFKC", value)
                yield finding(
                    "ID_NOT_NORMALISED", r.file, line, col, kind.id_field, value, char=odd, expected=expected
                )
