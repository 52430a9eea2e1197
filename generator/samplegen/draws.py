"""The sample's draws and inspection results, made by the real draw engine, task by task.

For each task, in the order of their coordination meetings, this does what the county would do,
through the production path of protocol v2 (docs/draw-protocol.md §0, §9):

1. the day after the meeting the initiating unit files a draw request (``registry.request.build``),
   naming a ceremony, the 县纪委监委's commit–reveal value and, last, a drand round of the county's
   demo chain half an hour after the public draw session; CI accepts it at 17:00, recording the
   chain's latest round (``latest + margin < R``) in ``accepted.yaml`` and the public registry log;
2. two days later, at the public draw session (10:00), the ceremony digits are rolled and 纪检
   reveals its value; CI accepts them (round R does not exist yet); once round R is out the beacon
   is appended to ``entropy.yaml`` as ``beacon fetch`` does (``workflow.registry.write_drand``) and
   the engine makes the draw, checking the BLS signature and the acceptance;
3. during the window each drawn team inspects and every participating unit enters its results on
   its own items (samplegen/outcomes.py), mostly within 10 working days, a few late (so the
   compliance report has material); receiving units acknowledge most referrals.

Salts and reveals come from a fixed demonstration secret, beacons from the demo chain's public key
pair (``generator/demo_chain.py``: same BLS scheme and verifier as quicknet, labelled 演示链 everywhere),
ceremony digits and inspection outcomes from a seeded ``random.Random``: the same command writes the
same bytes. None of this is used for a real draw: the real path takes salts from ``SSJ_SALT_SECRET``,
values from real people and beacons from drand quicknet.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

from generator.calendar.workdays import WorkCalendar
from generator.corpus import load
from generator.demo_chain import demo_beacon
from generator.draw import commitment_of
from generator.registry import result_text, store
from generator.registry.accept import accept_entropy, accept_request
from generator.registry.facts import Inspection, history, history_of
from generator.registry.order import chain_of, drand_source, round_at
from generator.registry.request import build, demo_reveal, drand_chain
from generator.registry.run import RESULT_HEADER, make_result, read
from generator.rules.outcomes import category_table, closes_matter
from generator.samplegen import outcomes
from generator.workflow.registry import PendingDraw, write_drand

DEMO_SECRET = b"sample-data-demo-secret-not-for-real-draws"
PARTY = "jijian"
MARGIN = 1200
BEACON_AFTER_SESSION = 600  # rounds (30 min): the beacon comes after the digits are accepted


def _at(day: dt.date, hour: int) -> int:
    """A fixed Beijing time on ``day`` (CI's clock at acceptance, for the demonstration records)."""
    return int(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()
    )


def _clock(request: dict, now: int) -> tuple[int | None, int]:
    """(latest drand round as CI would see it, now): the round follows the request's chain clock."""
    source = drand_source(request)
    return (None if source is None else round_at(now, chain_of(request))), now


def add_draws_and_results(
    root: Path, rng: random.Random, year: int | None = None, written: list[dict] | None = None
) -> dict[str, int]:
    """Draw and enter results for every task, or only ``year``'s (a multi-year sample calls this
    once a year; earlier years' results then count as history: recency, 结果互认, annual cap).

    ``written`` (the multi-year sample's) holds the result records of the earlier years as they were
    written, and gets this year's appended: the history comes from it instead of reading every earlier
    year back from disk each year (``facts.history_of``, the same definition as ``facts.history``)."""
    # The draw folders are not records the requests or the outcomes read (and with ``written``
    # neither are results nor referrals): at county size they were most of what each load re-read.
    corpus = load(root, skip=_draw_folder if written is None else _draws_or_results)
    calendar = WorkCalendar.from_corpus(corpus)
    unit_of = {i: r.data.get("unit") for i, r in corpus.inspectors.items()}
    tasks = sorted(corpus.of("tasks"), key=lambda t: (t.data["meeting"]["date"], t.data["id"]))
    table = category_table(corpus)
    past: dict[str, list[Inspection]] = {}
    if year is not None:
        tasks = [t for t in tasks if t.data["year"] == year]
        past = history(corpus) if written is None else history_of(written, corpus.tasks, table)
    objects = {oid: rows[0].data for oid, rows in corpus.objects_by_id.items()}
    receipts: dict[tuple[str, str], list[dict]] = {}
    counts = {"draws": 0, "entries": 0, "late": 0}
    chain = chain_of({"sources": [drand_chain(corpus)]})  # the county's demo chain
    for task in tasks:
        t = task.data
        draw_id, seq = store.next_draw_id(root, t["year"])
        requested_on = t["meeting"]["date"] + dt.timedelta(days=1)
        session = requested_on + dt.timedelta(days=2)
        drand_round = round_at(_at(session, 10), chain) + BEACON_AFTER_SESSION
        reveal = demo_reveal(DEMO_SECRET, draw_id, PARTY)
        data, pools = build(
            corpus,
            t["id"],
            draw_id,
            seq,
            requested_on,
            drand_round,
            {PARTY: commitment_of(reveal)},
            DEMO_SECRET,
            past,
            # The bundled demo's pools were frozen before person salts (red team 7); salted, every
            # sample outcome (and its deliberate warnings) would change. Its conflicts are fictional.
            people_salts=False,
        )
        folder = store.folder(root, draw_id)
        store.write_text(folder / store.POOLS, store.dump_json(pools))
        store.write_text(folder / store.REQUEST, dump_yaml(data, "# 示例数据：抽取申请。\n"))
        # CI's acceptance reads the request and entropy only: the pools wait for the draw (defer).
        decision = accept_request(
            root, read(root, draw_id, defer=True), *_clock(data, _at(requested_on, 17)), MARGIN
        )
        _must(decision, draw_id)
        entropy = {
            "id": draw_id,
            "recorded_on": session,
            "ceremony": {"meeting": "".join(rng.choice("0123456789") for _ in range(8))},
            "witnesses": ["县纪委监委驻县市场监管局纪检监察组 示例见证人", "县公证处 示例公证员"],
            "reveals": {PARTY: reveal},
        }
        store.write_text(folder / store.ENTROPY, dump_yaml(entropy, "# 示例数据：现场摇号和第三方揭示。\n"))
        _must(accept_entropy(root, read(root, draw_id, defer=True), *_clock(data, _at(session, 10))), draw_id)
        beacon = demo_beacon(drand_source(data)[0], drand_round)  # round R, after the session
        write_drand(PendingDraw(draw_id, folder, drand_round, False), beacon, session)
        files = read(root, draw_id)
        result = make_result(files, session)
        store.write_text(files.path / store.RESULT, dump_yaml(result, RESULT_HEADER))  # = run.write_result
        counts["draws"] += 1
        teams = result["output"]["teams"]
        dates = _inspection_dates(rng, t["window"]["from"], t["window"]["to"], len(teams), calendar)
        by_unit: dict[str, list[dict]] = {u: [] for u in t["participants"]}
        for team, day in zip(teams, dates, strict=True):
            obj = objects[team["object"]]
            state = outcomes.team_state(rng, obj)
            entries = []
            for unit in t["participants"]:
                members = [m for m in team["members"] if unit_of.get(m) == unit]
                mine = outcomes.own_items(t["items"], unit)
                entry, referral, late = outcomes.department_entry(
                    rng, unit, mine, t["participants"], obj, members, day, calendar, state
                )
                counts["late"] += late
                by_unit[unit].append(entry)
                entries.append(entry)
                if referral:
                    got = outcomes.receipt(rng, calendar, referral, unit, obj["id"])
                    if got:
                        receipts.setdefault((referral["unit"], t["id"]), []).append(got)
            closes = all(closes_matter(e, table) for e in entries)
            past.setdefault(team["object"], []).append(
                Inspection(t["id"], t["initiator"], day, frozenset(t["items"]), list(team["members"]), closes)
            )
        for unit, entries in by_unit.items():
            doc = {"task": t["id"], "unit": unit, "draw": draw_id, "entries": entries}
            if written is not None:
                written.append(doc)
            path = root / "units" / unit / "results" / f"{t['id']}.yaml"
            store.write_text(path, dump_yaml(doc, "# 示例数据：检查结果（谁检查、谁录入、谁公开）。\n"))
            counts["entries"] += len(entries)
    for (unit, task_id), got in sorted(receipts.items()):
        doc = {"task": task_id, "unit": unit, "receipts": got}
        path = root / "units" / unit / "referrals" / f"{task_id}.yaml"
        store.write_text(path, dump_yaml(doc, "# 示例数据：移交接收登记（接收单位录入）。\n"))
        counts["receipts"] = counts.get("receipts", 0) + len(got)
    return counts


def dump_yaml(data: dict, header: str) -> str:
    """``store.dump_yaml(data, header)``, through ``result_text.render`` when it covers ``data``.

    PyYAML's pure-Python emitter was most of the sample's time (160 of 229 CPU-s at scale 5 over five
    years); ``render`` is PyYAML's exact text or None (tests/test_result_text.py), so the bytes
    cannot change, and anything it does not cover still goes through PyYAML."""
    body = result_text.render(data)
    return store.dump_yaml(data, header) if body is None else header + body


def _draw_folder(rel: str) -> bool:
    return rel.startswith("draws/")


_RESULTS_OR_REFERRALS = re.compile(r"units/[^/]+/(results|referrals)/")


def _draws_or_results(rel: str) -> bool:
    return rel.startswith("draws/") or _RESULTS_OR_REFERRALS.match(rel) is not None


def _must(decision, draw_id: str) -> None:
    """The sample's own schedule must pass CI's order rules; a refusal here is a generator bug."""
    if decision.status != "accepted":
        raise RuntimeError(f"sample draw {draw_id}: {decision.code} {decision.message}")


def _inspection_dates(rng, start: dt.date, end: dt.date, n: int, calendar: WorkCalendar) -> list[dt.date]:
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    workdays = [d for d in days if calendar.is_workday(d)] or days
    return sorted(rng.choice(workdays) for _ in range(n))
