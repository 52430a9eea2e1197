"""Append-only checks of a pull request against its base branch.

The draw registry and inspection results are evidence: once merged they may only grow.

* ``draws/<year>/<id>/``: files that exist on the base never change or disappear; through a pull
  request a registered folder may gain ``entropy.yaml`` (once, with ceremony digits and reveals but
  never a ``drand`` part) and nothing else. Only CI writes ``accepted.yaml``, ``refused.yaml``,
  ``entropy-accepted.yaml``, ``result.yaml``, ``failed.yaml`` and ``entropy.drand``; a pull request
  adding one is refused. A request may not arrive together with its entropy (the randomness must
  come *after* acceptance), may not carry an ``accepted`` field, must live under the year its id
  names (ASCII digits), and must continue the county-wide sequence (seq = max + 1, no gaps, no repeats).
* ``draws/<year>/<id>/substitutions.yaml`` (protocol §11) is written by the department of an officer
  who cannot serve: a pull request may add it to a drawn folder and later append substitutions at
  the end of its list; earlier substitutions never change or disappear.
* ``draws/log.jsonl`` (the public registry log) is appended by CI only: a pull request may not touch it.
* ``units/<unit>/results/*.yaml``: entries are never removed; each field of an existing entry keeps
  its value; ``amendments`` may only grow at the end, each new one with a date and a reason;
  ``published_on`` is CI's (``ci publish``): a pull request may not add or change it, and an
  amendment it appends to a published entry is not dated before that publication.
* ``county.yaml``: ``demo`` may go from true to false (a demonstration county going live), never back.
* ``units/<unit>/objects.csv``: the 名称 of an object that a merged draw or result names stays as it
  was drawn (generator/workflow/renames.py).
* ``units/<unit>/tasks/*.yaml``: a task a merged draw result names keeps its ``co_initiators``
  (generator/workflow/frozen_tasks.py).
* ``plans/<year>.yaml``: a filing date on time for a plan that arrives after its deadline is a
  warning for the reviewer (generator/workflow/plan_dates.py); so are result entries whose entry
  date is on time but which arrive after their deadline (generator/workflow/result_arrival.py).

Values are compared as parsed YAML, so re-indenting a file is not an edit but changing ``2026-04-20``
to ``2026-04-21`` is. Renames count as delete + add (``--no-renames``), so moving a file fails too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from generator.calendar import beijing_today
from generator.errors import Finding
from generator.gitrepo import GitRepo
from generator.sources import decode, load_yaml
from generator.workflow.findings import wfinding
from generator.workflow.frozen_tasks import changed_frozen_fields, key_line, yaml_mapping
from generator.workflow.plan_dates import backdated_plans
from generator.workflow.renames import renamed_objects
from generator.workflow.result_arrival import arrived_late

DRAW_RULE = "抽取登记簿只追加，已登记的文件不得修改或删除"
RESULT_RULE = "检查结果只追加更正，已录入的内容不得修改或删除"
LATE_FILES = ("entropy.yaml",)  # what a pull request may still add to a registered draw folder
SUBSTITUTIONS = "substitutions.yaml"  # added and then appended to by pull request (§11)
SUBSTITUTION_RULE = "替补记录只追加，已登记的替补不得修改或删除"
ACCEPTED_FILE = "accepted.yaml"  # written by CI after the merge, never by a pull request
CI_ONLY = ("result.yaml", "refused.yaml", "entropy-accepted.yaml", "failed.yaml")  # and accepted.yaml
DRAW_FOLDER = re.compile(r"D([0-9]{4})-[0-9]{4}")
_MISSING = object()


def check(
    repo: GitRepo, base: str, head: str = "HEAD", records: str = "records", today: dt.date | None = None
) -> list[Finding]:
    """Every append-only violation between ``merge-base(base, head)`` and ``head``, and the
    warnings about dates CI's clock (``today``, Beijing; default now) contradicts."""
    prefix = records.strip("/")
    base_rev = repo.merge_base(repo.resolve(base), repo.resolve(head))
    head_rev = repo.resolve(head)
    draw_re = re.compile(rf"^{re.escape(prefix)}/draws/([^/]+)/([^/]+)/(.+)$")
    log_path = f"{prefix}/draws/log.jsonl"
    result_re = re.compile(rf"^{re.escape(prefix)}/units/[^/]+/results/[^/]+\.ya?ml$")
    base_draw_files = repo.files(base_rev, f"{prefix}/draws")
    base_folders = {m.group(2) for m in map(draw_re.match, base_draw_files) if m}
    head_draw_files = set(repo.files(head_rev, f"{prefix}/draws"))

    out: list[Finding] = []
    added_by_folder: dict[str, dict[str, str]] = defaultdict(dict)
    for change in repo.diff(base_rev, head_rev, prefix):
        draw = draw_re.match(change.path)
        if change.path == log_path:
            out.append(wfinding("DRAW_LOG_EDITED", change.path))
        elif draw:
            year, folder, name = draw.group(1), draw.group(2), draw.group(3)
            folder_path = change.path[: -len(name)]
            id_match = DRAW_FOLDER.fullmatch(folder)
            if change.status == "A" and (id_match is None or id_match.group(1) != year):
                out.append(
                    wfinding(
                        "REGISTRY_FOLDER_MISPLACED",
                        change.path,
                        detail=f"抽取目录 {year}/{folder} 与编号不符：编号须为 D+4 位 ASCII 数字年份-4 位序号，且放在该年份目录下",
                    )
                )
            elif change.status == "D":
                out.append(wfinding("APPEND_DELETED", change.path, rule=DRAW_RULE))
            elif change.status == "A":
                if name == ACCEPTED_FILE:
                    out.append(wfinding("DRAW_REQUEST_PREACCEPTED", change.path))
                elif name in CI_ONLY:
                    out.append(wfinding("DRAW_CI_FILE_BY_PR", change.path))
                elif name == "entropy.yaml" and "drand" in yaml_mapping(repo.show(head_rev, change.path))[0]:
                    out.append(wfinding("DRAW_ENTROPY_DRAND_BY_PR", change.path))
                elif folder in base_folders:
                    if name not in LATE_FILES + (SUBSTITUTIONS,):
                        out.append(wfinding("DRAW_FILE_ADDED", change.path))
                else:
                    added_by_folder[folder_path][name] = change.path
            elif name == "request.yaml" and any(
                folder_path + f in head_draw_files for f in LATE_FILES + CI_ONLY + (ACCEPTED_FILE,)
            ):
                out.append(wfinding("DRAW_REQUEST_LOCKED", change.path))
            elif name == SUBSTITUTIONS and change.status == "M":
                out.extend(
                    _compare_substitutions(
                        change.path, repo.show(base_rev, change.path), repo.show(head_rev, change.path)
                    )
                )
            else:
                out.append(wfinding("APPEND_EDITED", change.path, rule=DRAW_RULE))
        elif result_re.match(change.path):
            if change.status == "D":
                out.append(wfinding("APPEND_DELETED", change.path, rule=RESULT_RULE))
            elif change.status == "A":
                out.extend(published_by_pr(change.path, None, repo.show(head_rev, change.path)))
            else:
                out.extend(
                    compare_results(
                        change.path, repo.show(base_rev, change.path), repo.show(head_rev, change.path)
                    )
                )
    out.extend(_new_folders(repo, head_rev, base_rev, base_draw_files, added_by_folder))
    changes = repo.diff(base_rev, head_rev, prefix)
    changed = [c.path for c in changes if c.status != "D"]
    out.extend(changed_frozen_fields(repo, base_rev, head_rev, prefix, changes))
    today = today or beijing_today()
    out.extend(backdated_plans(repo, base_rev, head_rev, prefix, changes, today))
    out.extend(arrived_late(repo, base_rev, head_rev, prefix, changes, today))
    out.extend(_demo_switched_on(repo, base_rev, head_rev, f"{prefix}/county.yaml"))
    out.extend(renamed_objects(repo, base_rev, head_rev, prefix, changed))
    # A link in records/ would make validate, build and the pages read whatever it points at.
    base_special = set(repo.special_entries(base_rev, prefix))
    for mode, path in repo.special_entries(head_rev, prefix):
        if (mode, path) not in base_special:
            kind = "符号链接" if mode == "120000" else "子模块"
            out.append(wfinding("APPEND_SYMLINK", path, kind=kind))
    return out


def _new_folders(repo, head_rev, base_rev, base_draw_files, added_by_folder) -> list[Finding]:
    out: list[Finding] = []
    new_requests: list[tuple[object, str]] = []
    for folder_path in sorted(added_by_folder):
        added = added_by_folder[folder_path]
        for name in LATE_FILES:
            if name in added:
                out.append(wfinding("DRAW_REQUEST_WITH_ENTROPY", added[name]))
        if "request.yaml" not in added:
            # not a draw: CI would take the folder for an unreadable request and record a refusal
            # in the append-only registry, which validate and verify then fail on for good
            out += [
                wfinding("DRAW_FOLDER_WITHOUT_REQUEST", path, folder=folder_path.rstrip("/"))
                for name, path in sorted(added.items())
                if name not in LATE_FILES
            ]
        else:
            path = added["request.yaml"]
            data, problem = yaml_mapping(repo.show(head_rev, path))
            if problem:
                out.append(wfinding("DRAW_REQUEST_UNREADABLE", path, detail=problem))
                continue
            if "accepted" in data:
                out.append(
                    wfinding(
                        "DRAW_REQUEST_PREACCEPTED", path, key_line(repo.show(head_rev, path), "accepted")
                    )
                )
            new_requests.append((data.get("seq"), path))
    if new_requests:
        out.extend(_sequence(repo, base_rev, head_rev, base_draw_files, new_requests))
    return out


def _sequence(repo, base_rev, head_rev, base_draw_files, new_requests) -> list[Finding]:
    existing = []
    for path in base_draw_files:
        if path.endswith("/request.yaml"):
            data, _ = yaml_mapping(repo.show(base_rev, path))
            if isinstance(data.get("seq"), int):
                existing.append(data["seq"])
    expected = max(existing, default=0) + 1
    out = []
    readable = sorted((s, p) for s, p in new_requests if isinstance(s, int) and not isinstance(s, bool))
    for seq, path in readable:
        if seq != expected:
            out.append(
                wfinding(
                    "DRAW_SEQ_GAP",
                    path,
                    key_line(repo.show(head_rev, path), "seq"),
                    value=seq,
                    found=seq,
                    expected=expected,
                )
            )
        expected += 1
    for seq, path in new_requests:
        if not isinstance(seq, int) or isinstance(seq, bool):
            out.append(wfinding("DRAW_REQUEST_UNREADABLE", path, detail=f"seq 为“{seq}”，应为正整数"))
    return out


def _compare_substitutions(path: str, base_bytes: bytes | None, head_bytes: bytes | None) -> list[Finding]:
    """The list may only grow at its end; every other key stays as it was."""
    base, _ = _parse(base_bytes, path)
    head, _ = _parse(head_bytes, path)
    if not isinstance(base, dict):
        return []  # the base itself is broken: nothing trustworthy to protect
    old = base.get("substitutions")
    new = head.get("substitutions") if isinstance(head, dict) else None
    same_rest = isinstance(head, dict) and {k: v for k, v in base.items() if k != "substitutions"} == {
        k: v for k, v in head.items() if k != "substitutions"
    }
    if not same_rest or not isinstance(new, list) or (isinstance(old, list) and new[: len(old)] != old):
        return [wfinding("APPEND_EDITED", path, rule=SUBSTITUTION_RULE)]
    return []


def compare_results(path: str, base_bytes: bytes | None, head_bytes: bytes | None) -> list[Finding]:
    """Findings for one result file that exists on both sides."""
    base, _ = _parse(base_bytes, path)
    head, head_loaded = _parse(head_bytes, path)
    if not isinstance(base, dict):
        return []  # the base itself is broken: nothing trustworthy to protect
    if not isinstance(head, dict) or not isinstance(head.get("entries", []), list):
        return [wfinding("APPEND_EDITED", path, rule=RESULT_RULE + "（修改后的文件无法解析）")]
    out = []
    for key in sorted(set(base) | set(head), key=str):
        if key != "entries" and base.get(key, _MISSING) != head.get(key, _MISSING):
            line = head_loaded.loc((key,))[0] if key in head else 0
            out.append(wfinding("APPEND_FIELD_CHANGED", path, line, path=str(key), field=key))
    out.extend(published_by_pr(path, base_bytes, head_bytes))
    head_by_object = {}
    for i, entry in enumerate(head.get("entries") or []):
        if isinstance(entry, dict):
            head_by_object.setdefault(str(entry.get("object")), (i, entry))
    for j, entry in enumerate(base.get("entries") or []):
        if not isinstance(entry, dict):
            continue
        obj = str(entry.get("object"))
        if obj not in head_by_object:
            out.append(wfinding("APPEND_ENTRY_REMOVED", path, 0, path=f"entries[{j + 1}]", object=obj))
            continue
        i, new = head_by_object[obj]
        out.extend(_compare_entry(path, head_loaded, i, obj, entry, new))
    return out


def published_by_pr(path: str, base_bytes: bytes | None, head_bytes: bytes | None) -> list[Finding]:
    """APPEND_PUBLISHED_BY_PR for each entry whose ``published_on`` the pull request adds or changes
    (only CI records it, generator/workflow/publication.py)."""
    base, _ = _parse(base_bytes, path) if base_bytes is not None else ({}, None)
    head, loaded = _parse(head_bytes, path)
    if not isinstance(head, dict) or not isinstance(head.get("entries"), list):
        return []
    before = {}
    for entry in (base.get("entries") or []) if isinstance(base, dict) else []:
        if isinstance(entry, dict):
            before.setdefault(str(entry.get("object")), entry.get("published_on"))
    out = []
    for i, entry in enumerate(head["entries"]):
        if not isinstance(entry, dict) or entry.get("published_on") is None:
            continue
        obj = str(entry.get("object"))
        if before.get(obj) != entry.get("published_on"):
            line = loaded.loc(("entries", i, "published_on"))[0]
            out.append(
                wfinding(
                    "APPEND_PUBLISHED_BY_PR", path, line, path=f"entries[{i + 1}].published_on", object=obj
                )
            )
    return out


def _compare_entry(path, loaded, i, obj, old: dict, new: dict) -> list[Finding]:
    out = []
    for key in sorted(set(old) | set(new), key=str):
        if key == "published_on" and old.get(key) is None:
            continue  # added by the pull request: APPEND_PUBLISHED_BY_PR says it better
        if key != "amendments" and old.get(key, _MISSING) != new.get(key, _MISSING):
            line = loaded.loc(("entries", i, key))[0]
            out.append(
                wfinding(
                    "APPEND_ENTRY_CHANGED", path, line, path=f"entries[{i + 1}].{key}", object=obj, field=key
                )
            )
    old_am, new_am = old.get("amendments") or [], new.get("amendments") or []
    if not isinstance(new_am, list) or new_am[: len(old_am)] != old_am:
        index = next(
            (
                k
                for k, a in enumerate(old_am)
                if not isinstance(new_am, list) or k >= len(new_am) or new_am[k] != a
            ),
            0,
        )
        line = loaded.loc(("entries", i, "amendments"))[0]
        return out + [
            wfinding(
                "APPEND_AMENDMENT_CHANGED",
                path,
                line,
                path=f"entries[{i + 1}].amendments",
                object=obj,
                index=index + 1,
            )
        ]
    for k in range(len(old_am), len(new_am)):
        amendment = new_am[k] if isinstance(new_am[k], dict) else {}
        missing = [label for key, label in (("date", "日期"), ("reason", "原因")) if not amendment.get(key)]
        if missing:
            line = loaded.loc(("entries", i, "amendments", k))[0]
            out.append(
                wfinding(
                    "APPEND_AMENDMENT_INCOMPLETE",
                    path,
                    line,
                    path=f"entries[{i + 1}].amendments[{k + 1}]",
                    object=obj,
                    index=k + 1,
                    missing="和".join(missing),
                )
            )
        # CI dated the entry's publication (published_on, its own clock, on the base): an amendment
        # appended since cannot have been made before it
        published, day = old.get("published_on"), amendment.get("date")
        if isinstance(published, dt.date) and isinstance(day, dt.date) and day < published:
            line = loaded.loc(("entries", i, "amendments", k, "date"))[0]
            out.append(
                wfinding(
                    "APPEND_AMENDMENT_BACKDATED",
                    path,
                    line,
                    path=f"entries[{i + 1}].amendments[{k + 1}].date",
                    value=day.isoformat(),
                    object=obj,
                    index=k + 1,
                    day=day.isoformat(),
                    published=published.isoformat(),
                )
            )
    return out


def _parse(data: bytes | None, path: str):
    if data is None:
        return None, None
    text, problems = decode(data, path)
    if text is None:
        return None, None
    loaded = load_yaml(text, path)
    return (None if loaded.findings and loaded.value is None else loaded.value), loaded


def _demo_switched_on(repo, base_rev: str, head_rev: str, path: str) -> list[Finding]:
    """A county that runs real draws (``demo`` not true on the base) may not become a demonstration
    county: ``demo: true`` lets draws use a demo chain, whose key is public, so a beacon could be
    chosen after the fact (the site's banner alone would not stop a real draw being ground)."""
    base, _ = yaml_mapping(repo.show(base_rev, path))
    head, _ = yaml_mapping(repo.show(head_rev, path))
    if repo.show(base_rev, path) is None or base.get("demo") is True or head.get("demo") is not True:
        return []
    return [
        wfinding(
            "APPEND_DEMO_SWITCHED_ON", path, key_line(repo.show(head_rev, path), "demo"), 0, "demo", "true"
        )
    ]
