"""A drawn or inspected object keeps the name it was drawn and published under (append-check).

The draw registry freezes objects by id (``pool-internal.json`` and the bundle hold no names), and
the draw, result and object pages show the name ``objects.csv`` has now. A unit renaming an object
after the draw would make the published draw and its results read as if another firm had been
drawn and inspected. So a pull request may not change the 名称 of an object that a merged draw
result or a merged inspection result names; a registered name change (营业执照变更) goes through the
joint office, which checks the registration and merges over this check (docs/submit.md).
"""

from __future__ import annotations

import csv
import io
import re

from generator.corpus import MAX_FILE_BYTES
from generator.errors import Finding
from generator.gitrepo import GitRepo
from generator.sources import decode, load_yaml
from generator.workflow.findings import wfinding

ID_COLUMN, NAME_COLUMN = "对象编号", "名称"


def renamed_objects(
    repo: GitRepo, base_rev: str, head_rev: str, prefix: str, changed: list[str]
) -> list[Finding]:
    """APPEND_OBJECT_RENAMED for each drawn or inspected object whose name the pull request changes."""
    objects_re = re.compile(rf"^{re.escape(prefix)}/units/[^/]+/objects\.csv$")
    if not any(objects_re.match(p) for p in changed):
        return []
    before: dict[str, str] = {}
    for path in repo.files(base_rev, f"{prefix}/units"):
        if objects_re.match(path):
            for oid, (name, _line) in _names(repo.show(base_rev, path)).items():
                before.setdefault(oid, name)
    published = _published_ids(repo, base_rev, prefix)
    out = []
    for path in sorted(p for p in changed if objects_re.match(p)):
        for oid, (name, line) in _names(repo.show(head_rev, path)).items():
            old = before.get(oid)
            if old is not None and old != name and oid in published:
                out.append(
                    wfinding(
                        "APPEND_OBJECT_RENAMED",
                        path,
                        line,
                        0,
                        NAME_COLUMN,
                        name,
                        object=oid,
                        old=old,
                        new=name,
                        where=published[oid],
                    )
                )
    return out


def _names(data: bytes | None) -> dict[str, tuple[str, int]]:
    """object id -> (name, line) of an objects.csv; {} when it cannot be read (validate says why)."""
    if data is None or len(data) > MAX_FILE_BYTES:
        return {}  # validate refuses an oversized file (FILE_TOO_LARGE); nothing to compare
    text, _ = decode(data, "")
    if text is None:
        return {}
    reader = csv.reader(io.StringIO(text))
    out: dict[str, tuple[str, int]] = {}
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
        if ID_COLUMN not in header or NAME_COLUMN not in header:
            return {}
        i, n = header.index(ID_COLUMN), header.index(NAME_COLUMN)
        for row in reader:
            if len(row) > max(i, n):
                out.setdefault(row[i].strip(), (row[n].strip(), reader.line_num))
    except csv.Error:  # a NUL byte, an oversized field: validate reports the file; compare what was read
        pass
    return out


def _published_ids(repo: GitRepo, base_rev: str, prefix: str) -> dict[str, str]:
    """object id -> where the base branch names it: a draw result or an inspection result."""
    out: dict[str, str] = {}
    result_re = re.compile(rf"^{re.escape(prefix)}/units/[^/]+/results/[^/]+\.ya?ml$")
    for path in repo.files(base_rev, f"{prefix}/draws"):
        if path.endswith("/result.yaml"):
            output = _mapping(repo.show(base_rev, path)).get("output")
            for obj in output.get("objects", []) if isinstance(output, dict) else []:
                if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                    out.setdefault(obj["id"], path)
    for path in repo.files(base_rev, f"{prefix}/units"):
        if result_re.match(path):
            entries = _mapping(repo.show(base_rev, path)).get("entries")
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get("object"), str):
                    out.setdefault(entry["object"], path)
    return out


def _mapping(data: bytes | None) -> dict:
    if data is None or len(data) > MAX_FILE_BYTES:
        return {}
    text, _ = decode(data, "")
    value = load_yaml(text, "").value if text is not None else None  # findings, never exceptions
    return value if isinstance(value, dict) else {}
