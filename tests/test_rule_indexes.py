"""Rules that read the directory through an index or a quick test give what the plain definition
gives: the candidate pool of a task (risk.pool_strata, once a scan of every object per task) and the
test for a conflicted object's name in a text (conflict_text.literal_pattern, once a loop over
every name per text) and the pairs of record values that join into a number
(joined_numbers._pairs, once a loop over every pair of values). Each is checked against that
definition on random inputs."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

from generator.corpus import Corpus
from generator.errors import Findings
from generator.rules.conflict_text import literal_pattern
from generator.rules.risk import GONE, pool_strata


def _plain_pool_strata(corpus, task: dict) -> dict:
    """The definition: every directory row in loading order, the first row of an id kept."""
    filters = task.get("objects", {})
    stratify = task.get("sampling", {}).get("stratify", "credit_risk")
    sources = filters.get("source_units") or [task.get("initiator")]
    kinds, towns, tags = (set(filters.get(k, [])) for k in ("kinds", "townships", "tags"))
    seen: dict = {}
    for r in corpus.of("objects"):
        d = r.data
        if r.owner.get("unit") not in sources or "id" not in d or d["id"] in seen:
            continue
        if d.get("status") in GONE or (kinds and d.get("kind") not in kinds):
            continue
        if (towns and d.get("township") not in towns) or (tags and not tags & set(d.get("tags", []))):
            continue
        key = {"credit_risk": d.get("credit_risk"), "township": d.get("township")}.get(stratify, "all")
        seen[d["id"]] = (key, d)
    out: dict = {}
    for key, d in seen.values():
        out.setdefault(key, []).append(d)
    return out


UNITS = ["market", "health", "tax", None]


def _corpus(rng: random.Random) -> Corpus:
    rows = []
    for _ in range(rng.randint(0, 60)):
        data = {
            "id": f"O{rng.randint(1, 25)}",  # the same firm in several directories, or twice in one
            "status": rng.choice(["存续", "存续", "注销", None]),
            "kind": rng.choice(["企业", "个体工商户", "学校"]),
            "township": rng.choice(["穿城镇", "众兴镇"]),
            "tags": rng.sample(["食堂", "冷链", "药店"], rng.randint(0, 2)),
            "credit_risk": rng.choice(["A", "B", "C", "D", None]),
        }
        if rng.random() < 0.05:
            del data["id"]
        rows.append(SimpleNamespace(data=data, owner={"unit": rng.choice(UNITS)}))
    return Corpus(Path("."), {"objects": rows}, Findings(), [])


def _task(rng: random.Random) -> dict:
    filters = {}
    if rng.random() < 0.7:
        filters["source_units"] = [rng.choice(UNITS + ["nobody"]) for _ in range(rng.randint(0, 3))]
    for key, values in (("kinds", ["企业", "学校"]), ("townships", ["穿城镇"]), ("tags", ["食堂", "冷链"])):
        if rng.random() < 0.3:
            filters[key] = rng.sample(values, rng.randint(1, len(values)))
    return {
        "initiator": rng.choice(UNITS),
        "objects": filters,
        "sampling": {"stratify": rng.choice(["credit_risk", "township", "none"])},
    }


def test_pool_strata_is_the_plain_scan_of_the_directory():
    rng = random.Random(43)
    nonempty = 0
    for _ in range(3000):
        corpus = _corpus(rng)
        for _ in range(4):  # several tasks on one corpus: the memo is shared between them
            task = _task(rng)
            got, want = pool_strata(corpus, task), _plain_pool_strata(corpus, task)
            assert {k: [id(d) for d in v] for k, v in got.items()} == {
                k: [id(d) for d in v] for k, v in want.items()
            }, task
            assert list(got) == list(want)  # strata in the same order
            nonempty += bool(want)
    assert nonempty > 3000


def test_literal_pattern_finds_a_text_holding_any_word():
    rng = random.Random(7)
    alphabet = "泗阳县甲乙商店ab.*(|?\\"
    checked = hits = 0
    for _ in range(5000):
        words = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(0, 8))
        ]
        pattern = literal_pattern(words)
        for _ in range(5):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
            expected = any(w in text for w in words)
            assert bool(pattern.search(text)) == expected, (words, text)
            checked += 1
            hits += expected
    assert checked // 4 < hits < checked  # both answers were exercised


def _plain_pairs(tails: dict, heads: dict) -> set[tuple[str, str]]:
    """The definition: every (tail, head) whose digit runs across the join have a hit's length and
    shape, tried value by value."""
    from generator.rules.joined_numbers import TOTALS, _runs, _shaped

    out = set()
    for tail in tails:
        for n, digits in _runs(tail, from_end=True):
            for head in heads:
                for m, more in _runs(head, from_end=False):
                    if n + m in TOTALS and _shaped(digits + more):
                        out.add((tail, head))
    return out


def test_joined_number_pairs_are_the_plain_definition():
    from generator.rules.joined_numbers import _pairs

    rng = random.Random(18)
    pieces = ["138", "0013", "8000", "2026", "1", "86", "0", "11010519", "49123110", "06", "13912345678"]
    found = 0
    for _ in range(300):
        tails = {
            "甲" + " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 3))): []
            for _ in range(rng.randint(0, 12))
        }
        heads = {
            " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 3))) + "乙": []
            for _ in range(rng.randint(0, 12))
        }
        want = _plain_pairs(tails, heads)
        assert _pairs(tails, heads) == want
        found += len(want)
    assert found > 200  # the random edges did join into numbers


def test_an_id_number_ending_in_x_joins_across_two_values():
    """An ID number's check character X ends the second value's digits: the pair is found and read
    as one number (it used to count 17 digits, a length no hit has, and the build's scan stopped the
    whole site on it instead)."""
    from generator.rules.joined_numbers import _joined

    one, two = SimpleNamespace(file="units/a/unit.yaml"), SimpleNamespace(file="units/b/tasks/t.yaml")
    tails = {"甲局 11010519": [(one, ("name",), None)]}
    heads = {"49123100 2X 丙": [(two, ("name",), None)], "491231002x": [(two, ("id",), None)]}
    joined = _joined(tails, heads)
    assert [(t, h, hit.masked) for t, h, hit in joined] == [
        ("甲局 11010519", "49123100 2X 丙", "110105********002X"),
        ("甲局 11010519", "491231002x", "110105********002X"),
    ]
