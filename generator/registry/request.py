"""Build a draw request and its frozen pools from a task (the ``request`` command's logic).

Everything the draw depends on is decided here, before any randomness exists: the candidate pool
after the task's filters, each candidate's stratum and history facts, the eligible rosters, and the
randomness sources the county's policy requires. The request pins SHA-256 digests of the pools.

Requests are protocol v2 (docs/draw-protocol.md §0): drand is the last source and names its chain in
full (quicknet, or the demo chain county.yaml declares), ``strata_disclosure`` is the county's, and
strata carry opaque labels ``S1``, ``S2``, … in the task's order — never a credit-risk class or a
label derived from one (issue 11 point 7): the request is published in every bundle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from fractions import Fraction

from generator.draw import compute_pool_digests, derive_salt
from generator.draw.model import ALGORITHM, ALGORITHM_V2, QUICKNET_CHAIN
from generator.registry.facts import facts_for, history
from generator.rules.items import version_on
from generator.rules.settings import settings

GONE = ("注销", "吊销", "迁出")
RISK_CLASSES = ("A", "B", "C", "D")
RESERVE = 5


class RequestError(Exception):
    """A task that cannot be turned into a request; the message is Chinese and says why."""


def stratum_keys(corpus, stratify: str) -> list[str]:
    """The task's stratum keys (credit-risk classes, townships or one stratum), in the county's order."""
    if stratify == "credit_risk":
        return list(RISK_CLASSES)
    if stratify == "township":
        return list(settings(corpus).get("townships", []))
    return ["all"]


def stratum_labels(keys: list[str]) -> dict[str, str]:
    """Opaque labels ``S1``, ``S2``, … for the stratum keys, in the county's order (protocol §10).

    Only the internal pool file maps an object to its label. The request (public) gives each label
    its rule; with the plan's ratios public, a label's class may be guessed from its rule, which is
    why the default ``sealed`` disclosure never publishes a drawn object's label or a stratum's size.
    """
    return {key: f"S{k}" for k, key in enumerate(keys, 1)}


def _fraction_text(r: Fraction) -> str:
    return f"{r.numerator}/{r.denominator}"


def candidates(corpus, task: dict, reference: dt.date, salt_for, past=None) -> list[dict]:
    sampling, filters = task["sampling"], task.get("objects", {})
    stratify = sampling.get("stratify", "credit_risk")
    names = stratum_labels(stratum_keys(corpus, stratify))
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
    by_unit = corpus.objects_by_unit  # not every object for every source unit: tasks x objects
    for unit in sources:
        for r in by_unit.get(unit, ()):
            d = r.data
            if d.get("id") in chosen or "id" not in d:
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


def people(corpus, task: dict, kind: str, salt_for=None) -> list[dict]:
    """The roster rows of the task's units; with ``salt_for`` each row gets its internal salt (a
    person id and an object id never share one: ``person_key``), so the request's internal digest
    hides the declared conflicts (red team 7)."""
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
        if salt_for is not None:
            row["salt"] = salt_for(person_key(d["id"]))
        out.append(row)
    return sorted(out, key=lambda p: p["id"])


def person_key(person_id: str) -> str:
    """What a person's salt is derived for: a name no object id can have (NUL is never in an id)."""
    return "person\x00" + str(person_id)


def drand_chain(corpus) -> dict:
    """The v2 drand source (without its round) of the county's chain, key in full (protocol §3.1).

    quicknet unless county.yaml declares a ``demo_chain``, which only a demonstration county
    (``demo: true``) may use: its key is public by design and proves nothing.
    """
    conf = settings(corpus)
    demo = conf.get("draw_policy", {}).get("demo_chain")
    if not demo:
        return {"kind": "drand", "name": "quicknet", **QUICKNET_CHAIN}
    if conf.get("demo") is not True:
        raise RequestError(
            "county.yaml 的 draw_policy.demo_chain（演示链）只能用于示例数据（demo: true）："
            "真实抽取请删除 demo_chain，使用 drand quicknet。"
        )
    fields = {k: demo.get(k) for k in ("name", "public_key", "genesis_time", "period")}
    return {"kind": "drand", **fields, "demo": True}


def sources(corpus, drand_round: int | None, commitments: dict[str, str]) -> list[dict]:
    """The request's sources in the order v2 requires: ceremony, reveals, then drand last (§0)."""
    policy = settings(corpus).get("draw_policy", {})
    required = policy.get("required_sources", [])
    missing = policy.get("missing_reveal", "drop")
    out: list[dict] = []
    problems = []  # every missing source at once
    if "commit_reveal" in required and not commitments:
        problems.append("本县随机源政策要求第三方承诺—揭示：请用 --commit 参与方=承诺值 提供至少一方的承诺。")
    if drand_round is None:
        problems.append(
            "抽取协议 sdr-draw/2 要求以 drand 随机信标为最后一个随机源：请用 --drand-round 或 --drand-at 指定未来的轮次。"
        )
    if problems:
        raise RequestError("\n".join(problems))
    if "ceremony" in required:
        out.append({"kind": "ceremony", "name": "meeting"})
    for party, commitment in sorted(commitments.items()):
        out.append({"kind": "commit_reveal", "name": party, "commitment": commitment, "missing": missing})
    out.append({**drand_chain(corpus), "round": drand_round})
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
    people_salts: bool = True,
) -> tuple[dict, dict]:
    """(request record data, pools) for ``task_id``. Raises RequestError with a Chinese message.

    ``people_salts=False`` only for the bundled sample, whose draws were frozen before person salts
    (samplegen/draws.py): salting them would change every sample outcome.

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
    strata = []
    for key, name in stratum_labels(stratum_keys(corpus, sampling.get("stratify", "credit_risk"))).items():
        if key in sampling.get("ratios", {}):
            strata.append({"name": name, "ratio": _fraction_text(sampling["ratios"][key])})
        elif key in sampling.get("counts", {}):
            strata.append({"name": name, "count": sampling["counts"][key]})
    if not strata:
        raise RequestError(f"任务“{task_id}”的抽样规则没有可用的分层比例或数量。")
    disclosure = conf.get("draw_policy", {}).get("strata_disclosure", "sealed")
    if disclosure == "public" and sampling.get("stratify", "credit_risk") == "credit_risk":
        raise RequestError(
            f"任务“{task_id}”按信用风险分类分层，而 county.yaml 的 draw_policy.strata_disclosure 为 public："
            "公开分层会暴露每个被抽中对象的风险等级。请改为 sealed，或按乡镇等非敏感属性分层。"
        )
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
            "strata_disclosure": disclosure,
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
    # Officer draw (protocol §11): the task's choice, else the county's; each participating department
    # then draws its own officers, at least the county's minimum per department.
    if (
        staffing.get("officer_draw") or conf["object_rules"].get("officer_draw", "central")
    ) == "per_department":
        parameters["teams"]["officer_draw"] = "per_department"
        parameters["teams"]["per_department_min"] = staffing.get("per_unit") or conf["object_rules"].get(
            "min_per_department", 2
        )
    pools = {
        "objects": candidates(corpus, task, requested_on, salt_for, past),
        "inspectors": people(corpus, task, "inspectors", salt_for if people_salts else None),
        "assistants": people(corpus, task, "assistants", salt_for if people_salts else None)
        if staffing.get("assistants", 0)
        else [],
    }
    src = sources(corpus, drand_round, commitments or {})
    engine_request = engine_view(
        {
            "id": draw_id,
            "algorithm": ALGORITHM_V2,
            "parameters": parameters,
            "sources": src,
            "pool_digests": {},
        }
    )
    digests = compute_pool_digests(engine_request, pools)
    record_data = {
        "id": draw_id,
        "seq": seq,
        "task": task_id,
        "requested_on": requested_on,
        "algorithm": ALGORITHM_V2,
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
