"""Build complete records trees for tests: the base fixture plus draws made by the engine and results.

Draws are never written by hand, in tests as in the sample: the tree is built by the same library
calls the ``request``/``entropy``/``draw`` commands make, with a fixed salt secret and fixed
ceremony digits so the result is reproducible.

The base tree's draw is deliberately a **v1** draw (``sdr-draw/1``: class-named strata, no drand),
the request ``registry.request.build`` made before protocol v2: v1 draws must verify forever, and
the cases in tests/broken/ were written against its teams. New requests are v2 (tests/test_registry_order.py,
tests/test_registry_v2.py and the sample).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from generator.corpus import load
from generator.draw import commitment_of, compute_pool_digests
from generator.registry import store
from generator.registry.accept import accept_entropy, accept_request
from generator.registry.request import build, demo_reveal, engine_view, stratum_keys
from generator.registry.run import make_result, read, write_result

BASE = Path(__file__).resolve().parents[1] / "fixtures" / "base"
SECRET = b"test-secret"
CHINA = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int) -> int:
    """Unix time of ``hour``:00 Beijing time on ``day`` (CI's clock in the fixtures)."""
    return int(dt.datetime(day.year, day.month, day.day, hour, tzinfo=CHINA).timestamp())


def make_draw(root: Path, task_id: str, requested_on: dt.date, digits: str = "370215") -> str:
    """Request, accept, record entropy and draw for ``task_id``; returns the draw id."""
    draw_id = make_request(root, task_id, requested_on, digits)
    files = read(root, draw_id)
    write_result(files, make_result(files, requested_on + dt.timedelta(days=2)))
    return draw_id


def make_request(
    root: Path, task_id: str, requested_on: dt.date, digits: str = "370215", party: str = "jijian"
) -> str:
    """Request and accept, record and accept the entropy (a third party ``party``'s reveal) for
    ``task_id``, undrawn; returns the draw id."""
    corpus = load(root)
    year = corpus.tasks[task_id].data["year"]
    draw_id, seq = store.next_draw_id(root, year)
    reveal = demo_reveal(SECRET, draw_id, party)
    data, pools = build(
        corpus,
        task_id,
        draw_id,
        seq,
        requested_on,
        1,
        {party: commitment_of(reveal)},
        SECRET,
        people_salts=False,  # a v1 draw, frozen before person salts (red team 7): its outcome stays
    )
    legacy_v1(corpus, corpus.tasks[task_id].data, data, pools)
    folder = store.folder(root, draw_id)
    store.write_text(folder / store.POOLS, store.dump_json(pools))
    store.write_text(folder / store.REQUEST, store.dump_yaml(data))
    accept_request(root, read(root, draw_id), None, at(requested_on, 17), 1200)
    entropy = {
        "id": draw_id,
        "recorded_on": requested_on + dt.timedelta(days=2),
        "ceremony": {"meeting": digits},
        "reveals": {party: reveal},
    }
    store.write_text(folder / store.ENTROPY, store.dump_yaml(entropy))
    accept_entropy(root, read(root, draw_id), None, at(requested_on + dt.timedelta(days=2), 10))
    return draw_id


def legacy_v1(corpus, task: dict, data: dict, pools: dict) -> None:
    """Turn a v2 request back into the v1 request of the same task (in place): v1's stratum names,
    no drand, no ``strata_disclosure``. Only for the v1 fixture draw; never for a new request."""
    stratify = task["sampling"].get("stratify", "credit_risk")
    keys = stratum_keys(corpus, stratify)
    if stratify == "credit_risk":
        old = [f"risk-{k.lower()}" for k in keys]
    elif stratify == "township":
        old = [f"town-{i + 1:02d}" for i in range(len(keys))]
    else:
        old = ["all"]
    name = {f"S{k}": o for k, o in enumerate(old, 1)}
    objects = data["parameters"]["objects"]
    objects.pop("strata_disclosure")
    for s in objects["strata"]:
        s["name"] = name[s["name"]]
    for row in pools["objects"]:
        row["stratum"] = name[row["stratum"]]
    data["algorithm"] = "sdr-draw/1"
    data["sources"] = [s for s in data["sources"] if s["kind"] != "drand"]
    data["pool_digests"] = compute_pool_digests(engine_view(data), pools)


def write_results(root: Path, task_id: str, draw_id: str, inspected: dt.date, entered: dt.date) -> None:
    """Each participating unit enters a result for every drawn object, with its drawn inspectors."""
    corpus = load(root)
    task = corpus.tasks[task_id].data
    teams = read(root, draw_id).result["output"]["teams"]
    unit_of = {i: r.data["unit"] for i, r in corpus.inspectors.items()}
    for unit in task["participants"]:
        entries = []
        for team in teams:
            members = [m for m in team["members"] if unit_of.get(m) == unit]
            entries.append(
                {
                    "object": team["object"],
                    "inspectors": members,
                    "inspected_on": inspected,
                    "entered_on": entered,
                    "methods": ["实地检查"],
                    "categories": ["1"],
                    "findings": "未发现问题",
                    "disposition": "未发现问题或相关问题已规范、已改正，无需后续处置",
                }
            )
        data = {"task": task_id, "unit": unit, "draw": draw_id, "entries": entries}
        path = root / "units" / unit / "results" / f"{task_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(store.dump_yaml(data), encoding="utf-8")


def build_full(dest: Path) -> Path:
    """The base fixture with its draw and results, in ``dest`` (created)."""
    shutil.copytree(BASE, dest)
    draw_id = make_draw(dest, "T2026-market-01", dt.date(2026, 4, 29))
    write_results(dest, "T2026-market-01", draw_id, dt.date(2026, 5, 11), dt.date(2026, 5, 15))
    return dest
