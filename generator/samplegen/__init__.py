"""Deterministic synthetic sample records: 泗阳县 in 2026, clearly marked ``demo: true``.

``generate(out, scale)`` writes a complete records tree: county settings, the 30 member units of
the seed plan's annex, their item lists, object and inspector directories, annual plans, the
county joint plan and the 2026 joint tasks. Same arguments, same bytes: one ``random.Random`` with
a fixed seed drives every choice (this is test data, never a draw).

Steps run in dependency order; draws and results are never written by hand: ``samplegen.draws``
runs the draw engine (generator/draw) on the written tree, task by task, and enters results for
the drawn objects.
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


def build(scale: int = 1) -> tuple[Tree, Summary]:
    rng = random.Random(SEED)
    tree, summary = Tree(), Summary()
    tree.add("README.md", README)
    tree.add("county.yaml", yaml_text(county.county_doc(), county.COMMENTS))

    liaison_names: set[str] = set()
    for order, spec in enumerate(units.UNITS, start=1):
        doc = units.unit_doc(spec, order, rng, liaison_names)
        tree.add(f"units/{spec.id}/unit.yaml", yaml_text(doc, units.unit_comments(spec)))
    for unit, doc in items.items_files().items():
        tree.add(
            f"units/{unit}/items.yaml",
            yaml_text(doc, ("示例数据：抽查事项清单，参照已公开的事项清单编写。",)),
        )

    all_objects = objects.generate(rng, scale)
    by_dir = objects.by_directory(all_objects)
    for unit, rows in by_dir.items():
        tree.add(f"units/{unit}/objects.csv", csv_text("objects", rows))

    inspectors = people.inspectors(rng, scale, by_dir)
    for unit in units.UNITS:
        rows = [p for p in inspectors if p["unit"] == unit.id]
        tree.add(f"units/{unit.id}/inspectors.csv", csv_text("inspectors", rows))
    assistants = people.assistants(rng, scale)
    for unit in sorted({a["unit"] for a in assistants}):
        tree.add(
            f"units/{unit}/assistants.csv",
            csv_text("assistants", [a for a in assistants if a["unit"] == unit]),
        )

    drawn = {}
    for spec in tasks.TASKS:
        drawn[spec.id] = sum(tasks.expected_draw(spec, tasks.pool(spec, by_dir)).values())
        doc = plans.task_doc(spec, tasks.max_objects(spec, drawn[spec.id], inspectors))
        kind = "部门联合抽查任务" if len(spec.participants) > 1 else "本部门抽查任务"
        tree.add(f"units/{spec.initiator}/tasks/{spec.id}.yaml", yaml_text(doc, (f"示例数据：{kind}。",)))
    for unit, doc in plans.unit_plans(drawn).items():
        tree.add(f"units/{unit}/plans/{plans.YEAR}.yaml", yaml_text(doc, ("示例数据：单位年度抽查计划。",)))
    tree.add(
        f"joint/plans/{plans.YEAR}.yaml", yaml_text(plans.joint_plan(), ("示例数据：全县部门联合抽查计划。",))
    )
    meeting = plans.annual_meeting()
    tree.add(
        f"joint/meetings/{meeting['date'].isoformat()}.yaml",
        yaml_text(meeting, ("示例数据：12 月联席会议（年度总结）。",)),
    )

    summary.counts = {
        "units": len(units.UNITS),
        "items": len(items.BY_CODE),
        "item_versions": len(items.ITEMS),
        "objects": len(all_objects),
        "object_rows": sum(len(rows) for rows in by_dir.values()),
        "inspectors": len(inspectors),
        "assistants": len(assistants),
        "plans": len(plans.unit_plans(drawn)) + 1,
        "tasks": len(tasks.TASKS),
        "joint_tasks": sum(1 for t in tasks.TASKS if len(t.participants) > 1),
    }
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


def generate(out: Path | str, scale: int = 1) -> Summary:
    from generator.samplegen.draws import add_draws_and_results

    out = Path(out)
    tree, summary = build(scale)
    prepare(out)
    tree.write(out)
    # Draws and results come from the real engine, run on the tree just written.
    summary.counts |= add_draws_and_results(out, random.Random(SEED + 1))
    return summary
