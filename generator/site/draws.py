"""Draw records for the site: a page model per draw and the public bundle its page verifies.

The bundle is exactly what ``site_templates/verify/verify_draw.py`` reads (engine.build_public_bundle):
public pools (salted object commitments, inspectors' public fields), entropy and the result. Internal
pool files (pool-internal.json) are never copied.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from generator.draw.canonical import nfc, normalise
from generator.json_text import dumps_indented
from generator.registry import log, run, store
from generator.registry.run import DrawFiles, public_bundle
from generator.registry.store import all_draw_ids
from generator.site import draw_cache, draw_story
from generator.site.draw_cache import REGISTRY_SLOT, FolderRead


def read(root, draw_id: str) -> DrawFiles:
    """registry.run.read: the same bounded, link-refusing reads as draw and verify."""
    return run.read(root, draw_id)


def load_registry_log(root) -> dict:
    """The public registry log: its head, its entries (newest first) and its bytes for download."""
    path = store.log_path(root)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    rows = []
    lines = log.lines_of(text)  # once: one split per entry made long logs quadratic
    for number, entry in enumerate(log.entries(text), start=1):
        rows.append(
            {
                "number": number,
                "event": EVENTS.get(entry.get("event"), str(entry.get("event"))),
                "draw_id": entry.get("draw_id", ""),
                "task": (entry.get("task") or {}).get("name", "")
                if isinstance(entry.get("task"), dict)
                else "",
                "at": entry.get("at", ""),
                "round": entry.get("latest_round", ""),
                "reason": entry.get("reason", ""),
                "hash": log.entry_hash(lines[number - 1]),
            }
        )
    return {"head": log.head(text), "entries": rows[::-1], "text": text, "path": f"draws/{store.LOG}"}


EVENTS = {"accepted": "受理申请", "refused": "拒绝受理", "entropy": "受理随机源", "failed": "抽取失败"}


def _closed_page(files: DrawFiles) -> dict:
    """Page model of a draw that was refused or failed: published with its reason, no bundle."""
    record = files.failed or files.refused
    return {
        "id": files.draw_id,
        "task": files.request.get("task"),
        "drawn_on": str(record.get("failed_on") or record.get("refused_on") or ""),
        "algorithm": files.request.get("algorithm"),
        "status": "抽取失败" if files.failed is not None else "不予受理",
        "failure": {"code": record.get("code", ""), "reason": record.get("reason", "")},
        "seed": None,
        "bundle_path": None,
        "objects": [],
        "reserves": [],
        "teams": [],
        "officer_draw": "",
        "per_department_min": None,
        "substitutions": [],
        "substitutions_path": None,
        "drawn": [],
        "pool": None,
        "checks": [],
        "registry": None,
        "timeline": draw_story.timeline(files, None),
        "sources": draw_story.sources(files.request, files.entropy or {}, [], drawn=False),
    }


def _registry_fields(files: DrawFiles, superseded_by: dict) -> dict:
    accepted = files.accepted or {}
    return {
        "supersedes": files.request.get("supersedes"),
        "supersede_reason": files.request.get("reason"),
        "superseded_by": superseded_by.get(files.draw_id, []),
        "accepted_at": accepted.get("accepted_at", ""),
        "latest_round": accepted.get("latest_round"),
    }


OFFICER_DRAW = {"central": "牵头单位统一抽取各部门人员", "per_department": "各参与部门分别抽取本部门人员"}


def _officer_fields(files: DrawFiles, entries, names: dict) -> dict:
    """How officers were drawn (§11) and the substitutions recorded beside the draw (public fields only:
    the reason a named officer could not serve — illness, a declared conflict — is internal)."""
    teams = (files.request.get("parameters") or {}).get("teams") or {}
    rows = []
    for e in entries if isinstance(entries, list) else []:
        if not isinstance(e, dict):
            continue
        rows.append(
            {
                "date": str(e.get("date", "")),
                "object": str(e.get("object", "")),
                "replaced": names.get(e.get("replaced"), str(e.get("replaced", ""))),
                "substitute": names.get(e.get("substitute"), str(e.get("substitute", ""))),
                "ids": {k: str(e.get(k, "")) for k in ("object", "replaced", "substitute")},
            }
        )
    minimum = teams.get("per_department_min", teams.get("per_unit_min"))
    return {
        "officer_draw": OFFICER_DRAW.get(teams.get("officer_draw", "central"), ""),
        "per_department_min": minimum,
        "substitutions": rows,
        "substitutions_path": f"draws/{files.draw_id}/substitutions.json" if rows else None,
    }


def read_all(root, cache=None, part: Path | None = None) -> dict[str, FolderRead]:
    """Every draw folder's files and, once drawn, its public bundle's bytes: all ``load_draws``
    takes from the draw folders. Needs no corpus, so the build reads them on the other core while it
    loads the records. ``cache`` (serve's preview: ``record_cache.RecordCache``) reuses a folder's
    read while its files hash the same; ``part`` (``build --cache``: ``draw_cache``) keeps each
    drawn folder's bundle between builds."""
    if cache is not None:
        return cache.draws(root, lambda draw_id: read_one(root, draw_id), all_draw_ids(root), store.folder)
    if part is not None:
        return draw_cache.read_all(root, all_draw_ids(root), part, lambda draw_id: read_one(root, draw_id))
    return {draw_id: read_one(root, draw_id) for draw_id in all_draw_ids(root)}


def read_one(root, draw_id: str) -> FolderRead:
    """A folder read whole (``run.read``: bounded, link-refusing) and its bundle made; only what
    the pages need is kept (``FolderRead``)."""
    files = run.read(root, draw_id, defer=True)
    files.load_pools()  # read even when not drawn yet: a refused pool file stops the build as ever
    data = bundle_bytes(files) if files.result_text is not None and files.load_result() else None
    files.pools, files.pools_file, files.result = None, None, None
    files.lines.pop(store.RESULT, None)
    return FolderRead(files, data)


def bundle_bytes(files: DrawFiles) -> bytes:
    """``bundle.json`` as published, but a v2 bundle's registry proof left ``null``
    (``REGISTRY_SLOT``): the proof reaches the last log line of the draw's year, which changes
    while that year lasts, so each build adds it."""
    bundle = public_bundle(files, inclusion=False)
    return (dumps_indented(bundle) + "\n").encode("utf-8")


def read_all_or_none(root, part: Path | None = None) -> dict[str, FolderRead] | None:
    """``read_all``, or None when it fails: the caller reads again in its own process, where the
    error is raised with its message (a refused file's exception does not cross a pipe intact)."""
    try:
        return read_all(root, part=part)
    except Exception:  # noqa: BLE001 - re-raised by the caller's own read
        return None


def load_draws(corpus, already_read: dict[str, FolderRead] | None = None) -> dict[str, dict]:
    """Page model and public bundle per draw; ``already_read`` is ``read_all(corpus.root)`` if the
    caller has it."""
    out = {}
    names = {r.data.get("id"): r.data.get("name") for r in corpus.of("inspectors")}
    path = store.log_path(corpus.root)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    head = log.head(text)
    read_files = read_all(corpus.root) if already_read is None else already_read
    results = _results(corpus)
    every = {draw_id: _settled(r.files, results.get(draw_id)) for draw_id, r in read_files.items()}
    superseded_by: dict[str, list[dict]] = {}
    for f in every.values():
        if f.request.get("supersedes"):
            superseded_by.setdefault(f.request["supersedes"], []).append(
                {"id": f.draw_id, "reason": f.request.get("reason", "")}
            )
    substitutions = {r.data.get("id"): r.data.get("substitutions") for r in corpus.of("draw_substitutions")}
    proofs = _Proofs(text)
    draw_cache.LAST_RUN = {"reused": [], "signed": [], "made": [], "refused": []}
    for draw_id, files in every.items():
        if not files.result:
            if files.failed is not None or files.refused is not None:
                page = _closed_page(files) | _registry_fields(files, superseded_by) | {"log_head": head}
                out[draw_id] = {"page": page, "bundle": None}
            continue  # requested, not yet drawn: the registry log already shows its acceptance
        bundle, data = _bundle(corpus.root, read_files[draw_id], files, proofs)
        output = files.result.get("output", {})
        page = {
            "id": draw_id,
            "task": files.result.get("task"),
            "drawn_on": str(files.result.get("drawn_on", "")),
            "algorithm": files.result.get("algorithm"),
            "seed": files.result.get("seed"),
            "objects": [o["id"] for o in output.get("objects", [])],
            "drawn": [
                {"id": o["id"], "township": o.get("township", ""), "batch": o.get("batch")}
                for o in bundle["result"]["objects"]
            ],
            "reserves": draw_story.reserves(bundle),
            "teams": _teams(bundle, names),
            "bundle_path": f"draws/{draw_id}/bundle.json",
            "status": "已抽取",
            "failure": None,
            "log_head": head,
            "timeline": draw_story.timeline(files, bundle),
            "sources": draw_story.sources(
                files.request, files.engine_entropy, (files.entropy or {}).get("witnesses") or []
            ),
            "pool": draw_story.pool(bundle),
            "checks": draw_story.checks(bundle),
            "registry": draw_story.registry(bundle, head),
        }
        page |= _registry_fields(files, superseded_by)
        page |= _officer_fields(files, substitutions.get(draw_id), names)
        out[draw_id] = {
            "page": page,
            "bundle": bundle,
            "bundle_bytes": data,
            "substitutions": page["substitutions"],
        }
    return out


def _results(corpus) -> dict[str, dict]:
    """draw id -> its result.yaml as the corpus read it (the reader ``run.read`` uses, same bytes)."""
    out = {}
    for r in corpus.of("draw_result"):
        draw_id, year = r.owner.get("id"), r.owner.get("year")
        if isinstance(draw_id, str) and year == draw_id[1:5] and isinstance(r.data, dict):
            out[draw_id] = r.data
    return out


def _settled(files: DrawFiles, result: dict | None) -> DrawFiles:
    """``files`` with result.yaml parsed: the corpus's parse when it holds the file (parsing it
    again cost as much as all the rest of a warm read), else read now."""
    if files.result_text is None and files.result is None:
        return files  # no result.yaml
    settled = dataclasses.replace(files, lines=dict(files.lines))
    if result is not None:
        settled.result = result
    else:
        settled.load_result()
    settled.result_text = None
    return settled


def _bundle(root, read: FolderRead, files: DrawFiles, proofs: _Proofs) -> tuple[dict, bytes]:
    """The draw's bundle (parsed, its registry proof to the last line of its year) and its bytes as kept,
    proof ``null``; a kept bundle that fails its check is made again from the folder."""
    data = read.bundle
    bundle = draw_cache.vouched(read, files) if read.cached else None
    if read.cached and bundle is None:
        data = read_one(root, files.draw_id).bundle
        draw_cache.renew(read, data)
        draw_cache.LAST_RUN["refused"].append(files.draw_id)
    elif read.key is not None:
        draw_cache.LAST_RUN["reused" if read.cached else "made"].append(files.draw_id)
        if read.signed:
            draw_cache.LAST_RUN["signed"].append(files.draw_id)
    if bundle is None:
        bundle = json.loads(data)
    _strata_in_result_order(bundle, files.result)
    if "registry" in bundle:
        bundle["registry"] = proofs.of(files.draw_id)
    return bundle, data


def _strata_in_result_order(bundle: dict, result: dict) -> None:
    """JSON keeps keys sorted (S1, S10, S2); the page lists reserves in result.yaml's stratum order."""
    strata, output = bundle["result"].get("strata"), result.get("output")
    drawn = output.get("strata") if isinstance(output, dict) else None
    if not (isinstance(strata, dict) and isinstance(drawn, dict) and all(isinstance(k, str) for k in drawn)):
        return
    order = [nfc(k) for k in drawn]
    if sorted(order) == sorted(strata):  # not a sealed draw's one merged stratum
        bundle["result"]["strata"] = {k: strata[k] for k in order}


class _Proofs:
    """Each draw's registry proof (``evidence``'s inclusion path of its ``accepted`` line to the
    head), the log read and split once for all draws."""

    def __init__(self, text: str):
        self.lines, self.first = log.lines_of(text), {}
        self.years = [log.year_of(line) for line in self.lines]
        for number, entry in enumerate(log.entries(text), start=1):
            if isinstance(entry, dict) and entry.get("event") == "accepted":
                draw_id = entry.get("draw_id")
                if isinstance(draw_id, str):
                    self.first.setdefault(draw_id, number)

    def of(self, draw_id: str) -> dict | None:
        """``normalise(log.inclusion(text, n))`` for the draw's first ``accepted`` line n: to the
        last line of its year (§9.3), not to the head."""
        number = self.first.get(draw_id)
        if number is None:
            return None
        return normalise(log.path_of(self.lines, number, log.year_end(self.lines, number, self.years)))


def _teams(bundle: dict, names: dict) -> list[dict]:
    """The published teams with each member's name and unit as the bundle's public roster gives them."""
    roster = {p["id"]: p for p in bundle["public_pools"]["inspectors"] + bundle["public_pools"]["assistants"]}
    units = {u["id"]: u.get("name", u["id"]) for u in bundle["request"]["task"]["units"]}
    out = []
    for i, team in enumerate(bundle["result"]["teams"], 1):
        ids = list(team.get("members", [])) + list(team.get("assistants", []))
        people = [
            {
                "id": m,
                "name": roster.get(m, {}).get("name") or names.get(m, m),
                "unit": units.get(roster.get(m, {}).get("unit"), ""),
                "leader": m == team.get("leader"),
                "assistant": m in team.get("assistants", []),
            }
            for m in ids
        ]
        out.append(
            {
                "name": f"第 {i} 组",
                "object": team.get("object"),
                "leader": team.get("leader"),
                "people": people,
                # the check sheet's lines (models_records._signers) and the old member list
                "members": [f"{p['name']}（组长）" if p["leader"] else p["name"] for p in people],
                "objects": [team.get("object")],
                "member_ids": list(team.get("members", [])),
            }
        )
    return out


def bundle_files(draw_data: dict) -> dict[str, bytes]:
    """Each drawn bundle, and beside it the substitutions in the form verify_draw.py reads (§11)."""
    subs = {
        f"draws/{draw_id}/substitutions.json": (
            dumps_indented([s["ids"] for s in d["substitutions"]], sort_keys=False) + "\n"
        ).encode("utf-8")
        for draw_id, d in sorted(draw_data.items())
        if d.get("substitutions")
    }
    return subs | {
        f"draws/{draw_id}/bundle.json": published(d)
        for draw_id, d in sorted(draw_data.items())
        if d["bundle"] is not None
    }


def published(draw: dict) -> bytes:
    """The bundle's bytes as published: those kept, with a v2 bundle's registry proof put in its
    place — exactly ``json.dumps`` of the whole bundle (the proof is one top-level value)."""
    data = draw["bundle_bytes"]
    if "registry" not in draw["bundle"]:
        return data
    text = dumps_indented({"registry": draw["bundle"]["registry"]})
    at = data.index(REGISTRY_SLOT)
    return data[:at] + ("\n" + text[2:-2] + ",\n").encode("utf-8") + data[at + len(REGISTRY_SLOT) :]
