"""A request CI refused freezes nothing (red team 3's gap): the task answers to the request before it,
the one that still draws, or to none; before, it answered to the refused request's copy."""

from __future__ import annotations

import copy
from pathlib import Path

from generator.corpus import load
from generator.rules import draws

RECORDS = Path(__file__).resolve().parents[1] / "records"


class _Stub:
    """What the rule reads of a request or a refusal: its data (and where, for a finding)."""

    def __init__(self, data: dict, file: str = "records/draws/2026/D2026-9999/request.yaml"):
        self.data, self.file = data, file

    def loc(self, *path):
        return 1, 1


def _changed(corpus, requests) -> list[str]:
    return [f.file for f in draws._tasks_as_drawn(corpus, requests) if f.code == "TASK_CHANGED_AFTER_DRAW"]


def test_a_refused_request_does_not_freeze_its_task():
    corpus = load(RECORDS)
    requests = list(corpus.of("draw_request"))
    assert _changed(corpus, requests) == []  # the sample's tasks are as drawn
    drawn = requests[0]
    later = copy.deepcopy(drawn.data)
    later["id"], later["seq"] = "D2026-9999", 9999
    later["parameters"]["task"]["window"]["end"] = "2026-12-31"  # a wider window, then refused
    with_later = requests + [_Stub(later)]
    task_file = corpus.tasks[drawn.data["task"]].file
    assert _changed(corpus, with_later) == [task_file]  # held to the later request's copy
    corpus.records.setdefault("draw_refused", []).append(_Stub({"id": "D2026-9999"}))
    assert _changed(corpus, with_later) == []  # refused: held to the draw in force, which it matches
