"""A drawn or inspected object keeps the name it was drawn and published under (append-check).

The draw registry freezes objects by id (``pool-internal.json`` and the bundle hold no names), and
the draw, result and object pages show the name ``objects.csv`` has now. A unit renaming an object
after the draw would make the published draw and its results read as if another firm had been
drawn and inspected. So a pull request may not change the 名称 of an object that a merged draw
result or a merged inspection result names; a registered name change (营业执照变更) goes through the
joint office, which checks the registration and merges over this check (docs/submit.md).

The file is read by the record loader itself (a header names a column by its label or its machine
name) and ids are compared as validation files them (a 统一社会信用代码 in lower case or full width
is the same object); a changed file that cannot be read while its base held such objects is refused.
"""

from __future__ import annotations

import re

from generator.corpus import MAX_FILE_BYTES
from generator.errors import Finding, Findings
from generator.gitrepo import GitRepo
from generator.record_file import csv_header_fields, load_file
from generator.records import BY_NAME
from generator.rules.uscc import USCC_KIND, canonical_id
from generator.sources import decode, load_yaml
from generator.workflow.findings import wfinding

OBJECTS = BY_NAME["objects"]
NAME_COLUMN = "名称"


def renamed_objects(
    repo: GitRepo, base_rev: str, head_rev: str, prefix: str, changed: list[str]
) -> list[Finding]:
    """APPEND_OBJECT_RENAMED for each drawn or inspected object whose name the pull request changes;
    APPEND_OBJECTS_UNREADABLE for a changed objects file that held such objects and cannot be read."""
    objects_re = re.compile(rf"^{re.escape(prefix)}/units/[^/]+/objects\.csv$")
    if not any(objects_re.match(p) for p in changed):
        return []
    before: dict[str, str] = {}
    base_ids: dict[str, list[str]] = {}
    for path in repo.files(base_rev, f"{prefix}/units"):
        if objects_re.match(path):
            rows, _problem = _rows(repo.show(base_rev, path), path)
            base_ids[path] = [oid for oid, _name, _line in rows]
            for oid, name, _line in rows:
                before.setdefault(oid, name)
    published = _published_ids(repo, base_rev, prefix)
    out = []
    for path in sorted(p for p in changed if objects_re.match(p)):
        rows, problem = _rows(repo.show(head_rev, path), path)
        held = [oid for oid in base_ids.get(path, []) if oid in published]
        if problem and held:  # nothing to compare is no proof that nothing was renamed
            out.append(
                wfinding(
                    "APPEND_OBJECTS_UNREADABLE",
                    path,
                    problem[1],
                    0,
                    "",
                    "",
                    detail=problem[0],
                    object=held[0],
                    count=len(held),
                    where=published[held[0]],
                )
            )
        for oid, name, line in rows:
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


def _rows(data: bytes | None, path: str) -> tuple[list[tuple[str, str, int]], tuple[str, int] | None]:
    """(object id as validation files it, name, line) for each row of an objects.csv, read by the
    record loader itself (a header may name a column by its label or its machine name), and why the
    file cannot be read: (detail, line: 1 for the header, 0 for the whole file), None when it can
    (or is absent: a deleted file leaves its objects unknown to validation, REF_UNKNOWN)."""
    if data is None:
        return [], None
    if len(data) > MAX_FILE_BYTES:
        return [], (f"文件超过 {MAX_FILE_BYTES // 2**20} MB 上限", 0)
    text, _problems = decode(data, path)
    if text is None:
        return [], ("不是 UTF-8 编码的文本", 0)
    named = csv_header_fields(OBJECTS, text)
    if named is None:
        return [], ("表头无法解析", 1)
    labels = {f.name: f.label for f in OBJECTS.fields}
    missing = [f"“{labels[n]}”（{n}）" for n in (OBJECTS.id_field, "name") if n not in named]
    if missing:
        return [], (f"表头中没有{'、'.join(missing)}列", 1)
    findings = Findings()
    records = load_file(OBJECTS, text, path, {}, findings)
    if any(f.code == "FILE_TOO_LARGE" for f in findings.items):
        return [], ("行数或列数超过上限", 0)
    out = []
    for r in records:  # a row the loader could not read (CSV_ROW_WIDTH) has no name: validate says why
        oid, name = r.data.get(OBJECTS.id_field), r.data.get("name")
        if isinstance(oid, str) and oid and isinstance(name, str):
            out.append((canonical_id(oid, r.data.get("id_kind", USCC_KIND)), name, r.line))
    return out, None


def _published_ids(repo: GitRepo, base_rev: str, prefix: str) -> dict[str, str]:
    """object id -> where the base branch names it: a draw result or an inspection result."""
    out: dict[str, str] = {}
    result_re = re.compile(rf"^{re.escape(prefix)}/units/[^/]+/results/[^/]+\.ya?ml$")
    for path in repo.files(base_rev, f"{prefix}/draws"):
        if path.endswith("/result.yaml"):
            output = _mapping(repo.show(base_rev, path)).get("output")
            for obj in output.get("objects", []) if isinstance(output, dict) else []:
                if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                    out.setdefault(canonical_id(obj["id"]), path)
    for path in repo.files(base_rev, f"{prefix}/units"):
        if result_re.match(path):
            entries = _mapping(repo.show(base_rev, path)).get("entries")
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get("object"), str):
                    out.setdefault(canonical_id(entry["object"]), path)
    return out


def _mapping(data: bytes | None) -> dict:
    if data is None or len(data) > MAX_FILE_BYTES:
        return {}
    text, _ = decode(data, "")
    value = load_yaml(text, "").value if text is not None else None  # findings, never exceptions
    return value if isinstance(value, dict) else {}
