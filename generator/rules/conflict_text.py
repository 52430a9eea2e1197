"""Declared conflicts of interest (internal) made public through free text about the person.

rules/privacy.py catches a person quoting their own conflict in their own public fields. This rule
catches the other ways a public text pairs a person with an object the person declared a conflict
with: a result entry whose findings quote such an object while the person is on the entry's team
(``与 91321323J3Y7LLJY18 共用后厨`` written by its inspector), and any public text that names both the
person (by id or name) and the object (``SCJG-002 与 9132… 有利害关系，已回避``). Object ids are public
on their own, so the build's final scan cannot see the pairing; only ``validate`` can, with file:line.
An object is recognised by its id or by its name (``江娟与泗阳县芃岫彩印有限公司有利害关系``); the
directory is read only for the names of objects someone declared a conflict with.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.records import BY_NAME
from generator.rules.privacy import folded, patterned_texts, public_texts

_TOKEN = re.compile(r"[0-9A-Z][0-9A-Z_-]*")
SKIPPED = ("objects",)  # no person writes there; draw folders are written by CI


def _people(corpus) -> dict[str, tuple[set[str], set[str]]]:
    """Person id -> (folded object ids of declared conflicts, folded names the person goes by)."""
    out = {}
    for kind in ("inspectors", "assistants"):
        for r in corpus.of(kind):
            conflicts = r.data.get("conflicts")
            person = r.data.get("id")
            if not isinstance(conflicts, list) or not conflicts or not isinstance(person, str):
                continue
            wanted = {folded(c) for c in conflicts if isinstance(c, str) and len(folded(c)) >= 4}
            names = {folded(person)}
            if isinstance(r.data.get("name"), str) and len(folded(r.data["name"])) >= 2:
                names.add(folded(r.data["name"]))
            if wanted:
                out[person] = (wanted, names)
    return out


def _names(corpus, ids: set[str]) -> dict[str, str]:
    """Folded object id -> folded name, for the objects in ``ids`` whose name is long enough to be
    told from ordinary words (four characters: 某某商店 and longer)."""
    out = {}
    for r in corpus.of("objects"):
        oid, name = r.data.get("id"), r.data.get("name")
        if isinstance(oid, str) and isinstance(name, str) and folded(oid) in ids and len(folded(name)) >= 4:
            out[folded(oid)] = folded(name)
    return out


LONGEST_WORD = 200  # longer (a malformed file's value): no quick test, every text is looked at


def literal_pattern(words) -> re.Pattern:
    """A pattern that finds a match in a text where any of ``words`` may occur, and none where no
    word does. Built as a trie: words sharing a beginning (a county's firm names all start 泗阳县)
    share its test, so one search costs about the text's length, not the number of words.

    >>> p = literal_pattern(["泗阳县甲商店", "泗阳县乙商店", "泗阳县甲商店分店", "a.b"])
    >>> [bool(p.search(t)) for t in ("与泗阳县乙商店有关", "泗阳县丙商店", "a.b", "axb")]
    [True, False, True, False]
    >>> literal_pattern([]).search("任何文字"), bool(literal_pattern(["长" * 201]).search("短"))
    (None, True)
    """
    words = {w for w in words if w}
    if any(len(w) > LONGEST_WORD for w in words):
        return re.compile("")
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(_trie_regex(trie) if trie else "(?!)")


def _trie_regex(node: dict) -> str:
    # a word ending here matches without reading further: the shorter word is enough for search
    if "" in node:
        return ""
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _texts(kind, data):
    yield from ((p, f, t) for p, f, _, t in public_texts(kind.fields, data))
    yield from patterned_texts(kind.fields, data)


def _team(data, path) -> list[str]:
    """The people of the result entry a text belongs to (``entries[i]…``), if any."""
    if len(path) >= 2 and path[0] == "entries" and isinstance(path[1], int):
        entries = data.get("entries")
        if isinstance(entries, list) and path[1] < len(entries) and isinstance(entries[path[1]], dict):
            entry = entries[path[1]]
            return [
                p for key in ("inspectors", "assistants") for p in entry.get(key) or [] if isinstance(p, str)
            ]
    return []


def conflicts(corpus) -> tuple[dict, dict]:
    """What each text is checked against: ``_people`` and the names of the objects they declared a
    conflict with. serve's preview keeps each file's findings while this is equal (PER_RECORD with
    a CONTEXT, site/rule_cache.py): an edited result is checked again alone."""
    people = _people(corpus)
    every = set().union(*(wanted for wanted, _ in people.values()))
    return people, _names(corpus, every) if every else {}


PER_RECORD = True
CONTEXT = conflicts


def check(corpus, records: dict | None = None, context: tuple | None = None) -> Iterator[Finding]:
    """``records`` (kind -> records, default every record) checked against ``context`` (default
    ``conflicts(corpus)``)."""
    people, named = conflicts(corpus) if context is None else context
    if not people:
        return
    every = set().union(*(wanted for wanted, _ in people.values()))
    plain = {c for c in every if _TOKEN.fullmatch(c)}
    other = every - plain
    # one pass over a text says whether any conflicted object's name or non-token id is in it at
    # all: most texts hold none, and testing each name against each text cost texts x names
    # (11 CPU-s of a county's validation)
    any_literal = literal_pattern([*other, *named.values()])
    for kind_name, rows in (corpus.records if records is None else records).items():
        kind = BY_NAME.get(kind_name)
        if kind is None or kind_name in SKIPPED or kind_name.startswith("draw"):
            continue
        for r in rows:
            for path, f, text in _texts(kind, r.data):
                text_folded = folded(text)
                quoted = plain.intersection(_TOKEN.findall(text_folded))
                if any_literal.search(text_folded):
                    quoted |= {c for c in other if c in text_folded}
                    quoted |= {c for c, name in named.items() if name in text_folded}
                if not quoted:
                    continue
                team = set(_team(r.data, path))
                for person, (wanted, names) in sorted(people.items()):
                    hit = sorted(quoted & wanted)
                    if not hit or kind_name in ("inspectors", "assistants") and r.data.get("id") == person:
                        continue  # one's own record: rules/privacy.py
                    if person in team or any(n in text_folded for n in names):
                        line, col = r.loc(*path)
                        yield finding(
                            "PRIVACY_CONFLICT_DISCLOSED",
                            r.file,
                            line,
                            col,
                            path,
                            hit[0],
                            label=f.label,
                            person=person,
                        )
