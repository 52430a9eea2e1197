"""Page paths from record ids: injective, ASCII, short enough for any file system.

Unit, task and draw ids have ASCII patterns and map to themselves. Object ids are free text (products
and projects use the unit's own numbering, often Chinese): before, every non-ASCII character became
``_`` and ``产品甲`` and ``产品乙`` shared ``objects/___/``, one page silently replacing the other.

The scheme (``slug``):
* an id of ASCII letters, digits and ``-`` only (at most 100 characters, not a reserved page name)
  is its own slug: USCCs, task and draw ids keep their readable URLs;
* any other id is escaped: every character outside ``[A-Za-z0-9-]`` (``_`` included, it is the escape
  character) becomes ``_<hex code point>_``. Such a slug always contains ``_`` and a plain one never
  does, and the escapes decode unambiguously, so two different ids never share a slug;
* an escaped slug longer than 120 characters (a long Chinese id) is cut at an escape boundary and
  ends in ``_h`` + 32 hex digits of the id's SHA-256: still deterministic; ``_h`` never occurs in an
  escape (``h`` is not a hex digit), so a cut slug never equals an uncut one.
The reserved names are the other pages sharing a folder with record pages (``objects/index``, the
township lists ``objects/t01``, ``objects/other``, a task's ``-sheet``) and the names Windows keeps
for devices (``CON``, ``PRN``, ``AUX``, ``NUL``, ``COM0``-``9``, ``LPT0``-``9``, any case: a unit
``con`` or a product ``NUL`` is a valid id, and a folder so named cannot be created on, or copied
to, a Windows share); an id equal to one is escaped.

Object ids are free text, so ``P-abc`` and ``P-ABC`` may both exist; on a case-insensitive file
system (a Windows share, macOS) their folders would be one. ``object_slug`` therefore also escapes
lower-case letters: plain text is then ``[A-Z0-9-]`` only and every escape is lower-case hex, so two
object slugs never differ by case alone (USCCs, upper-case, keep their readable paths). Unit, task
and draw ids have patterns that fix the case of every position and use ``slug``.
"""

from __future__ import annotations

import hashlib
import re

PLAIN = re.compile(r"[A-Za-z0-9-]{1,100}")
PLAIN_UPPER = re.compile(r"[A-Z0-9-]{1,100}")
RESERVED = re.compile(r"(?i)index|other|t\d+|.*-sheet|con|prn|aux|nul|com\d|lpt\d")
MAX_ESCAPED = 120
_ESCAPE = re.compile(r"[^A-Za-z0-9-]")
_ESCAPE_FOLD = re.compile(r"[^A-Z0-9-]")


def object_slug(text: str) -> str:
    """``slug`` that stays distinct on case-insensitive file systems (object ids are free text).

    >>> object_slug("91321323MA1YB3R18F"), object_slug("P-abc"), object_slug("P-ABC")
    ('91321323MA1YB3R18F', 'P-_61__62__63_', 'P-ABC')
    """
    return slug(text, fold_safe=True)


def slug(text: str, fold_safe: bool = False) -> str:
    """The page-path segment for an id.

    >>> slug("91321323MA1YB3R18F"), slug("T2026-market-01")
    ('91321323MA1YB3R18F', 'T2026-market-01')
    >>> slug("产品甲"), slug("产品乙")
    ('_4ea7__54c1__7532_', '_4ea7__54c1__4e59_')
    >>> slug("index"), slug("a_b"), slug("con"), object_slug("NUL")
    ('_69_ndex', 'a_5f_b', '_63_on', '_4e_UL')
    """
    plain, escape = (PLAIN_UPPER, _ESCAPE_FOLD) if fold_safe else (PLAIN, _ESCAPE)
    if plain.fullmatch(text) and not RESERVED.fullmatch(text):
        return text
    escaped = escape.sub(lambda m: f"_{ord(m[0]):x}_", text)
    if RESERVED.fullmatch(text) and escaped == text:
        escaped = f"_{ord(text[0]):x}_" + text[1:]
    if len(escaped) <= MAX_ESCAPED:
        return escaped
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    head = escaped[: MAX_ESCAPED - 34]
    cut = head.rfind("_")
    if head.count("_") % 2:  # inside an escape: drop the partial one
        head = head[:cut]
    return f"{head}_h{digest}"


def unslug(value: str) -> str | None:
    """The id an uncut slug stands for (None for a hashed one); the inverse used by the tests."""
    if value.count("_") % 2:  # cut and hashed
        return None
    out, i = [], 0
    while i < len(value):
        if value[i] == "_":
            end = value.index("_", i + 1)
            out.append(chr(int(value[i + 1 : end], 16)))
            i = end + 1
        else:
            out.append(value[i])
            i += 1
    return "".join(out)
