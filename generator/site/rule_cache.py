"""Cross-record rules in serve's preview: a rule runs again only when what it read changed.

Every rule still runs on the whole in-memory corpus the first time. Each run goes through a
:class:`TrackedCorpus`, which records what the rule asked the corpus for: the record kinds it read
(``of``, ``index``, ``records[kind]``, ``units``, ``tasks`` …), the list of files, or anything else
(``root`` — the draw folders and registry on disk — or any attribute not listed here), which
makes the rule's findings never reusable. On the next rebuild the rule's findings are reused only
if every kind it read has the same files with the same bytes (``RecordCache.signatures``: the
records of a kind are a function of those), the file list is the same if it read it, and the date
and SOURCE_DATE_EPOCH it may compare with are the same. A rule is deterministic code over what it
read, so with the same inputs it reads the same things and finds the same: skipping it is safe.
A rule reading all kinds (iterating ``records``) is reused only when no record file changed.

Memo attributes a rule leaves on the corpus (``settings``' ``_settings``) carry the kinds read
up to the moment they were set, so a later rule reading the memo depends on them too.

A rule whose module declares ``PER_RECORD = True`` finds each record's problems from that record
alone (its data, file and locations), walking ``corpus.records`` kind by kind in order (text_chars,
privacy, id_text) — or from that record and a ``CONTEXT(corpus)`` value the module also declares
(references: the ids each kind of reference may name), when ``check(corpus, records, context)``
checks the given records only; then kept findings are reused only while the context is equal. A
part of a rule split into ``PARTS`` may declare both on its function instead (results, outcomes,
teams.certificates, joint.results: each a per-file part beside a small cross-file one). Its findings are kept per file: after an edit it runs on a corpus holding only the
records of the files parsed again (``RecordCache`` hands back the very same ``Record`` objects for an
unchanged file, so a file is known by its records' identities), and the kept findings of every other
file are put back in the corpus' order — the same list a run over the whole corpus gives.
tests/site/test_record_cache.py checks each declared rule against a whole-corpus run.
tests/site/test_record_cache.py compares the findings with a fresh validation after each edit.

A rule whose findings cross files but whose costly part is a walk over each file (joined_numbers:
the edges of every public value) declares ``FILE_PART(kind, records)`` — a value made from one
file's records alone — and ``FROM_PARTS(parts)``, its findings from the list of every file's part
in the corpus' order and from nothing else (``check(corpus)`` is ``FROM_PARTS`` over every file).
Each file's part is kept while its records are the same objects; after an edit only the edited
files' parts are made again and ``FROM_PARTS`` runs on the kept ones; when no file's part changed,
its last findings are reused.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable

ANY = "@any"  # read something not tracked: never reused
FILES = "@files"
ALL_KINDS = "@kinds"

# Corpus properties derived from one kind's records
DERIVED = {
    "county": "county",
    "units": "unit",
    "inspectors": "inspectors",
    "tasks": "tasks",
    "objects_by_id": "objects",
    "items_by_code": "items",
    "plan_entries": "plans",
}


class TrackedCorpus:
    """A corpus as one rule sees it, noting what it reads into ``reads``."""

    def __init__(self, corpus, reads: set[str], memos: dict[str, frozenset]):
        object.__setattr__(self, "_tracked", (corpus, reads, memos))

    def of(self, kind: str):
        corpus, reads, _ = self._tracked
        reads.add(kind)
        return corpus.of(kind)

    def index(self, kind: str, key: str = "id"):
        corpus, reads, _ = self._tracked
        reads.add(kind)
        return corpus.index(kind, key)

    @property
    def records(self):
        corpus, reads, _ = self._tracked
        return _TrackedRecords(corpus.records, reads)

    def __getattr__(self, name: str):
        corpus, reads, memos = self._tracked
        if name in DERIVED:
            reads.add(DERIVED[name])
        elif name == "files":
            reads.add(FILES)
        elif name.startswith("_") and not name.startswith("__"):
            value = getattr(corpus, name)  # AttributeError when not memoised yet, as on a corpus
            reads.update(memos.get(name, {ANY}))
            return value
        else:
            reads.add(ANY)  # root (files on disk), findings, anything new: never reused
        return getattr(corpus, name)

    def __setattr__(self, name: str, value) -> None:
        corpus, reads, memos = self._tracked
        setattr(corpus, name, value)
        memos[name] = frozenset(reads)


class _TrackedRecords:
    """``corpus.records`` for a rule: one kind read is that kind, any walk over it is every kind."""

    def __init__(self, records: dict, reads: set[str]):
        self._records, self._reads = records, reads

    def __getitem__(self, kind: str):
        self._reads.add(kind)
        return self._records[kind]

    def get(self, kind: str, default=None):
        self._reads.add(kind)
        return self._records.get(kind, default)

    def __contains__(self, kind: str) -> bool:
        self._reads.add(kind)
        return kind in self._records

    def __getattr__(self, name: str):
        self._reads.add(ALL_KINDS)  # keys, values, items …
        return getattr(self._records, name)

    def __iter__(self):
        self._reads.add(ALL_KINDS)
        return iter(self._records)

    def __len__(self) -> int:
        self._reads.add(ALL_KINDS)
        return len(self._records)


def per_record(check: Callable) -> bool:
    """Whether ``check`` (a part of a rule split into ``PARTS``) or its module declares its findings
    a function of each record alone (and of its ``CONTEXT``)."""
    module = importlib.import_module(check.__module__)
    return bool(getattr(check, "PER_RECORD", getattr(module, "PER_RECORD", False)))


def context_of(check: Callable) -> Callable | None:
    """The ``CONTEXT`` declared on ``check`` or, failing that, on its module."""
    module = importlib.import_module(check.__module__)
    return getattr(check, "CONTEXT", getattr(module, "CONTEXT", None))


def file_parts(check: Callable) -> tuple[Callable, Callable] | None:
    """(``FILE_PART``, ``FROM_PARTS``) declared on ``check`` or its module, or None."""
    module = importlib.import_module(check.__module__)
    part = getattr(check, "FILE_PART", getattr(module, "FILE_PART", None))
    combine = getattr(check, "FROM_PARTS", getattr(module, "FROM_PARTS", None))
    return (part, combine) if part is not None and combine is not None else None


def file_groups(corpus) -> list[tuple[str, str, list]]:
    """(kind, file, records) for each file's run of records, in the corpus' order."""
    out: list[tuple[str, str, list]] = []
    for kind, records in corpus.records.items():
        for r in records:
            if out and out[-1][0] == kind and out[-1][1] == r.file:
                out[-1][2].append(r)
            else:
                out.append((kind, r.file, [r]))
    return out


class RuleCache:
    def __init__(self) -> None:
        self._kept: dict[str, tuple] = {}  # rule -> (inputs, findings)
        # PER_RECORD rule -> {(env, kind, file, record ids): (records, findings)}
        self._by_file: dict[str, dict[tuple, tuple]] = {}
        self.ran: list[str] = []  # the rules the last validation ran (tests, bench)
        self.files_checked: dict[str, list[str]] = {}  # PER_RECORD rule -> files it ran on, last time
        self._contexts: dict[str, object] = {}  # PER_RECORD rule with a CONTEXT -> its last value
        # FILE_PART rule -> ({(env, kind, file, record ids): (records, part)}, findings)
        self._parts: dict[str, tuple[dict, list]] = {}

    def runner(self, corpus, signatures: dict[str, tuple]) -> Callable:
        """``validate_corpus``'s ``run`` for one corpus whose kinds' files are ``signatures``."""
        memos: dict[str, frozenset] = {}
        from generator.rules.results_context import reference_date

        env = (reference_date(), os.environ.get("SOURCE_DATE_EPOCH"))  # the Beijing date rules compare with
        self.ran = []

        def inputs(reads: frozenset) -> tuple | None:
            if ANY in reads:
                return None
            if ALL_KINDS in reads:
                kinds = tuple(sorted(signatures.items()))
            else:
                kinds = tuple((k, signatures.get(k, ())) for k in sorted(reads - {FILES}))
            return env, reads, kinds, tuple(corpus.files) if FILES in reads else ()

        groups: list = []  # file_groups(corpus), made once for every per-record rule

        def run(name: str, check: Callable[..., Iterable], _corpus) -> list:
            parted = file_parts(check)
            if (parted or per_record(check)) and not groups:
                groups.extend(
                    ((env, kind, file, tuple(map(id, rows))), rows)
                    for kind, file, rows in file_groups(corpus)
                )
            if parted:
                return self._from_parts(name, parted, groups)
            if per_record(check):
                return self._per_file(name, check, corpus, groups)
            kept = self._kept.get(name)
            if kept is not None and kept[0] is not None and inputs(kept[0][1]) == kept[0]:
                return kept[1]
            reads: set[str] = set()
            found = list(check(TrackedCorpus(corpus, reads, memos)))
            self.ran.append(name)
            self._kept[name] = (inputs(frozenset(reads)), found)
            return found

        return run

    def _per_file(self, name: str, check: Callable[..., Iterable], corpus, groups: list) -> list:
        """A PER_RECORD rule's findings: run on the files not met before, the rest kept.
        ``groups``: ((env, kind, file, record ids), records) of each file, in the corpus' order."""
        from generator.corpus import Corpus
        from generator.errors import Findings

        context = context_of(check)
        if context is not None:
            now = context(corpus)
            if self._contexts.get(name) != now:
                self._by_file.pop(name, None)
            self._contexts[name] = now
        kept = self._by_file.get(name, {})
        missing = [(key, rows) for key, rows in groups if key not in kept]
        fresh: dict[tuple, tuple] = {}
        if missing:
            files = [key[2] for key, _ in missing]
            sub = Corpus(corpus.root, {kind: [] for kind in corpus.records}, Findings(), [])
            for key, rows in missing:
                sub.records[key[1]].extend(rows)
            by_file: dict[str, list] = {}
            for found in check(sub) if context is None else check(corpus, sub.records, now):
                by_file.setdefault(found.file, []).append(found)
            if len(set(files)) != len(files) or not by_file.keys() <= set(files):
                # a file in two runs, or a finding not on its records' file: not what PER_RECORD
                # promises — run on everything and keep nothing
                self._by_file.pop(name, None)
                self.ran.append(name)
                return list(check(corpus))
            fresh = {key: (rows, by_file.get(key[2], [])) for key, rows in missing}
            self.ran.append(name)
        self.files_checked[name] = [key[2] for key, _ in missing]
        now = {key: kept.get(key) or fresh[key] for key, _ in groups}
        self._by_file[name] = now
        return [f for key, _ in groups for f in now[key][1]]

    def _from_parts(self, name: str, parted: tuple[Callable, Callable], groups: list) -> list:
        """A FILE_PART rule's findings: the parts of the files not met before made, the others kept
        (with their records, so no new record can take a kept one's id), then ``FROM_PARTS``."""
        part_of, combine = parted
        kept, last = self._parts.get(name, ({}, None))
        now = {key: kept.get(key) or (rows, part_of(key[1], rows)) for key, rows in groups}
        self.files_checked[name] = [key[2] for key, _ in groups if key not in kept]
        if last is not None and list(now) == list(kept):  # the same files' parts, in the same order
            return last
        found = list(combine([part for _, part in now.values()]))
        self.ran.append(name)
        self._parts[name] = (now, found)
        return found
