"""Build a draw request and its frozen pools from a task (the ``request`` command's logic).

Everything the draw depends on is decided here, before any randomness exists: the candidate pool
after the task's filters, each candidate's stratum and history facts, the eligible rosters, and the
randomness sources the county's policy requires. The request pins SHA-256 digests of the pools.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from fractions import Fraction

from generator.draw import compute_pool_digests, derive_salt
from generator.draw.model import ALGORITHM
from generator.registry.facts import facts_for, history
from generator.rules.items import version_on
from generator.rules.settings import settings

GONE = ("注销", "吊销", "迁出")
RISK_STRATA = {"A": "risk-a", "B": "risk-b", "C": "risk-c", "D": "risk-d"}
RESERVE = 5


class RequestError(Exception):
    """A task that cannot be turned into a request; the message is Chinese and says why."""


def stratum_names(corpus, stratify: str) -> dict[str, str]:
    """Published stratum names (ASCII, as the protocol requires) for the task's stratum keys."""
    if stratify == "credit_risk":
        return dict(RISK_STRATA)
    if stratify == "township":
        towns = settings(corpus).get("townships", [])
        return {t: f"town-{i + 1:02d}" for i, t in enumerate(towns)}
    return {"all": "all"}


def _fraction_text(r: Fraction) -> str:
    return f"{r.numerator}/{r.denominator}"


def candidates(corpus, task: dict, reference: dt.date, salt_for, past=None) -> list[dict]:
    sampling, filters = task["sampling"], task.get("objects", {})
    stratify = sampling.get("stratify", "credit_risk")
    names = stratum_names(corpus, stratify)
    sources = filters.get("source_units") or [task["initiator"]]
    kinds, towns, tags = (set(filters.get(k, [])) for k in ("kinds", "townships", "tags"))
    conf = settings(corpus)
    recognise = conf["object_rules"]["recognise_months"]
    items = set(task["items"])
    key_item = any(
        (v := version_on(corpus, code, task["window"]["from"])) is not None
        and v.data.get("category") == "重点"
        for code in items
    )
    past = history(corpus) if past is None else past
    chosen: dict[str, dict] = {}
    for unit in sources:
        for r in corpus.of("objects"):
            d = r.data
            if r.owner.get("unit") != unit or d.get("id") in chosen or "id" not in d:
                continue
            if (kinds and d.get("kind") not in kinds) or (towns and d.get("township") not in towns):
                continue
            if tags and not tags & set(d.get("tags", [])):
                continue
            key = {"credit_risk": d.get("credit_risk"), "township": d.get("township")}.get(stratify, "all")
            if key not in names:
                continue  # e.g. a township outside the county list: validate reports it
            row = {
                "id": d["id"],
                "stratum": names[key],
                "salt": salt_for(d["id"]),
                "township": d.get("township", ""),
                "deregistered": d.get("status") in GONE,
                "key_item": key_item,
            }
            row.update(facts_for(past.get(d["id"], []), task["initiator"], items, reference, recognise))
            chosen[d["id"]] = row
    return [chosen[k] for k in sorted(chosen)]


def _qualified(corpus, person: dict, code: str, day: dt.date) -> bool:
    """Qualified for ``code``: it is another unit's item, or the person holds its required tags.

    Each unit answers for its own items (谁主管、谁监管), so an inspector is judged against the
    qualification requirements of the items their own unit contributes to the task.
    """
    item = version_on(corpus, code, day)
    if item is None or item.owner.get("unit") != person.get("unit"):
        return True
    return set(item.data.get("qualifications", [])) <= set(person.get("qualifications", []))


def people(corpus, task: dict, kind: str) -> list[dict]:
    units = set(task["participants"])
    day = task["window"]["from"]
    out = []
    for r in corpus.of(kind):
        d = r.data
        if d.get("unit") not in units or "id" not in d:
            continue
        row = {"id": d["id"], "name": d.get("name", ""), "unit": d["unit"], "status": d.get("status", "失效")}
        if kind == "inspectors":
            row.update(
                cert_valid_from=d["badge_valid_from"].isoformat()
                if "badge_valid_from" in d
                else "9999-12-31",
                cert_valid_until=d["badge_valid_to"].isoformat() if "badge_valid_to" in d else "0000-01-01",
                qualifications=sorted(c for c in task["items"] if _qualified(corpus, d, c, day)),
                office_townships=list(d.get("townships", [])),
            )
        else:
            row.update(kind=d.get("kind", ""), qualifications=sorted(d.get("expertise", [])))
        row["conflicts"] = sorted(d.get("conflicts", []))
        out.append(row)
    return sorted(out, key=lambda p: p["id"])


def sources(corpus, drand_round: int | None, commitments: dict[str, str]) -> list[dict]:
    policy = settings(corpus).get("draw_policy", {})
    required = policy.get("required_sources", [])
    missing = policy.get("missing_reveal", "drop")
    out: list[dict] = []
    if "drand" in required or drand_round is not None:
        if drand_round is None:
            raise RequestError(
                "本县随机源政策要求使用 drand 随机信标：请用 --drand-round 或 --drand-at 指定未来的轮次。"
            )
        out.append({"kind": "drand", "name": "quicknet", "round": drand_round})
    if "ceremony" in required:
        out.append({"kind": "ceremony", "name": "meeting"})
    if "commit_reveal" in required and not commitments:
        raise RequestError(
            "本县随机源政策要求第三方承诺—揭示：请用 --commit 参与方=承诺值 提供至少一方的承诺。"
        )
    for party, commitment in sorted(commitments.items()):
        out.append({"kind": "commit_reveal", "name": party, "commitment": commitment, "missing": missing})
    return out


def build(
    corpus,
    task_id: str,
    draw_id: str,
    seq: int,
    requested_on: dt.date,
    drand_round: int | None = None,
    commitments: dict[str, str] | None = None,
    salt_secret: bytes | None = None,
    past: dict | None = None,
) -> tuple[dict, dict]:
    """(request record data, pools) for ``task_id``. Raises RequestError with a Chinese message.

    ``past`` (object id -> inspections, see facts.history) may be passed by callers that keep the
    history themselves, e.g. the sample generator adding results task by task.
    """
    record = corpus.tasks.get(task_id)
    if record is None:
        raise RequestError(f"找不到抽查任务“{task_id}”。任务文件应在 records/units/<发起单位>/tasks/ 下。")
    task = record.data
    conf = settings(corpus)
    secret = salt_secret

    def salt_for(object_id: str) -> str:
        # With the joint office's secret, salts can be re-derived; otherwise fresh random salts
        # (kept only in the internal pool file) hide which stratum each undrawn object is in.
        return derive_salt(secret, draw_id, object_id) if secret else secrets.token_hex(32)

    sampling = task["sampling"]
    names = stratum_names(corpus, sampling.get("stratify", "credit_risk"))
    strata = []
    for key, name in names.items():
        if key in sampling.get("ratios", {}):
            strata.append({"name": name, "ratio": _fraction_text(sampling["ratios"][key])})
        elif key in sampling.get("counts", {}):
            strata.append({"name": name, "count": sampling["counts"][key]})
    if not strata:
        raise RequestError(f"任务“{task_id}”的抽样规则没有可用的分层比例或数量。")
    unit_names = {
        u: corpus.units[u].data.get("name", u) if u in corpus.units else u for u in task["participants"]
    }
    staffing = task["inspectors"]
    parameters = {
        "task": {
            "id": task_id,
            "name": task["name"],
            "items": list(task["items"]),
            "units": [{"id": u, "name": unit_names[u]} for u in task["participants"]],
            "initiating_unit": task["initiator"],
            "window": {"start": task["window"]["from"].isoformat(), "end": task["window"]["to"].isoformat()},
        },
        "objects": {
            "privacy": "commit",
            "strata": strata,
            "reserve_count": RESERVE,
            "batches": sampling.get("batches", 1),
            "exclusion": {
                "reference_date": requested_on.isoformat(),
                "recent_months": conf["object_rules"]["recent_months"],
                "annual_cap": conf["object_rules"]["annual_cap"],
            },
        },
        "teams": {
            "mode": staffing.get("mode", "unit"),
            "team_size": staffing["team_size"],
            "per_unit_min": staffing.get("per_unit", 1),
            "max_objects_per_inspector": staffing.get("max_objects", 5),
            "assistants_per_team": staffing.get("assistants", 0),
            "max_objects_per_assistant": None,
            "assistant_qualification": (staffing.get("assistant_expertise") or [None])[0],
        },
    }
    pools = {
        "objects": candidates(corpus, task, requested_on, salt_for, past),
        "inspectors": people(corpus, task, "inspectors"),
        "assistants": people(corpus, task, "assistants") if staffing.get("assistants", 0) else [],
    }
    src = sources(corpus, drand_round, commitments or {})
    engine_request = engine_view(
        {"id": draw_id, "parameters": parameters, "sources": src, "pool_digests": {}}
    )
    digests = compute_pool_digests(engine_request, pools)
    record_data = {
        "id": draw_id,
        "seq": seq,
        "task": task_id,
        "requested_on": requested_on,
        "algorithm": ALGORITHM,
        "pool_digests": digests,
        "parameters": parameters,
        "sources": src,
    }
    return record_data, pools


def engine_view(request_record: dict) -> dict:
    """The engine's request dict (docs/draw-protocol.md) from a request.yaml mapping."""
    from generator.registry.store import isoformat_dates

    params = isoformat_dates(request_record["parameters"])
    return {
        "algorithm": request_record.get("algorithm", ALGORITHM),  # §0.1: as request.yaml says
        "draw_id": request_record["id"],
        "task": params["task"],
        "objects": params["objects"],
        "teams": params["teams"],
        "sources": request_record["sources"],
        "pool_digests": request_record.get("pool_digests", {}),
    }


def demo_reveal(secret: bytes, draw_id: str, party: str) -> str:
    """A reproducible reveal value for demonstration data only (sample records, tests)."""
    return hmac.new(secret, f"demo-reveal\x00{draw_id}\x00{party}".encode(), hashlib.sha256).hexdigest()
