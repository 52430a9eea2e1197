"""The repository-level check before anything is written: would the tree still validate?

The would-be tree is the records tree with the import's new file texts in place, built in a temporary
folder of hard links (copies where links are impossible), so an edit can never reach the real files.
Every ``validate`` rule runs on it; an error that the current tree does not already have is one the
import introduces, and nothing is written. Findings in the imported file are shown at the sheet cell
they come from (``检查对象名录!C17``), the others at file:line.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

from generator.corpus import load
from generator.errors import Finding
from generator.intake.catalog import ERROR, Problem, problem
from generator.intake.cells import a1
from generator.intake.parse import Parsed
from generator.intake.specs import CSV_STORE, ITEMS_STORE, RESULTS_STORE, Spec
from generator.paths import held_interrupts
from generator.schema.headers import HeaderTable
from generator.validation import validate_corpus

# Kinds whose records may point at a directory row (objects, inspectors) by its id.
REFERRING_KINDS = ("results", "draw_result", "draw_request", "plans", "tasks")


def _identity(f: Finding) -> tuple:
    return (f.code, f.file, f.path, f.value)


def would_be_tree(records: Path, files: dict[Path, str], into: Path) -> Path:
    root = into / "records"
    for dirpath, _, names in os.walk(records):
        rel = Path(dirpath).relative_to(records)
        (root / rel).mkdir(parents=True, exist_ok=True)
        for name in names:
            src, dst = Path(dirpath, name), root / rel / name
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
    for path, text in files.items():
        dst = root / path.relative_to(records)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.unlink(missing_ok=True)  # never write through a hard link into the real file
        dst.write_text(text, encoding="utf-8", newline="")
    return root


def new_errors(records: Path, files: dict[Path, str]) -> list[Finding]:
    """Errors of the would-be tree that the current tree does not have (as many times).

    The current tree is validated only when the would-be tree has errors: a clean result needs no
    comparison, and that is the common case (half the time of a 100,000-row import)."""
    # Beside the records when possible: hard links need the same file system (else files are copied).
    parent = records.resolve().parent
    place = parent if os.access(parent, os.W_OK) else None
    tmp = tempfile.mkdtemp(prefix=".ssj-import-", dir=place)
    try:
        after = validate_tree_quiet(would_be_tree(records, files, Path(tmp))).errors
    finally:
        # Ctrl-C while thousands of links are removed left a copy of the records beside them
        # (in the repository's root, where ``git add -A`` would commit it): hold it until done.
        with held_interrupts():
            shutil.rmtree(tmp, ignore_errors=True)
    if not after:
        return []
    before = Counter(_identity(f) for f in validate_tree_quiet(records).errors)
    out = []
    for f in after:
        key = _identity(f)
        if before[key]:
            before[key] -= 1
        else:
            out.append(f)
    return out


def validate_tree_quiet(root: Path):
    """Every rule, with findings named by their path inside the tree (the temporary folder hidden)."""
    return validate_corpus(load(root, display_prefix=""))


def as_problems(found: list[Finding], locate: Callable[[Finding], str | None]) -> list[Problem]:
    """The new errors as intake problems, at the sheet cell when ``locate`` knows it."""
    out = []
    for f in found:
        where = locate(f) or (f"{f.file}:{f.line}" if f.line else f.file)
        text = f"{f.message}（记录文件 {f.file}:{f.line}）"
        message = problem("IMPORT_NEW_ERROR", where, detail=text).message
        out.append(Problem(f.code, where, f.value, message, ERROR))  # the rule's own code: stable, groupable
    return out


def references(records: Path, keys: set[str]) -> dict[str, list[str]]:
    """key -> ["file:line", …] of every draw, result, plan or task that mentions it."""
    corpus = load(records, display_prefix="")
    out: dict[str, list[str]] = {}
    for kind in REFERRING_KINDS:
        for r in corpus.of(kind):
            for path, value in _strings(r.data, ()):
                if value in keys:
                    line = r.loc(*path)[0] if path else r.line
                    out.setdefault(value, []).append(f"{r.file}:{line}")
    return {k: sorted(set(v)) for k, v in out.items()}


def _strings(value: object, path: tuple):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, path + (i,))


def yaml_item_at(text: str, list_key: str, line: int) -> dict | None:
    """The list item of ``list_key`` that spans ``line`` in a YAML file."""
    from generator.intake.store import list_spans

    _, starts, end = list_spans(text, list_key)
    lines = text.splitlines(keepends=True)
    bounds = [*starts, end]
    for i in range(len(starts)):
        if bounds[i] <= line < bounds[i + 1]:
            item = yaml.safe_load("".join(lines[bounds[i] - 1 : bounds[i + 1] - 1]))
            return item[0] if isinstance(item, list) and item and isinstance(item[0], dict) else None
    return None


class Locator:
    """Where a finding of the would-be tree comes from in the sheet: ``表名!C17``, or None."""

    def __init__(self, spec: Spec, parsed: Parsed, records: Path, files: dict[Path, str]):
        self.spec, self.parsed, self.records, self.files = spec, parsed, records, files
        self.rows = {spec.row_key(r.data): r.excel_row for r in parsed.rows}
        self.texts: dict[str, str] = {}

    def where(self, f: Finding) -> str | None:
        written = {p.relative_to(self.records).as_posix() for p in self.files}
        # A finding in a written file, or one naming it (a duplicate id reported at its first use).
        if not f.line or not (f.file in written or any(w in f.message for w in written)):
            return None
        row = self._row(f)
        if row is None:
            return None
        name = f.path.split(".")[-1].split("[")[0] if f.path else ""
        col = self.parsed.columns.get(name)
        return f"{self.parsed.sheet}!{a1(row, col + 1)}" if col is not None else f"{self.parsed.sheet}!{row}"

    def _row(self, f: Finding) -> int | None:
        path = self.records / f.file
        text = self.texts.get(f.file)
        if text is None:
            text = self.texts[f.file] = self.files.get(path) or _read_text(path) or ""
        if self.spec.store == CSV_STORE:
            lines = text.splitlines()
            if not 1 < f.line <= len(lines):
                return None
            cells = next(csv.reader([lines[f.line - 1]]), [])
            header = next(csv.reader([lines[0]]), [])
            table = HeaderTable.exact(self.spec.fields)  # the loader's header mapping
            data = {table.lookup(h): c for h, c in zip(header, cells, strict=False)}
            return self.rows.get(tuple(data.get(k, "") for k in self.spec.key))
        list_key = "items" if self.spec.store == ITEMS_STORE else "entries"
        if self.spec.store == RESULTS_STORE and f.path in ("task", "draw", "unit"):
            # a file-level value (the draw id) came from the task's first row in the sheet
            task = f.file.rsplit("/", 1)[-1].removesuffix(".yaml")
            return min((r for (t, _), r in self.rows.items() if t == task), default=None)
        item = yaml_item_at(text, list_key, f.line)
        if item is None:
            return None
        if self.spec.store == RESULTS_STORE:
            task = f.file.rsplit("/", 1)[-1].removesuffix(".yaml")
            return self.rows.get((task, str(item.get("object", ""))))
        return self.rows.get(tuple(str(item.get(k, "")) for k in self.spec.key))


def _read_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None
