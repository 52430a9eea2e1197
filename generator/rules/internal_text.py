"""An internal value (a phone in an internal field) written into a public text of any record.

The build's final scan looks for every internal value with a shape (``site/public.py``:
``record_internal_values``; phones, not prose) in every published file, and refuses the whole site
on a match unless the same value is published whole somewhere (a unit's office phone). A mobile in a
public text is already PRIVACY_MOBILE; a landline was not seen by ``validate``: an assistant's
联系电话 ``0527-82345678`` (a testing lab's switchboard) quoted in a finding or in county.yaml's
contact passed validate, then every unit's site was refused, and ``ci site`` could not leave the file
out, since it leaves out only what validate refuses (red team, fifth round). Reported here at the
public text, as the scan would read it: a value of letters and digits as a whole token, any other as
a substring.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.private_data import find
from generator.records import BY_NAME
from generator.rules.conflict_text import literal_pattern
from generator.rules.privacy import patterned_texts, public_texts
from generator.schema.fields import Choice, ListOf, Obj, Text

# The kinds whose public values the scan lets pass when a whole value is the internal one
# (site/opendata.PUBLIC_PARTS; tests/test_internal_text.py holds the two equal).
PUBLISHED_WHOLE = frozenset(("county", "unit", "items", "objects", "inspectors", "plans", "tasks", "results"))
TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]*")  # as site/privacy.TOKEN
SHORTEST = 7  # as site/public.record_internal_values: shorter values are not looked for


def _shaped(fields, prefix=""):
    """(dotted path, field) of every internal field with a shape (not free prose)."""
    for f in fields:
        path = f"{prefix}{f.name}"
        item = f.type.item if isinstance(f.type, ListOf) else f.type
        # as public._is_prose; a choice (a credit class) is a short code the scan never looks for
        if (
            f.internal
            and not (type(f.type) is Text and f.type.pattern is None)
            and not isinstance(f.type, Choice)
        ):
            yield path, f
        elif isinstance(item, Obj):
            yield from _shaped(item.fields, f"{path}{'[]' if isinstance(f.type, ListOf) else ''}.")


def _values(data, parts):
    if not parts:
        yield from data if isinstance(data, list) else [data]
        return
    head, rest = parts[0], parts[1:]
    value = data.get(head.removesuffix("[]")) if isinstance(data, dict) else None
    for v in value if head.endswith("[]") and isinstance(value, list) else [value]:
        if v is not None:
            yield from _values(v, rest)


def internal_values(corpus) -> dict[str, tuple[str, str]]:
    """Internal values the build's scan looks for that no other check reads in public text (not
    mobile or ID numbers: PRIVACY_* name those) -> (the record's id, the field's label)."""
    out: dict[str, tuple[str, str]] = {}
    for kind_name, records in corpus.records.items():
        kind = BY_NAME.get(kind_name)
        shaped = list(_shaped(kind.fields)) if kind is not None else []
        for r in records if shaped else ():
            for path, f in shaped:
                for value in _values(r.data, path.split(".")):
                    text = str(value)
                    if len(text) >= SHORTEST and not find(text):
                        out.setdefault(text, (str(r.data.get("id") or r.file), f.label))
    return out


def masked(value: str) -> str:
    """``0527****78``: enough for the clerk to recognise, not the number (CI logs repeat messages)."""
    return value[:4] + "****" + value[-2:]


def check(corpus) -> Iterator[Finding]:
    wanted = internal_values(corpus)
    # a declared conflict names an object by its id, published whole on the object's row: the scan
    # lets such a value pass everywhere, so the walk below is needed only for what is left (usually
    # nothing: it costs a walk over every public text of the county)
    for r in corpus.of("objects") if wanted else ():
        if isinstance(r.data, dict) and r.data.get("id") in wanted:
            del wanted[r.data["id"]]
    if not wanted:
        return
    tokens = {v for v in wanted if TOKEN.fullmatch(v)}
    quick = literal_pattern(wanted)
    hits, whole = [], set()
    for kind_name, records in corpus.records.items():
        kind = BY_NAME.get(kind_name)
        if kind is None:
            continue
        for r in records:
            texts = [(p, f, t) for p, f, _, t in public_texts(kind.fields, r.data)]
            texts += patterned_texts(kind.fields, r.data)
            for path, f, text in texts:
                if not quick.search(text):
                    continue
                if text in wanted and kind_name in PUBLISHED_WHOLE:
                    whole.add(text)  # published whole: the build's scan lets it pass everywhere
                found = tokens.intersection(TOKEN.findall(text)) | {
                    v for v in wanted.keys() - tokens if v in text
                }
                hits += [(r, path, f, v) for v in sorted(found)]
    for r, path, f, value in hits:
        if value in whole:
            continue
        owner, label = wanted[value]
        line, col = r.loc(*path)
        yield finding(
            "PRIVACY_INTERNAL_VALUE",
            r.file,
            line,
            col,
            path,
            masked(value),
            label=f.label,
            owner=owner,
            field=label,
        )
