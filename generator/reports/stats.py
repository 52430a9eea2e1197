"""The home page's year figures and the 统计 page's per-unit series, read from ``Figures``.

Rates stay exact fractions until a template writes them (``figures.percent_text``'s format)."""

from __future__ import annotations

from generator.reports.figures import Figures, rate


def home_figures(f: Figures, year: int) -> dict:
    results, problems = f.results(year), f.problems(year)
    return {
        "plans": f.plans(year),
        "tasks": len(f.tasks_of(year)),
        "joint_tasks": f.joint_tasks(year),
        "objects": f.objects_inspected(year),
        "inspections": f.inspections(year),
        "results": results,
        "problems": problems,
        "problem_rate": rate(problems, results),
    }


def year_stats(f: Figures, year: int) -> dict:
    """Series keyed by unit (short name) or township, in the county's order; units without entries
    in the year have no rate."""
    tasks = f.tasks_of(year)
    joint = f.joint_tasks(year)
    problem_rate, on_time, counts = {}, {}, {}
    for unit, label in f.unit_labels.items():
        if not f.results(year, unit):
            continue
        problem_rate[label] = rate(f.problems(year, unit), f.results(year, unit))
        timed = f.on_time(year, unit)
        on_time[label] = rate(timed["num"], timed["den"])
        # what each rate is counted from, for the data tables under the charts
        counts[label] = {"problem_rate": f.problem_rate(year, unit), "on_time": timed}
    return {
        "tasks_by_unit": {
            label: f.tasks_initiated(year, unit) + f.tasks_joined(year, unit)
            for unit, label in f.unit_labels.items()
        },
        "joint_share": {"部门联合抽查": joint, "本部门抽查": len(tasks) - joint},
        "problem_rate": problem_rate,
        "on_time": on_time,
        "coverage": f.coverage(year),
        "counts": counts,
    }
