"""A draw's registry proof reaches the last log line of its year, not the log's head
(docs/draw-protocol.md §9.3, issue 18): five years of bundles each carried every later line (86 of
366 MB at county size, growing with the square of the draws). The path must stay a valid §9.3 path
(the engine, verify_draw.py and the browser check do not change), end exactly at the year's last line,
and a closed year's path must not change as the log grows."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest

from generator.registry import log

VERIFY = Path(__file__).resolve().parents[1] / "site_templates" / "verify" / "verify_draw.py"


def _random_log(rng: random.Random, lines: int) -> str:
    """Lines over 2023-2026 in time order; some without ``at`` (a ``failed`` line has none)."""
    text, year, day = "", 2023, 1
    for n in range(lines):
        if rng.random() < 0.15:
            year, day = year + 1, 1
        day = min(day + rng.randrange(3), 28)
        if rng.random() < 0.1:
            entry = {"event": "failed", "task": {"id": f"T{n}"}, "code": "X", "reason": "失败"}
        else:
            event = rng.choice(["accepted", "entropy", "refused"])
            entry = {"event": event, "draw_id": f"D{year}-{n:04d}", "at": f"{year}-03-{day:02d}T09:00:00Z"}
        text = log.append(text, entry)
    return text


def _year(line: str) -> str | None:
    at = json.loads(line).get("at")
    return at[:4] if at else None


@pytest.mark.parametrize("seed", range(30))
def test_the_path_is_valid_and_ends_at_the_last_line_of_the_entrys_year(seed):
    rng = random.Random(seed)
    text = _random_log(rng, rng.randrange(1, 60))
    lines = log.lines_of(text)
    for number in range(1, len(lines) + 1):
        path = log.inclusion(text, number)
        last = number + len(path["following"])
        assert log.check_inclusion(path, path["head"])
        assert path["head"] == log.entry_hash(lines[last - 1])
        year = _year(lines[number - 1])
        if year is None:  # no year to close: the path reaches the head, as before
            assert path["head"] == log.head(text)
            continue
        # no line of a later year inside the path; the first line after it is of a later year
        assert all((_year(x) or year) <= year for x in path["following"])
        if last < len(lines):
            assert _year(lines[last]) > year
        else:
            assert path["head"] == log.head(text)


@pytest.mark.parametrize("seed", range(10))
def test_a_closed_years_path_does_not_change_as_the_log_grows(seed):
    rng = random.Random(seed)
    text = _random_log(rng, 40)
    lines = log.lines_of(text)
    later = str(max(int(_year(x) or 0) for x in lines) + 1)
    grown = log.append(text, {"event": "accepted", "draw_id": "D9", "at": f"{later}-01-02T09:00:00Z"})
    grown = log.append(grown, {"event": "failed", "task": {"id": "T9"}, "code": "X", "reason": "失败"})
    for number in range(1, len(lines) + 1):
        before, after = log.inclusion(text, number), log.inclusion(grown, number)
        if _year(lines[number - 1]) is None:
            assert after["head"] == log.head(grown)
        else:  # every year before ``later`` is closed now, and was complete in ``text``
            assert after == before


def test_a_path_that_stops_at_its_year_passes_the_engines_check():
    """The engine's check (which verify_draw.py and the browser check mirror: tests/site/
    test_verify_agreement.py) accepts the shorter path, and refuses it once a line in it is changed."""
    from generator.draw.errors import DrawError
    from generator.draw.registry_log import check_inclusion as engine_check

    text = ""
    for year in (2025, 2026):
        for n in range(3):
            at = f"{year}-03-0{n + 1}T09:00:00Z"
            text = log.append(text, {"event": "accepted", "draw_id": f"D{year}-000{n}", "at": at})
    path = log.inclusion(text, 1)
    assert len(path["following"]) == 2 and path["head"] != log.head(text)
    assert engine_check(path) == path["head"]
    changed = path["following"][0].replace("D2025-0001", "D2025-0009")
    tampered = dict(path, following=[changed, path["following"][1]])
    with pytest.raises(DrawError):
        engine_check(tampered)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    import generator.samplegen as samplegen

    out = tmp_path_factory.mktemp("years") / "records"
    samplegen.generate(out, 1, [2025, 2026])
    return out


@pytest.mark.heavy  # two years of sample records, every draw made by the engine
def test_the_sites_bundles_stop_at_their_year_and_pass_the_citizens_script(two_years, monkeypatch):
    from generator.corpus import load
    from generator.site import draws

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798675200")
    spec = importlib.util.spec_from_file_location("verify_draw", VERIFY)
    verify_draw = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(verify_draw)
    text = (two_years / "draws" / "log.jsonl").read_text(encoding="utf-8")
    lines = log.lines_of(text)
    last_2025 = max(n for n, line in enumerate(lines, 1) if _year(line) == "2025")
    data = draws.load_draws(load(two_years))
    checked = {"2025": 0, "2026": 0}
    for draw_id, draw in data.items():
        if draw["bundle"] is None or "registry" not in draw["bundle"]:
            continue
        published = json.loads(draws.published(draw))
        proof, page = published["registry"], draw["page"]["registry"]
        year = draw_id[1:5]
        end = last_2025 if year == "2025" else len(lines)
        assert proof["index"] + len(proof["following"]) == page["last"] == end
        assert proof["head"] == log.entry_hash(lines[end - 1]) == page["head"]
        assert page["site_head"] == log.head(text)
        assert verify_draw.check(published) == [], draw_id
        checked[year] += 1
    assert checked["2025"] and checked["2026"]
