"""Declared conflicts of interest (回避) must never be inferable from what is published.

A draw that fails once its randomness is known is published with its reason (failed.yaml and the
public registry log); a request refused as infeasible is published with its reason (refused.yaml,
the log). The rosters are public (teams name their members), so a published count of the people
left for an object "after recusals" told anyone that someone declared a conflict with it, and how
many did. The published wording states the rule that could not be met; the counts are printed for
the joint office in the command's output (the access-controlled repository's CI log) only.
"""

from __future__ import annotations

import copy

import pytest

from generator.draw import DrawError, draw
from tests.draw.scenario import make_request, scenario

REQUEST, POOLS, ENTROPY = scenario(40, per_unit=5)


def _conflicted_pools():
    pools = copy.deepcopy(POOLS)
    ids = [o["id"] for o in pools["objects"]]
    for p in pools["inspectors"]:
        if p["unit"] == "xfjy":
            p["conflicts"] = ids  # every xfjy inspector declares a conflict with every object
    return pools


def test_a_failed_draws_public_reason_names_no_recusal_and_no_count():
    from generator.cli.draw import _internal

    with pytest.raises(DrawError) as raised:
        draw(make_request(_conflicted_pools()), _conflicted_pools(), ENTROPY)
    exc = raised.value
    assert exc.code == "DRAW_INFEASIBLE_OBJECT_SHORTFALL"
    assert "回避" not in exc.message and "只有" not in exc.message, exc.message
    assert f"可派 {exc.details['have']} 名" in _internal(exc) and "回避" in _internal(exc)


def test_an_infeasible_requests_public_reason_names_no_recusal_and_no_count():
    from generator.registry.rederive import feasibility_problems
    from tests.draw.test_officers import _accepted_v2

    pools = _conflicted_pools()
    v2, _ = _accepted_v2(make_request(pools), pools, {"officer_draw": "central", "per_department_min": 1})
    problems = feasibility_problems(v2, pools)
    assert problems and {p.code for p in problems} == {"REGISTRY_INFEASIBLE"}
    for p in problems:
        assert "回避" not in p.message and "名；" not in p.message, p.message
        assert "回避" in p.internal and "回避" in p.shown and p.message in p.shown
