"""Attacks on staffing by set operations (generator/draw/teams.py ``Roster.ranked``)."""

from __future__ import annotations

import pytest

from generator.draw import DrawError
from generator.draw.model import Task, TeamRule, Unit
from generator.draw.people import Person
from generator.draw.teams import replay_public_teams
from tests.draw import teams_oracle


def _outcome(function, *args):
    try:
        return function(*args)
    except DrawError as error:
        return error.code


@pytest.mark.parametrize("township", [["t1"], {"t1": 1}])
def test_the_public_replay_of_an_object_whose_township_is_not_text_equals_the_obvious_definition(township):
    """A public bundle is anyone's file: its drawn objects' ``township`` is read as given. In
    township mode the engine now looks it up in a dict of sets (``Roster.townships.get``), so a
    list or a mapping there raises TypeError where the obvious definition (``township in
    office_townships``) just finds nobody — verify_bundle then reports a bare "（结构不符）"
    format error instead of naming the teams that cannot be reproduced."""
    units = (Unit("scjg", "甲"), Unit("xf", "乙"))
    people = [
        Person(id=f"{u.id}{k}", name="人", unit=u.id, qualifications=("I1",), office_townships=("t1",))
        for u in units
        for k in range(3)
    ]
    rule = TeamRule(
        mode="township",
        team_size=2,
        per_unit_min=1,
        max_objects_per_inspector=None,
        assistants_per_team=0,
        max_objects_per_assistant=None,
        assistant_qualification=None,
        officer_draw="central",
        per_department_min=1,
    )
    task = Task("T", "任务", ("I1",), units, "scjg", "2025-01-01", "2025-01-31")
    objects = [{"id": "o1", "township": township, "blocked_previous": [], "blocked_count": 0}]
    published = [{"object": "o1", "leader": "scjg0", "members": ["scjg0", "xf0"], "assistants": []}]
    args = (task, rule, objects, published, people, [], "seed")
    assert _outcome(replay_public_teams, *args) == _outcome(teams_oracle.replay_public_teams, *args)
