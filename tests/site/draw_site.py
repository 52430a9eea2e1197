"""A small site for the draw-page tests: the fixture records plus, made by the registry's own steps,

* D2026-0003 — protocol v2 on a demonstration chain, drand last after a witnessed ceremony and a
  commit–reveal, sealed strata, exclusions (objects inspected by the first draw's task), a registry
  log with the acceptance, the entropy acceptance and the inclusion path in the bundle;
* D2026-0002 — a request CI refused (its drand round was not far enough in the future); D2026-0003
  supersedes it;
* D2026-0004 — a draw of another task that failed after its randomness existed.

D2026-0001 (fixture) stays a v1 draw on quicknet alone, without acceptance or log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import json
import random
import shutil
import threading
from pathlib import Path

import yaml

from generator.corpus import load
from generator.demo_chain import demo_beacon, demo_chain
from generator.draw import commitment_of, compute_pool_digests
from generator.registry import store
from generator.registry.accept import accept_entropy, accept_request, record_failure
from generator.registry.order import chain_of, round_at, time_of
from generator.registry.request import build, demo_reveal, engine_view
from generator.registry.run import make_result, read, write_result
from generator.samplegen import uscc
from tests.site.conftest import FIXTURE_RECORDS

SECRET = b"test-draw-page"
CHAIN = "demo-siyang"
MARGIN = 1200
TASK = "T2026-market-02"
FAILED_TASK = "T2026-market-03"
FAILURE = "县卫生健康委员会：合格且有效的执法检查人员只有 2 名，需要 3 名"
CEREMONY = "31415926"
CHINA = dt.timezone(dt.timedelta(hours=8))
V1 = "D2026-0001"  # fixture: quicknet only, no acceptance
REFUSED = "D2026-0002"
V2 = "D2026-0003"  # demo chain, ceremony, reveal, sealed strata, exclusions, acceptance + log
FAILED = "D2026-0004"


def _at(day: dt.date, hour: int) -> int:
    return int(dt.datetime(day.year, day.month, day.day, hour, tzinfo=CHINA).timestamp())


def _request(
    root: Path, draw_id: str, seq: int, day: dt.date, reveal: str, drand_round: int, task: str = TASK
):
    corpus = load(root)
    data, pools = build(corpus, task, draw_id, seq, day, 1, {}, SECRET)
    data["parameters"]["objects"]["strata_disclosure"] = "sealed"
    chain = {**demo_chain(CHAIN), "kind": "drand", "round": drand_round}
    party = {
        "kind": "commit_reveal",
        "name": "jijian",
        "commitment": commitment_of(reveal),
        "missing": "drop",
    }
    data.update(
        algorithm="sdr-draw/2",
        sources=[{"kind": "ceremony", "name": "meeting"}, party, chain],
    )
    data["pool_digests"] = compute_pool_digests(engine_view(data), pools)
    folder = store.folder(root, draw_id)
    store.write_text(folder / store.POOLS, store.dump_json(pools))
    store.write_text(folder / store.REQUEST, store.dump_yaml(data))
    return data, folder


def add_draws(root: Path) -> None:
    """Add D2026-0002 (refused), D2026-0003 (drawn, v2 demo chain) and D2026-0004 (failed)."""
    first = (root / "units/market/tasks/T2026-market-01.yaml").read_text(encoding="utf-8")
    for task, name in ((TASK, "2026 年秋季学校食堂"), (FAILED_TASK, "2026 年冬季学校食堂")):
        text = first.replace("T2026-market-01", task).replace("2026 年学校食堂食品安全", name)
        text = text.replace(
            "window: {from: 2026-04-13, to: 2026-04-30}", "window: {from: 2026-06-10, to: 2026-06-30}"
        )
        (root / f"units/market/tasks/{task}.yaml").write_text(text, encoding="utf-8")
    # Two school canteens that closed down: the draw's pool excludes them (DEREGISTERED).
    rng = random.Random(14)
    with (root / "units/market/objects.csv").open("a", encoding="utf-8") as f:
        for status, town in (("注销", "众兴镇"), ("吊销", "王集镇")):
            code = uscc.make(rng, "9", "1", "321323")
            f.write(
                f"{code},统一社会信用代码,泗阳县{town}已{status}食堂,企业,{town},{town}示例路 9 号,学校食堂,{status},B,否\n"
            )
    county = root / "county.yaml"
    conf = yaml.safe_load(county.read_text(encoding="utf-8"))
    conf["draw_policy"]["demo_chain"] = {k: v for k, v in demo_chain(CHAIN).items() if k != "demo"}
    county.write_text(yaml.safe_dump(conf, allow_unicode=True, sort_keys=False), encoding="utf-8")

    day = dt.date(2026, 6, 1)
    accepted_at = _at(day, 17)
    session = _at(day + dt.timedelta(days=2), 10)
    chain = chain_of({"sources": [{"kind": "drand", **demo_chain(CHAIN)}]})
    beacon_round = round_at(session, chain) + 600  # 30 minutes after the session opens
    latest = round_at(accepted_at, chain)
    # First a request whose round is already past at acceptance: CI refuses it and publishes the reason.
    refused_id, refused_seq = store.next_draw_id(root, 2026)
    _request(root, refused_id, refused_seq, day, demo_reveal(SECRET, refused_id, "jijian"), latest + 10)
    decision = accept_request(root, read(root, refused_id), latest, accepted_at, MARGIN)
    assert decision.status == "refused", decision.message

    draw_id, seq = store.next_draw_id(root, 2026)
    reveal = demo_reveal(SECRET, draw_id, "jijian")
    data, folder = _request(root, draw_id, seq, day, reveal, beacon_round)
    data.update(supersedes=refused_id, reason="原申请的 drand 轮次过早未获受理，重新申请")
    store.write_text(folder / store.REQUEST, store.dump_yaml(data), overwrite=True)
    decision = accept_request(root, read(root, draw_id), latest, accepted_at, MARGIN)
    assert decision.status == "accepted", decision.message
    entropy = {"id": draw_id, "recorded_on": day + dt.timedelta(days=2), "ceremony": {"meeting": CEREMONY}}
    entropy["reveals"] = {"jijian": reveal}
    entropy["witnesses"] = ["县纪委监委派驻纪检监察组 示例见证人"]
    store.write_text(folder / store.ENTROPY, store.dump_yaml(entropy))
    decision = accept_entropy(root, read(root, draw_id), round_at(session, chain), session)
    assert decision.status == "accepted", decision.message
    assert time_of(beacon_round, chain) > session
    entropy["drand"] = demo_beacon(CHAIN, beacon_round)
    (folder / store.ENTROPY).write_text(store.dump_yaml(entropy), encoding="utf-8")
    files = read(root, draw_id)
    write_result(files, make_result(files, day + dt.timedelta(days=2)))

    # A draw that failed once its randomness existed: published with its reason, never redrawn.
    failed_id, failed_seq = store.next_draw_id(root, 2026)
    _request(
        root, failed_id, failed_seq, day, demo_reveal(SECRET, failed_id, "jijian"), beacon_round, FAILED_TASK
    )
    decision = accept_request(root, read(root, failed_id), latest, accepted_at, MARGIN)
    assert decision.status == "accepted", decision.message
    record_failure(
        root, read(root, failed_id), "DRAW_INFEASIBLE_UNIT_SHORTFALL", FAILURE, day + dt.timedelta(days=2)
    )


def draw_records(dst: Path) -> Path:
    root = dst / "records"
    shutil.copytree(FIXTURE_RECORDS, root)
    add_draws(root)
    return root


# -- serving and tampering a built copy (tests/site/test_draw_page*.py) --------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(root: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def bundle_path(site: Path, draw_id: str) -> Path:
    return site / "draws" / draw_id / "bundle.json"


def page_path(site: Path, draw_id: str) -> Path:
    return site / "draws" / draw_id / "index.html"


def load_bundle(site: Path, draw_id: str) -> dict:
    return json.loads(bundle_path(site, draw_id).read_text(encoding="utf-8"))


def save_bundle(site: Path, draw_id: str, bundle: dict) -> None:
    bundle_path(site, draw_id).write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
