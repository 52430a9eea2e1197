"""Deterministic synthetic sample records: 泗阳县 in 2026, clearly marked ``demo: true``.

``generate(out, scale)`` writes a complete records tree: county settings, the 30 member units of
the seed plan's annex, their item lists, object and inspector directories, annual plans, the
county joint plan and the 2026 joint tasks. Same arguments, same bytes: one ``random.Random`` with
a fixed seed drives every choice (this is test data, never a draw).

Steps run in dependency order; draws and results are never written by hand: ``samplegen.draws``
runs the draw engine (generator/draw) on the written tree, task by task, and enters results for
the drawn objects.

``generate(out, scale, years=(2022, …, 2026))`` writes several years of history instead: the same
units, items and people, directories that grow and lose subjects year by year, and each year's
tasks, plans and meeting written and then drawn before the next year is written.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.samplegen import county, items, objects, people, plans, tasks, units
from generator.samplegen.emit import Tree, csv_text, yaml_text

SEED = 20260101
MARKER = "<!-- samplegen: 本目录由 python -m generator sample 生成 -->"
OWNED = ("county.yaml", "units", "joint", "draws", "holidays", "README.md")
README = f"""{MARKER}
# 示例数据（泗阳县，2026 年）

本目录全部为**虚构的示例数据**（county.yaml 中 `demo: true`），由 `python -m generator sample` 生成，
用于演示和测试。单位联络员、检查对象、执法检查人员和辅助人员的名称、号码均为虚构，
不对应任何真实的单位或个人。抽取和检查结果必须由抽取引擎生成，不得手工编写。
"""


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0


class OutputNotOurs(Exception):
    """The output directory holds files that the sample generator did not write."""


def _base(rng: random.Random, scale: int, years: tuple[int, ...]) -> tuple[Tree, list[dict], list[dict], int]:
    """Files that hold for every year (README, county, units, items, people) plus the final object
    population and the inspectors; draws ``rng`` in the one order that keeps the sample's bytes."""
    tree = Tree()
    tree.add("README.md", README)
    tree.add("county.yaml", yaml_text(county.county_doc(), county.COMMENTS))

    liaison_names: set[str] = set()
    for order, spec in enumerate(units.UNITS, start=1):
        doc = units.unit_doc(spec, order, rng, liaison_names, years)
        tree.add(f"units/{spec.id}/unit.yaml", yaml_text(doc, units.unit_comments(spec)))
    for unit, doc in items.items_files().items():
        tree.add(
            f"units/{unit}/items.yaml",
            yaml_text(doc, ("示例数据：抽查事项清单，参照已公开的事项清单编写。",)),
        )

    all_objects = objects.generate(rng, scale)
    inspectors = people.inspectors(rng, scale, objects.by_directory(all_objects), years[0])
    for unit in units.UNITS:
        rows = [p for p in inspectors if p["unit"] == unit.id]
        tree.add(f"units/{unit.id}/inspectors.csv", csv_text("inspectors", rows))
    assistants = people.assistants(rng, scale)
    for unit in sorted({a["unit"] for a in assistants}):
        tree.add(
            f"units/{unit}/assistants.csv",
            csv_text("assistants", [a for a in assistants if a["unit"] == unit]),
        )
    return tree, all_objects, inspectors, len(assistants)


def _year_files(
    tree: Tree, year: int, by_dir: dict[str, list[dict]], inspectors: list[dict]
) -> dict[str, int]:
    """One year's directories, tasks, plans and December meeting; returns the year's counts."""
    for unit, rows in by_dir.items():
        tree.add(f"units/{unit}/objects.csv", csv_text("objects", rows))
    drawn = {}
    specs = tasks.for_year(year)
    for spec in specs:
        drawn[spec.id] = sum(tasks.expected_draw(spec, tasks.pool(spec, by_dir)).values())
        doc = plans.task_doc(spec, tasks.max_objects(spec, drawn[spec.id], inspectors))
        kind = "部门联合抽查任务" if len(spec.participants) > 1 else "本部门抽查任务"
        tree.add(f"units/{spec.initiator}/tasks/{spec.id}.yaml", yaml_text(doc, (f"示例数据：{kind}。",)))
    unit_plans = plans.unit_plans(drawn, year)
    for unit, doc in unit_plans.items():
        tree.add(f"units/{unit}/plans/{year}.yaml", yaml_text(doc, ("示例数据：单位年度抽查计划。",)))
    tree.add(
        f"joint/plans/{year}.yaml", yaml_text(plans.joint_plan(year), ("示例数据：全县部门联合抽查计划。",))
    )
    meeting = plans.annual_meeting(year)
    tree.add(
        f"joint/meetings/{meeting['date'].isoformat()}.yaml",
        yaml_text(meeting, ("示例数据：12 月联席会议（年度总结）。",)),
    )
    return {
        "plans": len(unit_plans) + 1,
        "tasks": len(specs),
        "joint_tasks": sum(1 for t in specs if len(t.participants) > 1),
    }


def _counts(all_objects: list[dict], rows: int, inspectors: list[dict], assistants: int) -> dict[str, int]:
    return {
        "units": len(units.UNITS),
        "items": len(items.BY_CODE),
        "item_versions": len(items.ITEMS),
        "objects": len(all_objects),
        "object_rows": rows,
        "inspectors": len(inspectors),
        "assistants": assistants,
    }


def build(scale: int = 1) -> tuple[Tree, Summary]:
    """The one-year sample (2026) as files, before its draws."""
    rng = random.Random(SEED)
    tree, all_objects, inspectors, assistants = _base(rng, scale, (plans.YEAR,))
    by_dir = objects.by_directory(all_objects)
    year_counts = _year_files(tree, plans.YEAR, by_dir, inspectors)
    rows = sum(len(r) for r in by_dir.values())
    summary = Summary(_counts(all_objects, rows, inspectors, assistants) | year_counts)
    summary.files = len(tree.files)
    return tree, summary


def prepare(out: Path) -> None:
    """Empty ``out`` of a previous sample tree; refuse to touch a directory we did not write."""
    if not out.exists() or not any(out.iterdir()):
        return
    readme = out / "README.md"
    if not readme.is_file() or not readme.read_text(encoding="utf-8").startswith(MARKER):
        raise OutputNotOurs(str(out))
    for name in OWNED:
        path = out / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def generate(out: Path | str, scale: int = 1, years: tuple[int, ...] = (plans.YEAR,)) -> Summary:
    from generator.samplegen.draws import add_draws_and_results

    out = Path(out)
    if tuple(years) != (plans.YEAR,):
        return _generate_years(out, scale, tuple(years))
    tree, summary = build(scale)
    prepare(out)
    tree.write(out)
    # Draws and results come from the real engine, run on the tree just written.
    summary.counts |= add_draws_and_results(out, random.Random(SEED + 1))
    return summary


def _generate_years(out: Path, scale: int, years: tuple[int, ...]) -> Summary:
    """Several years of history: the directories grow and lose subjects year by year
    (objects.add_history), each year gets its own tasks, plans and December meeting, and the engine
    draws each year's tasks on the tree as it stood that year before the next year is written."""
    from generator.samplegen.draws import add_draws_and_results

    rng = random.Random(SEED)
    base, all_objects, inspectors, assistants = _base(rng, scale, years)
    objects.add_history(random.Random(SEED + 2), all_objects, years)
    prepare(out)
    base.write(out)
    summary = Summary(_counts(all_objects, 0, inspectors, assistants))
    summary.files = len(base.files)
    draw_rng = random.Random(SEED + 1)
    written: list[dict] = []  # every year's result records, as written: the next years' history
    for year in years:
        tree = Tree()
        by_dir = objects.by_directory(objects.as_of(all_objects, year))
        summary.counts["object_rows"] = sum(len(r) for r in by_dir.values())
        got = _year_files(tree, year, by_dir, inspectors)
        tree.write(out)
        got |= add_draws_and_results(out, draw_rng, year, written)
        for key, value in got.items():
            summary.counts[key] = summary.counts.get(key, 0) + value
        summary.files += sum(1 for rel in tree.files if "objects.csv" not in rel or year == years[0])
    return summary
