"""A request's date is CI's, not the clerk's (red team, fifth round).

``requested_on`` is the reference date of every exclusion fact frozen in the pool: 结果互认 within
the recognition period, an inspection by the unit in the last months, the yearly cap (this year's
inspections), the previous team. ``request --date`` (or a hand-written request.yaml) could set it
to any day, and ``accept`` rebuilt the pool "as of" that day and accepted it: a clerk moved the day
until a chosen firm's old 未发现问题 fell inside the recognition period (excluded, shielded from the
draw), or to next January so every firm at the yearly cap was drawable again. Now CI accepts a
request only when its date is the day of acceptance or at most ``REQUEST_MAX_AGE_DAYS`` before it,
and ``validate`` refuses an open request dated in the future.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from generator.corpus import load
from generator.registry import store
from generator.registry.clock import today
from generator.registry.rederive import REQUEST_MAX_AGE_DAYS
from generator.rules.results_context import reference_date
from generator.validation import validate_corpus
from tests.support.tree import BASE
from tests.test_registry_order import BEFORE, COMMIT, TASK, R, accept, run

DRAW = "D2026-0001"
DAY = today(BEFORE)  # the day CI accepts (Beijing time); "today" is the later of it and SOURCE_DATE_EPOCH


@pytest.fixture
def root(tmp_path):
    out = tmp_path / "records"
    shutil.copytree(BASE, out)
    return out


def _request(capsys, root, day: dt.date):
    code, out = run(
        capsys, "request", TASK, "--records", root, "--date", day.isoformat(), "--drand-round", R,
        "--now", BEFORE, "--commit", f"jijian={COMMIT}",
    )  # fmt: skip
    assert code == 0, out


@pytest.mark.parametrize(
    "day",
    [
        DAY - dt.timedelta(days=REQUEST_MAX_AGE_DAYS + 1),  # back-dated: old results count again
        DAY - dt.timedelta(days=400),
        reference_date() + dt.timedelta(days=1),  # ahead: inspections fall out of the windows
        dt.date(reference_date().year + 1, 1, 4),  # next year: nobody has reached the yearly cap
    ],
)
def test_ci_refuses_a_request_dated_another_day(root, capsys, day):
    _request(capsys, root, day)
    code, out = accept(capsys, root, BEFORE + 3600)
    assert "REGISTRY_REQUESTED_ON_INVALID" in out, out
    assert day.isoformat() in out and "requested_on" in out
    refused = yaml.safe_load((store.folder(root, DRAW) / "refused.yaml").read_text(encoding="utf-8"))
    assert refused["code"] == "REGISTRY_REQUESTED_ON_INVALID"
    assert not (store.folder(root, DRAW) / store.ACCEPTED).exists()


@pytest.mark.parametrize("age", [0, REQUEST_MAX_AGE_DAYS])
def test_a_request_of_today_or_of_the_last_days_is_accepted(root, capsys, age):
    _request(capsys, root, DAY - dt.timedelta(days=age))
    code, out = accept(capsys, root, BEFORE + 3600)
    assert code == 0 and (store.folder(root, DRAW) / store.ACCEPTED).exists(), out


def test_validate_refuses_an_open_request_dated_in_the_future(root, capsys):
    _request(capsys, root, DAY)
    assert not [f for f in validate_corpus(load(root)) if f.value == "REGISTRY_REQUESTED_ON_INVALID"]
    path = store.folder(root, DRAW) / store.REQUEST
    text = path.read_text(encoding="utf-8")
    ahead = reference_date() + dt.timedelta(days=30)
    path.write_text(text.replace(f"requested_on: {DAY}", f"requested_on: {ahead}"), encoding="utf-8")
    found = [f for f in validate_corpus(load(root)) if f.value == "REGISTRY_REQUESTED_ON_INVALID"]
    assert [(f.code, f.file.endswith("request.yaml")) for f in found] == [("DRAW_REQUEST_MISMATCH", True)]
    assert ahead.isoformat() in found[0].message


# 2030-05-01 07:30 in Beijing is still 2030-04-30 in UTC (GitHub's runners, and SOURCE_DATE_EPOCH as
# ``ci site`` sets it from the last commit's time): far ahead, so the wall clock never decides.
MORNING_IN_CHINA = int(dt.datetime(2030, 4, 30, 23, 30, tzinfo=dt.UTC).timestamp())


def test_a_request_made_before_eight_in_the_morning_in_china_is_not_in_the_future(monkeypatch):
    """``request`` dates a request by Beijing time (``clock.today``); the pull-request check (``ci
    site``: validate, no clock, SOURCE_DATE_EPOCH = the commit's time) read "today" in UTC, so a
    request the clerk made between 00:00 and 08:00 was "in the future" there: DRAW_REQUEST_MISMATCH
    blocked its pull request, and the site of main while it waited for its drand round."""
    from generator.registry.rederive import requested_on_problems

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MORNING_IN_CHINA))
    assert reference_date() == today(MORNING_IN_CHINA) == dt.date(2030, 5, 1)
    assert requested_on_problems("2030-05-01", None) == []
    assert requested_on_problems(dt.date(2030, 5, 1), None) == []
    assert [p.code for p in requested_on_problems("2030-05-02", None)] == ["REGISTRY_REQUESTED_ON_INVALID"]


def test_a_request_made_before_eight_passes_the_pull_request_check(root, capsys, monkeypatch):
    """The same, through validate on a request ``request`` wrote at 07:30 Beijing time."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MORNING_IN_CHINA))
    _request(capsys, root, today(MORNING_IN_CHINA))
    assert not [f for f in validate_corpus(load(root)) if f.value == "REGISTRY_REQUESTED_ON_INVALID"]
