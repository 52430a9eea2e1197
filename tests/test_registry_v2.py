"""Protocol v2 through the registry, end to end (issue 11): request → CI acceptance (latest round
recorded, log entry) → entropy accepted → demo-chain beacon → draw → verify → public bundle.

The bundle the site publishes (``run.public_bundle``) must carry the acceptance and the inclusion
path of its ``accepted`` line in ``draws/log.jsonl``; the engine, the stdlib ``verify_draw.py`` and
(in tests/site/test_verify_agreement.py) the browser refuse it once either is tampered with. With
sealed strata neither the log nor the bundle names a credit-risk class.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest

from generator.corpus import load
from generator.demo_chain import demo_beacon, demo_chain
from generator.draw import commitment_of, verify_bundle
from generator.registry import log, store
from generator.registry.accept import accept_entropy, accept_request
from generator.registry.order import chain_of, round_at, time_of
from generator.registry.request import build, demo_reveal
from generator.registry.run import make_result, public_bundle, read, verify, write_result

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "site_templates" / "verify"))
import verify_draw  # noqa: E402  (the standalone script, imported as a module)

SECRET = b"test-registry-v2"
CHAIN = "demo-siyang"
MARGIN = 1200
CLASS_WORDS = ("risk-a", "risk-b", "risk-c", "risk-d", "credit_risk", "信用风险")


def _at(day: dt.date, hour: int) -> int:
    return int(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()
    )


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """A v2 draw on the sample county's demo chain, made by the registry's own steps."""
    root = tmp_path_factory.mktemp("v2") / "records"
    shutil.copytree(ROOT / "records", root)
    corpus = load(root)
    task = sorted(corpus.of("tasks"), key=lambda t: t.data["id"])[0].data
    draw_id, seq = store.next_draw_id(root, 2026)
    day = dt.date(2026, 11, 2)
    reveal = demo_reveal(SECRET, draw_id, "jijian")
    accepted_at = _at(day, 17)
    chain = chain_of({"sources": [{**demo_chain(CHAIN), "kind": "drand"}]})
    drand_round = round_at(_at(day + dt.timedelta(days=2), 10), chain) + 600  # 30 min after the session
    # build() itself makes v2 as the county policy wants it: drand last with the demo chain's full
    # key, sealed strata with opaque labels S1… instead of the class names.
    data, pools = build(
        corpus, task["id"], draw_id, seq, day, drand_round, {"jijian": commitment_of(reveal)}, SECRET
    )
    assert data["algorithm"] == "sdr-draw/2" and data["sources"][-1]["round"] == drand_round
    assert data["sources"][-1] == {**demo_chain(CHAIN), "kind": "drand", "round": drand_round}
    assert data["parameters"]["objects"]["strata_disclosure"] == "sealed"
    assert {s["name"] for s in data["parameters"]["objects"]["strata"]} <= {"S1", "S2", "S3", "S4"}
    assert {r["stratum"] for r in pools["objects"]} <= {"S1", "S2", "S3", "S4"}
    folder = store.folder(root, draw_id)
    store.write_text(folder / store.POOLS, store.dump_json(pools))
    store.write_text(folder / store.REQUEST, store.dump_yaml(data))
    latest = round_at(accepted_at, chain_of(data))
    decision = accept_request(root, read(root, draw_id), latest, accepted_at, MARGIN)
    assert decision.status == "accepted", decision.message
    session = _at(day + dt.timedelta(days=2), 10)
    entropy = {"id": draw_id, "ceremony": {"meeting": "31415926"}, "reveals": {"jijian": reveal}}
    store.write_text(folder / store.ENTROPY, store.dump_yaml(entropy))
    decision = accept_entropy(root, read(root, draw_id), round_at(session, chain_of(data)), session)
    assert decision.status == "accepted", decision.message
    assert time_of(drand_round, chain_of(data)) > session
    entropy["drand"] = demo_beacon(CHAIN, drand_round)
    (folder / store.ENTROPY).write_text(store.dump_yaml(entropy), encoding="utf-8")
    files = read(root, draw_id)
    write_result(files, make_result(files, day + dt.timedelta(days=2)))
    return root, draw_id, latest


def test_the_registry_draws_and_verifies_a_v2_request(drawn):
    root, draw_id, latest = drawn
    files = read(root, draw_id)
    assert files.accepted["latest_round"] == latest and files.accepted["margin_rounds"] == MARGIN
    assert files.result["algorithm"] == "sdr-draw/2"
    assert verify(files) == []


def test_the_public_bundle_carries_acceptance_and_inclusion_path_and_verifies(drawn):
    root, draw_id, latest = drawn
    bundle = public_bundle(read(root, draw_id))
    text = store.log_path(root).read_text(encoding="utf-8")
    assert bundle["format"] == "sdr-draw-bundle/3"
    assert bundle["acceptance"]["recorded_round"] == latest and bundle["acceptance"]["margin"] == MARGIN
    assert bundle["registry"]["head"] == log.head(text)
    assert bundle["registry"]["entry"] == log.lines_of(text)[bundle["registry"]["index"] - 1]
    assert log.check_inclusion(bundle["registry"], log.head(text))
    assert verify_bundle(bundle) == []
    assert verify_draw.check(copy.deepcopy(bundle)) == []


TAMPER = {
    # the bundle claims an earlier acceptance than CI recorded: the log line disagrees
    "registry.entry.latest_round": lambda b: b["acceptance"].update(
        recorded_round=b["acceptance"]["recorded_round"] - 1
    ),
    # an acceptance too close to the round: refused before the log is even read
    "acceptance": lambda b: b["acceptance"].update(margin=10**9),
    "registry.entry.at": lambda b: b["acceptance"].update(accepted_at="2026-01-01T00:00:00Z"),
    "registry.head": lambda b: b["registry"].update(head="0" * 64),
    "registry.entry": lambda b: b["registry"].update(entry=b["registry"]["entry"].replace('"at":', '"at" :')),
}


@pytest.mark.parametrize("field", sorted(TAMPER))
def test_every_python_verifier_refuses_a_tampered_acceptance_or_path(drawn, field):
    root, draw_id, _ = drawn
    bundle = public_bundle(read(root, draw_id))
    TAMPER[field](bundle)
    engine = verify_bundle(copy.deepcopy(bundle), verify_beacon=False)
    stdlib = verify_draw.check(copy.deepcopy(bundle))
    assert [m.field for m in engine] == [field] == [f for f, _, _ in stdlib]
    for message in [m.found for m in engine] + [m for _, _, m in stdlib]:
        assert any("\u4e00" <= c <= "\u9fff" for c in str(message))  # a plain Chinese message


def test_a_later_log_line_rewritten_breaks_the_path(drawn):
    root, draw_id, _ = drawn
    bundle = public_bundle(read(root, draw_id))
    assert bundle["registry"]["following"], "the entropy acceptance follows the request's"
    bundle["registry"]["following"][0] = bundle["registry"]["following"][0].replace("31415926", "27182818")
    # the rewritten line is the last: its hash is no longer the head the bundle shows
    assert [m.field for m in verify_bundle(bundle, verify_beacon=False)] == ["registry.head"]
    assert [f for f, _, _ in verify_draw.check(bundle)] == ["registry.head"]


def test_sealed_strata_leave_no_class_label_in_the_log_or_the_bundle(drawn):
    # issue 11 point 7, with the recovery attack's vocabulary: class names and class-derived labels
    root, draw_id, _ = drawn
    text = store.log_path(root).read_text(encoding="utf-8")
    mine = [line for line in log.lines_of(text) if f'"draw_id":"{draw_id}"' in line]
    assert len(mine) == 2  # accepted, entropy
    bundle = public_bundle(read(root, draw_id))
    public = "\n".join(mine) + json.dumps(bundle, ensure_ascii=False)
    for word in (*CLASS_WORDS, '"strata"', "S1", "ratio"):
        assert word not in "\n".join(mine), word
    for word in CLASS_WORDS:
        assert word not in public, word
