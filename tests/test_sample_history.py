"""The multi-year sample is deterministic, and the short cuts that made it fast at county size
(issue 18) compute what the obvious definitions compute:

* the same arguments write the same bytes, in this process and in fresh ones with other hash seeds
  (nothing may depend on set or dict order, nor on the clock);
* the history a year's draws see, kept in memory as results are written (``facts.history_of``), is
  the history read back from the tree (``facts.history``);
* ``facts_for`` (now with a fast path for never-inspected objects and the period start computed
  once per draw) gives the facts of its original definition;
* ``candidates`` walking each source unit's rows gives the rows of the walk over every object;
* the sample's YAML writer (``result_text.render`` first) writes PyYAML's bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.samplegen as samplegen
from generator.corpus import load
from generator.draw.objects import months_before
from generator.registry import store
from generator.registry.facts import Inspection, facts_for, history, history_of
from generator.registry.request import GONE, candidates, stratum_keys, stratum_labels
from generator.rules.outcomes import category_table
from generator.rules.settings import settings as county_settings
from generator.samplegen import draws as sample_draws

ROOT = Path(__file__).resolve().parents[1]
YEARS = (2025, 2026)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory, request):
    """A two-year sample made in this process, with the result records the generator kept."""
    kept: list[list[dict]] = []
    original = sample_draws.add_draws_and_results

    def spy(root, rng, year=None, written=None):
        got = original(root, rng, year, written)
        kept.append(written)
        return got

    out = tmp_path_factory.mktemp("history") / "records"
    sample_draws.add_draws_and_results = spy
    try:
        samplegen.generate(out, 1, YEARS)
    finally:
        sample_draws.add_draws_and_results = original
    return out, kept[-1]


def test_same_bytes_in_this_process_and_in_fresh_ones(generated, tmp_path):
    out, _ = generated
    first = _files(out)
    assert any(rel.startswith("draws/2025/") for rel in first) and any(
        rel.startswith("draws/2026/") for rel in first
    )
    for seed in ("0", "4242"):
        again = tmp_path / f"again-{seed}"
        env = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
        args = ["sample", "--out", str(again), "--years", f"{YEARS[0]}-{YEARS[-1]}"]
        subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, env=env, check=True)
        second = _files(again)
        assert sorted(second) == sorted(first)
        assert [rel for rel in first if first[rel] != second[rel]] == []


def test_history_kept_in_memory_is_the_history_read_back(generated):
    out, written = generated
    corpus = load(out)
    from_disk = history(corpus)
    assert len(written) == len(corpus.of("results"))
    assert sum(len(v) for v in from_disk.values()) > 100
    assert history_of(written, corpus.tasks, category_table(corpus)) == from_disk


def test_sample_yaml_writer_writes_pyyaml_bytes(generated):
    """Every registry and result file of the tree: the fast writer's text for its value is PyYAML's."""
    out, _ = generated
    paths = sorted(out.glob("draws/*/*/*.yaml")) + sorted(out.glob("units/*/results/*.yaml"))
    paths += sorted(out.glob("units/*/referrals/*.yaml"))
    assert len(paths) > 300
    fast = 0
    for path in paths:
        value = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        assert sample_draws.dump_yaml(value, "# h\n") == store.dump_yaml(value, "# h\n"), path
        fast += samplegen.draws.result_text.render(value) is not None
    assert fast > len(paths) * 0.9  # the fast path is the one taken, not the fallback


# --- facts_for against its original definition ---------------------------------------------------


def _facts_definition(inspections, unit, items, reference, recognise_months):
    """facts_for as it was written before the fast path (the obvious definition)."""
    before = [i for i in inspections if i.day < reference]
    by_unit = [i for i in before if i.unit == unit]
    since = dt.date.fromisoformat(months_before(reference.isoformat(), recognise_months))
    recognised = recognise_months > 0 and any(i.closes and i.day >= since and i.items & items for i in before)
    tasks_this_year = {i.task for i in before if i.day.year == reference.year}
    previous: list[str] = []
    if before:
        last_task = before[-1].task
        for i in before:
            if i.task == last_task:
                previous.extend(p for p in i.inspectors if p not in previous)
    return {
        "last_inspected_by_unit": by_unit[-1].day.isoformat() if by_unit else None,
        "recognised_result": recognised,
        "inspections_this_year": len(tasks_this_year),
        "previous_inspectors": sorted(previous),
    }


_DAYS = st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
_INSPECTION = st.builds(
    Inspection,
    st.sampled_from(["T1", "T2", "T3"]),
    st.sampled_from(["market", "health"]),
    _DAYS,
    st.frozensets(st.sampled_from(["X-1", "X-2", "Y-1"])),
    st.lists(st.sampled_from(["p1", "p2", "p3", "p4"]), max_size=3),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_INSPECTION, max_size=6).map(lambda xs: sorted(xs, key=lambda i: (i.day, i.task, i.unit))),
    st.sampled_from(["market", "health"]),
    st.sets(st.sampled_from(["X-1", "X-2", "Y-1"])),
    _DAYS,
    st.integers(0, 24),
)
def test_facts_for_matches_its_definition(inspections, unit, items, reference, months):
    got = facts_for(inspections, unit, items, reference, months)
    want = _facts_definition(inspections, unit, items, reference, months)
    assert got == want
    assert type(got["recognised_result"]) is bool


# --- candidates against the walk over every object -----------------------------------------------


def _candidates_definition(corpus, task, reference, salt_for, past):
    """The candidate rows as built before objects were grouped by unit (every object, every unit)."""
    from generator.registry.request import facts_for as facts
    from generator.rules.items import version_on

    sampling, filters = task["sampling"], task.get("objects", {})
    stratify = sampling.get("stratify", "credit_risk")
    names = stratum_labels(stratum_keys(corpus, stratify))
    sources = filters.get("source_units") or [task["initiator"]]
    kinds, towns, tags = (set(filters.get(k, [])) for k in ("kinds", "townships", "tags"))
    recognise = county_settings(corpus)["object_rules"]["recognise_months"]
    items = set(task["items"])
    key_item = any(
        (v := version_on(corpus, code, task["window"]["from"])) is not None
        and v.data.get("category") == "重点"
        for code in items
    )
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
                continue
            row = {
                "id": d["id"],
                "stratum": names[key],
                "salt": salt_for(d["id"]),
                "township": d.get("township", ""),
                "deregistered": d.get("status") in GONE,
                "key_item": key_item,
            }
            row.update(facts(past.get(d["id"], []), task["initiator"], items, reference, recognise))
            chosen[d["id"]] = row
    return [chosen[k] for k in sorted(chosen)]


def test_candidates_match_the_walk_over_every_object(generated):
    """On the two-year tree (its history included), for every task and with the source units in
    both orders: an object listed by several units takes the first source unit's row."""
    out, _ = generated
    corpus = load(out)
    past = history(corpus)
    units = sorted(corpus.objects_by_unit)
    shared = [oid for oid, rows in corpus.objects_by_id.items() if len({r.owner["unit"] for r in rows}) > 1]
    assert shared  # the sample lists some objects in more than one directory

    def salt(oid):
        return f"salt-{oid}"

    checked = 0
    for record in corpus.of("tasks")[::7]:
        task = dict(record.data)
        for sources in (None, units[:3] + [task["initiator"]], [task["initiator"], *reversed(units)]):
            if sources is not None:
                task["objects"] = {**task.get("objects", {}), "source_units": sources}
            reference = task["window"]["from"] - dt.timedelta(days=10)
            got = candidates(corpus, task, reference, salt, past)
            assert got == _candidates_definition(corpus, task, reference, salt, past), record.data["id"]
            checked += len(got)
    assert checked > 1000


# --- outcomes: a case closed after a late entry ---------------------------------------------------


def test_a_case_is_never_closed_before_its_entry_was_made():
    """A late entry (11–18 working days) with a quick closure (15 working days after the inspection)
    used to date the closing amendment before ``entered_on``: AMENDMENT_ORDER in the scale-43 tree,
    which then failed to build. Many seeds, so the late-and-quick case occurs."""
    import random

    from generator.calendar.workdays import WorkCalendar
    from generator.samplegen import outcomes

    corpus = load(ROOT / "records")
    calendar = WorkCalendar.from_corpus(corpus)
    obj = {"id": "X1", "kind": "企业"}
    amended = late_amended = 0
    for seed in range(20000):
        rng = random.Random(seed)
        entry, _, late = outcomes.department_entry(
            rng, "health", ["WJJ-02"], ["health"], obj, ["a", "b"], dt.date(2025, 6, 2), calendar, "normal"
        )
        for amendment in entry.get("amendments", []):
            amended += 1
            late_amended += late
            assert amendment["date"] >= entry["entered_on"], (seed, entry)
    assert amended > 100 and late_amended > 0
