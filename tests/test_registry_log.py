"""The registry log format: canonical lines, hash chain, worked vector (for docs/draw-protocol.md)."""

from __future__ import annotations

import hashlib
import json

import pytest

from generator.registry import log

FIRST = (
    '{"draw_id":"D2026-0001","event":"accepted","prev":"' + "0" * 64 + '",'
    '"task":{"id":"T2026-market-01","name":"食堂抽查"}}'
)
FIRST_HASH = "13b54ab033c122cb5aea9a2c1e845d42612b63a447bb86e463ae7212f80891af"
SECOND = '{"draw_id":"D2026-0002","event":"refused","prev":"' + FIRST_HASH + '","reason":"Café"}'
HEAD = "4cb928d8256fad21b37085d0883a93e323f6b4cd98045c01726c14d968ca0d48"


def test_worked_vector():
    text = log.append(
        "",
        {"event": "accepted", "draw_id": "D2026-0001", "task": {"id": "T2026-market-01", "name": "食堂抽查"}},
    )
    text = log.append(text, {"event": "refused", "draw_id": "D2026-0002", "reason": "Cafe\u0301"})  # NFD in
    assert text == FIRST + "\n" + SECOND + "\n"  # NFC out, keys sorted, no spaces, raw UTF-8
    assert hashlib.sha256(FIRST.encode()).hexdigest() == FIRST_HASH
    assert hashlib.sha256(SECOND.encode()).hexdigest() == HEAD == log.head(text)
    assert log.check_text(text) == []


def test_an_independent_reader_agrees():
    """A verifier written from the spec alone: json.dumps(sort_keys, separators), SHA-256 chain."""
    prev = "0" * 64
    for line in (FIRST, SECOND):
        value = json.loads(line)
        assert value["prev"] == prev
        assert json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) == line
        prev = hashlib.sha256(line.encode("utf-8")).hexdigest()
    assert prev == HEAD


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (FIRST + "\n" + SECOND, 2),  # no final LF
        (FIRST.replace(",", ", ", 1) + "\n", 1),  # not canonical
        (SECOND + "\n", 1),  # wrong prev for the first line
        (
            FIRST + "\n" + SECOND.replace("Café", "Cafe") + "\n" + SECOND + "\n",
            3,
        ),  # chain broken after an edit
        ("not json\n", 1),
    ],
)
def test_broken_logs_name_the_line(text, line):
    assert log.check_text(text)[0][0] == line


def test_floats_and_own_prev_are_refused():
    with pytest.raises(TypeError):
        log.canonical({"ratio": 0.5})
    with pytest.raises(ValueError):
        log.entry_line({"prev": "x"}, log.GENESIS)


def test_an_archived_head_survives_appends_but_not_rewrites():
    text = FIRST + "\n" + SECOND + "\n"
    archived = log.head(FIRST + "\n")
    assert log.position_of(text, archived) == 1 and log.extends(FIRST + "\n", text)
    rewritten = log.append("", {"event": "accepted", "draw_id": "D2026-0001"})
    assert log.position_of(rewritten, archived) is None and not log.extends(FIRST + "\n", rewritten)
