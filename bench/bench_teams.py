"""Benchmark of team staffing (issue 18 point 2; no assertions, prints figures).

Staffs ``--objects`` drawn objects from a county whose participating units have ``--people``
eligible inspectors each (central and per-department officer draws, a cap per inspector, a few
declared conflicts per object), then replays the public team check on the result, as ``verify``
does. ``--before REV`` also times the ``generator/draw/teams.py`` of an older commit on the same
input (central mode only: older engines have no per-department draw).

Run: python bench/bench_teams.py [--objects 8800] [--people 400] [--before c0d2063]
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_draw import host_speed  # noqa: E402
from generator.draw.model import Task, TeamRule, Unit  # noqa: E402
from generator.draw.people import Person  # noqa: E402
from generator.draw.teams import assign_teams, replay_public_teams  # noqa: E402

UNITS = (Unit("scjg", "县市场监管局"), Unit("nync", "县农业农村局"), Unit("wsjk", "县卫生健康委"))


def county(objects: int, people: int):
    inspectors = [
        Person(id=f"{u.id}-{k:05d}", name="检查员", unit=u.id, qualifications=("I1",))
        for u in UNITS
        for k in range(people)
    ]
    rows = [
        {
            "id": f"OBJ{i:07d}",
            "township": "城厢街道",
            "blocked": [f"scjg-{(i * 7) % people:05d}"] if i % 5 == 0 else [],
        }
        for i in range(objects)
    ]
    task = Task("T", "联合检查", ("I1",), UNITS, "scjg", "2026-04-01", "2026-04-30")
    return task, rows, inspectors


def rule(officer_draw: str, objects: int, people: int) -> TeamRule:
    cap = -(-objects * 3 // people)  # room for the initiating unit's extra member
    return TeamRule("unit", 7, 1, cap, 0, None, None, officer_draw, 2)


def timed(function, *args):
    """CPU seconds (the shared host's wall time varies several-fold with its load)."""
    start = time.process_time()
    out = function(*args)
    return time.process_time() - start, out


def old_module(rev: str):
    text = subprocess.run(
        ["git", "show", f"{rev}:generator/draw/teams.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "teams.py"
    text = text.replace("from .", "from generator.draw.")
    # Person lived in model.py until it moved to people.py
    text = text.replace(
        "draw.model import Person, ", "draw.people import Person\nfrom generator.draw.model import "
    )
    path.write_text(text, "utf-8")
    spec = importlib.util.spec_from_file_location("old_teams", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=8800)
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--before", default=None)
    args = parser.parse_args()
    print(f"host speed {host_speed():.2f} s (a quiet host: ~0.3 s)")
    task, rows, inspectors = county(args.objects, args.people)
    public = [
        {"id": r["id"], "township": r["township"], "blocked_previous": [], "blocked_count": len(r["blocked"])}
        for r in rows
    ]
    print(f"{args.objects} objects, {len(UNITS)} units × {args.people} inspectors, team 7, 2 per department")
    for mode in ("central", "per_department"):
        r = rule(mode, args.objects, args.people)
        seconds, teams = timed(assign_teams, task, r, rows, inspectors, [], "seed")
        replay, _ = timed(replay_public_teams, task, r, public, teams, inspectors, [], "seed")
        print(f"  {mode:15s} staff {seconds:6.2f} s   public replay {replay:6.2f} s")
        if mode == "central" and args.before:
            old = old_module(args.before)
            r_old = TeamRule("unit", 7, 2, r.max_objects_per_inspector, 0, None, None)
            before, old_teams = timed(old.assign_teams, task, r_old, rows, inspectors, [], "seed")
            old_replay, _ = timed(old.replay_public_teams, task, r_old, public, teams, inspectors, [], "seed")
            same = "same teams" if old_teams == teams else "DIFFERENT TEAMS"
            print(f"  {args.before:15s} staff {before:6.2f} s   public replay {old_replay:6.2f} s   ({same})")


if __name__ == "__main__":
    main()
